"""Image transforms, applied per sample (``dataset.transform_first(ToTensor())``).

Images are (H, W, C) arrays, or (N, H, W, C) batches; ``ToTensor`` turns them into
(C, H, W) float32 tensors in [0, 1], which ``Normalize`` then standardises per channel."""
import jax
import jax.numpy as jnp
import numpy as np

from .... import autograd
from ....base import numeric_types
from ....ndarray.ndarray import _wrap
from ...block import HybridBlock
from ...nn import Sequential, HybridSequential

__all__ = ['Compose', 'Cast', 'ToTensor', 'Normalize', 'Resize', 'RandomFlipLeftRight',
           'RandomFlipTopBottom']


class Compose(Sequential):
    """Applies the transforms in order; runs of consecutive HybridBlocks are grouped into
    one hybridized HybridSequential, as MXNet does."""

    def __init__(self, transforms):
        super().__init__()
        run = []
        for t in list(transforms) + [None]:
            if isinstance(t, HybridBlock):
                run.append(t)
                continue
            if len(run) == 1:
                self.add(run[0])
            elif len(run) > 1:
                group = HybridSequential()
                group.add(*run)
                group.hybridize()
                self.add(group)
            run = []
            if t is not None:
                self.add(t)


class Cast(HybridBlock):
    """Casts to ``dtype``."""

    def __init__(self, dtype='float32'):
        super().__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        return F.cast(x, self._dtype)


class ToTensor(HybridBlock):
    """(H, W, C) in [0, 255] -> (C, H, W) float32 in [0, 1] (batches: NHWC -> NCHW)."""

    def hybrid_forward(self, F, x):
        axes = (2, 0, 1) if x.ndim == 3 else (0, 3, 1, 2)
        return F.transpose(F.cast(x, 'float32'), axes=axes) / 255.0


class Normalize(HybridBlock):
    """``(x - mean[c]) / std[c]`` for (C, H, W) or (N, C, H, W) tensors; mean and std are
    numbers or one value per channel."""

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean = mean
        self._std = std

    def hybrid_forward(self, F, x):
        shape = (-1, 1, 1) if x.ndim == 3 else (1, -1, 1, 1)
        mean = np.asarray(self._mean, dtype='float32').reshape(shape if np.ndim(self._mean)
                                                               else ())
        std = np.asarray(self._std, dtype='float32').reshape(shape if np.ndim(self._std)
                                                             else ())
        if mean.ndim:
            mean = F.array(mean, ctx=x.context)
            x = F.broadcast_sub(x, mean)
        else:
            x = x - float(mean)
        if std.ndim:
            return F.broadcast_div(x, F.array(std, ctx=x.context))
        return x / float(std)


def _resize(x, *, size):
    """Bilinear resize of the H and W axes of (H, W, C) or (N, H, W, C)."""
    h_axis = x.ndim - 3
    shape = list(x.shape)
    shape[h_axis], shape[h_axis + 1] = size[1], size[0]
    out = jax.image.resize(x.astype(jnp.float32), tuple(shape), method='linear',
                           antialias=False)
    if jnp.issubdtype(x.dtype, jnp.integer):
        info = jnp.iinfo(x.dtype)
        out = jnp.clip(jnp.round(out), info.min, info.max)
    return out.astype(x.dtype)


_resize_jit = jax.jit(_resize, static_argnames=('size',))


class Resize(HybridBlock):
    """Resizes (H, W, C) images to ``size`` = (width, height) or a square side; with
    ``keep_ratio`` and a number, the shorter side becomes ``size``.  Bilinear only
    (``interpolation`` is accepted and ignored); uint8 results may differ from MXNet's
    (OpenCV's fixed-point) resize by 1 in some pixels.  Not differentiable."""

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._keep = keep_ratio
        self._size = size
        self._interpolation = interpolation

    def _target(self, h, w):
        if isinstance(self._size, numeric_types):
            if not self._keep:
                return (int(self._size), int(self._size))
            if h > w:
                return (int(self._size), int(h * self._size / w))
            return (int(w * self._size / h), int(self._size))
        return tuple(int(s) for s in self._size)

    def hybrid_forward(self, F, x):
        h, w = x.shape[-3], x.shape[-2]
        out = _resize_jit(x._value, size=self._target(h, w))
        return _wrap(out, x.context)


class _RandomFlip(HybridBlock):
    _axis_from_end = None

    def hybrid_forward(self, F, x):
        axis = x.ndim + self._axis_from_end
        coin = F.random.uniform(shape=(1,) * x.ndim, ctx=x.context) < 0.5
        with autograd.pause():
            mask = F.broadcast_like(coin, x)
        return F.where(mask, F.flip(x, axis=axis), x)


class RandomFlipLeftRight(_RandomFlip):
    """Flips the image horizontally with probability 1/2."""
    _axis_from_end = -2


class RandomFlipTopBottom(_RandomFlip):
    """Flips the image vertically with probability 1/2."""
    _axis_from_end = -3

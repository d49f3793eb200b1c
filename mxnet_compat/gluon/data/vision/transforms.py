"""Image transforms, applied per sample (``dataset.transform_first(ToTensor())``).

Images are (H, W, C) arrays, or (N, H, W, C) batches; ``ToTensor`` turns them into
(C, H, W) float32 tensors in [0, 1], which ``Normalize`` then standardises per channel."""
import functools
import math
import random as _pyrandom

import jax
import jax.numpy as jnp
import numpy as np

from .... import autograd
from ....base import MXNetError, numeric_types
from ....ndarray.ndarray import _wrap
from ...block import Block, HybridBlock
from ...nn import Sequential, HybridSequential

__all__ = ['Compose', 'Cast', 'ToTensor', 'Normalize', 'Resize', 'RandomFlipLeftRight',
           'RandomFlipTopBottom', 'CenterCrop', 'RandomResizedCrop', 'RandomBrightness',
           'RandomContrast', 'RandomSaturation', 'RandomHue', 'RandomColorJitter',
           'RandomLighting']


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


def _cubic_taps(fx):
    """OpenCV's bicubic weights (A = -0.75) of the 4 source pixels around offset ``fx``."""
    a = -0.75
    c0 = ((a * (fx + 1) - 5 * a) * (fx + 1) + 8 * a) * (fx + 1) - 4 * a
    c1 = ((a + 2) * fx - (a + 3)) * fx * fx + 1
    c2 = ((a + 2) * (1 - fx) - (a + 3)) * (1 - fx) * (1 - fx) + 1
    return np.stack([c0, c1, c2, 1 - c0 - c1 - c2], axis=-1)


def _lanczos4_taps(fx):
    """Normalised Lanczos (a = 4) weights of the 8 source pixels around offset ``fx``."""
    d = fx[:, None] + 3 - np.arange(8)
    w = np.sinc(d) * np.sinc(d / 4)
    return w / w.sum(axis=1, keepdims=True)


def _area_weights(src, dst):
    """Shrinking: each output pixel averages the source cells it covers (by overlap)."""
    scale = src / dst
    lo = np.arange(dst)[:, None] * scale
    cells = np.arange(src)[None, :]
    overlap = np.clip(np.minimum(lo + scale, cells + 1) - np.maximum(lo, cells), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


@functools.lru_cache(maxsize=256)
def _resize_weights(src, dst, interp):
    """(dst, src) matrix resampling one axis as OpenCV's ``resize`` does with ``interp``
    (0 nearest, 2 bicubic, 3 area, 4 Lanczos; pixel centres at +0.5; borders replicated)."""
    scale = src / dst
    out = np.arange(dst)
    weights = np.zeros((dst, src))
    if interp == 0:
        weights[out, np.minimum(np.floor(out * scale).astype(int), src - 1)] = 1
        return weights
    if interp == 3 and src >= dst:
        return _area_weights(src, dst)
    if interp == 3:   # enlarging with INTER_AREA: linear taps with OpenCV's area offsets
        start = np.floor(out * scale)
        fx = (out + 1) - (start + 1) / scale
        fx = np.where(fx <= 0, 0.0, fx - np.floor(fx))
        taps, first = np.stack([1 - fx, fx], axis=-1), start
    else:
        pos = (out + 0.5) * scale - 0.5
        start = np.floor(pos)
        fx = pos - start
        if interp == 2:
            taps, first = _cubic_taps(fx), start - 1
        else:
            taps, first = _lanczos4_taps(fx), start - 3
    cols = np.clip(first[:, None] + np.arange(taps.shape[1]), 0, src - 1).astype(int)
    np.add.at(weights, (np.repeat(out, taps.shape[1]), cols.ravel()), taps.ravel())
    return weights


def _check_interp(interp):
    """OpenCV's resize knows 0 nearest, 1 bilinear, 2 bicubic, 3 area and 4 Lanczos."""
    if interp not in (0, 1, 2, 3, 4):
        raise MXNetError('Unknown interpolation method {} in function \'resize\''
                         .format(interp))
    return interp


def _crop_interp(interp, src_hw, dst_hw):
    """The crops' (``mx.image``'s) choice: 9 is bicubic to enlarge, area to shrink, else
    bilinear; 10 a random one of 0-4; other values must be 0-4."""
    if interp == 9:
        if dst_hw[0] > src_hw[0] and dst_hw[1] > src_hw[1]:
            return 2
        if dst_hw[0] < src_hw[0] and dst_hw[1] < src_hw[1]:
            return 3
        return 1
    if interp == 10:
        return _pyrandom.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise ValueError('Unknown interp method %d' % interp)
    return interp


def _saturate(out, dtype):
    if jnp.issubdtype(dtype, jnp.integer):
        info = jnp.iinfo(dtype)
        out = jnp.clip(jnp.round(out), info.min, info.max)
    return out.astype(dtype)


def _resize(x, *, size, interp=1):
    """Resize of the H and W axes of (H, W, C) or (N, H, W, C) to ``size`` = (W, H)."""
    h_axis = x.ndim - 3
    src_hw = (x.shape[h_axis], x.shape[h_axis + 1])
    if interp == 1:
        shape = list(x.shape)
        shape[h_axis], shape[h_axis + 1] = size[1], size[0]
        out = jax.image.resize(x.astype(jnp.float32), tuple(shape), method='linear',
                               antialias=False)
        return _saturate(out, x.dtype)
    wy = jnp.asarray(_resize_weights(src_hw[0], size[1], interp), jnp.float32)
    wx = jnp.asarray(_resize_weights(src_hw[1], size[0], interp), jnp.float32)
    out = jnp.einsum('yh,...hwc,xw->...yxc', wy, x.astype(jnp.float32), wx)
    return _saturate(out, x.dtype)


_resize_jit = jax.jit(_resize, static_argnames=('size', 'interp'))


class Resize(HybridBlock):
    """Resizes (H, W, C) images to ``size`` = (width, height) or a square side; with
    ``keep_ratio`` and a number, the shorter side becomes ``size``.  ``interpolation``
    as OpenCV's: 0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 Lanczos.
    uint8 results may differ from OpenCV's fixed-point arithmetic by 1 in some pixels.
    Not differentiable."""

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
        out = _resize_jit(x._value, size=self._target(h, w),
                          interp=_check_interp(self._interpolation))
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


# ----------------------------------------------------------------------------- crops

def _crop_resize(x, x0, y0, w, h, size, interp=1):
    """``x[y0:y0+h, x0:x0+w]`` of an (H, W, C) NDArray, resized to ``size`` = (W, H) with
    ``interp`` if it differs (MXNet's ``image.fixed_crop``)."""
    out = x[y0:y0 + h, x0:x0 + w]
    if size is not None and (w, h) != tuple(size):
        size = tuple(int(s) for s in size)
        interp = _crop_interp(interp, (h, w), (size[1], size[0]))
        out = _wrap(_resize_jit(out._value, size=size, interp=interp), x.context)
    return out


def _scale_down(src_size, size):
    """Shrink the wanted (w, h) ``size`` to fit in ``src_size``, keeping its aspect."""
    w, h = src_size
    sw, sh = size
    if sh > h:
        sw, sh = float(sw * h) / sh, h
    if sw > w:
        sw, sh = w, float(sh * w) / sw
    return int(sw), int(sh)


def _center_crop(x, size, interp=1):
    h, w = x.shape[0], x.shape[1]
    new_w, new_h = _scale_down((w, h), size)
    return _crop_resize(x, int((w - new_w) / 2), int((h - new_h) / 2), new_w, new_h, size,
                        interp)


class CenterCrop(Block):
    """Crops the centre of an (H, W, C) image to ``size`` = (W, H) or a square side.  When
    the image is smaller, the largest centred crop of that aspect ratio is resized up
    (``interpolation`` as in :class:`Resize`, plus 9: bicubic to enlarge, area to shrink,
    and 10: a random one)."""

    def __init__(self, size, interpolation=1):
        super().__init__()
        if isinstance(size, numeric_types):
            size = (size, size)
        self._size = tuple(size)
        self._interpolation = interpolation

    def forward(self, x):
        return _center_crop(x, self._size, self._interpolation)


class RandomResizedCrop(Block):
    """Crops a random region of an (H, W, C) image and resizes it to ``size`` = (W, H).
    The region's area is a fraction ``scale`` of the image's and its aspect ratio is drawn
    log-uniformly from ``ratio``; after 10 failed draws the centre crop is used.  Draws come
    from Python's ``random`` module, as in MXNet (``random.seed`` makes them repeatable)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=1):
        super().__init__()
        if isinstance(size, numeric_types):
            size = (size, size)
        self._size = tuple(size)
        self._scale = scale
        self._ratio = ratio
        self._interpolation = interpolation

    def forward(self, x):
        h, w = x.shape[0], x.shape[1]
        area = h * w
        log_ratio = (math.log(self._ratio[0]), math.log(self._ratio[1]))
        for _ in range(10):
            target_area = _pyrandom.uniform(self._scale[0], self._scale[1]) * area
            aspect = math.exp(_pyrandom.uniform(*log_ratio))
            new_w = int(round(math.sqrt(target_area * aspect)))
            new_h = int(round(math.sqrt(target_area / aspect)))
            if new_w <= w and new_h <= h:
                x0 = _pyrandom.randint(0, w - new_w)
                y0 = _pyrandom.randint(0, h - new_h)
                return _crop_resize(x, x0, y0, new_w, new_h, self._size,
                                    self._interpolation)
        return _center_crop(x, self._size, self._interpolation)


# ----------------------------------------------------------------------------- colour
# Each takes a float (H, W, C) RGB image and a factor; MXNet does not clip the results.

def _adjust_brightness(x, f):
    return x * f


def _adjust_contrast(x, f):
    gray = jnp.mean(x[..., 0] * 0.299 + x[..., 1] * 0.587 + x[..., 2] * 0.114)
    return x * f + gray * (1 - f)


def _adjust_saturation(x, f):
    # MXNet 1.9.1's "gray" here is 0.114 * blue only (its kernel overwrites the
    # weighted sum instead of accumulating it); we reproduce that, see the tests.
    gray = x[..., 2:3] * 0.114
    return x * f + gray * (1 - f)


def _adjust_hue(x, f):
    """Rotate the hue by ``f`` turns (MXNet draws ``f`` in [1 - hue, 1 + hue], so f = 1
    is the identity), keeping HSV saturation and value."""
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = jnp.max(x[..., :3], axis=-1)
    c = v - jnp.min(x[..., :3], axis=-1)
    safe_c = jnp.where(c > 0, c, 1)
    h = jnp.where(v == r, (g - b) / safe_c,
                  jnp.where(v == g, 2 + (b - r) / safe_c, 4 + (r - g) / safe_c))
    h = jnp.where(c > 0, h / 6, 0)
    h = jnp.mod(h + f, 1.0) * 6
    k = jnp.stack([jnp.mod(n + h, 6) for n in (5.0, 3.0, 1.0)], axis=-1)
    rgb = v[..., None] - c[..., None] * jnp.clip(jnp.minimum(k, 4 - k), 0, 1)
    return jnp.concatenate([rgb, x[..., 3:]], axis=-1).astype(x.dtype)


_EIGVAL = np.array([55.46, 4.794, 1.148], dtype=np.float32)
_EIGVEC = np.array([[-0.5675, 0.7192, 0.4009],
                    [-0.5808, -0.0045, -0.8140],
                    [-0.5836, -0.6948, 0.4203]], dtype=np.float32)


def _adjust_lighting(x, alpha):
    """AlexNet-style PCA noise: add ``eigvec @ (alpha * eigval)`` to each pixel."""
    return x + jnp.asarray(_EIGVEC) @ (alpha * jnp.asarray(_EIGVAL))


_COLOR_OPS = {'brightness': _adjust_brightness, 'contrast': _adjust_contrast,
              'saturation': _adjust_saturation, 'hue': _adjust_hue}


def _factor_range(amount):
    return max(0.0, 1.0 - amount), 1.0 + amount


class _RandomColor(HybridBlock):
    """Applies one colour operation with a factor drawn uniformly from
    [max(0, 1 - amount), 1 + amount] per call (from ``mx.random``)."""
    _op = None

    def __init__(self, amount):
        super().__init__()
        self._range = _factor_range(amount)

    def hybrid_forward(self, F, x):
        factor = F.random.uniform(*self._range, shape=(1,), ctx=x.context)._value[0]
        return _wrap(_COLOR_OPS[self._op](x._value, factor).astype(x._value.dtype),
                     x.context)


class RandomBrightness(_RandomColor):
    """Multiplies the image by a random factor in [max(0, 1-brightness), 1+brightness]."""
    _op = 'brightness'


class RandomContrast(_RandomColor):
    """Blends the image with its mean gray level (factor in [max(0, 1-c), 1+c])."""
    _op = 'contrast'


class RandomSaturation(_RandomColor):
    """Blends each pixel with a gray value (factor in [max(0, 1-s), 1+s]).  As in MXNet
    1.9.1, that gray value is ``0.114 * blue``, not the luma."""
    _op = 'saturation'


class RandomHue(_RandomColor):
    """Rotates the hue by a random factor in [max(0, 1-hue), 1+hue] turns."""
    _op = 'hue'


class RandomColorJitter(HybridBlock):
    """Brightness, contrast, saturation and hue changes (those with a non-zero amount),
    applied in a random order each call."""

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        amounts = (('brightness', brightness), ('contrast', contrast),
                   ('saturation', saturation), ('hue', hue))
        self._ranges = [(name, _factor_range(a)) for name, a in amounts if a > 0]

    def hybrid_forward(self, F, x):
        if not self._ranges:
            return x
        n = len(self._ranges)
        draws = F.random.uniform(shape=(2 * n,), ctx=x.context)._value
        order = jnp.argsort(draws[n:])
        value = x._value
        for step in range(n):
            # The step-th operation in a random permutation, chosen with jnp.where
            # so that a hybridized (traced) call stays one graph.
            outs = []
            for k, (name, (lo, hi)) in enumerate(self._ranges):
                outs.append(_COLOR_OPS[name](value, lo + (hi - lo) * draws[k]))
            value = jnp.stack(outs)[order[step]].astype(x._value.dtype)
        return _wrap(value, x.context)


class RandomLighting(HybridBlock):
    """Adds AlexNet-style PCA lighting noise: ``alpha`` ~ Normal(0, ``alpha``) per
    principal component (of ImageNet's RGB covariance)."""

    def __init__(self, alpha):
        super().__init__()
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        if self._alpha == 0:   # MXNet accepts 0 (no noise); a normal of scale 0 does not
            return x
        alpha = F.random.normal(0, self._alpha, shape=(3,), ctx=x.context)._value
        return _wrap(_adjust_lighting(x._value, alpha).astype(x._value.dtype), x.context)

"""Python-level ``nd`` helpers of MXNet 1.9.1 that are not single operators: split_v2,
histogram, reset_arrays, onehot_encode, DLPack exchange, and slice assignment."""
import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from .ndarray import NDArray, _wrap, OP_FUNCS
from ..context import current_context, context_for

__all__ = ['split_v2', 'histogram', 'reset_arrays', 'onehot_encode', 'to_dlpack_for_read',
           'to_dlpack_for_write', 'from_dlpack']


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split into equal sections (an int) or at the given indices (a tuple), like numpy."""
    n = ary.shape[axis]
    if isinstance(indices_or_sections, int):
        if n % indices_or_sections:
            raise MXNetError('split_v2: axis {} of size {} cannot be split into {} equal parts'
                             .format(axis, n, indices_or_sections))
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    parts = [OP_FUNCS['slice_axis'](ary, axis=axis, begin=b, end=e)
             for b, e in zip(bounds[:-1], bounds[1:])]
    if squeeze_axis:
        parts = [OP_FUNCS['squeeze'](p, axis=axis) for p in parts]
    return parts


def histogram(a, bins=10, range=None):
    """(counts, bin edges) of the values of ``a`` (numpy's binning when ``range`` is None)."""
    data = a.asnumpy().reshape(-1)
    if isinstance(bins, NDArray):
        counts, edges = np.histogram(data, bins=bins.asnumpy())
    else:
        counts, edges = np.histogram(data, bins=int(bins), range=range)
    return (_wrap(jnp.asarray(counts.astype(a.dtype)), a.context),
            _wrap(jnp.asarray(edges.astype(a.dtype)), a.context))


def reset_arrays(*data, **kwargs):
    """Set every given array to zero, in place."""
    for d in data:
        d[:] = 0


def onehot_encode(indices, out):
    """Legacy one-hot: write one_hot(indices, depth=out.shape[1]) into ``out``."""
    out[:] = OP_FUNCS['one_hot'](indices, depth=out.shape[1]).astype(out.dtype)
    return out


class _Capsule:
    """Lets a raw DLPack capsule be consumed by jax's from_dlpack (which wants __dlpack__)."""

    def __init__(self, capsule, device):
        self.capsule, self.device = capsule, device

    def __dlpack__(self, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return self.device


def to_dlpack_for_read(data):
    """A DLPack capsule sharing ``data``'s memory (read-only use)."""
    data.wait_to_read()
    return data._value.__dlpack__()


def to_dlpack_for_write(data):
    """A DLPack capsule of ``data``. JAX buffers are immutable: writes through it are not
    seen by ``data`` (MXNet shares the memory)."""
    return to_dlpack_for_read(data)


def from_dlpack(dlpack):
    """An NDArray from a DLPack capsule or any object with ``__dlpack__`` (torch, numpy...)."""
    if not hasattr(dlpack, '__dlpack__'):
        dlpack = _Capsule(dlpack, (1, 0))
    value = jax.dlpack.from_dlpack(dlpack)
    dev = next(iter(value.devices()))
    return _wrap(value, context_for(dev) if dev.platform != 'cpu' or dev.id else
                 current_context())


def _slice_assign(self, rhs, begin, end, step):
    """In place: self[begin:end:step] = rhs (per axis; None entries mean the whole axis)."""
    key = tuple(slice(b, e, s) for b, e, s in zip(begin, end, step or (None,) * len(begin)))
    self[key] = rhs
    return self


def _slice_assign_scalar(self, value, begin, end, step):
    return _slice_assign(self, value, begin, end, step)


def _as_nd_ndarray(self):
    return self


def _as_np_ndarray(self):
    raise MXNetError('as_np_ndarray: the mx.np interface is not implemented by mxnet-compat')


for _name, _fn in [('slice_assign', _slice_assign), ('slice_assign_scalar', _slice_assign_scalar),
                   ('as_nd_ndarray', _as_nd_ndarray), ('as_np_ndarray', _as_np_ndarray),
                   ('split_v2', split_v2), ('to_dlpack_for_read', to_dlpack_for_read),
                   ('to_dlpack_for_write', to_dlpack_for_write)]:
    setattr(NDArray, _name, _fn)

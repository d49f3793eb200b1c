"""Array creation with MXNet's Python signatures (``nd.array``, ``nd.zeros``, ...).

Defaults follow MXNet 1.9.1: float32 unless ``dtype`` is given (also for numpy
float64 or int input), the current context unless ``ctx`` is given, and shapes
with a zero dimension (or ``()``) are rejected as MXNet's shape inference does."""
import jax
import jax.numpy as jnp
import numpy as np

from .. import autograd
from ..base import MXNetError, dtype_type, parse_shape
from ..context import current_context, as_context
from .ndarray import NDArray, _wrap, _place, _default_device
from .registry import OPS, invoke

__all__ = ['array', 'empty', 'zeros', 'ones', 'full', 'arange', 'eye', 'linspace', 'waitall',
           'from_numpy']


def _ctx(ctx):
    return as_context(ctx)


def _from_host(a, ctx):
    """A numpy array onto ``ctx`` (uncommitted on JAX's default device, committed elsewhere)."""
    dev = ctx.jax_device
    if dev is _default_device():
        return _wrap(jnp.asarray(a), ctx)
    return _wrap(jax.device_put(a, dev), ctx)


def array(source_array, ctx=None, dtype=None):
    """An NDArray from any array-like (nested lists, numpy arrays, NDArrays, scalars).

    dtype defaults to the source's dtype for an NDArray and to float32 otherwise."""
    ctx = _ctx(ctx)
    if isinstance(source_array, NDArray):
        t = source_array.dtype if dtype is None else dtype_type(dtype)
        val = source_array._value
        if val.dtype != t:
            val = val.astype(t)
        return _wrap(_place(val, ctx), ctx)
    t = dtype_type(dtype)
    if isinstance(source_array, (list, tuple)) and _has_ndarray(source_array):
        raise TypeError('source_array must be array like object')
    try:
        a = np.array(source_array, dtype=t)
    except (TypeError, ValueError):
        raise TypeError('source_array must be array like object') from None
    return _from_host(a, ctx)


def _has_ndarray(seq):
    return any(isinstance(s, NDArray) or (isinstance(s, (list, tuple)) and _has_ndarray(s))
               for s in seq)


def from_numpy(ndarray, zero_copy=True):
    """An NDArray with the contents (and dtype) of a numpy array."""
    return _from_host(np.ascontiguousarray(ndarray), current_context())


def _check_shape(shape, opname):
    shape = parse_shape(shape)
    if not shape or any(d == 0 for d in shape):
        raise MXNetError('Operator {} inferring shapes failed: shape {} has no elements (MXNet '
                         'NDArray shapes need every dimension > 0)'.format(opname, shape))
    if any(d < 0 for d in shape):
        raise MXNetError('Operator {}: negative dimension in shape {}'.format(opname, shape))
    return shape


def zeros(shape, ctx=None, dtype=None, stype=None, **kwargs):
    """An array of zeros (float32 unless ``dtype``)."""
    shape = _check_shape(shape, '_zeros')
    return invoke(OPS['_zeros'], [], (shape, dtype_type(dtype)), (), kwargs.get('out'),
                  _ctx(ctx))


def ones(shape, ctx=None, dtype=None, **kwargs):
    """An array of ones (float32 unless ``dtype``)."""
    shape = _check_shape(shape, '_ones')
    return invoke(OPS['_ones'], [], (shape, dtype_type(dtype)), (), kwargs.get('out'), _ctx(ctx))


def empty(shape, ctx=None, dtype=None, stype=None):
    """An uninitialised array in MXNet; zeros here (JAX has no uninitialised memory)."""
    return zeros(shape, ctx, dtype)


def full(shape, val, ctx=None, dtype=np.float32, out=None):
    """An array filled with ``val``."""
    shape = _check_shape(shape, '_full')
    if isinstance(val, np.generic):
        val = val.item()
    return invoke(OPS['_full'], [], (shape, dtype_type(dtype)), [val], out, _ctx(ctx))


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=np.float32):
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times."""
    op = OPS['_arange']
    static = tuple(p.parse(v, op.name) for p, v in zip(
        op.params, (start, stop, step, repeat, bool(infer_range), dtype)))
    return invoke(op, [], static, (), None, _ctx(ctx))


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):
    """A 2-D array with ones on the k-th diagonal."""
    return invoke(OPS['_eye'], [], (int(N), int(M), int(k), dtype_type(dtype)), (), None,
                  _ctx(ctx))


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=np.float32):
    """``num`` evenly spaced samples from start to stop."""
    return invoke(OPS['_linspace'], [], (float(start), float(stop), int(num), bool(endpoint),
                                         dtype_type(dtype)), (), None, _ctx(ctx))


def waitall():
    """Wait until all pending computation has finished (JAX: wait for every live array),
    running recorded calls that were deferred first."""
    autograd.run_deferred()
    for a in jax.live_arrays():
        a.block_until_ready()

"""``mx.test_utils``: comparison helpers with MXNet's default tolerances.

Tolerances depend on the dtype, as in MXNet 1.9.1: rtol 1e-2/1e-4/1e-5 and atol
1e-1/1e-3/1e-20 for float16/float32/float64, exact for integers and bools; when two
dtypes meet, the looser tolerance wins."""
import contextlib
import numbers
import os
import random as _pyrandom

import numpy as np

from .context import Context, cpu, gpu, num_gpus, current_context
from .ndarray import NDArray, array

__all__ = ['default_context', 'set_default_context', 'default_rtols', 'default_atols',
           'get_rtol', 'get_atol', 'same', 'almost_equal', 'assert_almost_equal',
           'rand_shape_nd', 'rand_shape_2d', 'rand_shape_3d', 'rand_ndarray', 'assert_exception',
           'list_gpus', 'environment', 'check_numeric_gradient']

_FLOAT_RTOL = {np.float16: 1e-2, np.float32: 1e-4, np.float64: 1e-5}
_FLOAT_ATOL = {np.float16: 1e-1, np.float32: 1e-3, np.float64: 1e-20}


def default_context():
    """The context tests run on (``MXNET_TEST_DEVICE`` or ``set_default_context``)."""
    return current_context()


def set_default_context(ctx):
    Context._default.value = ctx  # what ``with ctx:`` sets


def default_rtols():
    return {np.dtype(t): v for t, v in _FLOAT_RTOL.items()}


def default_atols():
    return {np.dtype(t): v for t, v in _FLOAT_ATOL.items()}


def _tol(x, tol, table):
    if isinstance(tol, numbers.Number):
        return tol
    dt = np.dtype(getattr(x, 'dtype', np.asarray(x).dtype)).type
    if isinstance(tol, dict) and np.dtype(dt) in {np.dtype(k) for k in tol}:
        return {np.dtype(k): v for k, v in tol.items()}[np.dtype(dt)]
    return table.get(dt, 0)


def get_rtol(rtol=None, dtype=np.dtype(np.float64)):
    return _FLOAT_RTOL.get(np.dtype(dtype).type, 0) if rtol is None else rtol


def get_atol(atol=None, dtype=np.dtype(np.float64)):
    return _FLOAT_ATOL.get(np.dtype(dtype).type, 0) if atol is None else atol


def _np(x):
    return x.asnumpy() if isinstance(x, NDArray) else np.asarray(x)


def same(a, b):
    """Exact equality of values and shapes."""
    return np.array_equal(_np(a), _np(b))


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True):
    """``numpy.allclose`` with MXNet's float64 defaults (rtol 1e-5, atol 1e-20)."""
    a, b = _np(a), _np(b)
    if not use_broadcast and a.shape != b.shape:
        return False
    return np.allclose(a, b, rtol=get_rtol(rtol), atol=get_atol(atol), equal_nan=equal_nan)


def assert_almost_equal(a, b, rtol=None, atol=None, names=('a', 'b'), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)):
    """Assert |a - b| <= atol + rtol * |b| element-wise, with dtype-dependent defaults."""
    rtol = max(_tol(a, rtol, _FLOAT_RTOL), _tol(b, rtol, _FLOAT_RTOL))
    atol = max(_tol(a, atol, _FLOAT_ATOL), _tol(b, atol, _FLOAT_ATOL))
    a, b = _np(a), _np(b)
    if not use_broadcast and a.shape != b.shape:
        raise AssertionError('{}.shape = {} and {}.shape = {} are not equal'.format(
            names[0], a.shape, names[1], b.shape))
    if np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return
    a64, b64 = np.broadcast_arrays(a.astype(np.float64), b.astype(np.float64))
    err = np.abs(a64 - b64) / (atol + rtol * np.abs(b64))
    if not equal_nan:
        err = np.where(np.isnan(a64) | np.isnan(b64), np.inf, err)
    idx = np.unravel_index(np.nanargmax(err), err.shape) if err.size else ()
    raise AssertionError(
        'Items are not equal:\nError {:f} exceeds tolerance rtol={:e}, atol={:e}. Location of '
        'maximum error: {}, {}={:.8f}, {}={:.8f}\n {}: {}\n {}: {}'.format(
            float(np.nanmax(err)), rtol, atol, idx, names[0], a64[idx], names[1], b64[idx],
            names[0], a, names[1], b))


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return tuple(np.random.randint(low, dim + 1, size=num_dim).tolist())


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return _pyrandom.randint(low, dim0), _pyrandom.randint(low, dim1)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return (_pyrandom.randint(low, dim0), _pyrandom.randint(low, dim1),
            _pyrandom.randint(low, dim2))


def rand_ndarray(shape, stype='default', density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A dense NDArray of uniform [0, 1) samples (sparse storage is not supported)."""
    if stype != 'default':
        raise NotImplementedError('rand_ndarray: sparse storage is not supported yet')
    data = np.random.uniform(size=shape)
    if modifier_func is not None:
        data = modifier_func(data)
    return array(data, ctx=ctx or default_context(), dtype=dtype or np.float32)


def assert_exception(f, exception_type, *args, **kwargs):
    """Assert that ``f(*args, **kwargs)`` raises ``exception_type``."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError('{} was not raised'.format(getattr(exception_type, '__name__',
                                                            exception_type)))


def list_gpus():
    """Indices of the accelerators JAX sees."""
    return list(range(num_gpus()))


@contextlib.contextmanager
def environment(*args):
    """Temporarily set environment variables: ``environment('K', 'V')`` or ``({'K': 'V'})``."""
    mapping = args[0] if len(args) == 1 else {args[0]: args[1]}
    old = {k: os.environ.get(k) for k in mapping}
    try:
        for k, v in mapping.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = str(v)
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def check_numeric_gradient(fn, location, numeric_eps=1e-4, rtol=1e-2, atol=None, **kwargs):
    """Compare autograd gradients of ``fn`` (a function of NDArrays returning an NDArray)
    with central finite differences at ``location`` (a list of arrays).

    MXNet's version takes a Symbol; with no Symbol API here it takes a Python function."""
    from . import autograd
    xs = [array(_np(x), dtype=np.float64) for x in location]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = fn(*xs)
    y.backward()
    for i, x in enumerate(xs):
        base = x.asnumpy()
        num = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            plus, minus = base.copy(), base.copy()
            plus[idx] += numeric_eps
            minus[idx] -= numeric_eps
            args_p = [array(plus, dtype=np.float64) if j == i else xs[j] for j in range(len(xs))]
            args_m = [array(minus, dtype=np.float64) if j == i else xs[j] for j in range(len(xs))]
            num[idx] = (fn(*args_p).asnumpy().sum() - fn(*args_m).asnumpy().sum()) / (
                2 * numeric_eps)
        assert_almost_equal(x.grad.asnumpy(), num, rtol=rtol, atol=atol or 1e-6,
                            names=('autograd', 'numeric'))


_ = (cpu, gpu)

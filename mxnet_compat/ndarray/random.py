"""``mx.nd.random``: samplers with scalar parameters (``shape=`` gives the output shape)
or NDArray parameters (the output shape is ``param.shape + shape``)."""
from ..base import dtype_type, parse_shape
from .._rng import seed  # noqa: F401  (nd.random.seed is mx.random.seed)
from .ndarray import NDArray
from .registry import OPS, invoke

__all__ = ['uniform', 'normal', 'randn', 'seed']


def _shape(shape):
    return (1,) if shape is None else parse_shape(shape)


def _sample(scalar_op, array_op, a, b, shape, dtype, ctx, out):
    if isinstance(a, NDArray):
        if not isinstance(b, NDArray):
            raise TypeError('both distribution parameters must be NDArrays or both numbers')
        shape = () if shape is None else parse_shape(shape)
        return invoke(OPS[array_op], [a, b], (shape, None if dtype is None else
                                              dtype_type(dtype)), (), out)
    return invoke(OPS[scalar_op], [], (_shape(shape), dtype_type(dtype)), [float(a), float(b)],
                  out, ctx)


def uniform(low=0, high=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Uniform samples on [low, high)."""
    return _sample('_random_uniform', '_sample_uniform', low, high, shape, dtype, ctx, out)


def normal(loc=0, scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Normal samples with mean ``loc`` and standard deviation ``scale``."""
    return _sample('_random_normal', '_sample_normal', loc, scale, shape, dtype, ctx, out)


def randn(*shape, **kwargs):
    """Standard-normal samples of the given shape (``loc``/``scale`` keywords allowed)."""
    return normal(kwargs.pop('loc', 0), kwargs.pop('scale', 1), shape or None, **kwargs)

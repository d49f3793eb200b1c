"""``mx.nd.random``: samplers with scalar parameters (``shape=`` gives the output shape,
(1,) by default) or NDArray parameters (one distribution per element: the output shape
is ``param.shape + shape``), plus the ``*_like`` operators and ``seed``.

As in MXNet 1.9.1, scalar and NDArray parameters cannot be mixed (AssertionError), a
scalar sampler with ``out=`` and no ``shape`` fills ``out``, and ``dtype=None`` passed
explicitly means float64 (MXNet's frontend sends ``np.dtype(None)``); leave ``dtype`` out
for float32.  Samples differ from MXNet's generator; distributions do not.
"""
import numbers

import numpy as np

from .. import _rng
from ..base import integer_types
from ..context import Context, current_context
from .ndarray import NDArray
from . import ops_random  # noqa: F401  (registers the operators used below)
from .registry import OPS, make_function

# MXNet's __all__ (what ``mx.random`` re-exports); the *_like functions and seed are
# attributes of nd.random too.
__all__ = ['uniform', 'normal', 'randn', 'poisson', 'exponential', 'gamma', 'multinomial',
           'negative_binomial', 'generalized_negative_binomial', 'shuffle', 'randint']


class _NullType:
    """'Not given' (MXNet's ``_Null``), distinct from an explicit ``None``."""

    def __repr__(self):
        return '_Null'


_Null = _NullType()
_numeric = (numbers.Number, np.generic)


def _op(name):
    return make_function(OPS[name], name)


_OPS = {}


def _call(name, *args, **kwargs):
    fn = _OPS.get(name)
    if fn is None:
        fn = _OPS[name] = _op(name)
    return fn(*args, **{k: v for k, v in kwargs.items() if v is not _Null})


def _random_helper(dist, params, shape, dtype, ctx, out, kwargs, sample=True):
    """Dispatch on the parameters' type, as MXNet's ``_random_helper`` does."""
    first = params[0]
    if dtype is _Null and out is not None:
        dtype = out.dtype    # MXNet infers the output dtype from out=
    if isinstance(first, NDArray):
        for p in params[1:]:
            assert isinstance(p, NDArray), (
                'Distribution parameters must all have the same type, but got both %s and %s.'
                % (type(first), type(p)))
        if not sample:
            raise TypeError('{} takes numbers, not NDArrays, as low and high'.format(dist))
        return _call('_sample_' + dist, *params, shape=shape, dtype=dtype, out=out, **kwargs)
    if isinstance(first, _numeric):
        if ctx is None:
            ctx = current_context()
        if shape is _Null:
            shape = 1 if out is None else out.shape
        for p in params[1:]:
            assert isinstance(p, _numeric), (
                'Distribution parameters must all have the same type, but got both %s and %s.'
                % (type(first), type(p)))
        return _call('_random_' + dist, *params, shape=shape, dtype=dtype, ctx=ctx, out=out,
                     **kwargs)
    raise ValueError('Distribution parameters must be either NDArray or numbers, but got %s.'
                     % type(first))


def uniform(low=0, high=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the uniform distribution on [low, high).

    Numbers give ``shape`` samples ((1,) by default); NDArrays ``low``/``high`` (same shape)
    give ``low.shape + shape`` samples, one distribution per element.  dtype: float16,
    float32 (default) or float64.  Raises MXNetError if low > high."""
    return _random_helper('uniform', [low, high], shape, dtype, ctx, out, kwargs)


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the normal distribution with mean ``loc`` and standard deviation
    ``scale`` (numbers or NDArrays, see :func:`uniform`).  A number ``scale`` must be > 0."""
    return _random_helper('normal', [loc, scale], shape, dtype, ctx, out, kwargs)


def randn(*shape, **kwargs):
    """Standard-normal samples of shape ``shape`` (``loc``, ``scale``, ``dtype``, ``ctx``,
    ``out`` keywords).  As in MXNet 1.9.1, ``randn()`` without a shape raises MXNetError,
    and ``loc``/``scale`` must be int, float or NDArray (AssertionError otherwise)."""
    loc = kwargs.pop('loc', 0)
    scale = kwargs.pop('scale', 1)
    dtype = kwargs.pop('dtype', _Null)
    ctx = kwargs.pop('ctx', None)
    out = kwargs.pop('out', None)
    assert isinstance(loc, (int, float, NDArray))
    assert isinstance(scale, (int, float, NDArray))
    return _random_helper('normal', [loc, scale], shape, dtype, ctx, out, kwargs)


def poisson(lam=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the Poisson distribution with rate ``lam`` (>= 0); the counts are
    returned as floats (float32 unless ``dtype``)."""
    return _random_helper('poisson', [lam], shape, dtype, ctx, out, kwargs)


def exponential(scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the exponential distribution with scale ``scale`` (mean ``scale``).

    MXNet's operators take the rate ``lam = 1/scale``; this function passes ``1.0/scale``
    (so ``scale=0`` raises ZeroDivisionError, as in MXNet)."""
    return _random_helper('exponential', [1.0 / scale], shape, dtype, ctx, out, kwargs)


def gamma(alpha=1, beta=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the gamma distribution with shape ``alpha`` and scale ``beta`` (mean
    ``alpha * beta``; both > 0 for numbers)."""
    return _random_helper('gamma', [alpha, beta], shape, dtype, ctx, out, kwargs)


def negative_binomial(k=1, p=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the negative binomial distribution: failures before the ``k``-th
    success with success probability ``p`` (mean ``k(1-p)/p``).  A number ``k`` must be
    an int (MXNet's parameter type); NDArray ``k`` may be real.  Float samples."""
    return _random_helper('negative_binomial', [k, p], shape, dtype, ctx, out, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=_Null, dtype=_Null, ctx=None,
                                  out=None, **kwargs):
    """Samples from the generalized negative binomial distribution with mean ``mu`` and
    dispersion ``alpha`` (variance ``mu + alpha mu^2``; alpha = 0 is Poisson).  Float
    samples."""
    return _random_helper('generalized_negative_binomial', [mu, alpha], shape, dtype, ctx,
                          out, kwargs)


def multinomial(data, shape=_Null, get_prob=False, out=None, dtype='int32', **kwargs):
    """Category indices drawn from the distributions on the last axis of ``data``.

    Output shape ``data.shape[:-1] + shape`` ((1,) for 1-D data without shape), int32
    unless ``dtype``; with ``get_prob=True`` returns ``[indices, log_probabilities]``, the
    second differentiable w.r.t. ``data``.  ``data`` should sum to 1 on its last axis
    (it is not renormalised)."""
    return _call('_sample_multinomial', data, shape=() if shape is _Null else shape,
                 get_prob=get_prob, out=out, dtype=dtype, **kwargs)


def shuffle(data, **kwargs):
    """A copy of ``data`` with its rows (first axis) in random order; not differentiable."""
    return _call('_shuffle', data, **kwargs)


def randint(low, high, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Uniform integers in [low, high) (ints; int32 unless ``dtype='int64'``).  NDArray
    bounds are not supported (MXNet fails with a TypeError too)."""
    return _random_helper('randint', [low, high], shape, dtype, ctx, out, kwargs,
                          sample=False)


def seed(seed_state, ctx='all'):
    """Reset the random generator (MXNet's ``mx.random.seed``).

    ``seed_state`` must be an int (ValueError otherwise).  MXNet keeps one generator per
    device and ``ctx`` selects which to seed; here one generator serves every device, so
    any ``ctx`` (``'all'`` or a Context) reseeds it: after ``seed(s)`` or ``seed(s, ctx)``
    the same draws follow."""
    if not isinstance(seed_state, integer_types):
        raise ValueError('seed_state must be int')
    if ctx != 'all':
        Context(ctx)   # MXNet validates the context (a bad one raises)
    _rng.seed(int(seed_state))


def _like_function(dist):
    fn = make_function(OPS['_random_{}_like'.format(dist)], dist + '_like')
    fn.__module__ = __name__
    return fn


uniform_like = _like_function('uniform')
normal_like = _like_function('normal')
exponential_like = _like_function('exponential')
gamma_like = _like_function('gamma')
poisson_like = _like_function('poisson')
negative_binomial_like = _like_function('negative_binomial')
generalized_negative_binomial_like = _like_function('generalized_negative_binomial')

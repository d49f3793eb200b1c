"""Random sampling operators.  Each draw folds a global counter into the global key
inside the primitive (see ``mxnet_compat/_rng.py``); the key and counter are recorded
like any input, so a replayed graph sees the same numbers."""
import jax
import jax.numpy as jnp

from .registry import Param, register
from .._rng import make_key

_SHAPE_DTYPE = (Param('shape', (), 'shape'), Param('dtype', 'float32', 'dtype'))


def _float_dtype(dtype):
    return jnp.float32 if dtype is None else dtype


@register('_random_uniform', aliases=('random_uniform', 'uniform'),
          params=(Param('low', 0.0, 'scalar', dynamic=True),
                  Param('high', 1.0, 'scalar', dynamic=True)) + _SHAPE_DTYPE,
          inputs=(), random=True, ctx_param=True, dtype=None, differentiable=False,
          family='random')
def _uniform(key, counter, low, high, shape, dtype):
    """Samples from the uniform distribution on [low, high)."""
    dt = _float_dtype(dtype)
    return jax.random.uniform(make_key(key, counter), shape, dt, jnp.asarray(low, dt),
                              jnp.asarray(high, dt))


@register('_random_normal', aliases=('random_normal', 'normal'),
          params=(Param('loc', 0.0, 'scalar', dynamic=True),
                  Param('scale', 1.0, 'scalar', dynamic=True)) + _SHAPE_DTYPE,
          inputs=(), random=True, ctx_param=True, dtype=None, differentiable=False,
          family='random')
def _normal(key, counter, loc, scale, shape, dtype):
    """Samples from the normal distribution N(loc, scale**2)."""
    dt = _float_dtype(dtype)
    return (jax.random.normal(make_key(key, counter), shape, dt) * jnp.asarray(scale, dt)
            + jnp.asarray(loc, dt))


@register('_sample_uniform', aliases=('sample_uniform',), inputs=('low', 'high'),
          params=_SHAPE_DTYPE, random=True, dtype=None, family='random')
def _sample_uniform(key, counter, low, high, shape, dtype):
    """Per-element uniform samples: output shape = low.shape + shape."""
    dt = _float_dtype(dtype)
    u = jax.random.uniform(make_key(key, counter), low.shape + shape, dt)
    ex = (Ellipsis,) + (None,) * len(shape)
    return low[ex].astype(dt) + u * (high - low)[ex].astype(dt)


@register('_sample_normal', aliases=('sample_normal',), inputs=('mu', 'sigma'),
          params=_SHAPE_DTYPE, random=True, dtype=None, family='random')
def _sample_normal(key, counter, mu, sigma, shape, dtype):
    """Per-element normal samples: output shape = mu.shape + shape."""
    dt = _float_dtype(dtype)
    z = jax.random.normal(make_key(key, counter), mu.shape + shape, dt)
    ex = (Ellipsis,) + (None,) * len(shape)
    return mu[ex].astype(dt) + z * sigma[ex].astype(dt)

"""Creation operators (no array inputs): zeros, ones, full, arange, eye, linspace.

The ``nd.zeros``-style functions with MXNet's Python signatures live in
``ndarray/creation.py``; these records are the primitives behind them."""
import jax.numpy as jnp
import numpy as np

from .registry import Param, register

_SHAPE_DTYPE = (Param('shape', (), 'shape'), Param('dtype', 'float32', 'dtype'))


@register('_zeros', params=_SHAPE_DTYPE, ctx_param=True, dtype=None, differentiable=False,
          inputs=(), family='init')
def _zeros(shape, dtype):
    """An array of zeros."""
    return jnp.zeros(shape, dtype)


@register('_ones', params=_SHAPE_DTYPE, ctx_param=True, dtype=None, differentiable=False,
          inputs=(), family='init')
def _ones(shape, dtype):
    """An array of ones."""
    return jnp.ones(shape, dtype)


@register('_full', params=_SHAPE_DTYPE + (Param('value', 0.0, 'scalar', dynamic=True),),
          ctx_param=True, dtype=None, differentiable=False, inputs=(), family='init')
def _full(value, shape, dtype):
    """An array filled with ``value``."""
    return jnp.full(shape, jnp.asarray(value).astype(dtype), dtype)


@register('_arange', params=(Param('start', kind='float'), Param('stop', None, 'float_or_none'),
                             Param('step', 1.0, 'float'), Param('repeat', 1, 'int'),
                             Param('infer_range', False, 'bool'),
                             Param('dtype', 'float32', 'dtype')),
          ctx_param=True, dtype=None, differentiable=False, inputs=(), family='init')
def _arange(start, stop, step, repeat, infer_range, dtype):
    """Evenly spaced values in [start, stop) with ``step``, each repeated ``repeat`` times."""
    if stop is None:
        start, stop = 0.0, start
    n = int(np.ceil((stop - start) / step))
    if n <= 0:
        raise ValueError('arange: empty range start={} stop={} step={}'.format(start, stop, step))
    vals = start + step * jnp.arange(n, dtype=jnp.float64)
    if repeat > 1:
        vals = jnp.repeat(vals, repeat)
    return vals.astype(dtype)


@register('_eye', params=(Param('N', kind='int'), Param('M', 0, 'int'), Param('k', 0, 'int'),
                          Param('dtype', 'float32', 'dtype')),
          ctx_param=True, dtype=None, differentiable=False, inputs=(), family='init')
def _eye(N, M, k, dtype):
    """A 2-D array with ones on the k-th diagonal."""
    return jnp.eye(N, M or N, k, dtype=dtype)


@register('_linspace', params=(Param('start', kind='float'), Param('stop', kind='float'),
                               Param('num', kind='int'), Param('endpoint', True, 'bool'),
                               Param('dtype', 'float32', 'dtype')),
          ctx_param=True, dtype=None, differentiable=False, inputs=(), family='init')
def _linspace(start, stop, num, endpoint, dtype):
    """``num`` evenly spaced values from start to stop."""
    return jnp.linspace(start, stop, num, endpoint=endpoint, dtype=jnp.float64).astype(dtype)

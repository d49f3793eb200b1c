"""Reductions: ``axis`` (int, tuple, or ``()`` meaning all), ``keepdims`` and ``exclude``
(reduce over every axis *not* listed).  A full reduction gives shape ``(1,)``, as in
MXNet's legacy mode; ``argmax``/``argmin`` return indices in the input's dtype."""
import jax.numpy as jnp

from .registry import Param, register

_AXIS = (Param('axis', None, 'axis'), Param('keepdims', False, 'bool'),
         Param('exclude', False, 'bool'))


def reduce_axes(ndim, axis, exclude=False):
    """Normalise MXNet's axis parameter to a sorted tuple of non-negative axes."""
    if axis is None or axis == ():
        axes = tuple(range(ndim))
        return () if exclude and axis is not None else axes
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -ndim <= a < max(ndim, 1):
            raise ValueError('axis {} is out of bounds for array of dimension {}'.format(a, ndim))
    axes = tuple(sorted(a % ndim for a in axes))
    if exclude:
        axes = tuple(a for a in range(ndim) if a not in axes)
    return axes


def _legacy_shape(out):
    """MXNet's legacy NDArray has no 0-d results: a full reduction is shape (1,)."""
    return out.reshape(1) if out.ndim == 0 else out


def _reducer(name, fn, method=True, differentiable=True):
    def impl(data, axis, keepdims, exclude):
        if data.ndim == 0:
            raise ValueError('{}: cannot reduce a 0-d array'.format(name))
        axes = reduce_axes(data.ndim, axis, exclude)
        return _legacy_shape(fn(data, axis=axes, keepdims=keepdims))
    impl.__doc__ = ('``{}`` over ``axis`` (all axes by default); ``keepdims`` keeps reduced axes '
                    'as size 1, ``exclude`` reduces over the axes not listed.'.format(name))
    register(name, params=_AXIS, method=name if method else None,
             differentiable=differentiable, family='reduce',
             aliases={'sum': ('sum_axis',), 'max': ('max_axis',),
                      'min': ('min_axis',)}.get(name, ()))(impl)


def _sum(x, axis, keepdims):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _mean(x, axis, keepdims):
    return jnp.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _prod(x, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _nansum(x, axis, keepdims):
    return jnp.nansum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _nanprod(x, axis, keepdims):
    return jnp.nanprod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


for _n, _f in [('sum', _sum), ('mean', _mean), ('prod', _prod), ('nansum', _nansum),
               ('nanprod', _nanprod), ('max', jnp.max), ('min', jnp.min)]:
    _reducer(_n, _f)


@register('norm', params=(Param('ord', 2, 'int'), Param('axis', None, 'axis'),
                          Param('out_dtype', None, 'dtype'), Param('keepdims', False, 'bool')),
          method='norm', dtype=None, family='reduce')
def _norm(data, ord, axis, out_dtype, keepdims):
    """L1 or L2 norm over ``axis`` (all elements by default: the flattened vector norm)."""
    axes = reduce_axes(data.ndim, axis)
    x = data.astype(jnp.float32) if data.dtype == jnp.float16 else data
    if ord == 1:
        out = jnp.sum(jnp.abs(x), axis=axes, keepdims=keepdims)
    elif ord == 2:
        out = jnp.sqrt(jnp.sum(x * x, axis=axes, keepdims=keepdims))
    else:
        raise ValueError('norm: only ord=1 and ord=2 are supported, got {}'.format(ord))
    return _legacy_shape(out.astype(out_dtype or data.dtype))


def _arg(name, fn):
    def impl(data, axis, keepdims):
        if axis is None:
            out = fn(data.reshape(-1), axis=0)
            out = out.reshape((1,) * data.ndim) if keepdims else out
        else:
            out = fn(data, axis=axis, keepdims=keepdims)
        return _legacy_shape(out)
    impl.__doc__ = ('Indices of the {} values along ``axis`` (of the flattened array if None), '
                    'returned in the input dtype as MXNet does.').format(name[3:])
    register(name, params=(Param('axis', None, 'int_or_none'), Param('keepdims', False, 'bool')),
             method=name, differentiable=False, family='reduce')(impl)


_arg('argmax', jnp.argmax)
_arg('argmin', jnp.argmin)


@register('argmax_channel', method='argmax_channel', differentiable=False, family='reduce')
def _argmax_channel(data):
    """Indices of the maxima along the last axis."""
    return _legacy_shape(jnp.argmax(data, axis=-1))


del _n, _f

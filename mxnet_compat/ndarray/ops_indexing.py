"""Indexing operators: take, pick, batch_take, one_hot, where, gather_nd, scatter_nd, the
sorting family (topk, sort, argsort) and the slicing operators (slice, slice_like, diag).

Index inputs may have any dtype: MXNet code passes them as float32 arrays, so they are
truncated toward zero to int32 inside the primitive (1.7 -> 1, -0.5 -> 0).  They get a zero
gradient; the data input's gradient is jax's (scatter-add of the head gradient).

Out-of-range indices: ``take``/``pick`` clip or wrap (``mode``); ``take(mode='raise')``
cannot raise from inside a compiled primitive and clips instead; ``gather_nd`` follows
jax (negative indices count from the end, others are clamped) where MXNet raises on CPU;
``scatter_nd`` drops them, as MXNet does.  Index outputs (``topk``, ``argsort``) are
float32 by default, as in MXNet.
"""
import numbers

import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError, _literal
from .registry import PARSERS, Param, register


def _parse_index_tuple(value, name):
    """A tuple of ints or None (``slice``'s begin/end/step): ``(0, None)``, ``'(0,None)'``."""
    if isinstance(value, str):
        value = _literal(value)
    if value is None:
        return ()
    if isinstance(value, numbers.Integral):
        return (int(value),)
    try:
        return tuple(None if v is None else int(v) for v in value)
    except (TypeError, ValueError):
        raise MXNetError('Invalid Parameter format for {}: expect a tuple of int or None but '
                         'value={!r}'.format(name, value)) from None


PARSERS.setdefault('index_tuple', _parse_index_tuple)

_INDEX_MODE = Param('mode', 'clip', 'str', choices=('clip', 'raise', 'wrap'))


def _as_index(indices):
    return indices.astype(jnp.int32)


def _fit_index(idx, size, mode):
    return jnp.mod(idx, size) if mode == 'wrap' else jnp.clip(idx, 0, size - 1)


def _check_axis(op_name, axis, ndim):
    if not -ndim <= axis < ndim:
        raise ValueError('{}: axis {} is out of range for an input of {} dimensions'.format(
            op_name, axis, ndim))
    return axis % ndim


# ----------------------------------------------------------------------------- take / pick

@register('take', inputs=('a', 'indices'), params=(Param('axis', 0, 'int'), _INDEX_MODE),
          method='take', same_dtype_inputs=False,
          sample={'shapes': [(3, 4), (2, 2)], 'inputs': [None, [[2, 0], [1, 1]]], 'wrt': (0,)},
          family='indexing')
def _take(a, indices, axis, mode):
    """Slices of ``a`` along ``axis`` at ``indices``: shape a.shape[:axis] + indices.shape +
    a.shape[axis+1:].  ``mode='clip'`` (default) clamps indices into range, ``'wrap'`` takes
    them modulo the axis size; ``'raise'`` clips here (MXNet raises)."""
    axis = _check_axis('take', axis, a.ndim)
    if indices.ndim == 0:
        raise ValueError('take: indices must have at least one dimension')
    idx = _fit_index(_as_index(indices), a.shape[axis], mode)
    return jnp.take(a, idx, axis=axis)


@register('batch_take', inputs=('a', 'indices'), same_dtype_inputs=False,
          sample={'shapes': [(2, 3), (2,)], 'inputs': [None, [2, 0]], 'wrt': (0,)},
          family='indexing')
def _batch_take(a, indices):
    """``a[i, indices[i]]`` for each row i of a 2-D ``a`` (deprecated in MXNet: use ``pick``).
    Out-of-range indices are clipped.  MXNet 1.9.1 accepts only int32 indices; any dtype is
    truncated to int here, like the other index inputs."""
    flat = a.reshape(a.shape[0], -1)
    idx = jnp.clip(indices.astype(jnp.int32).reshape(-1, 1), 0, flat.shape[1] - 1)
    return jnp.take_along_axis(flat, idx, axis=1).reshape(indices.shape)


@register('pick', inputs=('data', 'index'),
          params=(Param('axis', -1, 'int_or_none'), Param('keepdims', False, 'bool'),
                  Param('mode', 'clip', 'str', choices=('clip', 'wrap'))),
          method='pick', same_dtype_inputs=False,
          sample={'shapes': [(2, 3), (2,)], 'inputs': [None, [0, 2]], 'wrt': (0,)},
          family='indexing')
def _pick(data, index, axis, keepdims, mode):
    """One element per position along ``axis``: ``out[i, j] = data[i, index[i, j], j]``.
    ``index`` has data's shape without ``axis`` (or with it as size 1); ``keepdims`` keeps the
    axis.  ``mode`` clips (default) or wraps out-of-range indices.  MXNet 1.9.1 fails for
    ``axis=None``; so does this."""
    if axis is None:
        raise ValueError('pick: axis=None is not supported')
    axis = _check_axis('pick', axis, data.ndim)
    shape = data.shape[:axis] + (1,) + data.shape[axis + 1:]
    if index.size != data.size // max(data.shape[axis], 1):
        raise ValueError('pick: Shape inconsistent, index {} for data {} along axis {}'.format(
            index.shape, data.shape, axis))
    idx = _fit_index(_as_index(index).reshape(shape), data.shape[axis], mode)
    out = jnp.take_along_axis(data, idx, axis=axis)
    return out if keepdims else jnp.squeeze(out, axis)


@register('one_hot', inputs=('indices',),
          params=(Param('depth', kind='int'), Param('on_value', 1.0, 'float'),
                  Param('off_value', 0.0, 'float'), Param('dtype', 'float32', 'dtype')),
          method='one_hot', dtype=None, differentiable=False, family='indexing')
def _one_hot(indices, depth, on_value, off_value, dtype):
    """An array of shape indices.shape + (depth,) with ``on_value`` where the last index
    equals the (truncated) index and ``off_value`` elsewhere; out-of-range indices give a row
    of ``off_value``.  Values are converted to ``dtype`` (float32 by default)."""
    hot = _as_index(indices)[..., None] == jnp.arange(depth, dtype=jnp.int32)
    return jnp.where(hot, on_value, off_value).astype(dtype)


@register('where', inputs=('condition', 'x', 'y'), dtype=None, same_dtype_inputs=False,
          sample={'inputs': [[[1, 0, 1], [0, 0, 2]], None, None], 'wrt': (1, 2)},
          family='indexing')
def _where(condition, x, y):
    """``x`` where ``condition`` is non-zero, else ``y``.  ``condition`` has x's shape or is
    1-D with x.shape[0] elements (it then selects whole rows); it may have any dtype, x and
    y must share theirs.  No other broadcasting, as in MXNet."""
    if x.shape != y.shape or x.dtype != y.dtype:
        raise ValueError('where: x and y must have the same shape and dtype, got {} {} and {} '
                         '{}'.format(x.shape, x.dtype, y.shape, y.dtype))
    if condition.shape != x.shape:
        if condition.ndim != 1 or condition.shape[0] != x.shape[0]:
            raise ValueError('where: condition of shape {} must have the shape of x {} or be '
                             '1-D of size x.shape[0]'.format(condition.shape, x.shape))
        condition = condition.reshape((-1,) + (1,) * (x.ndim - 1))
    return jnp.where(condition != 0, x, y)


# ----------------------------------------------------------------------------- gather / scatter

def _nd_index(indices, ndim):
    idx = _as_index(indices)
    if idx.ndim < 1 or idx.shape[0] > ndim:
        raise ValueError('gather_nd/scatter_nd: indices of shape {} need a first axis of at most '
                         '{} and at least one more'.format(indices.shape, ndim))
    return tuple(idx[i] for i in range(idx.shape[0]))


@register('gather_nd', inputs=('data', 'indices'), same_dtype_inputs=False,
          sample={'shapes': [(3, 2, 3), (2, 2)], 'inputs': [None, [[2, 0], [1, 1]]],
                  'wrt': (0,)},
          family='indexing')
def _gather_nd(data, indices):
    """``out[y_0..y_K] = data[indices[0, y], ..., indices[M-1, y]]``: indices of shape
    (M, Y...) address the first M axes; output shape Y + data.shape[M:]."""
    if indices.ndim < 2:
        raise ValueError('gather_nd: indices must have at least 2 dimensions, got {}'.format(
            indices.shape))
    return data[_nd_index(indices, data.ndim)]


@register('scatter_nd', inputs=('data', 'indices'), params=(Param('shape', kind='shape'),),
          same_dtype_inputs=False,
          sample={'shapes': [(2,), (2, 2)], 'inputs': [None, [[0, 1], [2, 0]]], 'wrt': (0,),
                  'params': {'shape': (2, 3)}},
          family='indexing')
def _scatter_nd(data, indices, shape):
    """The inverse of gather_nd: a zero array of ``shape`` with ``data`` written at
    ``indices`` (out-of-range positions are dropped; with duplicate positions one value is
    kept, which one is unspecified, as in MXNet)."""
    out = jnp.zeros(shape, data.dtype)
    return out.at[_nd_index(indices, len(shape))].set(data, mode='drop')


# ----------------------------------------------------------------------------- sorting

def _sort_axis(data, axis):
    """(array, axis) with axis=None meaning the flattened array."""
    if axis is None:
        return data.reshape(-1), 0
    return data, _check_axis('sort', axis, data.ndim)


def _argsort(x, axis, is_ascend):
    return jnp.argsort(x, axis=axis, stable=True, descending=not is_ascend)


_INDEX_DTYPES = ('float16', 'float32', 'float64', 'int32', 'int64', 'uint8')


def _index_dtype_param():
    return Param('dtype', 'float32', 'dtype',
                 choices=tuple(np.dtype(n).type for n in _INDEX_DTYPES))


@register('topk', params=(Param('axis', -1, 'int_or_none'), Param('k', 1, 'int'),
                          Param('ret_typ', 'indices', 'str',
                                choices=('both', 'indices', 'mask', 'value')),
                          Param('is_ascend', False, 'bool'), _index_dtype_param()),
          method='topk', dtype=None, sample={'params': {'k': 2, 'ret_typ': 'value'}},
          family='indexing')
def _topk(data, axis, k, ret_typ, is_ascend, dtype):
    """The ``k`` largest (or smallest with ``is_ascend``) elements along ``axis`` (the
    flattened array if None), in order; ties keep their original order.  ``ret_typ``:
    ``'indices'`` (default, in ``dtype``: float32 unless told), ``'value'``, ``'both'``
    ([values, indices]) or ``'mask'`` (data's shape and dtype, 1 at the top k).  ``k < 1``
    selects the whole axis."""
    x, axis = _sort_axis(data, axis)
    n = x.shape[axis]
    k = n if k < 1 else k
    if k > n:
        raise ValueError('topk: k={} is larger than the axis size {}'.format(k, n))
    order = _argsort(x, axis, is_ascend)
    if ret_typ == 'mask':
        rank = jnp.argsort(order, axis=axis)
        return (rank < k).astype(data.dtype).reshape(data.shape)
    idx = lax.slice_in_dim(order, 0, k, axis=axis)
    values = jnp.take_along_axis(x, idx, axis=axis)
    if ret_typ == 'value':
        return values
    if ret_typ == 'indices':
        return idx.astype(dtype)
    return values, idx.astype(dtype)


@register('sort', params=(Param('axis', -1, 'int_or_none'), Param('is_ascend', True, 'bool')),
          method='sort', family='indexing')
def _sort(data, axis, is_ascend):
    """Sorted copy along ``axis`` (the flattened array if None), ascending by default; NaN
    sorts last."""
    x, axis = _sort_axis(data, axis)
    return jnp.take_along_axis(x, _argsort(x, axis, is_ascend), axis=axis)


@register('argsort', params=(Param('axis', -1, 'int_or_none'), Param('is_ascend', True, 'bool'),
                             _index_dtype_param()),
          method='argsort', dtype=None, differentiable=False, family='indexing')
def _argsort_op(data, axis, is_ascend, dtype):
    """Indices that sort ``data`` along ``axis`` (stable in both directions), as ``dtype``
    (float32 by default)."""
    x, axis = _sort_axis(data, axis)
    return _argsort(x, axis, is_ascend).astype(dtype)


# ----------------------------------------------------------------------------- slicing

@register('slice', aliases=('crop',),
          params=(Param('begin', kind='index_tuple'), Param('end', kind='index_tuple'),
                  Param('step', (), 'index_tuple')),
          method='slice', sample={'params': {'begin': (0, 1), 'end': (2, 3)}},
          family='indexing')
def _slice(data, begin, end, step):
    """``data[b0:e0:s0, b1:e1:s1, ...]`` for the leading axes named by ``begin``/``end``
    (``None`` entries take the default, negative values count from the end, bounds are
    clamped as in Python).  A zero step is an error."""
    if len(begin) != len(end) or (step and len(step) != len(begin)) or len(begin) > data.ndim:
        raise ValueError('slice: begin {}, end {} and step {} must have the same length, at most '
                         'the number of dimensions {}'.format(begin, end, step, data.ndim))
    step = step or (None,) * len(begin)
    if 0 in step:
        raise ValueError('slice: step cannot be 0')
    return data[tuple(slice(b, e, s) for b, e, s in zip(begin, end, step))]


@register('slice_like', inputs=('data', 'shape_like'), params=(Param('axes', (), 'shape'),),
          method='slice_like', same_dtype_inputs=False,
          sample={'shapes': [(3, 4), (2, 3)], 'wrt': (0,)},
          family='indexing')
def _slice_like(data, shape_like, axes):
    """The leading part of ``data`` with the size of ``shape_like`` on ``axes`` (every axis
    when empty, which then needs equal ranks).  A bigger target size is an error."""
    if not axes:
        if shape_like.ndim != data.ndim:
            raise ValueError('slice_like: inputs of {} and {} dimensions need explicit axes'
                             .format(data.ndim, shape_like.ndim))
        axes = range(data.ndim)
    index = [slice(None)] * data.ndim
    for a in axes:
        a = _check_axis('slice_like', a, min(data.ndim, shape_like.ndim))
        if shape_like.shape[a] > data.shape[a]:
            raise ValueError('slice_like: size {} of shape_like on axis {} exceeds data size {}'
                             .format(shape_like.shape[a], a, data.shape[a]))
        index[a] = slice(0, shape_like.shape[a])
    return data[tuple(index)]


@register('diag', params=(Param('k', 0, 'int'), Param('axis1', 0, 'int'), Param('axis2', 1, 'int')),
          method='diag', family='indexing')
def _diag(data, k, axis1, axis2):
    """1-D input: a square matrix with ``data`` on diagonal ``k``.  N-D input: diagonal ``k``
    of the (axis1, axis2) planes, appended as the last axis (numpy's ``diagonal``)."""
    if data.ndim == 1:
        return jnp.diag(data, k)
    s1, s2 = data.shape[axis1], data.shape[axis2]
    if not -s1 < k < s2:
        raise ValueError('diag: k={} is out of range for a {}x{} diagonal plane'.format(k, s1, s2))
    return jnp.diagonal(data, offset=k, axis1=axis1, axis2=axis2)

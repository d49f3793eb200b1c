"""``x[key]`` and ``x[key] = value`` with MXNet 1.9.1's semantics.

Basic keys (ints, slices, ``...``, ``None``) give a *view* when the selected
elements are contiguous in row-major order - MXNet's rule: scanning axes from the
last, once an axis selects a proper subset, every axis before it must select at
most one element (and no axis may step over several elements).  Other basic keys
and advanced keys (integer arrays, lists) copy.  An int index on a 1-D array gives
shape ``(1,)``, as in MXNet's legacy (non-numpy) mode.

Every copy and every write runs a jitted function cached per key *structure*:
integer positions and the starts of unit-step slices are traced arguments, so a
loop over ``x[i]`` or ``x[i:i+b] = v`` compiles once, not once per ``i``.
"""
import functools
import numbers

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from .. import autograd
from .ndarray import NDArray, _wrap, _place, _check_inplace, _filler, _prod

_INT = 'i'


def _is_int(k):
    return isinstance(k, (numbers.Integral, np.integer)) and not isinstance(k, (bool, np.bool_))


def _is_advanced(k):
    return isinstance(k, (NDArray, np.ndarray, list, range)) or (
        hasattr(k, 'shape') and hasattr(k, 'dtype'))


def _expand_basic(key, shape):
    """Per real axis: ('i', index) or (start, stop, step, length); plus None positions."""
    ndim = len(shape)
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    if n_real > ndim:
        raise IndexError('too many indices ({}) for array with {} dimensions'
                         .format(n_real, ndim))
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError('an index can only have a single ellipsis (\'...\')')
    items, axis, out_pos, new_axes = [], 0, 0, []
    for k in key:
        if k is Ellipsis:
            for _ in range(ndim - n_real):
                items.append((0, shape[axis], 1, shape[axis]))
                axis += 1
                out_pos += 1
            continue
        if k is None:
            new_axes.append(out_pos)
            out_pos += 1
            continue
        n = shape[axis]
        if _is_int(k):
            k = int(k)
            if not -n <= k < n:
                raise IndexError('index {} is out of bounds for axis {} with size {}'
                                 .format(k, axis, n))
            items.append((_INT, k % n if n else k))
        elif isinstance(k, slice):
            start, stop, step = k.indices(n)
            if step == 0:
                raise MXNetError('slice step cannot be zero')
            if step > 0 and start > stop:
                # numpy gives an empty result; MXNet 1.9.1 rejects it
                raise MXNetError('slice {}:{} on axis {} (size {}) has begin > end'
                                 .format(k.start, k.stop, axis, n))
            # .indices() gives stop=-1 for a reversed slice running to the start: as a slice
            # bound that would mean "the last element", so keep None there.
            items.append((start, stop if stop >= 0 else None, step,
                          len(range(start, stop, step))))
            out_pos += 1
        else:
            raise IndexError('NDArray does not support indexing with key {!r} of type {}'
                             .format(k, type(k).__name__))
        axis += 1
    while axis < ndim:
        items.append((0, shape[axis], 1, shape[axis]))
        axis += 1
    return items, new_axes


def _lengths(items):
    return [1 if it[0] == _INT else it[3] for it in items]


def _is_contiguous(items, shape):
    lengths = _lengths(items)
    if _prod(lengths) in (0, 1):
        return True
    subset = False
    for it, num, n in zip(reversed(items), reversed(lengths), reversed(shape)):
        step = 1 if it[0] == _INT else it[2]
        if num == 0:
            return True
        if num > 1 and step != 1:
            return False
        if subset:
            if num > 1:
                return False
        elif num < n:
            subset = True
    return True


def _result_shape(items, new_axes):
    shape = [it[3] for it in items if it[0] != _INT]
    for pos in new_axes:
        shape.insert(pos, 1)
    return tuple(shape) if shape else (1,)


def _record_copy(arr, fn, key, extra, result):
    if autograd._STATE.recording and (arr._node is not None or arr._var is not None):
        autograd.record_op(fn, key, [arr._value] + list(extra), [arr] + [None] * len(extra),
                           [result])
    return result


# ----------------------------------------------------------------------------- getitem

@functools.lru_cache(maxsize=4096)
def _basic_getter(spec, out_shape):
    """spec: per axis None (int, traced) or (start, stop, step) (static)."""
    def get(x, *ints):
        it = iter(ints)
        idx = tuple(next(it) if s is None else slice(*s) for s in spec)
        return x[idx].reshape(out_shape)
    return jax.jit(get)


@functools.lru_cache(maxsize=4096)
def _advanced_getter(spec):
    """spec: per key entry 'a' (index array, traced), 'i' (int, traced), None, Ellipsis or a
    static slice triple."""
    def get(x, *dyn):
        return x[_build_index(spec, dyn)]
    return jax.jit(get)


def _build_index(spec, dyn):
    it = iter(dyn)
    idx = []
    for s in spec:
        if s in ('a', 'i'):
            idx.append(next(it))
        elif s is None or s is Ellipsis:
            idx.append(s)
        else:
            idx.append(slice(*s))
    return tuple(idx)


def _index_array(k, ctx):
    """An index array as integers.  MXNet (legacy mode) has no boolean masks: a float 0/1
    array or a numpy bool array is read as integer positions; a bool NDArray is an error."""
    if isinstance(k, NDArray):
        v = k._value
        if v.dtype == jnp.bool_:
            raise ValueError('NDArray does not support boolean array indexing; use '
                             'nd.contrib.boolean_mask')
        if not jnp.issubdtype(v.dtype, jnp.integer):
            v = v.astype(jnp.int64)
        return _place(v, ctx)
    a = np.asarray(k)
    if not np.issubdtype(a.dtype, np.integer):
        a = a.astype(np.int64)
    return a


def _advanced_spec(arr, key):
    spec, dyn = [], []
    for k in key:
        if _is_advanced(k):
            spec.append('a')
            dyn.append(_index_array(k, arr._ctx))
        elif _is_int(k):
            spec.append('i')
            dyn.append(np.int64(k))
        elif isinstance(k, slice):
            spec.append((k.start, k.stop, k.step))
        elif k is None or k is Ellipsis:
            spec.append(k)
        else:
            raise IndexError('NDArray does not support indexing with key {!r}'.format(k))
    return tuple(spec), dyn


def _check_advanced_bounds(arr, spec, dyn):
    """Out-of-range integer array indices raise (jax would silently clamp)."""
    axis = 0
    it = iter(dyn)
    for s in spec:
        if s is None:
            continue
        if s is Ellipsis:
            axis += arr.ndim - sum(1 for t in spec if t is not None and t is not Ellipsis)
            continue
        if s in ('a', 'i'):
            v = next(it)
            if axis >= arr.ndim:
                raise IndexError('too many indices for array with {} dimensions'
                                 .format(arr.ndim))
            n = arr.shape[axis]
            vv = np.asarray(v)
            if vv.size and (vv.max() >= n or vv.min() < -n):
                bad = vv.max() if vv.max() >= n else vv.min()
                raise IndexError('index {} is out of bounds for axis {} with size {}'
                                 .format(bad, axis, n))
        axis += 1


def getitem(arr, key):
    shape = arr._shape
    if type(key) is int and shape and -shape[0] <= key < shape[0]:
        # fast path for the commonest case, x[i]: always a contiguous view
        rest = shape[1:]
        return arr._view((key % shape[0]) * _prod(rest), rest or (1,))
    if not isinstance(key, tuple):
        key = (key,)
    if any(_is_advanced(k) for k in key):
        spec, dyn = _advanced_spec(arr, key)
        _check_advanced_bounds(arr, spec, dyn)
        fn = _advanced_getter(spec)
        res = fn(arr._value, *dyn)
        if res.ndim == 0:
            res = res.reshape(1)
        out = _wrap(res, arr._ctx)
        return _record_copy(arr, fn, ('_getitem_adv', spec), dyn, out)
    if not arr._shape:
        raise IndexError('too many indices for a 0-d NDArray')
    items, new_axes = _expand_basic(key, arr._shape)
    out_shape = _result_shape(items, new_axes)
    if _is_contiguous(items, arr._shape):
        offset = 0
        if _prod(_lengths(items)):
            stride = 1
            for it, n in zip(reversed(items), reversed(arr._shape)):
                offset += it[1 if it[0] == _INT else 0] * stride
                stride *= n
        return arr._view(offset, out_shape)
    spec = tuple(None if it[0] == _INT else it[:3] for it in items)
    ints = [np.int64(it[1]) for it in items if it[0] == _INT]
    fn = _basic_getter(spec, out_shape)
    out = _wrap(fn(arr._value, *ints), arr._ctx)
    return _record_copy(arr, fn, ('_getitem', spec, out_shape), ints, out)


# ----------------------------------------------------------------------------- setitem

@functools.lru_cache(maxsize=4096)
def _block_setter(block_shape, index_shape):
    """All-unit-step basic key: a dynamic_update_slice at traced starts."""
    def put(x, value, *starts):
        v = jnp.broadcast_to(jnp.asarray(value).astype(x.dtype), index_shape)
        return lax.dynamic_update_slice(x, v.reshape(block_shape), starts)
    return jax.jit(put)


@functools.lru_cache(maxsize=4096)
def _scatter_setter(spec, index_shape, target_shape):
    """Any other key: a scatter (``x.at[idx].set``); ints and index arrays traced."""
    def put(x, value, *dyn):
        v = jnp.broadcast_to(jnp.asarray(value).astype(x.dtype), index_shape)
        return x.at[_build_index(spec, dyn)].set(v.reshape(target_shape))
    return jax.jit(put)


def _value_for(arr, value):
    """(jax value or python scalar, shape) for the right-hand side of an assignment."""
    if isinstance(value, NDArray):
        v = value._value
        if value._ctx != arr._ctx:
            v = _place(v, arr._ctx)
        return v, value.shape
    if isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, np.ndarray):
        return (value.item() if isinstance(value, np.generic) else value), ()
    if isinstance(value, (str, bytes)):
        raise TypeError('NDArray does not support assignment with a value of type {}'
                        .format(type(value).__name__))
    if value is None:
        value = np.nan
    a = np.asarray(value, dtype=np.dtype(arr.dtype))
    return a, a.shape


def _check_broadcast(vshape, target):
    try:
        ok = np.broadcast_shapes(tuple(vshape), tuple(target)) == tuple(target)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError('operands could not be broadcast together with remapped shapes '
                         '[original->remapped]: {} and requested shape {}'
                         .format(tuple(vshape), tuple(target)))


def setitem(arr, key, value):
    _check_inplace(arr)
    val, vshape = _value_for(arr, value)
    shape = arr._shape
    dt = arr._value.dtype
    if not isinstance(key, tuple):
        key = (key,)
    if any(_is_advanced(k) for k in key):
        spec, dyn = _advanced_spec(arr, key)
        _check_advanced_bounds(arr, spec, dyn)
        index_shape = jax.eval_shape(_advanced_getter(spec), jax.ShapeDtypeStruct(shape, dt),
                                     *dyn).shape
        _check_broadcast(vshape, index_shape)
        new = _scatter_setter(spec, index_shape, index_shape)(arr._value, val, *dyn)
        arr._set_value(new)
        return
    items, new_axes = _expand_basic(key, shape)
    index_shape = tuple(it[3] for it in items if it[0] != _INT)
    for pos in new_axes:
        index_shape = index_shape[:pos] + (1,) + index_shape[pos:]
    if not index_shape and vshape == (1,):
        vshape = ()
        val = val.reshape(())
    _check_broadcast(vshape, index_shape)
    if all(it[0] != _INT and it[3] == n for it, n in zip(items, shape)):
        # x[:] = v: the whole array
        if isinstance(val, np.ndarray) or not hasattr(val, 'shape') or val.shape != shape \
                or val.dtype != dt:
            val = _filler(shape, dt)(val)
        arr._set_value(val)
        return
    if _prod(_lengths(items)) == 0:
        return
    if all(it[0] == _INT or it[2] == 1 for it in items):
        block = tuple(_lengths(items))
        starts = [np.int64(it[1] if it[0] == _INT else it[0]) for it in items]
        new = _block_setter(block, index_shape)(arr._value, val, *starts)
    else:
        spec = tuple('i' if it[0] == _INT else it[:3] for it in items)
        ints = [np.int64(it[1]) for it in items if it[0] == _INT]
        target = tuple(it[3] for it in items if it[0] != _INT)
        new = _scatter_setter(spec, index_shape, target)(arr._value, val, *ints)
    arr._set_value(new)

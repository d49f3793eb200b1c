"""NDArray: a mutable array over immutable ``jax.Array`` storage.

Storage and views are designed once, here.  Every NDArray points at a
:class:`_Chunk` (the shared, replaceable jax value of the *root* array plus a
version counter) and, if it is a view, at a flat element offset into it.  MXNet
makes views exactly where the selected elements are contiguous in the root's
row-major layout (basic indexing that passes the contiguity rule, and
``NDArray.reshape``), so one offset and a shape describe every view:

* reading a view slices the root's flat value (a jitted ``dynamic_slice`` with the
  offset as a traced argument, cached per version so repeated reads are free);
* writing anywhere replaces the chunk's value (a jitted ``dynamic_update_slice``)
  and bumps its version, so the base and all its views see the write.

Indexing that is not a contiguous view copies, as MXNet does.
"""
import functools
import numbers

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError, dtype_type
from ..context import Context
from .. import autograd

__all__ = ['NDArray']


class _Chunk:
    """The shared storage of a root array and all its views.

    ``data`` is the jax value.  An output of a recorded compiled call that has not run yet
    (see :class:`autograd.Deferred`) holds a placeholder that knows its shape and dtype;
    reading ``data`` runs the deferred calls first, so every reader sees a value."""
    __slots__ = ('_data', 'version', '__weakref__')

    def __init__(self, data):
        self._data = data
        self.version = 0

    @property
    def data(self):
        d = self._data
        if type(d) is autograd.Pending:
            d.group.run()
            d = self._data
        return d

    @data.setter
    def data(self, value):
        self._data = value


# ----------------------------------------------------------------------------- jitted helpers

@functools.lru_cache(maxsize=None)
def _view_reader(size, shape):
    """root value, flat offset -> the view's value (offset traced: no recompile per offset)."""
    def read(data, offset):
        return lax.dynamic_slice_in_dim(data.reshape(-1), offset, size).reshape(shape)
    return jax.jit(read)


@functools.lru_cache(maxsize=None)
def _view_writer(size):
    def write(data, offset, value):
        flat = lax.dynamic_update_slice_in_dim(data.reshape(-1), value.reshape(-1), offset, 0)
        return flat.reshape(data.shape)
    return jax.jit(write)


@functools.lru_cache(maxsize=None)
def _caster(dtype):
    return jax.jit(lambda v: v.astype(dtype))


@functools.lru_cache(maxsize=None)
def _filler(shape, dtype):
    return jax.jit(lambda v: jnp.broadcast_to(jnp.asarray(v).astype(dtype), shape))


_DEFAULT_DEVICE = None


def _default_device():
    global _DEFAULT_DEVICE
    if _DEFAULT_DEVICE is None:
        _DEFAULT_DEVICE = jax.devices()[0]
    return _DEFAULT_DEVICE


def _run_on(ctx, fn, args):
    """Run an input-less primitive (creation, sampling) so its result lives on ``ctx``."""
    dev = ctx.jax_device
    if dev is _default_device():
        return fn(*args)
    with jax.default_device(dev):
        return jax.device_put(fn(*args), dev)


def _place(value, ctx):
    """A jax value on ``ctx``'s device (committed there when it is not JAX's default)."""
    dev = ctx.jax_device
    if dev is _default_device() and not getattr(value, 'committed', False):
        return value
    try:
        if value.devices() == {dev}:
            return value
    except AttributeError:
        pass
    return jax.device_put(value, dev)


def _wrap(value, ctx):
    """A new root NDArray over a jax value."""
    arr = NDArray.__new__(NDArray)
    arr._chunk = _Chunk(value)
    arr._voff = None
    arr._shape = value.shape
    arr._ctx = ctx
    arr._node = None
    arr._oi = 0
    arr._var = None
    arr._cache = None
    arr._cver = -1
    return arr


def _peek(arr):
    """``arr``'s value, or for a whole array whose value is deferred its
    ``autograd.Pending`` placeholder (the deferred work does not run)."""
    return arr._chunk._data if arr._voff is None else arr._value


def _gather_inputs(op, arrays, peek=False):
    """The jax values of an op's inputs and the context of the result (the first input's).

    CPU contexts mix freely (values move to the first input's device); different
    accelerators raise, as in MXNet.  ``peek``: a whole array whose value is deferred
    gives its ``autograd.Pending`` placeholder instead of running the deferred work."""
    first = arrays[0]
    ctx = first._ctx
    if peek:
        vals = [_peek(a) for a in arrays]
    else:
        vals = [a._value for a in arrays]
    for i in range(1, len(arrays)):
        c = arrays[i]._ctx
        if c is not ctx and c != ctx:
            if c.is_accelerator or ctx.is_accelerator:
                raise MXNetError('Operator {}: inputs are on different devices, {} and {}; copy '
                                 'one with as_in_context() first'.format(op.name, ctx, c))
            vals[i] = _place(arrays[i]._value, ctx)
    if op.same_dtype_inputs and len(vals) > 1:
        dt = vals[0].dtype
        for i in range(1, len(vals)):
            if vals[i].dtype != dt:
                raise MXNetError('Operator {}: incompatible input dtypes at input {}: expected '
                                 '{}, got {}'.format(op.name, i, np.dtype(dt).name,
                                                     np.dtype(vals[i].dtype).name))
    return vals, ctx


def _check_inplace(arr):
    """MXNet forbids writing into an array that is part of a recorded graph while recording."""
    if autograd._STATE.recording and (arr._node is not None or arr._var is not None):
        raise MXNetError(
            'Assigning to NDArrays that are already in a computational graph will cause '
            'undefined behavior when evaluating gradients. Please call backward first to clear '
            'the graph or do this out side of a record section. Also note that you cannot use '
            'inplace operations like +=, *=, relu(x, out=x), y[idx]=x, etc inside a record '
            'section.')


# ----------------------------------------------------------------------------- NDArray

class NDArray:
    """An n-dimensional array on a device, with MXNet 1.9.1's semantics.

    Mutable (``x[:] = v``, ``x += 1``, ``out=``), with views where MXNet has them, and
    recorded by :mod:`mxnet.autograd` inside ``autograd.record()``."""
    __slots__ = ('_chunk', '_voff', '_shape', '_ctx', '_node', '_oi', '_var', '_cache', '_cver',
                 '__weakref__')
    __array_priority__ = 1000.0

    # -- storage -------------------------------------------------------------------------
    @property
    def _value(self):
        """The current jax value of this array (a slice of the chunk for views)."""
        if self._voff is None:
            return self._chunk.data
        chunk = self._chunk
        if self._cver == chunk.version:
            return self._cache
        shape = self._shape
        size = _prod(shape)
        val = _view_reader(size, shape)(chunk.data, self._voff)
        self._cache, self._cver = val, chunk.version
        return val

    def _set_value(self, value):
        """Replace this array's contents (value: same shape and dtype, on this device)."""
        chunk = self._chunk
        if self._voff is None:
            chunk.data = value
        else:
            chunk.data = _view_writer(_prod(self._shape))(chunk.data, self._voff, value)
            self._cache, self._cver = value, chunk.version + 1
        chunk.version += 1

    def _assign_from(self, other):
        """``self[:] = other`` for an NDArray of the same shape (``out=``, ``copyto``)."""
        if other._shape != self._shape:
            raise MXNetError('Shape mismatch: cannot assign an array of shape {} to an array of '
                             'shape {}'.format(other._shape, self._shape))
        _check_inplace(self)
        val = other._value
        if val.dtype != self._value.dtype:
            val = _caster(self._value.dtype)(val)
        if other._ctx != self._ctx:
            val = _place(val, self._ctx)
        self._set_value(val)
        if autograd._STATE.recording and other._node is not None:
            self._node, self._oi = other._node, other._oi

    def _view(self, offset, shape):
        """A view sharing storage: ``offset`` is in elements, relative to this array."""
        arr = NDArray.__new__(NDArray)
        arr._chunk = self._chunk
        base = self._voff or 0
        arr._voff = base + offset
        arr._shape = shape
        arr._ctx = self._ctx
        arr._node = None
        arr._oi = 0
        arr._var = None
        arr._cache = None
        arr._cver = -1
        if (arr._voff == 0 and shape == self._chunk._data.shape):
            arr._voff = None
        if autograd._STATE.recording and (self._node is not None or self._var is not None):
            fn = _view_reader(_prod(shape), shape)
            autograd.record_op(fn, ('_view', _prod(shape), shape), [self._value, offset],
                               [self, None], [arr])
        return arr

    # -- attributes ----------------------------------------------------------------------
    @property
    def shape(self):
        return self._shape

    @property
    def size(self):
        return _prod(self._shape)

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def dtype(self):
        """The element type as a numpy type object (``numpy.float32``), as MXNet returns."""
        return self._chunk._data.dtype.type

    @property
    def context(self):
        return self._ctx

    ctx = context

    @property
    def stype(self):
        return 'default'

    @property
    def handle(self):
        return self._chunk

    @property
    def writable(self):
        return True

    @property
    def grad(self):
        """The gradient buffer attached by ``attach_grad`` (None if there is none)."""
        var = self._var
        return None if var is None else var.grad

    @property
    def T(self):
        if self.ndim < 2:
            return self                             # MXNet: x.T is x for 0-d and 1-d arrays
        return OP_FUNCS['transpose'](self)          # reverses all axes, also for N-d

    def __len__(self):
        if not self._shape:
            raise IndexError('len() of a 0-d NDArray')
        return self._shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __bool__(self):
        size = self.size
        if size == 1:
            return bool(self.asnumpy().reshape(-1)[0])
        if size == 0:
            return False
        raise ValueError('The truth value of an NDArray with multiple elements is ambiguous.')

    __nonzero__ = __bool__

    def __hash__(self):
        return id(self) // 16

    # -- conversion ----------------------------------------------------------------------
    def asnumpy(self):
        """A new (writable) numpy array with this array's contents."""
        return np.array(self._value)

    def asscalar(self):
        """The single element as a numpy scalar (``ValueError`` unless size is 1)."""
        if self.size != 1:
            raise ValueError('The current array is not a scalar')
        return self.asnumpy().reshape(-1)[0]

    def __array__(self, dtype=None, copy=None):
        a = np.asarray(self._value)
        return a if dtype is None else a.astype(dtype)

    def __jax_array__(self):
        """``jnp.asarray(x)`` gives the jax value (no host copy)."""
        return self._value

    def astype(self, dtype, copy=True):
        """A copy converted to ``dtype`` (``copy=False`` returns self when it already matches)."""
        t = dtype_type(dtype)
        if not copy and t == self.dtype:
            return self
        return OP_FUNCS['cast'](self, dtype=t)

    def copy(self):
        return OP_FUNCS['_copy'](self)

    def copyto(self, other):
        """Copy into an NDArray (in place) or onto a Context (a new array)."""
        if isinstance(other, NDArray):
            if other is self:
                return other
            if other._shape != self._shape:
                raise MXNetError('copyto: shape mismatch, {} vs {}'.format(self._shape,
                                                                          other._shape))
            other._assign_from(self)
            return other
        if isinstance(other, Context):
            return _wrap(_place(self._value, other), other)
        raise TypeError('copyto does not support type ' + str(type(other)))

    def as_in_context(self, context):
        """This array if it already lives on ``context``, else a copy there."""
        if self._ctx == context:
            return self
        return self.copyto(context)

    as_in_ctx = as_in_context

    def wait_to_read(self):
        self._value.block_until_ready()

    def wait_to_write(self):
        self._value.block_until_ready()

    def tostype(self, stype):
        if stype != 'default':
            raise MXNetError('Sparse storage ({}) is not supported by mxnet-compat yet'
                             .format(stype))
        return self

    # -- printing ------------------------------------------------------------------------
    def __repr__(self):
        shape_info = 'x'.join('%d' % n for n in self._shape)
        return '\n%s\n<%s %s @%s>' % (str(self.asnumpy()), self.__class__.__name__, shape_info,
                                     self._ctx)

    __str__ = __repr__

    # -- autograd ------------------------------------------------------------------------
    def attach_grad(self, grad_req='write', stype=None):
        """Allocate a zero gradient buffer and mark this array as a variable to differentiate."""
        if grad_req not in ('write', 'add', 'null'):
            raise MXNetError("grad_req must be one of 'write', 'add', 'null', got {!r}"
                             .format(grad_req))
        grad = _wrap(jnp.zeros_like(self._value), self._ctx)
        autograd.mark_variables([self], [grad], grad_req)

    def detach(self):
        """The same storage, cut from the recorded graph."""
        arr = NDArray.__new__(NDArray)
        for s in ('_chunk', '_voff', '_shape', '_ctx', '_cache', '_cver'):
            setattr(arr, s, getattr(self, s))
        arr._node, arr._oi, arr._var = None, 0, None
        return arr

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Gradients of this array (the sum of its elements unless ``out_grad`` is given)
        w.r.t. the marked variables, written into their ``.grad``."""
        autograd.backward([self], None if out_grad is None else [out_grad],
                          retain_graph=retain_graph, train_mode=train_mode)

    # -- reshape (a view) ----------------------------------------------------------------
    def reshape(self, *shape, **kwargs):
        """A view with a new shape; MXNet's special codes 0, -1, -2, -3, -4 and ``reverse``."""
        reverse = kwargs.pop('reverse', False)
        if 'shape' in kwargs:
            shape = kwargs.pop('shape')
        elif len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
            shape = shape[0]
        if kwargs:
            raise TypeError('Got unknown keywords in reshape: {}. Accepted keyword arguments '
                            'are "shape" and "reverse".'.format(', '.join(kwargs)))
        from .ops_shape import infer_reshape
        try:
            new_shape = infer_reshape(self._shape, tuple(shape), reverse, floor_infer=True)
        except ValueError as e:
            raise MXNetError(str(e)) from None
        # As MXNet 1.9.1: a larger target fails in the backend (MXNetError), a smaller one
        # in the frontend's size check (ValueError).
        if _prod(new_shape) > self.size:
            raise MXNetError('Reshape: target shape {} has {} elements but the array of shape '
                             '{} has {}'.format(new_shape, _prod(new_shape), self._shape,
                                                self.size))
        if _prod(new_shape) < self.size:
            raise ValueError('Cannot reshape array of size {} into shape {}'.format(
                self.size, tuple(shape)))
        return self._view(0, new_shape)

    # -- indexing ------------------------------------------------------------------------
    def __getitem__(self, key):
        from . import indexing
        return indexing.getitem(self, key)

    def __setitem__(self, key, value):
        from . import indexing
        indexing.setitem(self, key, value)

    # -- arithmetic ----------------------------------------------------------------------
    def __neg__(self):
        return OP_FUNCS['negative'](self)

    def __abs__(self):
        return OP_FUNCS['abs'](self)

    def _inplace(self, result):
        _check_inplace(self)
        self._assign_from(result)
        return self


def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


# Functions generated from the registry, filled by ndarray/__init__.py (used by methods here).
OP_FUNCS = {}


def _binary(array_op, scalar_op, rscalar_op=None, reflected=False):
    """An arithmetic/comparison dunder: broadcast op with an NDArray, scalar op with a number."""
    def method(self, other):
        if isinstance(other, NDArray):
            a, b = (other, self) if reflected else (self, other)
            return OP_FUNCS[array_op](a, b)
        if isinstance(other, numbers.Number) or isinstance(other, np.generic):
            return OP_FUNCS[rscalar_op if reflected else scalar_op](self, scalar=other)
        # MXNet raises for anything else - numpy arrays, lists, None - on either side
        raise TypeError('type {} not supported'.format(type(other)))
    return method


def _iop(name):
    fwd = getattr(NDArray, name)

    def method(self, other):
        res = fwd(self, other)
        if res is NotImplemented:
            return res
        return self._inplace(res)
    return method


for _name, _aop, _sop, _rop in [
        ('add', 'broadcast_add', '_plus_scalar', '_plus_scalar'),
        ('sub', 'broadcast_sub', '_minus_scalar', '_rminus_scalar'),
        ('mul', 'broadcast_mul', '_mul_scalar', '_mul_scalar'),
        ('truediv', 'broadcast_div', '_div_scalar', '_rdiv_scalar'),
        ('mod', 'broadcast_mod', '_mod_scalar', '_rmod_scalar'),
        ('pow', 'broadcast_power', '_power_scalar', '_rpower_scalar')]:
    setattr(NDArray, '__%s__' % _name, _binary(_aop, _sop, _rop))
    setattr(NDArray, '__r%s__' % _name, _binary(_aop, _sop, _rop, reflected=True))
    setattr(NDArray, '__i%s__' % _name, _iop('__%s__' % _name))
NDArray.__div__, NDArray.__rdiv__, NDArray.__idiv__ = (NDArray.__truediv__, NDArray.__rtruediv__,
                                                       NDArray.__itruediv__)
for _name, _aop, _sop in [('eq', 'broadcast_equal', '_equal_scalar'),
                          ('ne', 'broadcast_not_equal', '_not_equal_scalar'),
                          ('lt', 'broadcast_lesser', '_lesser_scalar'),
                          ('le', 'broadcast_lesser_equal', '_lesser_equal_scalar'),
                          ('gt', 'broadcast_greater', '_greater_scalar'),
                          ('ge', 'broadcast_greater_equal', '_greater_equal_scalar')]:
    setattr(NDArray, '__%s__' % _name, _binary(_aop, _sop))
del _name, _aop, _sop, _rop

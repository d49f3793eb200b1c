"""``mxnet.ndarray`` (``mx.nd``): NDArray and every operator function.

The operator functions and the fluent NDArray methods are generated here from the
records in the ``ops_*`` modules (see ``registry.py``); nothing is hand-wrapped."""
import numpy as _np

from . import registry as _registry
from . import (ops_elemwise, ops_reduce, ops_shape, ops_init, ops_random, ops_linalg,  # noqa
               ops_nn, ops_indexing, ops_optimizer, ops_misc, ops_nn2)
from .ndarray import NDArray, OP_FUNCS as _OP_FUNCS
from .ndarray import _wrap, _gather_inputs, _run_on
from .. import autograd as _autograd
_registry.bind_runtime(NDArray, _wrap, _gather_inputs, _run_on, _autograd)
from .creation import (array, empty, zeros, ones, full, arange, eye, linspace, waitall,  # noqa
                       from_numpy)
from . import random
from . import linalg  # noqa: F401
from .serialization import save, load, load_frombuffer  # noqa: F401
from .functions import (split_v2, histogram, reset_arrays, onehot_encode,  # noqa: F401
                        to_dlpack_for_read, to_dlpack_for_write, from_dlpack)
from . import indexing as _indexing  # noqa: F401

for _name, _op in sorted(_registry.OPS.items()):
    _fn = _registry.make_function(_op, _name)
    _OP_FUNCS[_name] = _fn
    globals()[_name] = _fn
_registry.install_methods(NDArray)

# Multi-weight optimizer updates are Python loops over the single-weight records.
globals().update(ops_optimizer.MULTI_FUNCTIONS)
_OP_FUNCS.update(ops_optimizer.MULTI_FUNCTIONS)

# BatchNorm is its record plus MXNet's side effects (fix_gamma writes ones into gamma; the
# running statistics move in the backward pass): a thin wrapper in ops_nn.
from .ops_nn import BatchNorm as _BatchNorm  # noqa: E402
globals()['BatchNorm'] = _OP_FUNCS['BatchNorm'] = _BatchNorm

# MXNet's legacy "_v1" operators take a subset of the current ones' parameters.
Convolution_v1, Pooling_v1, BatchNorm_v1 = Convolution, Pooling, BatchNorm  # noqa: F821


def _scalar_dispatch(name, array_op, scalar_op, rscalar_op=None, py=None):
    """MXNet's Python-level binary functions: NDArray or number on either side."""
    def fn(lhs, rhs):
        l_nd, r_nd = isinstance(lhs, NDArray), isinstance(rhs, NDArray)
        if l_nd and r_nd:
            return _OP_FUNCS[array_op](lhs, rhs)
        if l_nd:
            return _OP_FUNCS[scalar_op](lhs, scalar=rhs)
        if r_nd:
            return _OP_FUNCS[rscalar_op or scalar_op](rhs, scalar=lhs)
        return py(lhs, rhs)
    fn.__name__ = name
    fn.__doc__ = ('``{}`` of two NDArrays (broadcasting) or of an NDArray and a number.'
                  .format(name))
    return fn


import operator as _operator  # noqa: E402

for _name, _aop, _sop, _rop, _py in [
        ('add', 'broadcast_add', '_plus_scalar', None, _operator.add),
        ('subtract', 'broadcast_sub', '_minus_scalar', '_rminus_scalar', _operator.sub),
        ('multiply', 'broadcast_mul', '_mul_scalar', None, _operator.mul),
        ('divide', 'broadcast_div', '_div_scalar', '_rdiv_scalar', _operator.truediv),
        ('true_divide', 'broadcast_div', '_div_scalar', '_rdiv_scalar', _operator.truediv),
        ('modulo', 'broadcast_mod', '_mod_scalar', '_rmod_scalar', _operator.mod),
        ('power', 'broadcast_power', '_power_scalar', '_rpower_scalar', _operator.pow),
        ('maximum', 'broadcast_maximum', '_maximum_scalar', None, max),
        ('minimum', 'broadcast_minimum', '_minimum_scalar', None, min),
        ('equal', 'broadcast_equal', '_equal_scalar', None, _operator.eq),
        ('not_equal', 'broadcast_not_equal', '_not_equal_scalar', None, _operator.ne),
        ('greater', 'broadcast_greater', '_greater_scalar', '_lesser_scalar', _operator.gt),
        ('greater_equal', 'broadcast_greater_equal', '_greater_equal_scalar',
         '_lesser_equal_scalar', _operator.ge),
        ('lesser', 'broadcast_lesser', '_lesser_scalar', '_greater_scalar', _operator.lt),
        ('lesser_equal', 'broadcast_lesser_equal', '_lesser_equal_scalar',
         '_greater_equal_scalar', _operator.le),
        ('logical_and', 'broadcast_logical_and', '_logical_and_scalar', None,
         lambda a, b: float(bool(a) and bool(b))),
        ('logical_or', 'broadcast_logical_or', '_logical_or_scalar', None,
         lambda a, b: float(bool(a) or bool(b))),
        ('logical_xor', 'broadcast_logical_xor', '_logical_xor_scalar', None,
         lambda a, b: float(bool(a) != bool(b)))]:
    globals()[_name] = _OP_FUNCS[_name] = _scalar_dispatch(_name, _aop, _sop, _rop, _py)


def concatenate(arrays, axis=0, always_copy=True):
    """Join a list of arrays along ``axis`` (MXNet's Python helper; ``concat`` is the op)."""
    return _OP_FUNCS['concat'](*arrays, dim=axis)


def moveaxis(tensor, source, destination):
    """Move axes ``source`` (an int or a list) to positions ``destination``, as numpy does."""
    def axes(a):
        return [int(v) % tensor.ndim for v in (a if isinstance(a, (list, tuple)) else [a])]
    src, dst = axes(source), axes(destination)
    if len(src) != len(dst):
        raise ValueError('moveaxis: source and destination need the same number of axes')
    order = [n for n in range(tensor.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _OP_FUNCS['transpose'](tensor, axes=tuple(order))


del _name, _op, _fn, _aop, _sop, _rop, _py

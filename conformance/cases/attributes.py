"""NDArray attributes and conversions."""
import numpy as np

from harness import raises

AREA = 'attributes'


def case_shape_size_ndim(mx):
    x = mx.nd.zeros((2, 3, 4))
    return {'shape': x.shape, 'size': x.size, 'ndim': x.ndim,
            'shape_type': type(x.shape).__name__, 'size_type': type(x.size).__name__,
            'v_shape': mx.nd.ones(5).shape}


def case_dtype_is_numpy_type(mx):
    # x.dtype is the numpy scalar *type* (numpy.float32), not a numpy.dtype
    nd = mx.nd
    x = nd.ones(2)
    i = nd.ones(2, dtype='int32')
    return {'str': str(x.dtype), 'is_float32': x.dtype is np.float32,
            'is_dtype_instance': isinstance(x.dtype, np.dtype),
            'name': x.dtype.__name__, 'eq_np_dtype': x.dtype == np.dtype('float32'),
            'int_str': str(i.dtype), 'int_is_int32': i.dtype is np.int32,
            'f64': nd.ones(1, dtype='float64').dtype is np.float64,
            'f16': nd.ones(1, dtype=np.float16).dtype is np.float16,
            'u8': nd.ones(1, dtype='uint8').dtype is np.uint8}


def case_context_and_ctx(mx):
    x = mx.nd.ones(2, ctx=mx.cpu(1))
    return {'context': str(x.context), 'ctx': str(x.ctx),
            'type': type(x.context).__name__, 'eq': x.context == mx.cpu(1),
            'default': str(mx.nd.ones(1).context)}


def case_stype(mx):
    x = mx.nd.ones((2, 2))
    return [x.stype, x.tostype('csr').stype, x.tostype('row_sparse').stype,
            x.tostype('csr').tostype('default').stype]


def case_transpose_T(mx):
    nd = mx.nd
    x = nd.arange(6).reshape((2, 3))
    return {'2d': x.T, '1d': nd.array([1, 2, 3]).T,
            '3d_shape': nd.zeros((2, 3, 4)).T.shape}


def case_len_and_iteration(mx):
    # iterating a 1-D array yields shape-(1,) NDArrays, not scalars
    nd = mx.nd
    x = nd.arange(6).reshape((3, 2))
    v = nd.array([5, 6])
    return {'len2d': len(x), 'rows': [r for r in x], 'len1d': len(v),
            'items1d': [e for e in v], 'item_types': [type(e).__name__ for e in v]}


def case_len_0d_error(mx):
    return raises(lambda: len(mx.nd.array(3.0)))


def case_asnumpy(mx):
    x = mx.nd.array([[1, 2], [3, 4]], dtype='int32')
    a = x.asnumpy()
    a[0, 0] = 99  # asnumpy returns a copy
    return {'np': a, 'type': type(a).__name__, 'x': x,
            'f32': mx.nd.array([0.5]).asnumpy()}


def case_asscalar(mx):
    nd = mx.nd
    return {'f': nd.array([3.5]).asscalar(), 'i': nd.array([3], dtype='int32').asscalar(),
            'f64': nd.array([0.25], dtype='float64').asscalar(),
            'type': type(nd.array([1]).asscalar()).__name__,
            'not_scalar': raises(lambda: nd.array([1, 2]).asscalar())}


def case_astype(mx):
    nd = mx.nd
    x = nd.array([[-1.7, 0.5], [2.5, 3.9]])
    return {'int32': x.astype('int32'), 'f16': x.astype(np.float16),
            'f64': x.astype('float64'), 'u8': nd.array([3.7, 255]).astype('uint8'),
            'bool': x.astype('bool'), 'back': x.astype('int32').astype('float32'),
            'is_copy': x.astype('float32') is x,
            'no_copy_same': x.astype('float32', copy=False) is x,
            'no_copy_other': x.astype('int32', copy=False) is x}


def case_copy(mx):
    x = mx.nd.array([1, 2, 3])
    y = x.copy()
    x[0] = 10
    return {'x': x, 'y': y, 'same': y is x}


def case_copyto_array(mx):
    nd = mx.nd
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    y = nd.zeros((2, 3))
    r = x.copyto(y)
    z = nd.zeros((2, 3), dtype='int32')
    x.copyto(z)  # copyto casts to the target's dtype
    return {'y': y, 'returns_target': r is y, 'z': z}


def case_copyto_context(mx):
    x = mx.nd.array([1, 2])
    y = x.copyto(mx.cpu(1))
    x[0] = 7
    return {'y': y, 'x': x}


def case_copyto_shape_mismatch(mx):
    nd = mx.nd
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    y = nd.zeros((3, 2))
    err = raises(lambda: x.copyto(y))
    return {'error': err, 'y': y, 'x': x}


def case_as_in_context(mx):
    x = mx.nd.array([1, 2])
    same = x.as_in_context(mx.cpu(0))
    other = x.as_in_context(mx.cpu(1))
    x[1] = 5
    return {'same_is_x': same is x, 'other': other, 'other_is_x': other is x}


def case_bool_rules(mx):
    nd = mx.nd
    return {'one': bool(nd.array([1])), 'zero': bool(nd.array([0])),
            'neg': bool(nd.array([-0.5])), 'empty': bool(nd.array([])),
            'zero_d': bool(nd.array(0.0)),
            'many': raises(lambda: bool(nd.array([1, 2]))),
            'if_stmt': 'yes' if nd.array([2]) else 'no'}


def case_float_int_conversion(mx):
    # NDArray 1.9.1 has no __float__/__int__: float(x), int(x) raise TypeError
    nd = mx.nd
    return {'float': raises(lambda: float(nd.array([2.5]))),
            'int': raises(lambda: int(nd.array([2]))),
            'float_0d': raises(lambda: float(nd.array(2.5))),
            'via_asscalar': float(nd.array([2.5]).asscalar()),
            'int_via_asscalar': int(nd.array([2.7]).asscalar())}


def case_grad_before_attach(mx):
    x = mx.nd.ones(2)
    before = x.grad
    x.attach_grad()
    return {'before': before, 'after': x.grad}


def case_reshape_forms(mx):
    x = mx.nd.arange(6)
    return [x.reshape((2, 3)).shape, x.reshape(3, 2).shape,
            x.reshape(shape=(1, 6)).shape, x.reshape((-1, 2)).shape]


def case_misc_shape_methods(mx):
    x = mx.nd.arange(6).reshape((2, 3))
    return {'flatten': x.flatten(), 'expand': x.expand_dims(axis=1).shape,
            'flatten3d': mx.nd.zeros((2, 3, 4)).flatten().shape,
            'squeeze': mx.nd.zeros((1, 3, 1)).squeeze().shape,
            'size_of_0d': mx.nd.array(2.0).size}


def case_unsupported_python_protocols(mx):
    # no unary +, no //, no .tolist()/.item(), no __index__
    nd = mx.nd
    x = nd.array([1.0, 2.0])
    return {'pos': raises(lambda: +x), 'floordiv': raises(lambda: x // 2),
            'tolist': raises(lambda: x.tolist()), 'item': raises(lambda: x.item()),
            'index': raises(lambda: [10, 20, 30][nd.array([1], dtype='int32')])}


def case_equality_with_none_and_hash(mx):
    x = mx.nd.array([1.0])
    return {'eq_none': raises(lambda: x == None),  # noqa: E711
            'hashable': isinstance(hash(x), int), 'in_list': x in [x]}


def case_wait_and_writable(mx):
    x = mx.nd.ones(2)
    return {'wait': x.wait_to_read(), 'writable': x.writable,
            'waitall': mx.nd.waitall()}

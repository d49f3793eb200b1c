"""Array creation: nd.array and the filled/ranged constructors."""
import numpy as np

from harness import raises

AREA = 'creation'


def _desc(x):
    return {'dtype': str(np.dtype(x.dtype)), 'shape': x.shape,
            'ctx': str(x.context), 'values': x.asnumpy()}


def case_array_from_int_list(mx):
    # a list of Python ints still gives float32
    return mx.nd.array([1, 2, 3])


def case_array_from_nested_list(mx):
    return mx.nd.array([[1.5, -2.0], [3.25, 4.0], [0.0, 1e-3]])


def case_array_from_tuple_and_range(mx):
    nd = mx.nd
    return [nd.array((1, 2, 3)), nd.array(range(4))]


def case_array_from_bool_list(mx):
    return mx.nd.array([True, False, True])


def case_array_from_numpy_float64(mx):
    # numpy float64 input gives float32: dtype defaults to float32 even for numpy input
    return mx.nd.array(np.array([0.1, 2.5, -3.75]))


def case_array_from_numpy_int_types(mx):
    # numpy int64/int32/uint8 input gives float32 as well
    nd = mx.nd
    return [nd.array(np.array([1, 2], dtype=np.int64)),
            nd.array(np.array([1, 2], dtype=np.int32)),
            nd.array(np.array([[7, 255]], dtype=np.uint8))]


def case_array_from_numpy_float16(mx):
    return mx.nd.array(np.array([0.5, 1.5], dtype=np.float16))


def case_array_explicit_dtype(mx):
    nd = mx.nd
    return [nd.array([1, 2], dtype='int32'), nd.array([1, 2], dtype=np.int64),
            nd.array([1.5, 2], dtype='float64'), nd.array([1, 2], dtype='float16'),
            nd.array(np.array([1.0, 2.0]), dtype='float64'),
            nd.array([0, 200], dtype='uint8'), nd.array([-3, 4], dtype='int8')]


def case_array_float_to_int_truncates(mx):
    nd = mx.nd
    return [nd.array([1, 2.5, -2.5], dtype='int32'),
            nd.array(np.array([1.7, -1.7]), dtype='int32')]


def case_array_from_ndarray_keeps_dtype(mx):
    nd = mx.nd
    src = nd.array([1, 2], dtype='int32')
    a = nd.array(src)
    b = nd.array(src, dtype='float16')
    return {'a': a, 'b': b, 'src': src}


def case_array_from_ndarray_is_copy(mx):
    nd = mx.nd
    src = nd.array([1, 2, 3])
    dst = nd.array(src)
    src[0] = 100
    return {'src': src, 'dst': dst}


def case_array_from_numpy_is_copy(mx):
    src = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    dst = mx.nd.array(src)
    src[0] = 100
    return dst


def case_array_scalar_gives_0d(mx):
    # nd.array(scalar) gives a 0-d array (shape ()), even outside numpy-shape mode
    nd = mx.nd
    a = nd.array(5)
    b = nd.array(2.5)
    c = nd.array(np.float64(3.5))
    return {'a': a, 'b': b, 'c': c, 'a_shape': a.shape, 'a_size': a.size,
            'a_ndim': a.ndim, 'c_scalar': c.asscalar()}


def case_array_empty_inputs(mx):
    nd = mx.nd
    a = nd.array([])
    b = nd.array(np.zeros((0, 3)))
    return {'a': _desc(a), 'b': _desc(b)}


def case_array_bad_inputs(mx):
    nd = mx.nd
    return {'ragged': raises(lambda: nd.array([[1, 2], [3]])),
            'string': raises(lambda: nd.array('abc')),
            'bad_dtype': raises(lambda: nd.array([1, 2], dtype='foo'))}


def case_array_ctx(mx):
    nd = mx.nd
    return [nd.array([1, 2], ctx=mx.cpu(1)), nd.array([[3]], ctx=mx.cpu(0))]


def case_zeros_ones_basic(mx):
    nd = mx.nd
    return [nd.zeros((2, 3)), nd.ones((3, 2)), nd.zeros(4), nd.ones(2),
            nd.zeros((1, 1, 2))]


def case_zeros_ones_dtype_ctx(mx):
    nd = mx.nd
    return [nd.zeros((2,), dtype='int32'), nd.ones((2, 2), dtype=np.int8),
            nd.zeros(3, dtype='float16'), nd.ones((1,), dtype='float64'),
            nd.ones(shape=(2,), ctx=mx.cpu(), dtype='uint8'),
            nd.zeros((2, 1), ctx=mx.cpu(1)), nd.ones(3, dtype='int64')]


def case_zeros_zero_dim_rejected(mx):
    # in legacy (non-numpy) shape mode a 0 in a shape means "unknown": error
    return raises(lambda: mx.nd.zeros((2, 0)))


def case_full(mx):
    nd = mx.nd
    return [nd.full((2, 2), 7), nd.full((3,), -1.5), nd.full(2, 3, dtype='int64'),
            nd.full((2,), 2.7, dtype='int32'), nd.full(3, np.nan),
            nd.full((1, 2), 1, ctx=mx.cpu(1))]


def case_empty_shape_dtype_ctx(mx):
    # contents of empty() are undefined: check only shape/dtype/ctx
    nd = mx.nd
    outs = [nd.empty((2, 3)), nd.empty(4, dtype='int32'),
            nd.empty((1, 2), ctx=mx.cpu(2), dtype='float16')]
    return [{'shape': e.shape, 'dtype': str(e.dtype), 'ctx': str(e.context)}
            for e in outs]


def case_arange_basic(mx):
    nd = mx.nd
    return [nd.arange(5), nd.arange(2, 7), nd.arange(1, 2, 0.25),
            nd.arange(10, 0, -3), nd.arange(2.5)]


def case_arange_dtype_repeat(mx):
    nd = mx.nd
    return [nd.arange(3, dtype='int32'), nd.arange(4, dtype='int64'),
            nd.arange(0, 6, 2, repeat=2), nd.arange(3, dtype='float64'),
            nd.arange(3, ctx=mx.cpu(1))]


def case_arange_float_step_length(mx):
    # length of a float range: ceil((stop - start) / step)
    nd = mx.nd
    return [nd.arange(0, 1, 0.1).shape, nd.arange(0, 1, 0.3), nd.arange(0.5, 3).shape]


def case_eye(mx):
    nd = mx.nd
    return [nd.eye(3), nd.eye(3, 4, k=1), nd.eye(3, k=-1), nd.eye(2, dtype='int32'),
            nd.eye(2, 3, ctx=mx.cpu(1))]


def case_linspace(mx):
    nd = mx.nd
    return [nd.linspace(0, 1, 5), nd.linspace(0, 1, 4, endpoint=False),
            nd.linspace(2, 3, 5, dtype='float64'), nd.linspace(-1, 1, 3)]


def case_zeros_like_ones_like(mx):
    nd = mx.nd
    i = nd.array([[1, 2], [3, 4]], dtype='int32')
    f = nd.array([1.5, 2.5], ctx=mx.cpu(1))
    return [nd.zeros_like(i), nd.ones_like(i), nd.zeros_like(f), nd.ones_like(f)]


def case_create_default_ctx_scope(mx):
    # constructors pick up the default context of a `with ctx:` block
    nd = mx.nd
    with mx.cpu(1):
        outs = [nd.zeros(2), nd.ones(1), nd.array([1]), nd.arange(2), nd.full(1, 2)]
    after = nd.zeros(1)
    return [str(x.context) for x in outs] + [str(after.context)]

"""__setitem__: every index kind, value kind, broadcasting and errors."""
import numpy as np

from harness import raises

AREA = 'setitem'


def _base(mx, shape=(3, 4), dtype='float32'):
    return mx.nd.arange(int(np.prod(shape))).reshape(shape).astype(dtype)


def _set(mx, key, value, shape=(3, 4), dtype='float32'):
    """Assign into a fresh array; return the array, or the error and the
    array afterwards."""
    x = _base(mx, shape, dtype)

    def assign():
        x[key] = value
    err = raises(assign)
    if err is None:
        return x
    return {'error': err, 'after': x}


def case_full_slice_scalar(mx):
    return [_set(mx, slice(None), 5), _set(mx, slice(None), -2.5),
            _set(mx, slice(None), np.float64(3.3)), _set(mx, slice(None), True)]


def case_full_slice_ndarray(mx):
    return [_set(mx, slice(None), mx.nd.ones((3, 4))),
            _set(mx, slice(None), mx.nd.array(5.0))]


def case_full_slice_numpy(mx):
    return [_set(mx, slice(None), np.ones((3, 4)) * 2),
            _set(mx, slice(None), np.arange(4, dtype=np.int64))]


def case_full_slice_list(mx):
    return [_set(mx, slice(None), [1, 2, 3, 4]),
            _set(mx, slice(None), [[1], [2], [3]])]


def case_broadcast_values(mx):
    nd = mx.nd
    return {'row': _set(mx, slice(None), nd.array([1, 2, 3, 4])),
            'col': _set(mx, slice(None), nd.array([[1], [2], [3]])),
            'size1': _set(mx, slice(None), nd.ones((1,))),
            'slice_rows': _set(mx, slice(1, 3), nd.ones((1, 4)) * 9),
            'two_rows': _set(mx, slice(0, 2), nd.array([1, 2, 3, 4]))}


def case_int_index(mx):
    return [_set(mx, 1, 7.5), _set(mx, 1, mx.nd.array([9, 8, 7, 6])),
            _set(mx, -1, 1), _set(mx, 0, 3, shape=(5,))]


def case_tuple_index(mx):
    return [_set(mx, (1, 2), 0), _set(mx, (slice(None), 1), -1),
            _set(mx, (slice(None), 1), mx.nd.array([10, 20, 30])),
            _set(mx, (1, slice(1, 3)), mx.nd.array([-5, -6])),
            _set(mx, (Ellipsis, 0), 3), _set(mx, Ellipsis, 3)]


def case_step_slice(mx):
    return [_set(mx, slice(None, None, 2), 0),
            _set(mx, (slice(None), slice(None, None, -2)), mx.nd.array([1, 2])),
            _set(mx, slice(1, None), [7, 8, 9, 10], shape=(5,))]


def case_array_index(mx):
    nd = mx.nd
    return {'ndarray_rows': _set(mx, nd.array([0, 2]), 0),
            'list_rows': _set(mx, [0, 2], nd.array([1, 1, 1, 1])),
            'int_ndarray': _set(mx, nd.array([1], dtype='int32'), nd.ones((4,))),
            'pairs_list': _set(mx, ([0, 2], [1, 3]), nd.array([50, 60])),
            'pairs_ndarray': _set(mx, (nd.array([0, 2]), nd.array([1, 3])), 77),
            'numpy_rows': _set(mx, np.array([2, 1]), nd.array([[1, 1, 1, 1], [2, 2, 2, 2]]))}


def case_value_dtype_conversion(mx):
    # values are cast to the target dtype; float -> int truncates
    nd = mx.nd
    return {'int_scalar': _set(mx, slice(None), 2.7, dtype='int32'),
            'int_numpy': _set(mx, slice(None), np.array([1.9] * 4), dtype='int32'),
            'int_nd_into_float': _set(mx, slice(None), nd.array([1, 2, 3, 4], dtype='int32')),
            'into_uint8': _set(mx, 0, nd.array([250, 1, 2, 3]), dtype='uint8'),
            'f64_into_f16': _set(mx, 0, nd.array([0.1, 1, 2, 3], dtype='float64'), dtype='float16')}


def case_assign_from_own_slice(mx):
    nd = mx.nd
    x = nd.arange(4)
    x[:3] = x[1:]
    y = nd.zeros((2, 2))
    y[:] = y + 1
    return {'shift_left': x, 'self_expr': y}


def case_setitem_into_view_updates_base(mx):
    x = _base(mx)
    row = x[1]
    row[:] = 0
    row[2] = 5
    sub = x[0:1]
    sub[0, 3] = -9
    return x


def case_setitem_into_copy_leaves_base(mx):
    x = _base(mx)
    col = x[:, 1]
    col[:] = 0
    return {'x': x, 'col': col}


def case_bad_value_shapes(mx):
    # shape errors are ValueError (not MXNetError); the array is unchanged
    nd = mx.nd
    return {'rows': _set(mx, slice(None), nd.ones((2, 4))),
            'transposed': _set(mx, slice(None), nd.ones((4, 3))),
            'row_len': _set(mx, 1, nd.ones((3,))),
            'col_2d_value': _set(mx, (slice(None), 1), nd.array([[10], [20], [30]])),
            'numpy': _set(mx, slice(None), np.ones((2, 2)))}


def case_bad_index(mx):
    return {'row_oob': _set(mx, 5, 1), 'col_oob': _set(mx, (0, 4), 1),
            'neg_oob': _set(mx, -4, 1)}


def case_bad_value_type(mx):
    # a string raises TypeError, but None is accepted and fills with NaN
    return {'string': _set(mx, slice(None), 'a'), 'none': _set(mx, slice(None), None)}

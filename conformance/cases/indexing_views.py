"""__getitem__: result values/shapes and whether the result shares memory
with the indexed array (a view) or is a copy.

MXNet 1.9.1 returns a view exactly when basic indexing selects a contiguous
block of memory (x[1], x[1:3], x[1, 2:4], x.reshape(...)); other basic
indexing (x[:, 1], steps, reversed slices) and all advanced indexing copy.
"""
import numpy as np

from harness import raises

AREA = 'indexing_views'


def _base(mx, shape=(3, 4)):
    return mx.nd.arange(int(np.prod(shape))).reshape(shape)


def _view_check(mx, getter, shape=(3, 4)):
    """Index a fresh array, then (1) write into the result and read the base,
    (2) write into another base and read a result taken before the write."""
    base = _base(mx, shape)
    res = getter(base)
    got = res.copy()
    res[:] = -1
    base2 = _base(mx, shape)
    res2 = getter(base2)
    base2[:] = 100
    return {'result': got, 'base_after_result_write': base,
            'result_after_base_write': res2}


def case_int_1d(mx):
    # x[i] on a 1-D array gives a shape-(1,) array (not a scalar); a view
    return _view_check(mx, lambda b: b[2], (5,))


def case_negative_int_1d(mx):
    return _view_check(mx, lambda b: b[-1], (5,))


def case_int_row(mx):
    return _view_check(mx, lambda b: b[1])


def case_negative_row(mx):
    return _view_check(mx, lambda b: b[-1])


def case_row_slice(mx):
    return _view_check(mx, lambda b: b[1:3])


def case_int_int(mx):
    # x[i, j] gives shape (1,), a view
    return _view_check(mx, lambda b: b[1, 2])


def case_column(mx):
    # x[:, 1] copies: writes do not propagate either way
    return _view_check(mx, lambda b: b[:, 1])


def case_column_slice(mx):
    return _view_check(mx, lambda b: b[:, 1:3])


def case_int_then_slice(mx):
    # contiguous part of one row: a view
    return _view_check(mx, lambda b: b[1, 1:3])


def case_one_row_partial_columns(mx):
    # b[1:2, 1:3] is contiguous, so a view; b[0:2, 1:3] is not, so a copy
    return {'contiguous': _view_check(mx, lambda b: b[1:2, 1:3]),
            'strided': _view_check(mx, lambda b: b[0:2, 1:3])}


def case_step_slice(mx):
    return _view_check(mx, lambda b: b[::2])


def case_reversed_slice(mx):
    return _view_check(mx, lambda b: b[::-1])


def case_step_slices_1d(mx):
    nd = mx.nd
    x = nd.arange(10)
    # unlike numpy, an empty forward slice with start > stop raises MXNetError
    return [x[1:8:3], x[::-2], x[8:2:-2], x[-3:], x[:-7], x[12:20],
            raises(lambda: x[5:2])]


def case_ellipsis_and_full_slice(mx):
    return {'ellipsis': _view_check(mx, lambda b: b[...]),
            'full': _view_check(mx, lambda b: b[:]),
            'ellipsis_col': _view_check(mx, lambda b: b[..., 1])}


def case_newaxis(mx):
    x = _base(mx)
    return {'none_front': _view_check(mx, lambda b: b[None]),
            'none_mid_shape': x[:, None].shape, 'none_end_shape': x[..., None].shape}


def case_3d_indexing(mx):
    s = (2, 3, 4)
    return {'i': _view_check(mx, lambda b: b[1], s),
            'i_j': _view_check(mx, lambda b: b[1, 2], s),
            'colon_j': _view_check(mx, lambda b: b[:, 1], s),
            'i_colon_k': _view_check(mx, lambda b: b[1, :, 2], s),
            'unit_slices': _view_check(mx, lambda b: b[0:1, 1:2], s)}


def case_ndarray_index(mx):
    # advanced indexing with an NDArray of (float) indices gathers rows: a copy
    return _view_check(mx, lambda b: b[mx.nd.array([0, 2])])


def case_list_index(mx):
    return _view_check(mx, lambda b: b[[0, 2]])


def case_int_ndarray_and_numpy_index(mx):
    nd = mx.nd
    x = _base(mx)
    return [x[nd.array([2, 0], dtype='int32')], x[np.array([1, 1])],
            x[nd.array([0, 2], dtype='int64')], x[nd.array([-1])]]


def case_pairwise_index(mx):
    nd = mx.nd
    x = _base(mx)
    return [x[[0, 2], [1, 3]], x[nd.array([0, 2]), nd.array([1, 3])],
            x[[[0], [2]], [1, 3]], x[1, [0, 3]], x[:, [0, 3]]]


def case_float_mask_is_gather(mx):
    # legacy mode has no boolean masks: a 0/1 float array (e.g. from x > 5)
    # is taken as row indices
    x = _base(mx)
    return {'mask_like': x[mx.nd.array([1, 0, 1])], 'from_compare': x[x > 5],
            'numpy_bool': x[np.array([True, False, True])]}


def case_bool_ndarray_rejected(mx):
    x = _base(mx)
    return raises(lambda: x[mx.nd.array([1, 0, 1], dtype='bool')])


def case_out_of_range(mx):
    x = _base(mx)
    return {'row': raises(lambda: x[3]), 'neg_row': raises(lambda: x[-4]),
            'col': raises(lambda: x[1, 4]), 'too_many': raises(lambda: x[0, 0, 0]),
            'slice_past_end': x[5:9], 'zero_step': raises(lambda: x[::0]),
            'array_index': raises(lambda: x[mx.nd.array([5])])}


def case_reshape_is_view(mx):
    return {'reshape': _view_check(mx, lambda b: b.reshape((4, 3))),
            'minus_one': _view_check(mx, lambda b: b.reshape((-1,))),
            'codes': _view_check(mx, lambda b: b.reshape((0, 2, -1)))}


def case_views_of_views(mx):
    return {'slice_then_int': _view_check(mx, lambda b: b[1:3][0]),
            'slice_then_slice': _view_check(mx, lambda b: b[1:][1:]),
            'int_then_slice': _view_check(mx, lambda b: b[1][2:4]),
            'reshape_of_slice': _view_check(mx, lambda b: b[1:3].reshape((8,))),
            'slice_of_reshape': _view_check(mx, lambda b: b.reshape((6, 2))[2:4])}


def case_copying_methods(mx):
    # T, flatten, expand_dims, squeeze, nd.slice, slice_axis all copy
    nd = mx.nd
    return {'T': _view_check(mx, lambda b: b.T),
            'flatten': _view_check(mx, lambda b: b.flatten()),
            'expand_dims': _view_check(mx, lambda b: b.expand_dims(0)),
            'squeeze': _view_check(mx, lambda b: b[1:2].squeeze()),
            'nd_slice': _view_check(mx, lambda b: nd.slice(b, begin=(1, 0), end=(2, 4))),
            'slice_axis': _view_check(mx, lambda b: nd.slice_axis(b, axis=0, begin=1, end=2))}


def case_sharing_methods(mx):
    # detach, astype(copy=False) to the same dtype and as_in_context to the same
    # context return arrays sharing memory
    return {'detach': _view_check(mx, lambda b: b.detach()),
            'astype_nocopy': _view_check(mx, lambda b: b.astype('float32', copy=False)),
            'as_in_context': _view_check(mx, lambda b: b.as_in_context(mx.cpu(0)))}


def case_view_inplace_op_updates_base(mx):
    x = _base(mx)
    row = x[1]
    row *= 10
    col = x[:, 0]
    col += 1000
    return {'x': x, 'row': row, 'col': col}


def case_view_dtype_ctx(mx):
    x = mx.nd.arange(6, dtype='int32', ctx=mx.cpu(1)).reshape((2, 3))
    return [x[1], x[:, 1], x[0, 1:], x[[1]]]

"""repr()/str() of NDArrays: numpy's formatting of the values, then a
'<NDArray shape @ctx>' line."""
import numpy as np

AREA = 'printing'


def _both(x):
    return {'repr': repr(x), 'str': str(x)}


def case_repr_1d(mx):
    return _both(mx.nd.array([1, 2, 3]))


def case_repr_2d_negative(mx):
    return _both(mx.nd.array([[1, -2.5], [3, 4]]))


def case_repr_3d(mx):
    return _both(mx.nd.arange(24).reshape((2, 3, 4)))


def case_repr_int_dtypes(mx):
    nd = mx.nd
    return [repr(nd.array([1, 2], dtype='int32')),
            repr(nd.array([[-7, 300]], dtype='int64')),
            repr(nd.array([0, 255], dtype='uint8'))]


def case_repr_float64_precision(mx):
    return repr(mx.nd.array([1.123456789, 2], dtype='float64'))


def case_repr_float32_values(mx):
    nd = mx.nd
    return [repr(nd.array([0.1, 0.2, 0.3])), repr(nd.array([1.0 / 3, 2.0 / 3])),
            repr(nd.array([-0.0, 0.0])), repr(nd.array([1.5], dtype='float16'))]


def case_repr_scientific(mx):
    # a wide value range switches numpy's formatting to scientific notation
    return [repr(mx.nd.array([-1e-5, 1e5])), repr(mx.nd.array([1e-9, 1.0]))]


def case_repr_nan_inf(mx):
    return repr(mx.nd.array([np.nan, np.inf, -np.inf, 1]))


def case_repr_large_summarized(mx):
    # more than 1000 elements: numpy summarizes with '...'
    nd = mx.nd
    return [repr(nd.arange(2000)), repr(nd.arange(2000).reshape((40, 50)))]


def case_repr_threshold_boundary(mx):
    # exactly 1000 elements is printed in full, 1001 is summarized
    nd = mx.nd
    full = repr(nd.arange(1000))
    summ = repr(nd.arange(1001))
    return {'full_has_ellipsis': '...' in full, 'full_lines': len(full.splitlines()),
            'summarized': summ}


def case_repr_context(mx):
    nd = mx.nd
    return [repr(nd.array([1], ctx=mx.cpu(1))), repr(nd.zeros((2, 1), ctx=mx.cpu(3)))]


def case_repr_0d_and_empty(mx):
    # a 0-d array prints '<NDArray  @cpu(0)>' (empty shape string)
    nd = mx.nd
    return [repr(nd.array(5)), repr(nd.array([])), repr(nd.array(np.zeros((0, 3))))]


def case_repr_bool(mx):
    return repr(mx.nd.array([True, False], dtype='bool'))


def case_repr_view_and_result(mx):
    nd = mx.nd
    x = nd.arange(6).reshape((2, 3))
    return [repr(x[1]), repr(x[0:1]), repr(x + 1), repr(x.T)]


def case_repr_in_containers(mx):
    nd = mx.nd
    a = nd.array([1, 2])
    return [str([a]), repr((a, 1)), '%s' % a, '{}'.format(a), format(a)]


def case_repr_column_alignment(mx):
    return repr(mx.nd.array([[1, 100, -1000], [0.5, 2, 3]]))


def case_repr_4d(mx):
    return repr(mx.nd.ones((2, 1, 2, 2)))

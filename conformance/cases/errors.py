"""Errors: the exception class, and that the operands are left unchanged."""
import numpy as np

from harness import raises

AREA = 'errors'


def _ab(mx):
    return mx.nd.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), mx.nd.array([[1.0, 2.0], [3.0, 4.0]])


def case_elementwise_shape_mismatch(mx):
    nd = mx.nd
    a, b = _ab(mx)
    return {'add': raises(lambda: a + b), 'sub': raises(lambda: a - b),
            'mul': raises(lambda: a * b), 'div': raises(lambda: a / b),
            'eq': raises(lambda: a == b), 'elemwise_add': raises(lambda: nd.elemwise_add(a, b)),
            'broadcast_mul': raises(lambda: nd.broadcast_mul(a, b)),
            'a': a, 'b': b}


def case_inplace_shape_mismatch(mx):
    a, b = _ab(mx)

    def iadd():
        a.__iadd__(b)

    def imul():
        a.__imul__(b)
    return {'iadd': raises(iadd), 'imul': raises(imul), 'a': a, 'b': b}


def case_bad_reshape(mx):
    a, _ = _ab(mx)
    return {'size': raises(lambda: a.reshape((4, 2))),
            'two_unknown': raises(lambda: a.reshape((-1, -1))),
            'zero_code_past_ndim': raises(lambda: a.reshape((0, 0, 0, 0))),
            'bad_split': raises(lambda: a.reshape((-4, 4, -1, 3))),
            'a': a}


def case_reshape_size_mismatch_classes(mx):
    # MXNet 1.9.1: a smaller target is a ValueError (frontend check), a larger one an
    # MXNetError (backend); an inexact -1 is floored first, then fails the size check.
    a = mx.nd.ones((2, 4))
    return {'smaller': raises(lambda: a.reshape((2, 3))),
            'larger': raises(lambda: a.reshape((3, 3))),
            'inexact_unknown': raises(lambda: a.reshape((3, -1))),
            'a': a}


def case_dot_shape_mismatch(mx):
    nd = mx.nd
    a, b = _ab(mx)
    return {'dot': raises(lambda: nd.dot(a, b)), 'dot_vec': raises(lambda: nd.dot(nd.ones(3), nd.ones(4))),
            'transpose_b': raises(lambda: nd.dot(a, b, transpose_b=True)),
            'batch_dot': raises(lambda: nd.batch_dot(nd.ones((2, 2, 3)), nd.ones((2, 2, 3)))),
            'a': a, 'b': b}


def case_unknown_dtype(mx):
    nd = mx.nd
    a, _ = _ab(mx)
    return {'array': raises(lambda: nd.array([1, 2], dtype='foo')),
            'zeros': raises(lambda: nd.zeros(2, dtype='float33')),
            'astype': raises(lambda: a.astype('nope')),
            'complex': raises(lambda: nd.zeros(2, dtype=np.complex64)),
            'a': a}


def case_index_out_of_range(mx):
    a, _ = _ab(mx)
    return {'get_row': raises(lambda: a[2]), 'get_col': raises(lambda: a[0, 3]),
            'get_neg': raises(lambda: a[-3]), 'get_list': raises(lambda: a[[0, 5]]),
            'get_nd': raises(lambda: a[mx.nd.array([2])]),
            'too_many_indices': raises(lambda: a[0, 0, 0]), 'a': a}


def case_setitem_out_of_range_unchanged(mx):
    a, _ = _ab(mx)

    def set_row():
        a[2] = 0

    def set_col():
        a[0, 3] = 0
    return {'row': raises(set_row), 'col': raises(set_col), 'a': a}


def case_concat_stack_mismatch(mx):
    nd = mx.nd
    a, b = _ab(mx)
    return {'concat': raises(lambda: nd.concat(a, b, dim=0)),
            'stack': raises(lambda: nd.stack(a, b)),
            'concat_bad_dim': raises(lambda: nd.concat(a, a, dim=3)), 'a': a, 'b': b}


def case_reduction_bad_axis(mx):
    nd = mx.nd
    a, _ = _ab(mx)
    return {'sum': raises(lambda: nd.sum(a, axis=2)), 'max': raises(lambda: a.max(axis=-3)),
            'argmax': raises(lambda: nd.argmax(a, axis=5)),
            'transpose_axes': raises(lambda: nd.transpose(a, axes=(0, 2))), 'a': a}


def case_copy_and_out_mismatch(mx):
    nd = mx.nd
    a, b = _ab(mx)
    return {'copyto': raises(lambda: a.copyto(b)), 'out': raises(lambda: nd.exp(a, out=b)),
            'a': a, 'b': b}


def case_wrong_argument_types(mx):
    nd = mx.nd
    a, _ = _ab(mx)
    return {'zeros_shape_str': raises(lambda: nd.zeros('abc')),
            'unknown_kwarg': raises(lambda: nd.sum(a, axsi=1)),
            'exp_list': raises(lambda: nd.exp([1.0, 2.0])),
            'a': a}


def case_mxnet_error_class(mx):
    # user code catches mxnet.base.MXNetError, a RuntimeError subclass
    MXNetError = mx.base.MXNetError
    a, b = _ab(mx)
    try:
        (a + b).wait_to_read()
        caught = None
    except MXNetError as e:
        caught = {'name': type(e).__name__, 'is_runtime_error': isinstance(e, RuntimeError),
                  'exact_class': type(e) is MXNetError,
                  'mxnet_error_is_runtime_error': issubclass(MXNetError, RuntimeError)}
    return caught

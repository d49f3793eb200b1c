"""Python operators on NDArrays: scalars, broadcasting, dtypes, comparisons."""
import numpy as np

from harness import raises

AREA = 'arithmetic'


def _x(mx):
    return mx.nd.array([1.0, 2.0, 4.0])


def case_scalar_right(mx):
    x = _x(mx)
    return [x + 1, x - 1, x * 2, x / 2, x ** 2, x ** 0.5, x % 3]


def case_scalar_left(mx):
    x = _x(mx)
    return [1 + x, 1 - x, 2 * x, 1 / x, 2 ** x, 7 % x]


def case_negation_and_abs(mx):
    nd = mx.nd
    return [-_x(mx), abs(nd.array([-1.5, 0.0, 2.0])), nd.abs(nd.array([-3, 3], dtype='int32')),
            -nd.array([1, -2], dtype='int32')]


def case_mod_sign_follows_divisor(mx):
    # % follows Python (floor) semantics: the result takes the divisor's sign
    nd = mx.nd
    return [nd.array([-5.0, 5.0]) % 3, nd.array([-5.0, 5.0]) % -3,
            nd.array([-5.5, 5.5]) % nd.array([2.0, -2.0]), 7.5 % nd.array([-2.0, 2.0])]


def case_array_array_same_shape(mx):
    nd = mx.nd
    a = nd.array([[1.0, 2.0], [3.0, 4.0]])
    b = nd.array([[0.5, -1.0], [2.0, 8.0]])
    return [a + b, a - b, a * b, a / b, a ** b, a % b]


def case_broadcasting_operators(mx):
    # in 1.9.1, + - * / between NDArrays broadcast like numpy
    nd = mx.nd
    m = nd.ones((2, 3))
    return {'row': m + nd.array([1, 2, 3]), 'outer': nd.ones((2, 1)) + nd.ones((1, 3)) * 2,
            'col_mul': m * nd.array([[2], [3]]), 'row_sub': m - nd.array([1, 2, 3]),
            'col_div': m / nd.array([[2], [4]]), 'rank3': (nd.ones((2, 1, 3)) * nd.ones((4, 1))).shape,
            'cmp': m == nd.array([1, 0, 1])}


def case_broadcast_shape_mismatch(mx):
    nd = mx.nd
    a = nd.ones((2, 3))
    return {'add': raises(lambda: a + nd.ones((3, 2))),
            'mul_1d': raises(lambda: nd.ones(3) * nd.ones(4)),
            'a_after': a}


def case_elemwise_ops_do_not_broadcast(mx):
    nd = mx.nd
    return {'elemwise_add': raises(lambda: nd.elemwise_add(nd.ones((2, 3)), nd.ones(3))),
            'broadcast_add': nd.broadcast_add(nd.ones((2, 3)), nd.ones(3).reshape((1, 3))),
            'elemwise_mul': nd.elemwise_mul(nd.array([2.0, 3.0]), nd.array([4.0, 5.0]))}


def case_int_array_float_scalar(mx):
    # the scalar is cast to the array's dtype first: i * 2.5 == i * 2,
    # i + 0.5 == i, and the result stays int32
    i = mx.nd.array([1, 2, 5], dtype='int32')
    return {'mul': i * 2.5, 'rmul': 2.5 * i, 'add': i + 0.5, 'div': i / 2,
            'rdiv': 1 / i, 'pow': i ** 2, 'rpow': 2 ** i, 'mod': i % 2,
            'sub_float': i - 1.9}


def case_int_array_comparison_with_float(mx):
    # comparisons cast the scalar too: i == 2.5 is i == 2
    i = mx.nd.array([1, 2, 5], dtype='int32')
    return {'eq': i == 2.5, 'gt': i > 1.5, 'lt': i < 2.0}


def case_mixed_dtype_arrays_error(mx):
    # no type promotion between arrays: int32 + float32 is an error
    nd = mx.nd
    f = nd.array([1.0, 2.0])
    i = nd.array([1, 2], dtype='int32')
    return {'f32_i32': raises(lambda: f + i), 'i32_f32': raises(lambda: i * f),
            'f16_f32': raises(lambda: nd.ones(2, dtype='float16') + f),
            'f64_f32': raises(lambda: nd.ones(2, dtype='float64') * f),
            'cmp': raises(lambda: i < f)}


def case_comparisons_float(mx):
    x = _x(mx)
    return {'eq': x == 2, 'ne': x != 2, 'lt': x < 2, 'le': x <= 2, 'gt': x > 2,
            'ge': x >= 2, 'rlt': 2 < x, 'req': 2 == x,
            'arr': x == mx.nd.array([1.0, 0.0, 4.0]), 'arr_lt': x < mx.nd.array([2.0, 2.0, 2.0])}


def case_comparisons_keep_operand_dtype(mx):
    # comparison results are 0/1 in the operand dtype, not bool
    nd = mx.nd
    return [nd.array([1, 2, 3], dtype='int32') >= 2,
            nd.array([1, 2, 3], dtype='float64') != 2,
            nd.array([0, 200], dtype='uint8') > 100,
            nd.array([1.5], dtype='float16') == 1.5]


def case_division_by_zero_float(mx):
    nd = mx.nd
    return [_x(mx) / 0, nd.zeros(1) / 0, -_x(mx) / 0, nd.array([-1.0]) ** 0.5,
            nd.zeros(1) ** 0]


def case_small_int_overflow_wraps(mx):
    nd = mx.nd
    return [nd.array([250], dtype='uint8') + 10, nd.array([127], dtype='int8') + 1]


def case_float16_and_float64(mx):
    nd = mx.nd
    h = nd.ones(3, dtype='float16')
    d = nd.ones(3, dtype='float64')
    return [h * 0.1, h / 3, d / 3, d + 1e-10, h + h]


def case_numpy_scalars(mx):
    x = _x(mx)
    i = mx.nd.array([1, 2], dtype='int32')
    return [x + np.float64(1.5), x * np.float32(2), i + np.int64(3), x + True]


def case_unsupported_operand_types(mx):
    # numpy arrays, lists and None are rejected with TypeError
    x = _x(mx)
    return {'numpy_right': raises(lambda: x + np.array([1.0, 1.0, 1.0])),
            'numpy_left': raises(lambda: np.array([1.0, 1.0, 1.0]) + x),
            'list': raises(lambda: x + [1, 1, 1]),
            'none': raises(lambda: x + None),
            'string': raises(lambda: x * 'a')}


def case_maximum_minimum(mx):
    nd = mx.nd
    x = _x(mx)
    return [nd.maximum(x, 2), nd.minimum(x, nd.array([0.0, 5.0, 5.0])),
            nd.maximum(3, x), nd.maximum(nd.ones((2, 1)), nd.array([0.0, 2.0]))]


def case_operator_chain(mx):
    nd = mx.nd
    x = nd.array([[1.0, -2.0], [3.0, 0.5]])
    return (2 * x ** 2 - x / 4 + 1) * (x > 0)


def case_results_are_new_arrays(mx):
    x = _x(mx)
    y = x + 0
    z = x * 1
    y[0] = 100
    z[1] = 100
    return {'x': x, 'y_is_x': y is x}


def case_result_context(mx):
    nd = mx.nd
    a = nd.ones(2, ctx=mx.cpu(1))
    return [a + 1, 2 * a, a * a, -a]

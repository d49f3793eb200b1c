"""Reductions and the basic operators tutorials use (norm, sum, dot, reshape...)."""
import numpy as np

from harness import raises

AREA = 'ops'


def _m(mx):
    return mx.nd.arange(6).reshape((2, 3))


def case_norm(mx):
    # a full reduction returns shape (1,), not a 0-d array
    nd = mx.nd
    x = _m(mx)
    return {'method': x.norm(), 'func': nd.norm(x), 'axis': nd.norm(x, axis=1),
            'ord1': nd.norm(x, ord=1, axis=0), 'keepdims': nd.norm(x, axis=1, keepdims=True),
            'scalar': x.norm().asscalar()}


def case_sum(mx):
    nd = mx.nd
    x = _m(mx)
    return {'all': x.sum(), 'axis0': x.sum(axis=0), 'neg_axis': nd.sum(x, axis=-1),
            'keepdims': nd.sum(x, axis=1, keepdims=True), 'tuple': nd.sum(x, axis=(0, 1)),
            'exclude': nd.sum(x, axis=1, exclude=True),
            'exclude3d': nd.sum(nd.arange(24).reshape((2, 3, 4)), axis=(0, 2), exclude=True),
            'int': nd.arange(6, dtype='int32').sum()}


def case_mean(mx):
    # the mean of an int array is truncated to int
    nd = mx.nd
    x = _m(mx)
    return {'all': x.mean(), 'axis0': nd.mean(x, axis=0), 'keepdims': x.mean(axis=1, keepdims=True),
            'int': nd.arange(6, dtype='int32').mean(), 'empty_axis': nd.mean(x, axis=())}


def case_max_min(mx):
    nd = mx.nd
    x = nd.array([[1.0, -5.0, 3.0], [-2.0, 4.0, 0.0]])
    return {'max': x.max(), 'min': x.min(), 'max_axis': nd.max(x, axis=1),
            'min_keepdims': nd.min(x, axis=0, keepdims=True),
            'max_exclude': nd.max(x, axis=0, exclude=True), 'prod': nd.prod(x + 6)}


def case_reduce_1d_shape(mx):
    nd = mx.nd
    return [nd.sum(nd.ones(3)).shape, nd.max(nd.ones((2, 2))).shape,
            nd.mean(nd.ones((1,))).shape]


def case_reduce_0d_error(mx):
    return raises(lambda: mx.nd.sum(mx.nd.array(3.0)))


def case_unary_math(mx):
    nd = mx.nd
    return {'exp': nd.exp(nd.array([0.0, 1.0, -1.0])),
            'log': nd.log(nd.array([1.0, np.e, 0.0, -1.0])),
            'sqrt': nd.sqrt(nd.array([4.0, 2.0, 0.0])),
            'square': nd.square(nd.array([-3.0, 0.5])),
            'log1p_expm1': [nd.log1p(nd.array([1e-5])), nd.expm1(nd.array([1e-5]))],
            'trig': [nd.sin(nd.array([0.5])), nd.cos(nd.array([0.5])), nd.arctan(nd.array([2.0]))],
            'reciprocal': nd.reciprocal(nd.array([4.0, -0.5]))}


def case_unary_on_int(mx):
    # exp/sqrt of int arrays keep the int dtype (results truncated)
    nd = mx.nd
    i = nd.array([4, 2], dtype='int32')
    return [nd.exp(nd.array([0, 1], dtype='int32')), nd.sqrt(i), nd.square(i)]


def case_activations(mx):
    nd = mx.nd
    x = nd.array([-10.0, -1.0, 0.0, 0.5, 10.0])
    return {'relu': nd.relu(x), 'sigmoid': nd.sigmoid(x), 'tanh': nd.tanh(x),
            'softrelu': nd.Activation(x, act_type='softrelu'),
            'leaky': nd.LeakyReLU(x, slope=0.1)}


def case_softmax(mx):
    nd = mx.nd
    x = nd.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    return {'softmax': nd.softmax(x), 'axis0': nd.softmax(x, axis=0),
            'log_softmax': nd.log_softmax(x)}


def case_rounding(mx):
    # round: halves away from zero; rint: halves toward -inf (-0.5 -> -1, 2.5 -> 2), not to even
    nd = mx.nd
    x = nd.array([-1.5, -0.5, 0.5, 1.5, 2.5, 2.7])
    return {'round': nd.round(x), 'rint': nd.rint(x), 'floor': nd.floor(x),
            'ceil': nd.ceil(x), 'trunc': nd.trunc(x), 'fix': nd.fix(x), 'sign': nd.sign(x)}


def case_clip(mx):
    nd = mx.nd
    return [nd.clip(_m(mx), 1, 4), _m(mx).clip(0.5, 2.5)]


def case_dot_vectors(mx):
    nd = mx.nd
    return nd.dot(nd.array([1.0, 2.0, 3.0]), nd.array([4.0, 5.0, 6.0]))


def case_dot_matrices(mx):
    nd = mx.nd
    x = _m(mx)
    return {'x_xT': nd.dot(x, x.T), 'transpose_a': nd.dot(x, x, transpose_a=True),
            'transpose_b': nd.dot(x, x, transpose_b=True),
            'mat_vec': nd.dot(x, nd.array([1.0, 1.0, 1.0])),
            'vec_mat': nd.dot(nd.array([1.0, 1.0]), x),
            'rank3': nd.dot(nd.ones((2, 2, 3)), nd.ones((3, 2))).shape,
            'float64': nd.dot(x.astype('float64'), x.T.astype('float64'))}


def case_dot_errors(mx):
    # shape mismatch; int dot is not supported on CPU
    nd = mx.nd
    x = _m(mx)
    i = nd.ones((2, 2), dtype='int32')
    return {'mismatch': raises(lambda: nd.dot(x, x)), 'x_after': x,
            'int': raises(lambda: nd.dot(i, i))}


def case_batch_dot(mx):
    nd = mx.nd
    a = nd.arange(12).reshape((2, 2, 3))
    b = nd.arange(6).reshape((2, 3, 1))
    return [nd.batch_dot(a, b), nd.batch_dot(a, a, transpose_b=True)]


def case_transpose(mx):
    nd = mx.nd
    t = nd.arange(24).reshape((2, 3, 4))
    return {'default': nd.transpose(_m(mx)), 'axes': nd.transpose(t, axes=(1, 0, 2)),
            'method': t.transpose((2, 0, 1)).shape, 'reverse3d': nd.transpose(t).shape,
            'method_varargs': raises(lambda: t.transpose(2, 0, 1))}


def case_reshape_special_codes(mx):
    nd = mx.nd
    z = nd.zeros((2, 3, 4))
    return {'0': z.reshape((0, -1)).shape, '-2': z.reshape((-2,)).shape,
            '2,-2': z.reshape((2, -2)).shape, '0,-2': z.reshape((0, -2)).shape,
            '-3': z.reshape((-3, 4)).shape, '-3,-3': nd.zeros((2, 3, 4, 5)).reshape((-3, -3)).shape,
            '-4': z.reshape((-4, 1, 2, -2)).shape,
            '-4,-1': nd.zeros((6, 4)).reshape((-4, -1, 3, 0)).shape,
            'extra_dim': nd.zeros((2, 3)).reshape((0, 0, 1)).shape,
            'func': nd.reshape(z, shape=(-3, -2)).shape}


def case_reshape_reverse(mx):
    nd = mx.nd
    z = nd.zeros((10, 5, 4))
    return {'reverse': z.reshape((-1, 0), reverse=True).shape,
            'forward': z.reshape((-1, 0)).shape,
            'values': nd.reshape(nd.arange(12).reshape((2, 3, 2)), shape=(-1, 0), reverse=True)}


def case_reshape_errors(mx):
    nd = mx.nd
    x = nd.zeros((2, 3))
    return {'size': raises(lambda: x.reshape((4, 2))),
            'two_minus_one': raises(lambda: x.reshape((-1, -1))), 'x': x}


def case_concat(mx):
    nd = mx.nd
    a = nd.ones((2, 2))
    b = nd.zeros((2, 1))
    return {'dim1': nd.concat(a, b, dim=1),
            'default_dim': nd.concat(nd.ones((1, 2)), nd.zeros((1, 2))).shape,
            'dim0': nd.concat(nd.ones((1, 2)), nd.zeros((2, 2)), dim=0),
            'three': nd.concat(nd.ones(1), nd.zeros(1), nd.ones(1) * 2, dim=0),
            'bad': raises(lambda: nd.concat(nd.ones((1, 2)), nd.zeros((2, 3)), dim=0))}


def case_stack(mx):
    nd = mx.nd
    return {'default': nd.stack(nd.ones(2), nd.zeros(2)),
            'axis1': nd.stack(nd.ones((2, 3)), nd.zeros((2, 3)), axis=1).shape,
            'axis_neg': nd.stack(nd.ones((2, 3)), nd.zeros((2, 3)), axis=-1).shape,
            'bad': raises(lambda: nd.stack(nd.ones(2), nd.ones(3)))}


def case_broadcast_to(mx):
    # broadcast_to needs the same number of dims; 0 keeps the input size
    nd = mx.nd
    col = nd.array([[1.0], [2.0]])
    return {'col': nd.broadcast_to(col, shape=(2, 3)), 'zero': nd.broadcast_to(col, shape=(0, 3)),
            'method': col.broadcast_to((2, 2)),
            'rank_up': raises(lambda: nd.broadcast_to(nd.array([1.0, 2.0, 3.0]), shape=(2, 3))),
            'row_ok': nd.broadcast_to(nd.array([[1.0, 2.0, 3.0]]), shape=(2, 3)),
            'bad': raises(lambda: nd.broadcast_to(col, shape=(3, 3)))}


def case_argmax_argmin(mx):
    # indices come back as float32 for float input (int32 for int32 input)
    nd = mx.nd
    x = nd.array([[1.0, 5.0, 5.0], [7.0, 0.0, 2.0]])
    return {'axis1': nd.argmax(x, axis=1), 'axis0': nd.argmax(x, axis=0),
            'none': nd.argmax(x), 'keepdims': nd.argmax(x, axis=1, keepdims=True),
            'argmin': nd.argmin(x, axis=0), 'method': x.argmax(axis=1),
            'int': nd.argmax(nd.array([[1, 3], [4, 2]], dtype='int32'), axis=0)}


def case_topk_sort(mx):
    nd = mx.nd
    x = nd.array([3.0, 1.0, 2.0, 5.0])
    return {'topk': nd.topk(x, k=2), 'topk_value': nd.topk(x, k=2, ret_typ='value'),
            'sort': nd.sort(x), 'sort_desc': nd.sort(x, is_ascend=False),
            'argsort': nd.argsort(x)}


def case_shape_utilities(mx):
    nd = mx.nd
    x = _m(mx)
    return {'flip': nd.flip(x, axis=1), 'tile': nd.tile(nd.array([1.0, 2.0]), reps=(2,)),
            'repeat': nd.repeat(nd.array([1.0, 2.0]), repeats=2),
            'split': [a for a in nd.split(nd.arange(8).reshape((2, 4)), num_outputs=2, axis=1)],
            'expand_dims': nd.expand_dims(x, axis=0).shape, 'swapaxes': nd.swapaxes(x, 0, 1)}


def case_take_pick_one_hot_where(mx):
    nd = mx.nd
    x = _m(mx)
    return {'take': nd.take(x, nd.array([1, 0])), 'pick': nd.pick(x, nd.array([0, 2]), axis=1),
            'one_hot': nd.one_hot(nd.array([0, 2]), 3),
            'where': nd.where(nd.array([1.0, 0.0]), nd.array([1.0, 2.0]), nd.array([3.0, 4.0]))}


def case_seed_tutorial_ops(mx):
    # the operations of the autograd tutorial: 2 * x**2, norm().asscalar(), sum
    nd = mx.nd
    x = nd.array([[1, 2], [3, 4]])
    y = 2 * x ** 2
    b = nd.array([0.3, 0.7]) * 2
    return {'y': y, 'norm': b.norm().asscalar(), 'sum': b.sum().asscalar(),
            'norm_type': type(b.norm().asscalar()).__name__, 'b0': b[0], 'b1': b[1]}

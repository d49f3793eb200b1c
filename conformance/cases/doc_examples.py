"""The examples of MXNet 1.9.1's own API docstrings (``help(mx.nd.X)``),
re-expressed as cases.

Each case is checked against what MXNet 1.9.1 really returns, not against the
docstring: where the two differ, a comment says so and the difference is listed
in conformance/doc_discrepancies.md.  Sparse-storage parts of the docstrings
(csr/row_sparse) and gpu contexts are left out.
"""
import numpy as np

from harness import raises

AREA = 'doc_examples'


def _x234(mx):
    return mx.nd.arange(24).reshape((2, 3, 4))


def _shapes(mx, in_shape, specs, **kw):
    x = mx.nd.arange(int(np.prod(in_shape))).reshape(in_shape)
    return [x.reshape(s, **kw).shape for s in specs]


# --------------------------------------------------------------------------
# reshape and its special codes
# --------------------------------------------------------------------------
def case_reshape_doc(mx):
    nd = mx.nd
    return nd.reshape(nd.array([1, 2, 3, 4]), shape=(2, 2))


def case_reshape_doc_code_0(mx):
    # 0 copies the input dimension
    nd = mx.nd
    x = _x234(mx)
    return {'shapes': [nd.reshape(x, shape=(4, 0, 2)).shape, nd.reshape(x, shape=(2, 0, 0)).shape],
            'values': nd.reshape(x, shape=(4, 0, 2))}


def case_reshape_doc_code_minus1(mx):
    # -1 is inferred from the remaining size
    x = _x234(mx)
    nd = mx.nd
    return {'shapes': _shapes(mx, (2, 3, 4), [(6, 1, -1), (3, -1, 8), (-1,)]),
            'values': nd.reshape(x, shape=(3, -1, 8))}


def case_reshape_doc_code_minus2(mx):
    # -2 copies all remaining input dimensions
    return _shapes(mx, (2, 3, 4), [(-2,), (2, -2), (-2, 1, 1)])


def case_reshape_doc_code_minus3(mx):
    # -3 merges two consecutive input dimensions
    return {'234': _shapes(mx, (2, 3, 4), [(-3, 4), (0, -3), (-3, -2)]),
            '2345': _shapes(mx, (2, 3, 4, 5), [(-3, -3)]),
            'values': _x234(mx).reshape((0, -3))}


def case_reshape_doc_code_minus4(mx):
    # -4 splits one input dimension in two (one of them may be -1)
    return {'shapes': _shapes(mx, (2, 3, 4), [(-4, 1, 2, -2), (2, -4, -1, 3, -2)]),
            'values': mx.nd.reshape(_x234(mx), shape=(-4, 1, 2, -2))}


def case_reshape_doc_reverse(mx):
    # reverse=True infers the special values from right to left
    nd = mx.nd
    x = nd.arange(200).reshape((10, 5, 4))
    return {'plain': nd.reshape(x, shape=(-1, 0)).shape,
            'reverse': nd.reshape(x, shape=(-1, 0), reverse=True).shape,
            'method_reverse': x.reshape((-1, 0), reverse=True).shape}


def case_reshape_method_doc(mx):
    # NDArray.reshape returns a view: writing into it writes into x
    x = mx.nd.arange(0, 6).reshape(2, 3)
    r32 = x.reshape(3, 2)
    out = {'x': x.copy(), 'r32': r32.copy(), 'r3m1': x.reshape(3, -1).copy()}
    y = x.reshape(-3)
    out['flat'] = y.copy()
    y[:] = -1
    out['x_after'] = x
    out['r32_after'] = r32  # an earlier view sees the write too
    return out


# --------------------------------------------------------------------------
# shape manipulation
# --------------------------------------------------------------------------
def case_transpose_doc(mx):
    nd = mx.nd
    x2 = nd.array([[1, 2], [3, 4]])
    x3 = nd.array([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])
    return [nd.transpose(x2), nd.transpose(x3), nd.transpose(x3, axes=(1, 0, 2))]


def case_transpose_property_doc(mx):
    # .T is a copy for ndim >= 2 and the array itself below that
    x = mx.nd.arange(0, 6).reshape((2, 3))
    v = mx.nd.array([1, 2, 3])
    return {'T': x.T, 'T_1d_is_self': v.T is v}


def case_concat_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 1], [2, 2]])
    y = nd.array([[3, 3], [4, 4], [5, 5]])
    z = nd.array([[6, 6], [7, 7], [8, 8]])
    return {'dim0': nd.concat(x, y, z, dim=0), 'dim1': nd.concat(y, z, dim=1),
            # "you cannot concat x,y,z along dimension 1"
            'dim1_mismatch': raises(lambda: nd.concat(x, y, z, dim=1))}


def case_stack_doc(mx):
    nd = mx.nd
    x, y = nd.array([1, 2]), nd.array([3, 4])
    return [nd.stack(x, y), nd.stack(x, y, axis=1), nd.stack(x, y, axis=-1).shape]


def case_expand_dims_doc(mx):
    nd = mx.nd
    x = nd.ones((2, 3, 4))
    return [nd.expand_dims(x, axis=1).shape, nd.expand_dims(x, axis=-1).shape,
            nd.expand_dims(nd.array([1, 2]), axis=0)]


def case_flatten_doc(mx):
    # (d1, d2, ..., dk) -> (d1, d2*...*dk), unlike numpy's flatten
    nd = mx.nd
    x = nd.array([[[1, 2, 3], [4, 5, 6], [7, 8, 9]],
                  [[1, 2, 3], [4, 5, 6], [7, 8, 9]]])
    return {'flatten': nd.flatten(x), 'Flatten': nd.Flatten(x),
            'method': x.flatten().shape, 'reshape_m1': x.reshape((-1,)).shape}


def case_squeeze_doc(mx):
    nd = mx.nd
    data = nd.array([[[0], [1], [2]]])
    return {'all': nd.squeeze(data), 'axis0': nd.squeeze(data, axis=0),
            'axis2': nd.squeeze(data, axis=2), 'axis02': nd.squeeze(data, axis=(0, 2)),
            # keeps at least one dimension, unlike numpy
            'single': nd.squeeze(nd.array([[[4]]]))}


def case_swapaxes_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 2, 3]])
    y = nd.array([[[0, 1], [2, 3]], [[4, 5], [6, 7]]])
    return [nd.swapaxes(x, 0, 1), nd.swapaxes(y, 0, 2), nd.swapaxes(y, dim1=1, dim2=2)]


def case_tile_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 2], [3, 4]])
    return {'n_eq_d': nd.tile(x, reps=(2, 3)), 'n_gt_d': nd.tile(x, reps=(2,)),
            'n_lt_d': nd.tile(x, reps=(2, 2, 3))}


def case_repeat_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 2], [3, 4]])
    return {'flat': nd.repeat(x, repeats=2), 'axis1': nd.repeat(x, repeats=2, axis=1),
            'axis0': nd.repeat(x, repeats=2, axis=0), 'axis_m1': nd.repeat(x, repeats=2, axis=-1)}


def case_flip_reverse_doc(mx):
    nd = mx.nd
    x = nd.array([[0., 1., 2., 3., 4.], [5., 6., 7., 8., 9.]])
    return {'reverse0': nd.reverse(x, axis=0), 'reverse1': nd.reverse(x, axis=1),
            'flip0': nd.flip(x, axis=0), 'flip1': nd.flip(x, axis=1)}


def case_split_doc(mx):
    nd = mx.nd
    x = nd.array([[[1.], [2.]], [[3.], [4.]], [[5.], [6.]]])
    y = nd.split(x, axis=1, num_outputs=2)
    z = nd.split(x, axis=0, num_outputs=3)
    zs = nd.split(x, axis=0, num_outputs=3, squeeze_axis=1)
    return {'y': list(y), 'z': list(z), 'z_squeezed': list(zs),
            'types': [type(y).__name__, len(y)],
            # squeeze_axis needs input.shape[axis] == num_outputs
            'bad_squeeze': raises(lambda: nd.split(x, axis=1, num_outputs=1, squeeze_axis=1)),
            'uneven': raises(lambda: nd.split(x, axis=0, num_outputs=2))}


def case_slice_axis_doc(mx):
    nd = mx.nd
    x = nd.array([[1., 2., 3., 4.], [5., 6., 7., 8.], [9., 10., 11., 12.]])
    return [nd.slice_axis(x, axis=0, begin=1, end=3),
            nd.slice_axis(x, axis=1, begin=0, end=2),
            nd.slice_axis(x, axis=1, begin=-3, end=-1),
            nd.slice_axis(x, axis=1, begin=1, end=None)]


def case_slice_doc(mx):
    nd = mx.nd
    x = nd.array([[1., 2., 3., 4.], [5., 6., 7., 8.], [9., 10., 11., 12.]])
    return [nd.slice(x, begin=(0, 1), end=(2, 4)),
            nd.slice(x, begin=(None, 0), end=(None, 3), step=(-1, 2))]


def case_broadcast_to_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 2, 3]])
    return {'shape': nd.broadcast_to(x, shape=(2, 3)),
            # 0 keeps the input dimension
            'zero': nd.broadcast_to(x, shape=(2, 0))}


def case_broadcast_to_method_doc(mx):
    x = mx.nd.arange(0, 3).reshape((1, 3, 1))
    y = x.broadcast_to((2, 3, 3))
    z = x.broadcast_to((1, 3, 1))
    z[:] = 7  # not sharing data with x, even for the same shape
    return {'y': y, 'x_after': x}


def case_broadcast_axis_doc(mx):
    nd = mx.nd
    x = nd.array([[[1.], [2.]]])
    return {'axis2': nd.broadcast_axis(x, axis=2, size=3),
            'axes02': nd.broadcast_axis(x, axis=(0, 2), size=(2, 3)),
            'alias': nd.broadcast_axes(x, axis=2, size=3)}


def case_broadcast_like_doc(mx):
    nd = mx.nd
    return [nd.broadcast_like(nd.array([[1, 2, 3]]), nd.array([[5, 6, 7], [7, 8, 9]])),
            nd.broadcast_like(nd.array([9]), nd.array([1, 2, 3, 4, 5]),
                              lhs_axes=(0,), rhs_axes=(-1,))]


def case_reshape_like_doc(mx):
    nd = mx.nd
    x = nd.array([1, 2, 3, 4, 5, 6])
    y = nd.array([[0, -4], [3, 2], [2, 2]])
    return nd.reshape_like(x, y)


def case_moveaxis_doc(mx):
    # the docstring prints Python 2 longs: (3L, 2L)
    nd = mx.nd
    X = nd.array([[1, 2, 3], [4, 5, 6]])
    return [nd.moveaxis(X, 0, 1).shape, nd.moveaxis(X, 0, 1),
            nd.moveaxis(nd.zeros((3, 4, 5)), [0, 1], [-1, -2]).shape]


# --------------------------------------------------------------------------
# reductions
# --------------------------------------------------------------------------
def _sum_data(mx):
    return mx.nd.array([[[1, 2], [2, 3], [1, 3]],
                        [[1, 4], [4, 3], [5, 2]],
                        [[7, 1], [7, 2], [7, 3]]])


def case_sum_doc(mx):
    nd = mx.nd
    data = _sum_data(mx)
    # the csr part of the docstring (cast_storage) is not covered
    return {'axis1': nd.sum(data, axis=1), 'axis12': nd.sum(data, axis=[1, 2]),
            'sum_axis': nd.sum_axis(data, axis=1)}


def case_mean_max_min_prod_doc(mx):
    # their docstrings have no example: the sum example's data and axes
    nd = mx.nd
    data = _sum_data(mx)
    out = {}
    for name in ('mean', 'max', 'min', 'prod'):
        f = getattr(nd, name)
        out[name] = [f(data, axis=1), f(data, axis=[1, 2]), f(data)]
    return out


def case_norm_doc(mx):
    nd = mx.nd
    x = nd.array([[[1, 2], [3, 4]], [[2, 2], [5, 6]]])
    # the docstring says norm(x.cast_storage('row_sparse')) = [5.47722578], but
    # the L2 norm of that x is 9.949875 (5.4772 is the norm of [[1,2],[3,4]]);
    # MXNet's dense norm(x) is 9.949875 (sparse storage is not covered here)
    return {'ord2_axis1': nd.norm(x, ord=2, axis=1), 'ord1_axis1': nd.norm(x, ord=1, axis=1),
            'all': nd.norm(x), 'dense_2x2': nd.norm(nd.array([[1, 2], [3, 4]]))}


def case_argmax_argmin_doc(mx):
    nd = mx.nd
    x = nd.array([[0., 1., 2.], [3., 4., 5.]])
    return {'argmax0': nd.argmax(x, axis=0), 'argmax1': nd.argmax(x, axis=1),
            'argmax1_keep': nd.argmax(x, axis=1, keepdims=True),
            'argmin0': nd.argmin(x, axis=0), 'argmin1': nd.argmin(x, axis=1),
            'argmin1_keep': nd.argmin(x, axis=1, keepdims=True),
            # "the first occurrence" of ties
            'ties': nd.argmax(nd.array([[1, 3, 3], [2, 2, 0]]), axis=1),
            'argmax_channel': nd.argmax_channel(x)}


# --------------------------------------------------------------------------
# linear algebra
# --------------------------------------------------------------------------
def case_dot_doc(mx):
    nd = mx.nd
    x = nd.reshape(nd.array([0, 1, 2, 3, 4, 5, 6, 7]), shape=(2, 2, 2))
    y = nd.reshape(nd.array([7, 6, 5, 4, 3, 2, 1, 0]), shape=(2, 2, 2))
    d = nd.dot(x, y)
    a = nd.array([[1, 2], [3, 4]])
    return {'nd_shape': d.shape, 'nd': d, 'nd_0011': d[0, 0, 1, 1].asscalar(),
            'check': nd.sum(x[0, 0, :] * y[:, 1, 1]).asscalar(),
            'vec': nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6])),
            'mat': nd.dot(a, a),
            'transpose_a': nd.dot(a, a, transpose_a=True),
            'transpose_b': nd.dot(a, a, transpose_b=True)}


def case_batch_dot_doc(mx):
    # (B, N, M) x (B, M, K) -> (B, N, K)
    nd = mx.nd
    x = nd.arange(12).reshape((2, 2, 3))
    y = nd.arange(18).reshape((2, 3, 3)) / 10
    return {'out': nd.batch_dot(x, y), 'first': nd.dot(x[0], y[0]),
            'transpose_b': nd.batch_dot(x, x, transpose_b=True),
            'transpose_a': nd.batch_dot(x, x, transpose_a=True).shape}


# --------------------------------------------------------------------------
# element-wise
# --------------------------------------------------------------------------
def case_clip_doc(mx):
    nd = mx.nd
    x = nd.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    return [nd.clip(x, 1, 8), nd.clip(x, a_min=-1, a_max=3.5), x.clip(2, 4)]


def case_sign_doc(mx):
    return mx.nd.sign(mx.nd.array([-2, 0, 3]))


def case_round_rint_doc(mx):
    nd = mx.nd
    x = nd.array([-1.5, 1.5, -1.9, 1.9, 2.1])
    # as the rint note says (and unlike numpy.rint, which rounds half to
    # even): n.5 -> n and -n.5 -> -n-1, so rint(2.5) = 2 but rint(-2.5) = -3
    halves = nd.array([-2.5, -0.5, 0.5, 2.5])
    return {'round': nd.round(x), 'rint': nd.rint(x),
            'round_halves': nd.round(halves), 'rint_halves': nd.rint(halves)}


def case_floor_ceil_fix_trunc_doc(mx):
    nd = mx.nd
    x = nd.array([-2.1, -1.9, 1.5, 1.9, 2.1])
    return {'floor': nd.floor(x), 'ceil': nd.ceil(x), 'trunc': nd.trunc(x),
            'fix': nd.fix(nd.array([-2.1, -1.9, 1.9, 2.1]))}


def case_unary_math_doc(mx):
    nd = mx.nd
    return {'sqrt': nd.sqrt(nd.array([4, 9, 16])), 'square': nd.square(nd.array([2, 3, 4])),
            'abs': nd.abs(nd.array([-2, 0, 3])), 'exp': nd.exp(nd.array([0, 1, 2])),
            'cbrt': nd.cbrt(nd.array([1, 8, -125])), 'rsqrt': nd.rsqrt(nd.array([4, 9, 16])),
            'reciprocal': nd.reciprocal(nd.array([-2, 1, 3, 1.6, 0.2])),
            'erf': nd.erf(nd.array([0, -1., 10.])),
            'logical_not': nd.logical_not(nd.array([-2., 0., 1.]))}


def case_cast_doc(mx):
    nd = mx.nd
    # the docstring gives float16(11.1) = 11.09375; the nearest float16 is
    # 11.1015625, which MXNet returns
    return [nd.cast(nd.array([0.9, 1.3]), dtype='int32'),
            nd.cast(nd.array([1e20, 11.1]), dtype='float16'),
            # out-of-range values wrap around modulo 256
            nd.cast(nd.array([300, 11.1, 10.9, -1, -3]), dtype='uint8')]


def case_relu_sigmoid_doc(mx):
    # relu: max(features, 0); sigmoid: 1 / (1 + exp(-x))
    nd = mx.nd
    x = nd.array([-3., -0.5, 0., 0.5, 3.])
    return {'relu': nd.relu(x), 'sigmoid': nd.sigmoid(x),
            'sigmoid_formula': 1 / (1 + nd.exp(-x)), 'relu_formula': nd.maximum(x, 0)}


def case_softmax_doc(mx):
    nd = mx.nd
    x = nd.array([[1., 1., 1.], [1., 1., 1.]])
    y = nd.array([[1., 2., 3.], [1., 0., -1.]])
    return {'axis0': nd.softmax(x, axis=0), 'axis1': nd.softmax(x, axis=1),
            'default_last_axis': nd.softmax(y),
            'temperature': nd.softmax(y, temperature=2.0)}


def case_log_softmax_doc(mx):
    nd = mx.nd
    x = nd.array([1, 2, .1])
    y = nd.array([[1, 2, .1], [.1, 2, 1]])
    return {'1d': nd.log_softmax(x).asnumpy(), 'axis0': nd.log_softmax(y, axis=0).asnumpy()}


# --------------------------------------------------------------------------
# indexing operators
# --------------------------------------------------------------------------
def case_take_doc(mx):
    nd = mx.nd
    v = nd.array([4., 5., 6.])
    x = nd.array([[1., 2.], [3., 4.], [5., 6.]])
    return {'first': nd.take(v, nd.array([1])),
            'clip': nd.take(v, nd.array([3]), axis=-1, mode='clip'),
            'rows': nd.take(x, nd.array([[0, 1], [1, 2]])),
            'wrap_axis1': nd.take(x, nd.array([[0, 3], [-1, -2]]), axis=1, mode='wrap')}


def case_pick_doc(mx):
    nd = mx.nd
    x = nd.array([[1., 2.], [3., 4.], [5., 6.]])
    y = nd.array([[1.], [0.], [2.]])
    return {'axis0': nd.pick(x, nd.array([0, 1]), 0),
            'axis1': nd.pick(x, nd.array([0, 1, 0]), 1),
            'wrap': nd.pick(x, nd.array([2, -1, -2]), 1, mode='wrap'),
            # the default mode clips a too large index
            'clip': nd.pick(x, nd.array([0, 5, 1]), 1),
            'keepdims': nd.pick(x, y, 1, keepdims=True)}


def case_one_hot_doc(mx):
    nd = mx.nd
    return {'basic': nd.one_hot(nd.array([1, 0, 2, 0]), 3),
            'values_int32': nd.one_hot(nd.array([1, 0, 2, 0]), 3, on_value=8, off_value=1,
                                       dtype='int32'),
            '2d': nd.one_hot(nd.array([[1, 0], [1, 0], [2, 0]]), 3)}


def case_where_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 2], [3, 4]])
    y = nd.array([[5, 6], [7, 8]])
    cond = nd.array([[0, 1], [-1, 0]])
    # a 1-D condition of x.shape[0] elements selects whole rows
    return {'same_shape': nd.where(cond, x, y),
            'rows': nd.where(nd.array([0, 1]), x, y)}


def case_gather_nd_doc(mx):
    nd = mx.nd
    return [nd.gather_nd(nd.array([[0, 1], [2, 3]]), nd.array([[1, 1, 0], [0, 1, 0]])),
            nd.gather_nd(nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
                         nd.array([[0, 1], [1, 0]]))]


# --------------------------------------------------------------------------
# sorting
# --------------------------------------------------------------------------
def case_topk_doc(mx):
    nd = mx.nd
    x = nd.array([[0.3, 0.2, 0.4], [0.1, 0.3, 0.2]])
    # ret_typ='both' works along the last axis (the docstring's comment says
    # "flattens"): a list [values, indices]
    both = nd.topk(x, ret_typ='both', k=2)
    return {'default': nd.topk(x), 'value_k2': nd.topk(x, ret_typ='value', k=2),
            'ascend': nd.topk(x, ret_typ='value', k=2, is_ascend=1),
            'axis0': nd.topk(x, axis=0, ret_typ='value', k=2),
            'both': list(both), 'both_type': type(both).__name__,
            'mask': nd.topk(x, ret_typ='mask', k=1)}


def case_sort_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 4], [3, 1]])
    return {'last': nd.sort(x), 'flat': nd.sort(x, axis=None), 'axis0': nd.sort(x, axis=0),
            'descend': nd.sort(x, is_ascend=0)}


def case_argsort_doc(mx):
    nd = mx.nd
    x = nd.array([[0.3, 0.2, 0.4], [0.1, 0.3, 0.2]])
    return {'last': nd.argsort(x), 'axis0': nd.argsort(x, axis=0),
            'flat': nd.argsort(x, axis=None), 'int32': nd.argsort(x, dtype='int32')}


# --------------------------------------------------------------------------
# creation
# --------------------------------------------------------------------------
def case_zeros_ones_like_doc(mx):
    nd = mx.nd
    x = nd.array([[1., 1., 1.], [1., 1., 1.]])
    return {'zeros_like': nd.zeros_like(x), 'ones_like': nd.ones_like(nd.zeros((2, 3))),
            'int': nd.zeros_like(nd.array([1, 2], dtype='int32'))}


def case_arange_doc(mx):
    nd = mx.nd
    return [nd.arange(3).asnumpy(), nd.arange(2, 6).asnumpy(),
            nd.arange(2, 6, step=2).asnumpy(),
            nd.arange(2, 6, step=1.5, repeat=2).asnumpy(),
            nd.arange(2, 6, step=2, repeat=3, dtype='int32').asnumpy()]


def case_linspace_doc(mx):
    # the docstring prints '2.25.' and '2.2.' (typos) for 2.25 and 2.2
    nd = mx.nd
    return [nd.linspace(2.0, 3.0, 5).asnumpy(),
            nd.linspace(2.0, 3.0, 5, endpoint=False).asnumpy()]


def case_eye_doc(mx):
    nd = mx.nd
    return {'eye2': nd.eye(2), 'eye23k1': nd.eye(2, 3, 1),
            'repr': repr(nd.eye(2, 3, 1)), 'lower': nd.eye(3, k=-1)}


def case_full_ones_doc(mx):
    nd = mx.nd
    return [nd.full(1, 2.0).asnumpy(), nd.full((1, 2), 2.0, dtype='float16').asnumpy(),
            nd.ones(1).asnumpy(), nd.ones((1, 2), dtype='float16').asnumpy(),
            nd.empty((1, 2)).shape, repr(nd.full((1, 2), 2.0, mx.cpu(0)))[-20:]]


def case_array_doc(mx):
    nd = mx.nd
    return [repr(nd.array([1, 2, 3])).splitlines()[-1],
            repr(nd.array([[1, 2], [3, 4]])).splitlines()[-1],
            nd.array(np.zeros((3, 2))).dtype.__name__]


def case_shape_size_array_doc(mx):
    nd = mx.nd
    x = nd.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    return {'shape_array': nd.shape_array(x), 'size_array': nd.size_array(x)}


# --------------------------------------------------------------------------
# NDArray attributes and methods
# --------------------------------------------------------------------------
def case_attributes_doc(mx):
    # the docstrings print Python 2 types: (4L,), <type 'numpy.float32'>
    nd = mx.nd
    z = nd.zeros((3, 5, 2))
    return {'size': z.size, 'np_prod': int(np.prod(z.shape)),
            'ndim': [nd.array([1, 2, 3, 4]).ndim, nd.array([[1, 2], [3, 4]]).ndim],
            'shape': [nd.array([1, 2, 3, 4]).shape, nd.zeros((2, 3, 4)).shape],
            'dtype': [str(nd.zeros((2, 3)).dtype), nd.zeros((2, 3), dtype='int32').dtype.__name__],
            'context': [str(nd.array([1, 2, 3, 4]).context),
                        type(nd.array([1, 2, 3, 4]).context).__name__]}


def case_asnumpy_asscalar_astype_doc(mx):
    nd = mx.nd
    x = nd.ones((1,), dtype='int32')
    a = nd.ones((2, 3)).asnumpy()
    return {'asnumpy': a, 'type': type(a).__name__,
            'int32': nd.ones((2, 3), dtype='int32').asnumpy(),
            'asscalar': x.asscalar(), 'asscalar_type': type(x.asscalar()).__name__,
            'astype': nd.zeros((2, 3)).astype('int32').dtype.__name__}


def case_copyto_doc(mx):
    # the docstring copies to gpu(0); the same on cpu
    nd = mx.nd
    x = nd.ones((2, 3))
    y = nd.zeros((2, 3))
    z = x.copyto(y)
    w = y.copyto(mx.cpu(0))
    return {'same': z is y, 'y': y, 'new_ctx': repr(w).splitlines()[-1], 'new_is_y': w is y}


def case_getitem_basic_doc(mx):
    nd = mx.nd
    x = nd.arange(0, 6).reshape((2, 3))
    x4 = nd.arange(0, 16).reshape((2, 2, 2, 2))
    return {'row0': x[0, :].asnumpy(), 'row0_2': x[0, :2].asnumpy(),
            'drop_last': x[:, :-1].asnumpy(), 'int': x[0].asnumpy(), 'from1': x[1:].asnumpy(),
            'ellipsis': x4[0, ..., 1].asnumpy(), 'explicit': x4[0, :, :, 1].asnumpy(),
            'newaxis': x[None, :, :].asnumpy(), 'newaxis_shape': x[None, :, :].shape}


def case_getitem_views_doc(mx):
    # contiguous basic indexing gives a view, the rest a copy
    nd = mx.nd
    out = {}
    x = nd.arange(0, 8).reshape((2, 2, 2))
    y = x[0]
    out['y0'] = y.copy()
    y[:] = -1
    out['x_after_y0'] = x
    x = nd.arange(0, 8).reshape((2, 2, 2))
    y = x[1, :1, :]
    out['y1'] = y.copy()
    y[:] = -1
    out['x_after_y1'] = x
    x = nd.arange(0, 8).reshape((2, 2, 2))
    y = x[:, :, 1]
    out['y2'] = y.copy()
    y[:] = -1
    out['x_after_y2'] = x
    return out


def case_getitem_advanced_doc(mx):
    nd = mx.nd
    x = nd.arange(0, 8).reshape((2, 2, 2))
    return {'list': x[[0, 1]].asnumpy(), 'list_colon': x[[0, 1], :].asnumpy(),
            'np_index': x[1:, np.array([0, 1], dtype='int32')].asnumpy(),
            'nd_index': x[1:, nd.array([0, 1], dtype='int32')].asnumpy()}


def case_setitem_doc(mx):
    nd = mx.nd
    x = nd.zeros((2, 3))
    steps = []
    x[:] = 1
    steps.append(x.asnumpy())
    x[:, 1:2] = 2
    steps.append(x.asnumpy())
    x[1:2, 1:] = 3
    steps.append(x.asnumpy())
    x[1:, 0:2] = nd.zeros((1, 2))
    steps.append(x.asnumpy())
    x[1, 2] = 4
    steps.append(x.asnumpy())
    x[[0], [1, 2]] = 5
    steps.append(x.asnumpy())
    x[::-1, 0:2:2] = [6]
    steps.append(x.asnumpy())
    return steps


# --------------------------------------------------------------------------
# broadcasting arithmetic and comparison functions
# --------------------------------------------------------------------------
def _xyz(mx):
    nd = mx.nd
    return nd.ones((2, 3)), nd.arange(2).reshape((2, 1)), nd.arange(2).reshape((1, 2))


def case_add_subtract_multiply_doc(mx):
    nd = mx.nd
    x, y, z = _xyz(mx)
    return {'add': [x + 2, x + y, nd.add(x, y), z + y],
            'subtract': [x - 2, x - y, nd.subtract(x, y), z - y],
            'multiply': [x * 2, x * y, nd.multiply(x, y), z * y]}


def case_divide_modulo_power_doc(mx):
    nd = mx.nd
    x6, y2 = nd.ones((2, 3)) * 6, nd.ones((2, 1)) * 2
    y4 = nd.ones((2, 1)) * 4
    x2 = nd.ones((2, 3)) * 2
    e = nd.arange(1, 3).reshape((2, 1))
    return {'divide': [x6 / 3, x6 / y2, nd.divide(x6, y2), repr(x6 / 2).splitlines()[-1]],
            'modulo': [x6 % 5, x6 % y4, nd.modulo(x6, y4)],
            'power': [x2 ** 2, x2 ** e, nd.power(x2, e), e ** e]}


def case_maximum_minimum_doc(mx):
    nd = mx.nd
    x, y, z = _xyz(mx)
    return {'maximum': [nd.maximum(x, 2), nd.maximum(x, y), nd.maximum(y, z)],
            'minimum': [nd.minimum(x, 2), nd.minimum(x, y), nd.minimum(z, y)]}


def case_comparison_doc(mx):
    # "Output array of boolean values": 0/1 in the inputs' dtype (float32)
    nd = mx.nd
    x, y, z = _xyz(mx)
    return {'equal': [x == 1, x == y, nd.equal(x, y), z == y],
            'not_equal': [x != 1, x != y, nd.not_equal(x, y), z != y],
            'greater': [x > 1, x > y, nd.greater(x, y), z > y],
            'lesser_equal': [x <= 1, nd.lesser_equal(x, y), z <= y]}


# --------------------------------------------------------------------------
# autograd
# --------------------------------------------------------------------------
def case_autograd_grad_doc(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.ones((1,))
    x.attach_grad()
    with ag.record():
        z = nd.elemwise_add(nd.exp(x), x)
    dx = ag.grad(z, [x], create_graph=True)
    # the docstring prints [ 3.71828175]; MXNet 1.9.1 prints 3.7182817
    return {'dx': dx, 'printed': str(dx), 'type': type(dx).__name__}


def case_autograd_grad_second_order_doc(mx):
    # "supports recording gradient graph for computing higher order gradients"
    nd, ag = mx.nd, mx.autograd
    x = nd.array([0.5, 1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = nd.sin(x)  # sin has a second-order gradient in 1.9.1 (x * 3 has not)
        dx = ag.grad(y, [x], create_graph=True)[0]
    dx.backward()
    return {'dx': dx, 'x.grad': x.grad}


def case_autograd_backward_doc(mx):
    # autograd.backward(heads, head_grads) on previously marked variables
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1., 2., 3.])
    w = nd.array([0.5, -1., 2.])
    ag.mark_variables([x, w], [nd.zeros(3), nd.zeros(3)])
    with ag.record():
        y = x * w
        z = (x * x).sum()
    ag.backward([y, z], head_grads=[nd.array([1., 1., 2.]), None])
    return {'x.grad': x.grad, 'w.grad': w.grad}


def case_autograd_record_pause_doc(mx):
    # the record()/pause() docstrings: compute under record, update under pause
    nd, ag = mx.nd, mx.autograd
    w = nd.array([1., -2.])
    w.attach_grad()
    x = nd.array([3., 4.])
    with ag.record():
        y = (w * x).sum()
        ag.backward([y])
        with ag.pause():
            w[:] = w - 0.1 * w.grad
            paused = (ag.is_recording(), ag.is_training())
    return {'w': w, 'grad': w.grad, 'paused_flags': paused}


def case_autograd_function_doc(mx):
    # the docstring's stable sigmoid, on a fixed input instead of a random one
    nd, ag = mx.nd, mx.autograd

    class sigmoid(ag.Function):
        def forward(self, x):
            y = 1 / (1 + nd.exp(-x))
            self.save_for_backward(y)
            return y

        def backward(self, dy):
            y, = self.saved_tensors
            return dy * y * (1 - y)

    func = sigmoid()
    x = nd.array(np.linspace(-3, 3, 10))
    x.attach_grad()
    with ag.record():
        m = func(x)
        m.backward()
    dx = x.grad.asnumpy()
    return {'m': m, 'dx': dx}


def case_autograd_function_numpy_doc(mx):
    # "You can also cast to numpy array and back for some operations in
    # forward and backward"
    nd, ag = mx.nd, mx.autograd

    class square(ag.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return nd.array(np.square(x.asnumpy()))

        def backward(self, dy):
            x, = self.saved_tensors
            return nd.array(2 * x.asnumpy()) * dy

    x = nd.array([1., -2., 3.])
    x.attach_grad()
    with ag.record():
        y = square()(x) * 2
    y.backward()
    return {'y': y, 'grad': x.grad}

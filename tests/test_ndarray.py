"""NDArray behaviour: creation, dtypes, printing, conversions, views, mutation, arithmetic.

Every expected value here was observed in real MXNet 1.9.1 (the oracle environment);
broad value-by-value comparisons against recorded goldens live in conformance/."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import nd
from mxnet.base import MXNetError


def test_alias_package_is_the_same_modules():
    import mxnet_compat
    import mxnet.ndarray as nd2
    from mxnet.ndarray import NDArray
    from mxnet.autograd import record, backward  # noqa: F401
    assert mx is mxnet_compat
    assert nd2 is mxnet_compat.ndarray and nd is nd2
    assert NDArray is mxnet_compat.ndarray.NDArray
    assert mx.__version__ == '1.9.1' and mx.compat_version
    assert issubclass(MXNetError, RuntimeError)


def test_repr_matches_mxnet_byte_for_byte():
    assert repr(nd.array([[1, 2]])) == '\n[[1. 2.]]\n<NDArray 1x2 @cpu(0)>'
    assert repr(nd.array([1, 2], dtype='int32')) == '\n[1 2]\n<NDArray 2 @cpu(0)>'
    assert repr(nd.zeros((2, 1, 2))) == ('\n[[[0. 0.]]\n\n [[0. 0.]]]\n<NDArray 2x1x2 @cpu(0)>')
    assert repr(nd.array(3.0)) == '\n3.0\n<NDArray  @cpu(0)>'
    assert str(nd.ones((1,), ctx=mx.cpu(1))).endswith('<NDArray 1 @cpu(1)>')
    big = repr(nd.arange(2000))
    assert big.startswith('\n[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]')


def test_creation_dtypes_follow_mxnet():
    assert nd.array([1, 2]).dtype is np.float32
    assert nd.array(np.array([1.0, 2.0])).dtype is np.float32      # float64 numpy -> float32
    assert nd.array(np.array([1, 2])).dtype is np.float32          # int numpy -> float32
    assert nd.array(nd.array([1, 2], dtype='int32')).dtype is np.int32
    assert nd.array([1, 2], dtype='float64').dtype is np.float64
    assert nd.arange(3).dtype is np.float32
    assert nd.zeros((2, 3), dtype='int32').dtype is np.int32
    assert nd.full((2,), 7).asnumpy().tolist() == [7.0, 7.0]
    assert nd.eye(2, 3, 1).asnumpy().tolist() == [[0, 1, 0], [0, 0, 1]]
    assert nd.linspace(0, 1, 5).asnumpy().tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert nd.arange(2, 10, 3).asnumpy().tolist() == [2, 5, 8]
    assert nd.arange(3, repeat=2).asnumpy().tolist() == [0, 0, 1, 1, 2, 2]
    assert nd.ones_like(nd.array([1, 2], dtype='int32')).dtype is np.int32
    assert nd.random.uniform(shape=(2,), dtype='float64').dtype is np.float64
    assert nd.random.uniform().shape == (1,)
    assert nd.random.uniform(0, 1, 3).shape == (3,)
    with pytest.raises(TypeError):
        nd.array([nd.array([1]), nd.array([2])])
    with pytest.raises(MXNetError):
        nd.zeros((0, 3))
    with pytest.raises(MXNetError):
        nd.ones(())


def test_float64_does_not_change_defaults():
    import jax
    assert jax.config.jax_enable_x64
    x = nd.array([1, 2], dtype='float64')
    assert (x * 2).dtype is np.float64
    assert (nd.array([1, 2]) * 2.5).dtype is np.float32
    assert nd.array([1, 2], dtype='int64').sum().dtype is np.int64
    assert nd.array([1, 2], dtype='int32').sum().dtype is np.int32


def test_attributes_and_conversions():
    x = nd.array([[1, 2], [3, 4]])
    assert x.shape == (2, 2) and x.size == 4 and x.ndim == 2 and len(x) == 2
    assert x.context == mx.cpu(0) and x.ctx == mx.cpu() and x.stype == 'default'
    assert x.grad is None
    assert x.T.asnumpy().tolist() == [[1, 3], [2, 4]]
    a = x.asnumpy()
    a[0, 0] = 100                                   # asnumpy is a copy
    assert x.asnumpy()[0, 0] == 1
    assert isinstance(nd.array([1, 2, 3])[0].asscalar(), np.float32)
    assert isinstance(nd.array([1], dtype='int32').asscalar(), np.int32)
    with pytest.raises(ValueError):
        x.asscalar()
    assert [r.asnumpy().tolist() for r in x] == [[1, 2], [3, 4]]
    assert [r.shape for r in nd.array([1, 2])] == [(1,), (1,)]
    assert x.astype('int32').dtype is np.int32
    assert x.astype('float32', copy=False) is x
    y = nd.zeros((2, 2))
    x.copyto(y)
    assert y.asnumpy().tolist() == x.asnumpy().tolist()
    z = x.copyto(mx.cpu(1))
    assert z.context == mx.cpu(1)
    assert x.as_in_context(mx.cpu(0)) is x
    c = x.copy()
    c[:] = 0
    assert x.asnumpy()[0, 0] == 1


def test_bool_float_int_rules():
    with pytest.raises(TypeError):
        float(nd.array([2.5]))
    with pytest.raises(TypeError):
        int(nd.array([2.5]))
    assert bool(nd.array([2.5])) is True
    assert bool(nd.array([0])) is False
    with pytest.raises(ValueError):
        bool(nd.array([1, 2]))


def _base():
    return nd.arange(12).reshape((4, 3))


@pytest.mark.parametrize('index, is_view', [
    (1, True), (-1, True), (slice(1, 3), True), (slice(None, None, 2), False),
    ((1, slice(1, None)), True), ((slice(1, 2), slice(None)), True),
    ((slice(None), 1), False), ([0], False), ((1, 1), True),
])
def test_views_exactly_where_mxnet_makes_them(index, is_view):
    base = _base()
    before = base.asnumpy().copy()
    view = base[index]
    view[:] = 99
    changed = not np.array_equal(base.asnumpy(), before)
    assert changed == is_view


def test_view_sees_writes_to_base_and_views_of_views():
    base = _base()
    row = base[1:3]
    base[:] = 0
    assert row.asnumpy().tolist() == [[0, 0, 0], [0, 0, 0]]
    base = _base()
    inner = base[1:3][0]
    inner[:] = 9
    assert base.asnumpy()[1].tolist() == [9, 9, 9]
    base = _base()
    r = base.reshape((2, 6))[1]
    r[:] = 5
    assert base.asnumpy()[2:].tolist() == [[5, 5, 5], [5, 5, 5]]
    base = _base()
    v = base[1]
    v += 100
    assert base.asnumpy()[1].tolist() == [103, 104, 105]


def test_reshape_method_is_a_view_but_operators_copy():
    for fn, shares in [(lambda y: y.reshape((3, 4)), True), (lambda y: y.reshape(-1), True),
                       (lambda y: nd.reshape(y, shape=(3, 4)), False),
                       (lambda y: y.flatten(), False), (lambda y: y.expand_dims(0), False),
                       (lambda y: y.T, False)]:
        y = _base()
        z = fn(y)
        z[:] = 3
        assert (y.asnumpy() == 3).all() == shares


def test_reshape_codes():
    x = nd.zeros((2, 3, 4))
    assert x.reshape((4, 0, 2)).shape == (4, 3, 2)
    assert x.reshape((-1,)).shape == (24,)
    assert x.reshape((-2,)).shape == (2, 3, 4)
    assert x.reshape((2, -2)).shape == (2, 3, 4)
    assert x.reshape((-3, 4)).shape == (6, 4)
    assert x.reshape((-4, 1, 2, -2)).shape == (1, 2, 3, 4)
    assert x.reshape((2, -4, -1, 3, 4)).shape == (2, 1, 3, 4)
    assert nd.zeros((10, 5, 4)).reshape((-1, 0), reverse=True).shape == (50, 4)
    assert x.reshape(6, 4).shape == (6, 4) and x.reshape(shape=(24,)).shape == (24,)
    with pytest.raises(MXNetError):
        x.reshape((5, 5))


def test_getitem_shapes_match_mxnet():
    x = nd.array([[1, 2], [3, 4]])
    assert x[0, 1].shape == (1,) and x[0, 1].asscalar() == 2
    assert x[0][1].shape == (1,)
    assert nd.arange(6)[2].shape == (1,)
    assert x[:, 1].asnumpy().tolist() == [2, 4]
    assert x[nd.array([1, 0])].asnumpy().tolist() == [[3, 4], [1, 2]]
    assert x[[0, 1], [1, 0]].asnumpy().tolist() == [2, 3]
    assert x[None].shape == (1, 2, 2)
    assert x[..., 0].asnumpy().tolist() == [1, 3]
    with pytest.raises(IndexError):
        nd.ones((2, 3))[5]


def test_setitem_forms():
    x = nd.zeros((3, 4))
    x[:] = 1
    x[0] = 2
    x[1, 1:3] = nd.array([7, 8])
    x[2] = np.array([1, 2, 3, 4])
    x[:, 3] = 5
    x[::2, 0] = -1
    assert x.asnumpy().tolist() == [[-1, 2, 2, 5], [1, 7, 8, 5], [-1, 2, 3, 5]]
    y = nd.zeros((3, 2))
    y[nd.array([0, 2])] = nd.array([[1, 2]])
    y[[1], [1]] = 9
    assert y.asnumpy().tolist() == [[1, 2], [0, 9], [1, 2]]
    z = nd.zeros((2, 2))
    z[0, 0] = nd.array([3])
    assert z.asnumpy()[0, 0] == 3


def test_bad_setitem_leaves_array_unchanged():
    x = nd.array([[1, 2], [3, 4]])
    with pytest.raises(ValueError):
        x[:] = nd.ones((3,))
    with pytest.raises(IndexError):
        x[7] = 1
    assert x.asnumpy().tolist() == [[1, 2], [3, 4]]


def test_setitem_loop_compiles_once():
    from mxnet_compat.ndarray import indexing
    x = nd.zeros((8, 3))
    before = indexing._block_setter.cache_info().misses
    for i in range(8):
        x[i:i + 1] = i
    for i in range(8):
        x[i, 1] = -i
    assert x.asnumpy()[:, 0].tolist() == list(range(8))
    # one jitted setter per key *structure* (slice of 1 row; int, int), not one per i
    assert indexing._block_setter.cache_info().misses - before <= 2


def test_inplace_and_out():
    x = nd.array([1, 2])
    alias = x
    x += 1
    x -= 0.5
    x *= 2
    x /= 3
    assert alias is x
    np.testing.assert_allclose(x.asnumpy(), [1, 5 / 3], rtol=1e-6)
    y = nd.zeros((2,))
    r = nd.exp(nd.array([0, 1]), out=y)
    assert r is y
    np.testing.assert_allclose(y.asnumpy(), [1, np.e], rtol=1e-6)
    c = nd.zeros((2,))
    nd.elemwise_add(nd.array([1, 2]), nd.array([3, 4]), out=c)
    assert c.asnumpy().tolist() == [4, 6]
    v = nd.zeros((3, 2))
    nd.ones((2,), out=v[1])
    assert v.asnumpy().tolist() == [[0, 0], [1, 1], [0, 0]]


def test_arithmetic_and_comparisons():
    x = nd.array([[1, 2], [3, 4]])
    assert (2 ** x).asnumpy().tolist() == [[2, 4], [8, 16]]
    assert (1 / nd.array([1, 2])).asnumpy().tolist() == [1, 0.5]
    assert (-x).asnumpy().tolist() == [[-1, -2], [-3, -4]]
    assert abs(-x).asnumpy().tolist() == x.asnumpy().tolist()
    assert (x % 3).asnumpy().tolist() == [[1, 2], [0, 1]]
    assert (nd.array([-3, 3]) % 2).asnumpy().tolist() == [1, 1]
    assert (5 % nd.array([-3, 3])).asnumpy().tolist() == [-1, 2]
    eq = x == 2
    assert eq.dtype is np.float32 and eq.asnumpy().tolist() == [[0, 1], [0, 0]]
    ieq = nd.array([1, 2], dtype='int32') == 2
    assert ieq.dtype is np.int32 and ieq.asnumpy().tolist() == [0, 1]
    assert ((x > 2) + (x <= 1) + (x != 4) + (x >= 4) + (x < 2)).asnumpy().tolist() == \
        [[3, 1], [2, 2]]
    i = nd.array([1, 2], dtype='int32')
    assert (i * 2.5).asnumpy().tolist() == [2, 4] and (i * 2.5).dtype is np.int32
    assert (i / 2).asnumpy().tolist() == [0, 1] and (1 / i).asnumpy().tolist() == [1, 0]
    b = nd.array([[1, 2]]) + nd.array([[1], [2]])
    assert b.asnumpy().tolist() == [[2, 3], [3, 4]]
    for other in (None, np.ones(2), [1, 2]):     # MXNet: TypeError for non-numbers
        with pytest.raises(TypeError):
            x == other  # noqa: B015


def test_shape_and_dtype_mismatch_errors_name_shapes():
    with pytest.raises(MXNetError, match=r'\(3,\).*\(2,\)'):
        nd.array([1, 2, 3]) + nd.array([1, 2])
    with pytest.raises(MXNetError, match='float32.*float64|float64.*float32'):
        nd.array([1, 2]) + nd.array([1, 2], dtype='float64')
    with pytest.raises(MXNetError):
        nd.dot(nd.ones((2, 3)), nd.ones((2, 3)))


def test_basic_operators():
    x = nd.array([[1, 5], [3, 4]])
    assert x.norm().asnumpy().tolist() == pytest.approx([np.sqrt(51)])
    assert nd.norm(x, ord=1).asscalar() == 13
    assert nd.norm(x, axis=1).shape == (2,)
    assert x.sum().shape == (1,) and x.sum().asscalar() == 13
    assert nd.sum(x, axis=1, keepdims=True).shape == (2, 1)
    assert nd.sum(x, axis=0, exclude=True).asnumpy().tolist() == [6, 7]
    assert nd.max(x, axis=()).asnumpy().tolist() == [5]
    assert x.mean(axis=-1).asnumpy().tolist() == [3, 3.5]
    assert x.min().asscalar() == 1 and x.max().asscalar() == 5
    am = nd.argmax(x, axis=1)
    assert am.dtype is np.float32 and am.asnumpy().tolist() == [1, 1]
    assert nd.argmax(x.astype('int32'), axis=1).dtype is np.int32
    assert nd.relu(nd.array([-1, 2])).asnumpy().tolist() == [0, 2]
    assert nd.sigmoid(nd.array([0])).asnumpy().tolist() == [0.5]
    assert nd.dot(nd.array([1, 2]), nd.array([3, 4])).asnumpy().tolist() == [11]
    assert nd.dot(x, x, transpose_a=True).asnumpy().tolist() == [[10, 17], [17, 41]]
    assert nd.concat(x, x, dim=0).shape == (4, 2) and nd.concat(x, x).shape == (2, 4)
    assert nd.stack(x, x).shape == (2, 2, 2) and nd.stack(x, x, axis=2).shape == (2, 2, 2)
    assert nd.broadcast_to(nd.array([[1, 2]]), shape=(3, 0)).shape == (3, 2)
    assert nd.transpose(nd.ones((2, 3, 4)), axes=(1, 0, 2)).shape == (3, 2, 4)
    assert nd.sqrt(nd.array([4], dtype='int32')).dtype is np.int32
    np.testing.assert_allclose(nd.exp(nd.array([0, 1])).asnumpy(), [1, np.e], rtol=1e-6)
    np.testing.assert_allclose(nd.log(nd.array([1, np.e])).asnumpy(), [0, 1], rtol=1e-6)
    assert nd.square(nd.array([3])).asscalar() == 9
    np.testing.assert_allclose(nd.tanh(nd.array([0.5])).asnumpy(), [np.tanh(0.5)], rtol=1e-6)


def test_string_parameters_parse_as_mxnet_accepts():
    x = nd.ones((2, 3))
    assert nd.sum(x, axis='1').shape == (2,)
    assert nd.zeros('(2,3)').shape == (2, 3)
    assert nd.reshape(x, shape='(3,2)').shape == (3, 2)
    with pytest.raises(MXNetError, match='axis'):
        nd.sum(x, axis='abc')
    with pytest.raises(MXNetError, match='foo'):
        nd.sum(x, foo=1)


def test_numpy_and_jax_interop():
    import jax.numpy as jnp
    x = nd.array([1, 2])
    assert np.asarray(x).tolist() == [1, 2]
    assert float(jnp.sum(jnp.asarray(x))) == 3


def test_waitall_and_wait_to_read():
    x = nd.ones((2,)) * 3
    x.wait_to_read()
    nd.waitall()
    assert x.asnumpy().tolist() == [3, 3]

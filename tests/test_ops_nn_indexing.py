"""Neural-network and indexing operators (ops_nn.py, ops_indexing.py).

Three kinds of checks, all tables:

* ``CASES`` (in ``goldens/record_ops_nn_indexing.py``) run under real MXNet 1.9.1 by that
  recorder, stored in ``goldens/ops_nn_indexing.json``, and run here under mxnet-compat:
  outputs, gradients (recorded + backward: SoftmaxOutput, BatchNorm, index ops...),
  in-place effects (BatchNorm's gamma and running statistics) and which calls fail;
* ``GRADIENT_CASES``: autograd against central finite differences in float64;
* behaviour that needs randomness or state (Dropout, BatchNorm's backward-time update).
"""
import json

import numpy as np
import pytest

import mxnet as mx
from golden_support import load_recorder
from mxnet import autograd, nd
from mxnet.base import MXNetError
from mxnet.test_utils import check_numeric_gradient
from mxnet_compat.ndarray import ops_nn

R = load_recorder('record_ops_nn_indexing')
with open(R.GOLDEN) as _f:
    GOLDENS = json.load(_f)

# (rtol, atol) per dtype: MXNet's float32 tolerance, tighter for float64, looser for float16.
TOLERANCES = R.TOLERANCES


def _lookup(name):
    # The BatchNorm wrapper (in-place side effects) until nd.BatchNorm is wired to it.
    return ops_nn.BatchNorm if name == 'BatchNorm' else getattr(nd, name)


_assert_encoded_equal = R.assert_encoded_equal


@pytest.mark.parametrize('case', R.CASES, ids=[c['name'] for c in R.CASES])
def test_matches_mxnet_golden(case):
    want = GOLDENS[case['name']]
    got = R.run_case(mx, case, _lookup)
    if 'error' in want:
        assert got.get('error') == 'MXNetError', 'expected MXNetError, got {}'.format(got)
        return
    assert 'error' not in got, 'raised {}'.format(got['error'])
    for key in ('outputs', 'grads', 'after'):
        assert len(got.get(key, ())) == len(want.get(key, ())), key
        for i, (g, w) in enumerate(zip(got.get(key, ()), want.get(key, ()))):
            _assert_encoded_equal(g, w, '{}[{}]'.format(key, i))


def test_goldens_cover_the_case_table():
    assert sorted(GOLDENS) == sorted(c['name'] for c in R.CASES)


# ----------------------------------------------------------------------------- finite differences

def _rand(*shape, seed=0, low=-1.0, high=1.0):
    return np.random.RandomState(seed).uniform(low, high, size=shape)


def _away_from_zero(*shape, seed=0):
    x = _rand(*shape, seed=seed)
    return np.where(np.abs(x) < 0.2, x + np.sign(x + 1e-9) * 0.3, x)


def _distinct(*shape, seed=0):
    """Values with no ties (max pooling, sorting): a shuffled ramp."""
    n = int(np.prod(shape))
    return np.random.RandomState(seed).permutation(n).reshape(shape) / n


def _const(values):
    return nd.array(values, dtype='float64')


def _train(fn):
    def run(*xs):
        with autograd.train_mode():
            return fn(*xs)
    return run


_IDX = _const([[2, 0], [1, 1]])
_MM, _MV = _const([0.1, -0.2, 0.3]), _const([1.0, 2.0, 0.5])

GRADIENT_CASES = [
    *[('Activation_' + a, lambda x, a=a: nd.Activation(x, act_type=a), [_away_from_zero(2, 3)])
      for a in ('relu', 'sigmoid', 'tanh', 'softrelu', 'softsign')],
    *[('LeakyReLU_' + a, lambda x, a=a: nd.LeakyReLU(x, act_type=a, slope=0.3),
       [_away_from_zero(2, 3)]) for a in ('leaky', 'elu', 'selu', 'gelu')],
    ('hard_sigmoid', lambda x: nd.hard_sigmoid(x), [_rand(2, 3) * 2]),
    ('smooth_l1', lambda x: nd.smooth_l1(x, scalar=2.0), [_away_from_zero(2, 3) * 2]),
    ('softmax', lambda x: nd.softmax(x, temperature=0.7) * _const(_rand(2, 4, seed=3)),
     [_rand(2, 4)]),
    ('softmax_length', lambda x: nd.softmax(x, nd.array([2, 4], dtype='int32'),
                                            use_length=True) * _const(_rand(2, 4, seed=3)),
     [_rand(2, 4)]),
    ('log_softmax', lambda x: nd.log_softmax(x, axis=0) * _const(_rand(3, 2, seed=3)),
     [_rand(3, 2)]),
    ('softmin', lambda x: nd.softmin(x) * _const(_rand(2, 4, seed=3)), [_rand(2, 4)]),
    ('SoftmaxActivation', lambda x: nd.SoftmaxActivation(x, mode='channel')
     * _const(_rand(2, 3, 2, seed=3)), [_rand(2, 3, 2)]),
    ('Convolution_groups_1d', lambda x, w: nd.Convolution(x, w, kernel=(2,), num_filter=4,
                                                          num_group=2, no_bias=True),
     [_rand(1, 4, 5), _rand(4, 2, 2, seed=1)]),
    ('Deconvolution_groups', lambda x, w: nd.Deconvolution(x, w, kernel=(2,), num_filter=2,
                                                           num_group=2, dilate=(2,)),
     [_rand(1, 2, 3), _rand(2, 1, 2, seed=1)]),
    ('Pooling_lp2', lambda x: nd.Pooling(x, kernel=(2,), pool_type='lp', p_value=2),
     [_away_from_zero(1, 2, 4)]),
    ('BatchNorm_train', _train(lambda x, g, b: ops_nn.BatchNorm(
        x, g, b, _MM, _MV, fix_gamma=False) * _const(_rand(4, 3, seed=4))),
     [_rand(4, 3), _rand(3, seed=1), _rand(3, seed=2)]),
    ('take_wrap_axis1', lambda x: nd.take(x, _const([-1, 4]), axis=1, mode='wrap'),
     [_rand(2, 3)]),
    ('batch_take', lambda x: nd.batch_take(x, nd.array([1, 0], dtype='int32')), [_rand(2, 3)]),
    ('sort', lambda x: nd.sort(x, axis=0, is_ascend=False) * _const(_rand(3, 2, seed=3)),
     [_distinct(3, 2)]),
]


@pytest.mark.parametrize('name,fn,inputs', GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradient_matches_finite_differences(name, fn, inputs):
    check_numeric_gradient(fn, inputs, numeric_eps=1e-6, rtol=1e-5, atol=1e-7)


# ----------------------------------------------------------------------------- index inputs

def test_backward_through_float_index_inputs():
    # index arrays arrive as float32; they may even carry a gradient buffer (zero, as in MXNet)
    x = nd.arange(12).reshape((3, 4))
    idx = nd.array([2, 0, 2])
    x.attach_grad()
    idx.attach_grad()
    with autograd.record():
        y = (nd.take(x, idx) * 2).sum() + nd.pick(x, nd.array([0, 3, 3]), axis=1).sum()
        z = nd.one_hot(idx, 4) * x
    y.backward()
    want = np.zeros((3, 4))
    want[[0, 2]] = [[2] * 4, [4] * 4]
    want[[0, 1, 2], [0, 3, 3]] += 1
    np.testing.assert_array_equal(x.grad.asnumpy(), want)
    np.testing.assert_array_equal(idx.grad.asnumpy(), [0, 0, 0])
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 1, 0]])


# ----------------------------------------------------------------------------- Dropout

def test_dropout_is_active_only_when_training_or_always():
    x = nd.ones((4000,))
    assert (nd.Dropout(x, p=0.5).asnumpy() == 1).all()
    with autograd.record(train_mode=False):
        assert (nd.Dropout(x, p=0.5).asnumpy() == 1).all()
    for scope in (autograd.record, autograd.train_mode):
        with scope():
            a = nd.Dropout(x, p=0.25).asnumpy()
        assert set(np.unique(a)) <= {0.0, np.float32(1 / 0.75)}
        assert abs((a == 0).mean() - 0.25) < 0.04
    a = nd.Dropout(x, p=0.5, mode='always').asnumpy()
    assert set(np.unique(a)) == {0.0, 2.0}
    assert nd.Dropout(nd.ones(3, dtype='float64'), mode='always').dtype is np.float64
    assert np.isnan(nd.Dropout(x[:3], p=1.0, mode='always').asnumpy()).all()   # 0 * inf
    with pytest.raises(MXNetError):
        nd.Dropout(nd.ones(3, dtype='int32'), mode='always')


def test_dropout_axes_share_the_mask():
    a = nd.Dropout(nd.ones((6, 50)), mode='always', axes=(0,)).asnumpy()
    assert (a == a[:1]).all() and 0 < (a[0] == 0).sum() < 50
    b = nd.Dropout(nd.ones((50, 6)), mode='always', axes=(1,)).asnumpy()
    assert (b == b[:, :1]).all()


def test_dropout_gradient_is_the_forward_mask_and_draws_differ():
    mx.random.seed(3)
    x = nd.ones((2000,))
    x.attach_grad()
    with autograd.record():
        y = nd.Dropout(x, p=0.3)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), y.asnumpy())
    with autograd.record():
        y2 = nd.Dropout(x, p=0.3)
    assert (y2.asnumpy() != y.asnumpy()).any()
    mx.random.seed(3)
    with autograd.record():
        y3 = nd.Dropout(x, p=0.3)
    np.testing.assert_array_equal(y3.asnumpy(), y.asnumpy())


# ----------------------------------------------------------------------------- BatchNorm state

def _bn_inputs():
    x = nd.array(np.random.RandomState(0).randn(4, 3))
    return x, nd.array([1.0, 2, 3]), nd.array([0.1, 0.2, 0.3]), nd.full((3,), 0.5), \
        nd.full((3,), 2.0)


def test_batchnorm_running_stats_update_in_backward():
    # values from MXNet 1.9.1: momentum 0.5, biased batch variance, read at backward time
    x, g, b, mm, mv = _bn_inputs()
    x.attach_grad()
    with autograd.record():
        y = ops_nn.BatchNorm(x, g, b, mm, mv, momentum=0.5)
    np.testing.assert_array_equal(mm.asnumpy(), [0.5] * 3)     # forward: unchanged
    y.backward(retain_graph=True)
    np.testing.assert_allclose(mm.asnumpy(), [0.9207041, 0.5325502, 0.41906434], rtol=1e-5)
    np.testing.assert_allclose(mv.asnumpy(), [1.2509049, 1.3017753, 1.4476552], rtol=1e-5)
    y.backward()                                                # a second backward updates again
    np.testing.assert_allclose(mm.asnumpy(), [1.1310562, 0.5488253, 0.3785965], rtol=1e-5)
    np.testing.assert_allclose(mv.asnumpy(), [0.8763573, 0.952663, 1.1714828], rtol=1e-5)

    x, g, b, mm, mv = _bn_inputs()
    x.attach_grad()
    with autograd.record():
        y = ops_nn.BatchNorm(x, g, b, mm, mv, momentum=0.5, output_mean_var=True)
    mm[:] = 10                                                  # read at backward time
    autograd.grad(y[0], [x])
    np.testing.assert_allclose(mm.asnumpy(), [5.670704, 5.2825503, 5.1690645], rtol=1e-5)


def test_batchnorm_fix_gamma_overwrites_gamma():
    x, g, b, mm, mv = _bn_inputs()
    ops_nn.BatchNorm(x, g, b, mm, mv)
    np.testing.assert_array_equal(g.asnumpy(), [1, 1, 1])
    g2 = nd.array([1.0, 2, 3])
    ops_nn.BatchNorm(x, g2, b, mm, mv, fix_gamma=False)
    np.testing.assert_array_equal(g2.asnumpy(), [1, 2, 3])


def test_nd_batchnorm_is_the_stateful_wrapper():
    assert nd.BatchNorm is ops_nn.BatchNorm


def test_absent_optional_inputs_may_be_passed_as_none():
    x, w = nd.ones((2, 3)), nd.ones((4, 3))
    want = nd.FullyConnected(x, w, num_hidden=4, no_bias=True).asnumpy()
    np.testing.assert_array_equal(
        nd.FullyConnected(x, w, None, num_hidden=4, no_bias=True).asnumpy(), want)
    np.testing.assert_array_equal(
        nd.FullyConnected(x, w, bias=None, num_hidden=4, no_bias=True).asnumpy(), want)
    assert nd.softmax(x, None).shape == (2, 3)


# ----------------------------------------------------------------------------- API surface

def test_signatures_follow_mxnet():
    import inspect
    params = inspect.signature(nd.Convolution).parameters
    assert list(params)[:6] == ['data', 'weight', 'bias', 'kernel', 'stride', 'dilate']
    assert params['num_group'].default == 1 and params['no_bias'].default is False
    assert inspect.signature(nd.Deconvolution).parameters['no_bias'].default is True
    assert list(inspect.signature(nd.softmax).parameters)[:3] == ['data', 'length', 'axis']
    assert inspect.signature(nd.topk).parameters['ret_typ'].default == 'indices'
    assert nd.Softmax.op is nd.SoftmaxOutput.op and nd.crop.op is nd.slice.op
    with pytest.raises(MXNetError):
        nd.Pooling(nd.ones((1, 1, 4, 4)), kernel=(2, 2), pool_typ='max')   # unknown argument


def test_fluent_methods():
    x = nd.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    np.testing.assert_allclose(x.softmax().asnumpy(), nd.softmax(x).asnumpy())
    np.testing.assert_allclose(x.log_softmax(axis=0).asnumpy(),
                               nd.log_softmax(x, axis=0).asnumpy())
    np.testing.assert_allclose(x.softmin().asnumpy(), nd.softmin(x).asnumpy())
    assert x.take(nd.array([1])).asnumpy().tolist() == [[0, 5, 4]]
    assert x.pick(nd.array([0, 1])).asnumpy().tolist() == [3, 5]
    assert x.topk(k=1).asnumpy().tolist() == [[0], [1]]
    assert x.sort().asnumpy().tolist() == [[1, 2, 3], [0, 4, 5]]
    assert x.argsort(is_ascend=False).asnumpy().tolist() == [[0, 2, 1], [1, 2, 0]]
    assert x.slice(begin=(1,), end=(2,)).shape == (1, 3)
    assert x.slice_like(nd.zeros((1, 2))).shape == (1, 2)
    assert x.diag().asnumpy().tolist() == [3, 5]
    assert nd.array([1, 0]).one_hot(2).asnumpy().tolist() == [[0, 1], [1, 0]]


def test_softmax_output_out_grad_multiplies_the_head_gradient():
    # MXNet 1.9.1's imperative mode multiplies by the output instead (a bug we do not copy)
    d = nd.array([[1.0, 2, 3], [3, 2, 1]])
    d.attach_grad()
    head = nd.array([[1.0, 2, 3], [4, 5, 6]])
    with autograd.record():
        p = nd.SoftmaxOutput(d, nd.array([2, 0]), out_grad=True)
    p.backward(head)
    target = np.array([[0, 0, 1], [1, 0, 0]])
    np.testing.assert_allclose(d.grad.asnumpy(), (p.asnumpy() - target) * head.asnumpy(),
                               rtol=1e-6)

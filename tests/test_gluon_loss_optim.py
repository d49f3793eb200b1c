"""mx.optimizer classes and gluon.loss blocks against runs recorded from real MXNet 1.9.1
(tests/goldens/record_loss_optim.py; cases in tests/goldens/loss_optim_cases.py)."""
import json
import os
import sys

import numpy as np
import pytest

import mxnet as mx
from mxnet import nd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'goldens'))
import loss_optim_cases as C  # noqa: E402

with open(os.path.join(HERE, 'goldens', 'loss_optim.json')) as f:
    GOLDEN = json.load(f)


@pytest.mark.parametrize('case', sorted(C.OPTIMIZERS))
def test_optimizer_steps_match_mxnet(case):
    got = C.run_optimizer(mx, case)
    tol = 2e-3 if C.OPTIMIZERS[case][1] == 'float16' else 1e-5
    for step, (g, w) in enumerate(zip(got, GOLDEN['opt/' + case])):
        for k, (a, b) in enumerate(zip(g, w)):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol,
                                       err_msg='{} step {} weight {}'.format(case, step, k))


def test_create_and_registry():
    opt = mx.optimizer.create('Adam', learning_rate=0.1)
    assert isinstance(opt, mx.optimizer.Adam) and opt.learning_rate == 0.1
    assert isinstance(mx.optimizer.Optimizer.create_optimizer('ftml'), mx.optimizer.FTML)
    with pytest.raises(ValueError):
        mx.optimizer.create('nosuch')
    for name in ['sgd', 'nag', 'adam', 'adagrad', 'rmsprop', 'adadelta', 'adamax', 'nadam',
                 'signum', 'ftml', 'ftrl', 'lamb', 'sgld', 'dcasgd', 'ccsgd']:
        assert name in mx.optimizer.Optimizer.opt_registry


def test_multi_precision_state_layouts():
    w = nd.array(np.ones((2, 2)), dtype='float16')
    sgd = mx.optimizer.SGD(momentum=0.9, multi_precision=True)
    mom, w32 = sgd.create_state_multi_precision(0, w)
    assert mom.dtype == np.float32 and w32.dtype == np.float32
    adam = mx.optimizer.Adam(multi_precision=True)
    w32, (mean, var) = adam.create_state_multi_precision(0, w)
    assert w32.dtype == np.float32 and mean.dtype == np.float32


def test_sgld_moves_weights_and_keeps_dtype():
    mx.random.seed(1)
    w = nd.zeros((50,))
    opt = mx.optimizer.SGLD(learning_rate=0.01)
    opt.update(0, w, nd.ones((50,)), None)
    v = w.asnumpy()
    assert w.dtype == np.float32 and 0.02 < v.std() < 0.2   # noise of std sqrt(lr) = 0.1


def test_adadelta_rescales_the_callers_grad_in_place():
    # MXNet's AdaDelta does ``grad *= rescale_grad`` on the caller's array.
    g = nd.ones((3,))
    opt = mx.optimizer.AdaDelta(rescale_grad=0.5)
    opt.update(0, nd.ones((3,)), g, opt.create_state(0, nd.ones((3,))))
    np.testing.assert_allclose(g.asnumpy(), 0.5)


@pytest.mark.parametrize('case', sorted(C.LOSSES))
def test_loss_matches_mxnet(case):
    got = np.array(C.run_loss(mx, case))
    want = np.array(GOLDEN['loss/' + case])
    assert got.shape == want.shape, case
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=case)


def test_losses_hybridize_and_differentiate():
    loss = mx.gluon.loss.TripletLoss()
    loss.hybridize()
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, (4, 3)))
    x.attach_grad()
    with mx.autograd.record():
        out = loss(x, x * 0.5, x * -1)
    out.backward()
    assert out.shape == (4,) and np.isfinite(x.grad.asnumpy()).all()

"""Regressions found by conformance/cases/gluon_loss_init.py (expected values from MXNet 1.9.1)."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import nd


def test_lstm_bias_sets_the_forget_gate_quarter():
    p = mx.gluon.Parameter('b', shape=(8,), init=mx.init.LSTMBias(forget_bias=2.0))
    p.initialize()
    np.testing.assert_array_equal(p.data().asnumpy(), [0, 0, 2, 2, 0, 0, 0, 0])
    assert mx.init.LSTMBias().dumps() == '["lstmbias", {"forget_bias": 1.0}]'
    assert isinstance(mx.init.create('lstmbias'), mx.init.LSTMBias)


@pytest.mark.parametrize('bad', [lambda: mx.init.create('nope'),
                                 lambda: mx.init.create(3),
                                 lambda: mx.init.create(mx.init.One(), value=2),
                                 lambda: mx.init.register(object),
                                 lambda: mx.init.Mixed(['a', 'b'], [mx.init.One()])])
def test_initializer_registry_errors_are_assertion_errors(bad):
    with pytest.raises(AssertionError):
        bad()


def test_create_from_dict():
    assert mx.init.create({'initializer': 'normal', 'sigma': 0.5}).dumps() == \
        '["normal", {"sigma": 0.5}]'


def test_poisson_nll_compute_full_updates_in_place():
    pred, target = nd.array([[0.5, -0.2]]), nd.array([[2.0, 3.0]])
    loss = mx.gluon.loss.PoissonNLLLoss(compute_full=True)
    expected = np.exp([0.5, -0.2]) - [1.0, -0.6]
    expected += [2 * np.log(2) - 2 + 0.5 * np.log(4 * np.pi),
                 3 * np.log(3) - 3 + 0.5 * np.log(6 * np.pi)]
    np.testing.assert_allclose(loss(pred, target).asnumpy(), [expected.mean()], rtol=1e-5)
    pred.attach_grad()
    with mx.autograd.record(), pytest.raises(mx.base.MXNetError):
        loss(pred, target)

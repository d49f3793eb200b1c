"""Regressions found by the gluon_optim conformance cases (Trainer, lr_scheduler,
clip_global_norm)."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, gluon


def _two_context_net(ctxs):
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize(mx.init.Constant(0.1), ctx=ctxs)
    for ctx in ctxs:
        with autograd.record():
            loss = net(mx.nd.ones((2, 3), ctx=ctx)).sum()
        loss.backward()
    return net


def test_trainer_takes_a_dict_in_sorted_name_order():
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), 'sgd')
    assert [p.name for p in trainer._params] == sorted(net.collect_params().keys())


def test_update_on_kvstore_refuses_the_split_api():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    net = _two_context_net(ctxs)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    with pytest.raises(AssertionError):
        trainer.allreduce_grads()
    with pytest.raises(AssertionError):
        trainer.update(2)
    trainer.step(2)                    # grads 2 per context, summed: 0.1 - 0.1 * 4 / 2
    for ctx in ctxs:
        np.testing.assert_allclose(net.weight.data(ctx).asnumpy(), -0.1, rtol=1e-6)
        np.testing.assert_allclose(net.weight.grad(ctx).asnumpy(), 2.0)   # left as is


def test_update_on_kvstore_false_allows_the_split_api():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    net = _two_context_net(ctxs)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1},
                            update_on_kvstore=False)
    trainer.allreduce_grads()
    trainer.update(2)
    np.testing.assert_allclose(net.weight.data(ctxs[1]).asnumpy(), -0.1, rtol=1e-6)


def test_nadam_schedule_advances_once_per_step_on_kvstore():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    schedules = []
    for on_kvstore in (True, False):
        trainer = gluon.Trainer(_two_context_net(ctxs).collect_params(), 'nadam',
                                update_on_kvstore=on_kvstore)
        trainer.step(2)
        schedules.append(trainer.optimizer.m_schedule)
    momentum_1 = 0.9 * (1 - 0.5 * 0.96 ** 0.004)
    # two parameters: one factor each on the kvstore, one per context and parameter without
    assert schedules[0] == pytest.approx(momentum_1 ** 2)
    assert schedules[1] == pytest.approx(momentum_1 ** 4)


def test_step_with_deferred_parameter_raises_deferred_initialization_error():
    net = gluon.nn.Dense(2)
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), 'sgd')
    with pytest.raises(mx.gluon.parameter.DeferredInitializationError):
        trainer.step(1)


@pytest.mark.parametrize('klass', [mx.lr_scheduler.PolyScheduler,
                                   mx.lr_scheduler.CosineScheduler])
def test_scheduler_max_update_must_be_an_int(klass):
    with pytest.raises(AssertionError):
        klass(max_update=2.5)
    with pytest.raises(ValueError):
        klass(max_update=0)


def test_clip_global_norm_returns_a_numpy_float32():
    norm = gluon.utils.clip_global_norm([mx.nd.array([3.0, 4.0])], 1.0)
    assert isinstance(norm, np.float32) and norm == 5.0

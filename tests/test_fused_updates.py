"""Optimizer updates queued by ``fused_updates`` (one jitted call per op) and compute-heavy
ops that save their vjp residuals while recording: both must give exactly what the plain
paths give."""
import contextlib

import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd
from mxnet_compat.ndarray.registry import OPS, fused_updates


def _arrays(seed, shapes):
    rs = np.random.RandomState(seed)
    return [nd.array(rs.uniform(-1, 1, s)) for s in shapes]


@pytest.mark.parametrize('name,kwargs', [('sgd', {'momentum': 0.9, 'wd': 0.01}),
                                         ('adam', {'wd': 0.001}), ('rmsprop', {}),
                                         ('nag', {'momentum': 0.5})])
def test_fused_optimizer_step_equals_one_call_per_weight(name, kwargs):
    shapes = [(4, 3), (4,), (2, 4), (2,)]
    results = []
    for fused in (False, True):
        weights, grads = _arrays(0, shapes), _arrays(1, shapes)
        opt = mx.optimizer.create(name, learning_rate=0.1, **kwargs)
        updater = mx.optimizer.get_updater(opt)
        for _ in range(3):
            if fused:
                with fused_updates():
                    updater(list(range(4)), grads, weights)
            else:
                updater(list(range(4)), grads, weights)
        results.append([w.asnumpy() for w in weights])
    for plain, fused in zip(*results):
        np.testing.assert_array_equal(plain, fused)


@pytest.mark.parametrize('name', ['sgd', 'adam'])
def test_fused_float16_multi_precision_with_a_changing_rate_equals_one_call_per_weight(name):
    # the fused call passes the rates as one float64 array read back as weak scalars:
    # float16 weights and a float32 master copy must see exactly what Python floats give
    shapes = [(5, 3), (5,)]
    results = []
    for fused in (False, True):
        weights = [w.astype('float16') for w in _arrays(5, shapes)]
        grads = [g.astype('float16') for g in _arrays(6, shapes)]
        sched = mx.lr_scheduler.FactorScheduler(step=1, factor=0.7)
        opt = mx.optimizer.create(name, learning_rate=0.1, multi_precision=True, wd=0.01,
                                  momentum=0.9, lr_scheduler=sched) if name == 'sgd' else \
            mx.optimizer.create(name, learning_rate=0.1, multi_precision=True, wd=0.01,
                                lr_scheduler=sched)
        updater = mx.optimizer.get_updater(opt)
        for _ in range(4):
            with fused_updates() if fused else contextlib.nullcontext():
                updater([0, 1], grads, weights)
        results.append([w.asnumpy() for w in weights])
    for plain, fused in zip(*results):
        assert plain.dtype == fused.dtype == np.float16
        np.testing.assert_array_equal(plain, fused)


def test_queue_runs_before_other_ops_and_before_rewriting_an_array():
    w, g = _arrays(2, [(3,), (3,)])
    start = w.asnumpy()
    with fused_updates():
        nd.sgd_update(w, g, lr=1.0, wd=0.0, out=w)
        seen = (w + 0).asnumpy()                  # another op: the queue runs first
        nd.sgd_update(w, g, lr=1.0, wd=0.0, out=w)
        nd.sgd_update(w, g, lr=1.0, wd=0.0, out=w)   # reads what the previous call writes
    np.testing.assert_allclose(seen, start - g.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(w.asnumpy(), start - 3 * g.asnumpy(), rtol=1e-6)


def test_queued_error_is_an_mxnet_error():
    w, g = _arrays(3, [(3,), (4,)])
    with pytest.raises(mx.base.MXNetError):
        with fused_updates():
            nd.sgd_update(w, g, lr=1.0, wd=0.0, out=w)


def test_trainer_step_uses_one_compiled_update_for_all_weights():
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    cache = OPS['sgd_update']._fused_cache
    with autograd.record():
        loss = net(nd.ones((4, 3))).sum()
    loss.backward()
    trainer.step(4)
    assert any(n == 2 for (_, n, _, _) in cache)


def test_saved_residuals_give_the_replayed_gradients_and_exact_higher_order():
    rs = np.random.RandomState(4)
    x = nd.array(rs.uniform(size=(2, 1, 6, 6)))
    w = nd.array(rs.uniform(size=(3, 1, 3, 3)))
    fc = nd.array(rs.uniform(size=(2, 12)))
    x.attach_grad()
    for _ in range(3):                          # eager, then the compiled replay
        with autograd.record():
            h = nd.Convolution(x, w, kernel=(3, 3), num_filter=3, no_bias=True)
            h = nd.Pooling(h, kernel=(2, 2), stride=(2, 2), pool_type='max')
            y = nd.FullyConnected(h, fc, num_hidden=2, no_bias=True)
            loss = (y * y).sum()
        loss.backward()
        grads = x.grad.asnumpy().copy()
        assert np.isfinite(grads).all() and np.abs(grads).sum() > 0
    import jax
    import jax.numpy as jnp

    def f(xv):
        h = jax.lax.conv_general_dilated(xv, w._value, (1, 1), 'VALID',
                                         dimension_numbers=('NCHW', 'OIHW', 'NCHW'))
        h = jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), 'VALID')
        y = h.reshape(2, -1) @ fc._value.T
        return (y * y).sum()
    np.testing.assert_allclose(grads, np.asarray(jax.grad(f)(x._value)), rtol=1e-4, atol=1e-5)
    with autograd.record():                     # second order goes through the exact replay
        y = nd.FullyConnected(x.reshape((2, -1)), nd.ones((1, 36)), num_hidden=1,
                              no_bias=True)
        gx = autograd.grad((y ** 3).sum(), [x], create_graph=True)[0]
        z = gx.sum()
    z.backward()
    s = x.asnumpy().reshape(2, -1).sum(axis=1)
    expected = np.repeat(6 * s * 36, 36).reshape(x.shape)   # d/dx sum_j 3 s^2 = 6 s * 36
    np.testing.assert_allclose(x.grad.asnumpy(), expected, rtol=1e-4)


def test_user_optimizer_updates_are_not_deferred():
    # A user's update may assign an array right after an update operator; deferring the
    # operator would reorder the two, so only this package's optimizers are fused.
    class ClampedSGD(mx.optimizer.Optimizer):
        def create_state(self, index, weight):
            return None

        def update(self, index, weight, grad, state):
            nd.sgd_update(weight, grad, lr=1.0, wd=0.0, out=weight)
            weight[:] = 0.5

    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), ClampedSGD(learning_rate=1.0))
    with autograd.record():
        loss = net(nd.ones((4, 3))).sum()
    loss.backward()
    trainer.step(4)
    assert (net.weight.data().asnumpy() == 0.5).all()
    assert (net.bias.data().asnumpy() == 0.5).all()

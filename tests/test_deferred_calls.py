"""Recorded calls of compiled blocks are deferred (autograd.Deferred): consecutive calls run
as one program when a value is needed.  Every way of needing a value must see the same
numbers as eager execution."""
import gc
import weakref

import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd
from mxnet_compat import autograd as ag


def _net(hybrid, seed=0):
    mx.random.seed(seed)
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(8, activation='relu', in_units=5), gluon.nn.Dense(3, in_units=8))
    net.initialize(mx.init.Xavier())
    if hybrid:
        net.hybridize()
    return net


def _data():
    rng = np.random.RandomState(1)
    return (nd.array(rng.uniform(-1, 1, (6, 5)), dtype='float64'),
            nd.array(rng.randint(0, 3, 6), dtype='float64'))


def _steps(hybrid, n=4, between=None, after_backward=None):
    net = _net(hybrid)
    net.cast('float64')
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    x, y = _data()
    losses = []
    for i in range(n):
        with autograd.record():
            out = net(x)
            if between is not None:
                between(out)
            loss = loss_fn(out, y)
        loss.backward()
        if after_backward is not None:
            after_backward(net, out, loss)
        trainer.step(6)
        losses.append(loss.asnumpy())
    return np.array(losses), [p.data().asnumpy() for p in net.collect_params().values()]


def _pending(arr):
    return type(arr._chunk._data) is ag.Pending


@pytest.mark.parametrize('between', [None, lambda o: o.asnumpy(), lambda o: str(o),
                                     lambda o: o.wait_to_read(), lambda o: nd.waitall()])
def test_training_matches_eager(between):
    ref_losses, ref_params = _steps(False)
    losses, params = _steps(True, between=between)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-12, atol=1e-12)
    for a, b in zip(params, ref_params):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_calls_are_deferred_and_chained():
    net = _net(True)
    loss_fn = gluon.loss.L2Loss()
    x, y = nd.ones((2, 5)), nd.zeros((2, 3))
    for _ in range(2):                      # first sighting of the signature runs now
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
    with autograd.record():
        out = net(x)
        loss = loss_fn(out, y)
    assert _pending(out) and _pending(loss)
    assert out._chunk._data.group is loss._chunk._data.group
    assert out.shape == (2, 3) and out.dtype == np.float32 and loss.shape == (2,)
    loss.backward()
    # the (compiled) backward pass took the pending forward over: both wait for a reader
    assert _pending(out) and _pending(loss)
    assert all(_pending(p.grad()) for p in net.collect_params().values())
    grads = [p.grad().asnumpy() for p in net.collect_params().values()]
    assert not _pending(out) and not _pending(loss)
    # the same step, run eagerly
    net.hybridize(False)
    with autograd.record():
        loss2 = loss_fn(net(x), y)
    loss2.backward()
    np.testing.assert_allclose(loss.asnumpy(), loss2.asnumpy(), rtol=1e-6)
    for g, p in zip(grads, net.collect_params().values()):
        np.testing.assert_allclose(g, p.grad().asnumpy(), rtol=1e-5, atol=1e-7)


def test_eager_op_on_pending_output_and_other_groups():
    net1, net2 = _net(True, 0), _net(True, 1)
    x = nd.array(np.random.RandomState(0).rand(4, 5))
    for _ in range(2):
        with autograd.record():
            a, b = net1(x), net2(x)
    with autograd.record():
        a, b = net1(x), net2(x)              # two groups
        assert a._chunk._data.group is not b._chunk._data.group
        c = (a * b).sum() + nd.relu(a).sum()  # eager ops run both groups
    c.backward()
    got = [p.grad().asnumpy() for p in net1.collect_params().values()]
    net1.hybridize(False)
    net2.hybridize(False)
    with autograd.record():
        a, b = net1(x), net2(x)
        c2 = (a * b).sum() + nd.relu(a).sum()
    c2.backward()
    np.testing.assert_allclose(c.asnumpy(), c2.asnumpy(), rtol=1e-6)
    for g, p in zip(got, net1.collect_params().values()):
        np.testing.assert_allclose(g, p.grad().asnumpy(), rtol=1e-5, atol=1e-6)


def test_long_chains_are_split_without_a_compile_storm():
    cell = gluon.nn.Dense(5, in_units=5, activation='tanh')
    cell.initialize(mx.init.Xavier())
    cell.hybridize()
    x = nd.array(np.random.RandomState(0).rand(3, 5))
    x.attach_grad()

    def run(n):
        groups = []
        with autograd.record():
            h = x
            for _ in range(n):
                h = cell(h)
                if _pending(h):
                    groups.append(h._chunk._data.group)
        h.backward()
        groups = {id(g) for g in groups}
        return groups, x.grad.asnumpy().copy()
    run(2)
    ag.Deferred.programs.clear()
    groups, g1 = run(10)
    assert len(groups) >= 3                   # at most MAX_CALLS calls per group
    for n in range(3, 13):                    # chains of any length: groups of 2..4 calls
        _, g2 = run(n)
    assert len(ag.Deferred.programs.entries) <= 3   # one program per group size, no storm
    _, g2 = run(10)
    np.testing.assert_allclose(g1, g2, rtol=1e-6)
    cell.hybridize(False)
    with autograd.record():
        h = x
        for _ in range(10):
            h = cell(h)
    h.backward()
    np.testing.assert_allclose(g2, x.grad.asnumpy(), rtol=1e-5, atol=1e-7)


def test_write_into_pending_output_and_unused_outputs():
    net = _net(True)
    x = nd.ones((2, 5))
    for _ in range(2):
        with autograd.record():
            net(x)
    with autograd.record():
        out = net(x)
        other = net(x)
    out[:] = 7                                # outside record: replaces the pending value
    assert _pending(other)                    # nothing has needed the group yet
    assert (out.asnumpy() == 7).all()
    np.testing.assert_allclose(other.asnumpy(), net(x).asnumpy(), rtol=1e-6)
    assert (out.asnumpy() == 7).all()         # the group's run did not overwrite it
    node = weakref.ref(other._node)
    del other, out
    gc.collect()
    assert node() is None


def test_higher_order_through_a_deferred_call():
    blk = gluon.nn.Dense(1, in_units=1, use_bias=False)
    blk.initialize(mx.init.Constant(2.0))
    blk.hybridize()
    x = nd.array([[3.0]])
    x.attach_grad()
    for _ in range(3):
        with autograd.record():
            y = blk(x) ** 3                       # (2x)^3
            (g,) = autograd.grad(y, [x], create_graph=True)
        g.backward()
    # dy/dx = 24 x^2 = 216; d2y/dx2 = 48 x = 144
    assert g.asscalar() == pytest.approx(216.0)
    assert x.grad.asscalar() == pytest.approx(144.0)


# --------------------------------------------------------------------------- backward
# A compiled backward pass defers its gradients; Trainer.step's fused update computes them
# in the same program.  Reading a gradient first runs the backward alone: both orders must
# give the same numbers.

def _fused_programs():
    return ag.DeferredBackward.programs.compiles


def _train(opt, opt_args, read_grads, hybrid=True, dtype='float64', steps=5, **kw):
    net = _net(hybrid)
    net.cast(dtype)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), opt, dict(opt_args), **kw)
    x, y = _data()
    x, y = x.astype(dtype), y.astype(dtype)
    params = list(net.collect_params().values())
    for _ in range(steps):
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        if read_grads:
            for p in params:
                p.grad().wait_to_read()
        trainer.step(6)
    return [p.data().asnumpy() for p in params], [p.grad().asnumpy() for p in params]


@pytest.mark.parametrize('opt, opt_args, dtype', [
    ('sgd', {'learning_rate': 0.1}, 'float64'),
    ('sgd', {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 1e-3, 'clip_gradient': 0.5},
     'float64'),
    ('nag', {'learning_rate': 0.1, 'momentum': 0.9}, 'float64'),
    ('adam', {'learning_rate': 0.01}, 'float64'),
    ('rmsprop', {'learning_rate': 0.01}, 'float32'),   # its state is float32, as in MXNet
    ('ftml', {'learning_rate': 0.01}, 'float64'),   # no update operator: runs alone
])
def test_update_fused_with_backward_matches(opt, opt_args, dtype):
    ref_w, ref_g = _train(opt, opt_args, read_grads=True, dtype=dtype)
    compiled = _fused_programs()
    w, g = _train(opt, opt_args, read_grads=False, dtype=dtype)
    # the update ran inside the backward's program (FTML is written with plain operators)
    assert (_fused_programs() > compiled) == (opt != 'ftml')
    tol = 1e-12 if dtype == 'float64' else 1e-6
    for a, b in zip(w + g, ref_w + ref_g):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * 1e-2)


def test_update_fused_with_backward_float16_multi_precision():
    args = {'learning_rate': 0.1, 'momentum': 0.9, 'multi_precision': True}
    ref_w, ref_g = _train('sgd', args, read_grads=True, dtype='float16')
    compiled = _fused_programs()
    w, g = _train('sgd', args, read_grads=False, dtype='float16')
    assert _fused_programs() > compiled
    for a, b in zip(w + g, ref_w + ref_g):
        assert a.dtype == np.float16
        np.testing.assert_array_equal(a, b)


def test_deferred_gradients_keep_trainer_semantics():
    net = _net(True)
    loss_fn = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    x, y = nd.ones((2, 5)), nd.zeros((2, 3))
    params = list(net.collect_params().values())
    for _ in range(4):
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(2)
    with autograd.record():
        loss = loss_fn(net(x), y)
    loss.backward()
    assert all(type(p.grad()._chunk._data) is ag.Pending for p in params)
    before = [p.data().asnumpy() for p in params]
    for p in params:
        p.zero_grad()                         # a write replaces the deferred gradient
    trainer.step(2)
    for p, b in zip(params, before):
        np.testing.assert_array_equal(p.data().asnumpy(), b)
        assert (p.grad().asnumpy() == 0).all()
    with pytest.raises(UserWarning, match='has not been updated by backward'):
        trainer.step(2)                       # stale: no backward since the last step


def test_grad_req_add_is_not_deferred():
    net = _net(True)
    loss_fn = gluon.loss.L2Loss()
    x, y = nd.ones((2, 5)), nd.zeros((2, 3))
    ref = _net(False)
    for n in (net, ref):
        n.collect_params().setattr('grad_req', 'add')
        for _ in range(4):
            with autograd.record():
                loss = loss_fn(n(x), y)
            loss.backward()
    for a, b in zip(net.collect_params().values(), ref.collect_params().values()):
        assert type(a.grad()._chunk._data) is not ag.Pending
        np.testing.assert_allclose(a.grad().asnumpy(), b.grad().asnumpy(), rtol=1e-5)


@pytest.mark.parametrize('hybrid', [True, False])
def test_training_loop_stops_compiling(hybrid):
    """After a few steps of warm-up (traces, the compiled backward, the combined
    programs) a repeated training step compiles nothing: the deferred programs' layouts
    keep the recorded graph's key stable."""
    import jax.monitoring
    compiles = []

    def listener(event, duration, **kwargs):
        if event == '/jax/core/compile/backend_compile_duration':
            compiles.append(event)
    net = _net(hybrid)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1,
                                                          'momentum': 0.9})
    x, y = nd.ones((4, 5)), nd.array([0, 1, 2, 1])

    def step():
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(4)
        return loss
    for _ in range(4):
        step()
    jax.monitoring.register_event_duration_secs_listener(listener)
    try:
        for _ in range(6):
            step().wait_to_read()
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)
    assert compiles == []


def test_deferred_gradient_fed_to_a_hybridized_block():
    net = _net(True)
    blk = gluon.nn.Dense(2, in_units=5)
    blk.initialize()
    blk.hybridize()
    x = nd.ones((3, 5))
    x.attach_grad()
    runs = []
    for _ in range(4):
        with autograd.record():
            y = (net(x) ** 2).sum()
        y.backward()
        runs.append(type(x.grad._chunk._data) is ag.Pending)
    # deferred from the compiled (second) backward on; each overwrites the last unread one
    assert runs == [False, True, True, True]
    expected = blk(x.grad.copy())
    with autograd.record():
        y = (net(x) ** 2).sum()
    y.backward()
    with autograd.record():
        out = blk(x.grad)                               # runs the backward first
    np.testing.assert_allclose(out.asnumpy(), expected.asnumpy(), rtol=1e-6)


# --------------------------------------------------------------------------- forward taken over
# A compiled backward pass of a graph that is not retained takes the pending forward group
# over: with Trainer.step's update, the forward, backward and update are one program.
# Whatever is read in between (the loss, a gradient, a new call on a pending output)
# runs the forward alone first, and the numbers stay the eager ones.

def _recorded_loss_on(out):
    with autograd.record():
        return gluon.loss.L2Loss()(out, nd.zeros(out.shape, dtype=out.dtype))


@pytest.mark.parametrize('after_backward', [
    lambda net, out, loss: loss.asnumpy(),
    lambda net, out, loss: out.wait_to_read(),
    lambda net, out, loss: next(iter(net.collect_params().values())).grad().asnumpy(),
    lambda net, out, loss: nd.waitall(),
    lambda net, out, loss: _recorded_loss_on(out),   # a compiled call on a pending output
])
def test_reads_after_backward_match_eager(after_backward):
    ref_losses, ref_params = _steps(False, n=5)
    losses, params = _steps(True, n=5, after_backward=after_backward)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-12, atol=1e-12)
    for a, b in zip(params, ref_params):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_training_step_is_one_program(monkeypatch):
    net = _net(True)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    x, y = _data()
    x, y = x.astype('float32'), y.astype('float32')
    for _ in range(4):
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(6)
    ran = []
    run = ag.Deferred.run
    monkeypatch.setattr(ag.Deferred, 'run', lambda g: (ran.append(g), run(g)))
    with autograd.record():
        out = net(x)
        loss = loss_fn(out, y)
    group = loss._chunk._data.group
    loss.backward()
    assert _pending(out) and _pending(loss) and group.closed
    with autograd.record():
        again = net(x)                        # a closed group takes no more calls
    assert not _pending(again) or again._chunk._data.group is not group
    trainer.step(6)
    # the forward group never ran on its own: the step's program filled its outputs
    assert group not in ran and group.done and group.results is None
    assert not _pending(out) and not _pending(loss)
    # (the values are the eager ones: test_training_matches_eager reads the losses after
    # each step, i.e. from this program)


def test_retained_graph_keeps_the_forward_out():
    net = _net(True)
    loss_fn = gluon.loss.L2Loss()
    x, y = nd.ones((2, 5)), nd.zeros((2, 3))
    params = list(net.collect_params().values())
    for _ in range(3):
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
    with autograd.record():
        loss = loss_fn(net(x), y)
    loss.backward(retain_graph=True)          # a second pass needs the recorded residuals
    assert not _pending(loss)
    first = [p.grad().asnumpy() for p in params]
    loss.backward()
    for p, g in zip(params, first):
        np.testing.assert_array_equal(p.grad().asnumpy(), g)

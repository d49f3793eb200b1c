"""Built-in losses run compiled even when not hybridized (HybridBlock._compiled_forward):
same values and gradients as their eager operators, one autograd node; a subclass with its
own hybrid_forward, and the losses with side effects, stay eager."""
import inspect

import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd

L = gluon.loss


def _eager(cls):
    class Eager(cls):
        def hybrid_forward(self, F, *args, **kwargs):
            return super().hybrid_forward(F, *args, **kwargs)
    return Eager


CASES = [
    (L.SoftmaxCrossEntropyLoss, {}, lambda rs: [rs.uniform(size=(6, 5)), rs.randint(0, 5, 6)]),
    (L.SoftmaxCrossEntropyLoss, {'sparse_label': False},
     lambda rs: [rs.uniform(size=(6, 5)), rs.dirichlet(np.ones(5), 6)]),
    (L.L2Loss, {'weight': 0.5}, lambda rs: [rs.uniform(size=(4, 3)), rs.uniform(size=(4, 3))]),
    (L.SigmoidBinaryCrossEntropyLoss, {},
     lambda rs: [rs.uniform(-2, 2, (4, 3)), rs.randint(0, 2, (4, 3))]),
    (L.HuberLoss, {'rho': 0.5}, lambda rs: [rs.uniform(size=(4, 3)), rs.uniform(size=(4, 3))]),
    (L.TripletLoss, {}, lambda rs: [rs.uniform(size=(4, 3)) for _ in range(3)]),
    (L.CosineEmbeddingLoss, {},
     lambda rs: [rs.uniform(size=(4, 3)), rs.uniform(size=(4, 3)), rs.choice([-1, 1], 4)]),
]


@pytest.mark.parametrize('cls,kwargs,make', CASES)
def test_compiled_loss_matches_its_eager_operators(cls, kwargs, make):
    results = []
    for klass in (cls, _eager(cls)):
        loss_fn = klass(**kwargs)
        arrays = [nd.array(a, dtype='float64') for a in make(np.random.RandomState(0))]
        arrays[0].attach_grad()
        if 'sample_weight' in inspect.signature(cls.hybrid_forward).parameters:
            arrays.append(nd.array(np.linspace(0.5, 1.5, arrays[0].shape[0])[:, None],
                                   dtype='float64'))
        with autograd.record():
            out = loss_fn(*arrays)
        out.backward()
        assert (loss_fn._cached_graph is not None) == (klass is cls)
        results.append((out.asnumpy(), arrays[0].grad.asnumpy()))
    for compiled, eager in zip(*results):
        np.testing.assert_allclose(compiled, eager, rtol=1e-12, atol=1e-14)


def test_compiled_loss_supports_higher_order_gradients():
    x = nd.array([[0.2, -0.4, 1.0]], dtype='float64')
    y = nd.array([[0.0, 1.0, 0.5]], dtype='float64')
    x.attach_grad()
    with autograd.record():
        loss = L.L2Loss()(x, y)
        g = autograd.grad(loss, [x], create_graph=True)[0]   # mean over 3: (x - y) / 3
        z = (g * g).sum()
    z.backward()
    diff = x.asnumpy() - y.asnumpy()
    np.testing.assert_allclose(g.asnumpy(), diff / 3, rtol=1e-12)
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * diff / 9, rtol=1e-12)


def test_changing_a_loss_setting_after_the_first_call_takes_effect():
    # an un-hybridized loss reads its settings at every call in MXNet; the compiled one
    # keys its traces on them
    loss_fn = L.L2Loss(weight=1.0)
    pred, label = nd.array([[1.0, 3.0]]), nd.array([[0.0, 0.0]])
    assert loss_fn(pred, label).asnumpy().tolist() == [2.5]
    loss_fn._weight = 2.0
    assert loss_fn(pred, label).asnumpy().tolist() == [5.0]
    hybrid = L.L2Loss(weight=1.0)
    hybrid.hybridize()
    hybrid(pred, label)
    hybrid._weight = 2.0                 # a hybridized graph keeps what it was built with
    assert hybrid(pred, label).asnumpy().tolist() == [2.5]


def test_losses_with_side_effects_stay_eager():
    loss_fn = L.PoissonNLLLoss(compute_full=True)
    pred, target = nd.array([[0.5, 1.0]]), nd.array([[2.0, 3.0]])
    pred.attach_grad()
    with pytest.raises(mx.base.MXNetError):
        with autograd.record():          # its in-place += fails under record, as in MXNet
            loss_fn(pred, target)
    assert loss_fn._cached_graph is None

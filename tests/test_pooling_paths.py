"""Max pooling's two implementations (non-overlapping tiles, reduce_window) against MXNet.

Goldens (tests/goldens/pooling_max_grad.json) were recorded with MXNet 1.9.1: the gradient
goes to the first maximal element of each window (row-major), windows that leave a
remainder ('valid') crop it, 'full' windows run past the edge."""
import json
import os

import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, nd

GOLDENS = json.load(open(os.path.join(os.path.dirname(__file__), 'goldens',
                                      'pooling_max_grad.json')))


@pytest.mark.parametrize('name', sorted(GOLDENS))
def test_max_pool_forward_and_gradient_match_mxnet(name):
    g = GOLDENS[name]
    x = nd.array(np.array(g['x'], np.float32)[None, None])
    x.attach_grad()
    with autograd.record():
        y = nd.Pooling(x, kernel=(g['k'],) * 2, stride=(g['s'],) * 2, pad=(g['pad'],) * 2,
                       pool_type='max', pooling_convention=g['conv'])
    y.backward(nd.arange(1, y.size + 1).reshape(y.shape))
    assert y.asnumpy()[0, 0].tolist() == g['y']
    assert x.grad.asnumpy()[0, 0].tolist() == g['grad']


def test_tiles_and_reduce_window_agree_on_ties():
    # Pooling(kernel=stride=2) runs _max_pool_tiles; jax's reduce_window (the general path)
    # must give the same values and route ties' gradients to the same elements.
    from mxnet_compat.ndarray.ops_nn import _max_pool_tiles
    import jax
    from jax import lax
    x = np.random.RandomState(0).randint(0, 3, (2, 3, 6, 8)).astype(np.float32)
    pad = ((0, 0),) * 4

    def window(v):
        return lax.reduce_window(v, -np.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), pad)
    y1, back1 = jax.vjp(window, x)
    y2, back2 = jax.vjp(lambda v: _max_pool_tiles(v, (2, 2), pad), x)
    head = np.arange(y1.size, dtype=np.float32).reshape(y1.shape)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(back1(head)[0], back2(head)[0])


def test_max_pool_second_order_gradient_is_zero():
    x = nd.array(np.random.RandomState(1).uniform(size=(1, 2, 4, 4)))
    x.attach_grad()
    with autograd.record():
        y = nd.Pooling(x, kernel=(2, 2), stride=(2, 2), pool_type='max')
        gx = autograd.grad(y.sum(), [x], create_graph=True)[0]
        z = (gx * x).sum()
    z.backward()
    assert gx.asnumpy().sum() == 8
    assert (x.grad.asnumpy() == gx.asnumpy()).all()

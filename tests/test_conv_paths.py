"""Convolution's CPU paths against XLA's convolution (the general path).

Few-channel convolutions keep XLA's forward but take their gradient as matmuls of patches
(ops_nn._few_channel_conv); one-channel inputs run as patches times filters.  Both must give
XLA's values and gradients (float64 here, so the comparison is tight), for 1-D/2-D/3-D,
stride, dilation, padding and a stride that leaves a remainder (its rows get no gradient)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from mxnet import autograd, nd
from mxnet_compat.ndarray import ops_nn

CASES = [  # data shape, weight shape, stride, dilate, pad
    ((2, 3, 9, 7), (4, 3, 3, 2), (1, 1), (1, 1), (0, 0)),
    ((2, 6, 12, 12), (16, 6, 5, 5), (1, 1), (1, 1), (0, 0)),       # LeNet's second layer
    ((3, 2, 6, 6), (5, 2, 3, 3), (2, 2), (1, 1), (0, 0)),          # remainder: 6 = 2*2 + 2
    ((2, 4, 10, 9), (3, 4, 3, 3), (2, 1), (2, 1), (1, 2)),
    ((2, 5, 11), (4, 5, 3), (2,), (1,), (1,)),                     # 1-D: XLA (checked too)
    ((1, 2, 5, 6, 4), (3, 2, 2, 3, 2), (1, 2, 1), (1, 1, 2), (1, 0, 1)),
    ((2, 1, 8, 8), (3, 1, 3, 3), (1, 1), (1, 1), (1, 1)),          # one channel
]


def _reference(x, w, stride, dilate, pad):
    return ops_nn._xla_conv(x, w, stride, dilate, pad)


@pytest.mark.parametrize('xs,ws,stride,dilate,pad', CASES)
def test_cpu_paths_give_xla_values_and_gradients(xs, ws, stride, dilate, pad):
    rs = np.random.RandomState(0)
    x, w = rs.uniform(-1, 1, xs), rs.uniform(-1, 1, ws)
    kernel = ws[2:]
    out = [(s + 2 * p - d * (k - 1) - 1) // st + 1
           for s, k, st, d, p in zip(xs[2:], kernel, stride, dilate, pad)]
    if xs[1] == 1:
        path = ops_nn._single_channel_conv
    else:
        assert ops_nn._use_patch_gradient(xs, ws[0], kernel, out) == (len(kernel) > 1)
        path = ops_nn._few_channel_conv     # correct for any rank, whether chosen or not
    head = rs.uniform(-1, 1, (xs[0], ws[0]) + tuple(out))
    results = []
    for conv in (_reference, path):
        y, back = jax.vjp(lambda a, b: conv(a, b, stride, dilate, pad), jnp.asarray(x),
                          jnp.asarray(w))
        results.append((y,) + back(jnp.asarray(head)))
    for ref, got in zip(*results):
        assert got.shape == ref.shape
        np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)


def test_few_channel_second_order_gradient_matches_xla():
    xs, ws, stride, dilate, pad = CASES[3]
    rs = np.random.RandomState(1)
    x, w = jnp.asarray(rs.uniform(-1, 1, xs)), jnp.asarray(rs.uniform(-1, 1, ws))

    def hess_w(conv):
        def loss(b):
            return jnp.sum(jnp.sin(conv(x, b, stride, dilate, pad)))
        return jax.grad(lambda b: jnp.sum(jax.grad(loss)(b) ** 2))(w)
    np.testing.assert_allclose(hess_w(ops_nn._few_channel_conv), hess_w(_reference),
                               rtol=1e-10, atol=1e-12)


def test_convolution_op_takes_the_few_channel_path_and_its_gradient():
    rs = np.random.RandomState(2)
    x = nd.array(rs.uniform(size=(2, 3, 7, 7)), dtype='float64')
    w = nd.array(rs.uniform(size=(4, 3, 3, 3)), dtype='float64')
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        y = nd.Convolution(x, w, kernel=(3, 3), num_filter=4, no_bias=True, pad=(1, 1))
    y.backward(nd.ones_like(y) * 0.5)
    _, back = jax.vjp(lambda a, b: _reference(a, b, (1, 1), (1, 1), (1, 1)),
                      jnp.asarray(x.asnumpy()), jnp.asarray(w.asnumpy()))
    gx, gw = back(jnp.full(y.shape, 0.5))
    np.testing.assert_allclose(x.grad.asnumpy(), gx, rtol=1e-10)
    np.testing.assert_allclose(w.grad.asnumpy(), gw, rtol=1e-10)
    assert jax.make_jaxpr(lambda a, b: ops_nn.OPS['Convolution'].impl(
        a, b, kernel=(3, 3), stride=(), dilate=(), pad=(1, 1), num_filter=4, num_group=1,
        workspace=1024, no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None))(
        x._value, w._value).eqns[0].primitive.name.startswith('custom_vjp_call')


def test_large_or_wide_convolutions_keep_xla_gradients():
    assert not ops_nn._use_patch_gradient((64, 16, 32, 32), 32, (3, 3), (32, 32))
    assert not ops_nn._use_patch_gradient((8, 3, 64, 64), 64, (7, 7), (32, 32))
    assert not ops_nn._use_patch_gradient((64, 8, 28, 28), 16, (5, 5), (24, 24))

"""Convolution's CPU formulations (ndarray/conv_cpu.py) against XLA's convolution.

Every formulation -- one input channel as space-to-depth patches times the rearranged
kernel ('s2d') or as patches times filters ('cols'), XLA's forward with the gradients as
matmuls of rebuilt patches ('patches') -- must give XLA's values, gradients
and second-order gradients (float64, so the comparison is tight), for 1-D/2-D/3-D, stride,
dilation, padding and a stride that leaves a remainder (those rows get no gradient)."""
import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from mxnet import autograd, nd
from mxnet_compat.ndarray import conv_cpu

CASES = [  # data shape, weight shape, stride, dilate, pad
    ((2, 3, 9, 7), (4, 3, 3, 2), (1, 1), (1, 1), (0, 0)),
    ((2, 6, 12, 12), (16, 6, 5, 5), (1, 1), (1, 1), (0, 0)),       # LeNet's second layer
    ((3, 2, 6, 6), (5, 2, 3, 3), (2, 2), (1, 1), (0, 0)),          # remainder: 6 = 2*2 + 2
    ((2, 4, 10, 9), (3, 4, 3, 3), (2, 1), (2, 1), (1, 2)),
    ((2, 5, 11), (4, 5, 3), (2,), (1,), (1,)),
    ((1, 2, 5, 6, 4), (3, 2, 2, 3, 2), (1, 2, 1), (1, 1, 2), (1, 0, 1)),
    ((2, 1, 8, 8), (3, 1, 3, 3), (1, 1), (1, 1), (1, 1)),          # one channel
    ((2, 1, 9, 7), (2, 1, 3, 2), (2, 3), (1, 2), (1, 0)),
    ((2, 1, 12, 12), (6, 1, 5, 5), (1, 1), (1, 1), (0, 0)),        # LeNet's first layer
    ((2, 1, 13, 10), (3, 1, 5, 5), (1, 1), (1, 1), (2, 2)),        # d2l's, odd sizes
    ((3, 1, 7, 9), (4, 1, 2, 3), (1, 1), (1, 1), (0, 1)),          # even, non-square
]
FORMS = ['s2d', 'cols', 'patches']


def _conv(form, stride, dilate, pad):
    def conv(x, w):
        if form is None:
            return conv_cpu.xla_conv(x, w, stride, dilate, pad)
        return conv_cpu.cpu_conv(x, w, stride, dilate, pad, form)
    return conv


def _forms(case):
    xs, ws, stride, dilate, _ = case
    s2d = (len(ws) == 4 and min(ws[2:]) > 1 and tuple(stride) == (1, 1)
           and tuple(dilate) == (1, 1))
    return [f for f in FORMS if (f != 'patches') == (xs[1] == 1) and (f != 's2d' or s2d)]


@pytest.mark.parametrize('case,form', [(c, f) for c in CASES for f in _forms(c)])
def test_formulations_give_xla_values_and_gradients(case, form):
    xs, ws, stride, dilate, pad = case
    rs = np.random.RandomState(0)
    x, w = jnp.asarray(rs.uniform(-1, 1, xs)), jnp.asarray(rs.uniform(-1, 1, ws))
    out = conv_cpu.out_sizes(xs[2:], ws[2:], stride, dilate, pad)
    head = jnp.asarray(rs.uniform(-1, 1, (xs[0], ws[0]) + tuple(out)))
    results = []
    for f in (None, form):
        y, back = jax.vjp(_conv(f, stride, dilate, pad), x, w)
        results.append((y,) + back(head))
    for ref, got in zip(*results):
        assert got.shape == ref.shape
        np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize('case', [CASES[3], CASES[7], CASES[9]])
def test_second_order_gradients_match_xla(case):
    xs, ws, stride, dilate, pad = case
    rs = np.random.RandomState(1)
    x, w = jnp.asarray(rs.uniform(-1, 1, xs)), jnp.asarray(rs.uniform(-1, 1, ws))

    def second(form):
        conv = _conv(form, stride, dilate, pad)

        def loss(a, b):
            return jnp.sum(jnp.sin(conv(a, b)))
        return jax.grad(lambda a, b: sum(jnp.sum(g ** 2) for g in jax.grad(loss, (0, 1))(a, b)),
                        (0, 1))(x, w)
    for form in _forms(case):
        for got, ref in zip(second(form), second(None)):
            np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12)


def test_plan_follows_the_measured_limits():
    plan = conv_cpu.plan
    assert plan((128, 1, 28, 28), 6, (5, 5), (1, 1), (1, 1), (0, 0)) == 's2d'
    assert plan((128, 1, 28, 28), 6, (5, 5), (2, 2), (1, 1), (0, 0)) == 'cols'
    assert plan((128, 1, 28, 28), 64, (5, 5), (1, 1), (1, 1), (0, 0)) == 'cols'
    assert plan((128, 1, 100), 6, (5,), (1,), (1,), (0,)) == 'cols'
    assert plan((128, 6, 12, 12), 16, (5, 5), (1, 1), (1, 1), (0, 0)) == 'patches'
    assert plan((64, 3, 32, 32), 32, (3, 3), (1, 1), (1, 1), (1, 1)) == 'patches'
    for big in [((64, 16, 32, 32), 32, (3, 3)), ((8, 3, 64, 64), 64, (7, 7)),
                ((64, 8, 28, 28), 16, (5, 5)), ((32, 8, 100), 32, (5,))]:
        shape, num_filter, kernel = big
        n = len(kernel)
        assert plan(shape, num_filter, kernel, (1,) * n, (1,) * n, (0,) * n) is None


@pytest.mark.parametrize('shape,num_filter', [((2, 3, 7, 7), 4), ((2, 1, 7, 7), 5)])
def test_convolution_operator_uses_the_plan_and_gives_xla_gradients(shape, num_filter):
    rs = np.random.RandomState(2)
    x = nd.array(rs.uniform(size=shape), dtype='float64')
    w = nd.array(rs.uniform(size=(num_filter, shape[1], 3, 3)), dtype='float64')
    assert conv_cpu.plan(shape, num_filter, (3, 3), (1, 1), (1, 1), (1, 1)) is not None
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        y = nd.Convolution(x, w, kernel=(3, 3), num_filter=num_filter, no_bias=True,
                           pad=(1, 1))
    y.backward(nd.ones_like(y) * 0.5)
    ref, back = jax.vjp(_conv(None, (1, 1), (1, 1), (1, 1)), jnp.asarray(x.asnumpy()),
                        jnp.asarray(w.asnumpy()))
    gx, gw = back(jnp.full(ref.shape, 0.5))
    np.testing.assert_allclose(y.asnumpy(), ref, rtol=1e-10)
    np.testing.assert_allclose(x.grad.asnumpy(), gx, rtol=1e-10)
    np.testing.assert_allclose(w.grad.asnumpy(), gw, rtol=1e-10)


def test_offset_windows_are_row_major_kernel_offsets():
    windows = conv_cpu.offset_windows((6, 5), (2, 3), (2, 1), (1, 2))
    offsets = [tuple(s.start for s in w) for w in windows]
    assert offsets == [(i, 2 * j) for i, j in itertools.product(range(2), range(3))]
    assert all(w[0].step == 2 and w[1].step == 1 for w in windows)

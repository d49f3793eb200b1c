"""ROIPooling, SVMOutput, RNN and CTCLoss (ops_nn2.py).

* ``CASES`` (in ``goldens/record_ops_nn2.py``) run under real MXNet 1.9.1 by that recorder,
  stored in ``goldens/ops_nn2.json``, and run here under mxnet-compat: outputs, gradients
  and which calls fail;
* a few checks of autograd against finite differences for the ops the generated gradient
  test skips (RNN is random because of its dropout).
"""
import json

import numpy as np
import pytest

import mxnet as mx
from golden_support import load_recorder
from mxnet import autograd, nd
from mxnet_compat.ndarray import ops_nn2  # noqa: F401  (registers the records)
from mxnet_compat.ndarray.registry import OPS, make_function

R = load_recorder('record_ops_nn2')
with open(R.GOLDEN) as _f:
    GOLDENS = json.load(_f)

TOLERANCES = R.TOLERANCES


def _lookup(name):
    return getattr(nd, name) if hasattr(nd, name) else make_function(OPS[name])


_assert_encoded_equal = R.assert_encoded_equal


@pytest.mark.parametrize('case', R.CASES, ids=[c['name'] for c in R.CASES])
def test_matches_mxnet_golden(case):
    want = GOLDENS[case['name']]
    got = R.run_case(mx, case, _lookup)
    if 'error' in want:
        assert 'error' in got, 'expected an error, got {}'.format(got)
        return
    assert 'error' not in got, 'raised {}'.format(got['error'])
    assert len(got['outputs']) == len(want['outputs'])
    for i, (g, w) in enumerate(zip(got['outputs'], want['outputs'])):
        _assert_encoded_equal(g, w, 'output {}'.format(i))
    for i, (g, w) in enumerate(zip(got.get('grads', []), want.get('grads', []))):
        _assert_encoded_equal(g, w, 'gradient {}'.format(i))


def _fn(name):
    return _lookup(name)


def test_rnn_dropout_only_in_training():
    rnn = _fn('RNN')
    rs = np.random.RandomState(0)
    x = nd.array(rs.randn(4, 2, 3))
    params = nd.array(rs.randn(R.n_params('rnn_tanh', 3, 5, 2, 1)) * 0.5)
    state = nd.zeros((2, 2, 5))
    kw = dict(state_size=5, num_layers=2, mode='rnn_tanh', p=0.5)
    a = rnn(x, params, state, **kw).asnumpy()
    b = rnn(x, params, state, **dict(kw, p=0.0)).asnumpy()
    np.testing.assert_allclose(a, b, rtol=1e-6)          # prediction: no dropout
    with autograd.train_mode():
        c = rnn(x, params, state, **kw).asnumpy()
    assert not np.allclose(a, c)


def _finite_difference_check(fn, arrays, wrt, **kwargs):
    xs = [nd.array(a, dtype='float64') for a in arrays]
    for i in wrt:
        xs[i].attach_grad()
    rs = np.random.RandomState(3)
    with autograd.record():
        out = fn(*xs, **kwargs)
        out = out[0] if isinstance(out, list) else out
        w = nd.array(rs.uniform(-1, 1, out.shape), dtype='float64')
        loss = (out * w).sum()
    loss.backward()

    def f(vals):
        o = fn(*[nd.array(v, dtype='float64') for v in vals], **kwargs)
        o = o[0] if isinstance(o, list) else o
        return float((o.asnumpy() * w.asnumpy()).sum())

    eps = 1e-6
    for i in wrt:
        num = np.zeros_like(arrays[i])
        for idx in np.ndindex(arrays[i].shape):
            plus = [a.copy() for a in arrays]
            minus = [a.copy() for a in arrays]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            num[idx] = (f(plus) - f(minus)) / (2 * eps)
        np.testing.assert_allclose(xs[i].grad.asnumpy(), num, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('mode', ['lstm', 'gru'])
def test_rnn_gradient_matches_finite_differences(mode):
    rs = np.random.RandomState(1)
    arrays = [rs.randn(3, 2, 2), rs.randn(R.n_params(mode, 2, 2, 1, 2)) * 0.5,
              rs.randn(2, 2, 2) * 0.5]
    if mode == 'lstm':
        arrays.append(rs.randn(2, 2, 2) * 0.5)
    _finite_difference_check(_fn('RNN'), arrays, range(len(arrays)), state_size=2,
                             num_layers=1, bidirectional=True, mode=mode)


def test_ctc_float64_gradient_and_lengths():
    rs = np.random.RandomState(2)
    arrays = [rs.randn(5, 2, 4), np.array([[1, 3, 3], [2, 1, 0]], dtype=np.float64),
              np.array([5, 3], dtype=np.float64)]
    _finite_difference_check(_fn('CTCLoss'), arrays, [0], use_data_lengths=True)

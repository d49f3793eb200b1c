"""Optimizer update operators against results recorded from real MXNet 1.9.1
(tests/goldens/record_optimizer_ops.py), including the in-place state updates."""
import json
import os
import sys

import numpy as np
import pytest

from mxnet import nd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'goldens'))
from optimizer_cases import CASES, VARIANTS, inputs, params  # noqa: E402

with open(os.path.join(HERE, 'goldens', 'optimizer_ops.json')) as f:
    GOLDEN = json.load(f)


@pytest.mark.parametrize('op', sorted(CASES))
@pytest.mark.parametrize('variant', range(len(VARIANTS)))
def test_update_matches_mxnet(op, variant):
    arrs = {k: nd.array(a) for k, a in inputs(op, seed=variant).items()}
    order = ['weight', 'grad'] + CASES[op][0]
    weight = arrs['weight']
    res = getattr(nd, op)(*[arrs[k] for k in order], out=weight, **params(op, variant))
    assert res is weight
    expected = GOLDEN['{}/{}'.format(op, variant)]
    for k in order:
        np.testing.assert_allclose(arrs[k].asnumpy(), np.array(expected[k], np.float32),
                                   rtol=1e-5, atol=1e-6, err_msg='{} of {}'.format(k, op))


def test_mixed_precision_sgd_keeps_a_float32_master_copy():
    w = nd.array([1.0, 2.0], dtype='float16')
    w32 = nd.array([1.0, 2.0])
    g = nd.array([0.5, 0.5], dtype='float16')
    nd.mp_sgd_update(w, g, w32, lr=0.1, out=w)
    np.testing.assert_allclose(w32.asnumpy(), [0.95, 1.95], rtol=1e-6)
    assert w.dtype is np.float16
    np.testing.assert_allclose(w.asnumpy(), [0.95, 1.95], rtol=1e-3)


import optimizer_extra_cases  # noqa: E402

with open(os.path.join(HERE, 'goldens', 'optimizer_extra.json')) as f:
    EXTRA = json.load(f)


def _as_np(v):
    if isinstance(v, (list, tuple)):
        return [_as_np(x) for x in v]
    return v.asnumpy().astype(np.float64)


@pytest.mark.parametrize('case', optimizer_extra_cases.CASES, ids=lambda c: c.__name__)
def test_lamb_lars_and_multi_updates_match_mxnet(case):
    for key, value in case(nd).items():
        got, want = _as_np(value), EXTRA['{}/{}'.format(case.__name__, key)]
        for g, w in zip(got if isinstance(got, list) else [got],
                        want if isinstance(got, list) else [want]):
            np.testing.assert_allclose(g, np.array(w), rtol=1e-3 if 'mp' in key else 1e-5,
                                       atol=1e-6, err_msg='{} {}'.format(case.__name__, key))

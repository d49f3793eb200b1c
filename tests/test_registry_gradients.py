"""Tests generated from the operator records: every differentiable operator whose record
gives (or defaults to) a sample input is gradient-checked against central finite
differences in float64, and its forward result keeps the dtype its rule promises.

A record's ``sample`` is a dict with any of ``params`` (keyword arguments), ``shapes`` (one
input shape per array input), ``range`` (low, high of the uniform values), ``inputs``
(explicit input values, e.g. valid indices) and ``wrt`` (the inputs to differentiate, by
position: index inputs are not differentiable); by default
one (2, 3) array per input with values in (0.2, 0.8), inside every elementwise function's
domain."""
import numpy as np
import pytest

from mxnet import nd, autograd
from mxnet_compat.ndarray.registry import OPS, REQUIRED

# Differentiable operators that this finite-difference check cannot judge, with the reason
# and where their gradients are checked instead (known exclusions are data, never silent).
NOT_GRADIENT_CHECKED = {
    'SoftmaxOutput': 'loss-defined gradient (softmax - label); tests/test_ops_nn_indexing.py '
                     'checks it against MXNet goldens',
    'LinearRegressionOutput': 'loss-defined gradient; conformance and ops_misc docs',
    'LogisticRegressionOutput': 'loss-defined gradient; conformance and ops_misc docs',
    'MAERegressionOutput': 'loss-defined gradient; conformance and ops_misc docs',
    'MakeLoss': 'gradient is grad_scale by definition, not a derivative',
    'stop_gradient': 'gradient is zero by definition (tests/test_autograd.py)',
    'Dropout': 'random mask; tests/test_ops_nn_indexing.py and conformance autograd cases',
    'BatchNorm': 'stateful wrapper; gradients checked against MXNet goldens in '
                 'tests/test_ops_nn_indexing.py',
    'RNN': 'random (dropout) and stateful inputs; finite differences in tests/test_ops_nn2.py',
}
# Random samplers (op.random) are excluded as a family: their parameters get zero gradients,
# as in MXNet, and their values are checked statistically in tests/test_random_linalg_io.py.
NOT_A_PLAIN_DERIVATIVE = set(NOT_GRADIENT_CHECKED)


def _sample(op):
    spec = op.sample or {}
    n = 2 if op.variadic else len(op.inputs)
    shapes = spec.get('shapes', [(2, 3)] * n)
    low, high = spec.get('range', (0.2, 0.8))
    rng = np.random.RandomState(0)
    inputs = [rng.uniform(low, high, shape) for shape in shapes]
    for i, value in enumerate(spec.get('inputs', ())):
        if value is not None:
            inputs[i] = np.asarray(value, dtype=np.float64)
    return inputs, dict(spec.get('params', {}))


def _checkable(op):
    if not op.differentiable or op.random or op.mutates or op.name in NOT_A_PLAIN_DERIVATIVE:
        return False
    given = (op.sample or {}).get('params', {})
    if any(p.default is REQUIRED and p.name not in given for p in op.params):
        return False
    return bool(op.inputs) or op.variadic


CHECKED = sorted({op.name for op in OPS.values() if _checkable(op)})


def _call(op, arrays, params):
    fn = getattr(nd, op.name)
    return fn(*arrays, **params)


@pytest.mark.parametrize('name', CHECKED)
def test_gradient_matches_finite_differences(name):
    op = OPS[name]
    inputs, params = _sample(op)
    xs = [nd.array(a, dtype='float64') for a in inputs]
    for x in xs:
        x.attach_grad()
    weights = None
    with autograd.record():
        out = _call(op, xs, params)
        outs = out if isinstance(out, list) else [out]
        rng = np.random.RandomState(1)
        weights = [nd.array(rng.uniform(-1, 1, o.shape), dtype='float64') for o in outs]
        loss = sum(((o * w).sum() for o, w in zip(outs, weights)), nd.zeros(1, dtype='float64'))
    loss.backward()

    def f(vals):
        arrays = [nd.array(v, dtype='float64') for v in vals]
        res = _call(op, arrays, params)
        res = res if isinstance(res, list) else [res]
        return sum(float((r.asnumpy() * w.asnumpy()).sum()) for r, w in zip(res, weights))

    eps = 1e-6
    for i, x in enumerate(xs):
        if i not in (op.sample or {}).get('wrt', range(len(xs))):
            continue
        base = [a.astype(np.float64) for a in inputs]
        num = np.zeros_like(base[i])
        for idx in np.ndindex(base[i].shape):
            plus = [b.copy() for b in base]
            minus = [b.copy() for b in base]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            num[idx] = (f(plus) - f(minus)) / (2 * eps)
        np.testing.assert_allclose(x.grad.asnumpy(), num, rtol=1e-5, atol=1e-7,
                                   err_msg='gradient of {} w.r.t. input {}'.format(name, i))


@pytest.mark.parametrize('name', sorted({op.name for op in OPS.values()
                                         if op.dtype == 'same' and op.inputs
                                         and not op.variadic and op.sample is None
                                         and not any(p.default is REQUIRED for p in op.params)
                                         and not op.random}))
def test_dtype_rule_same(name):
    op = OPS[name]
    inputs, params = _sample(op)
    for dt in ('float32', 'float64', 'float16'):
        out = _call(op, [nd.array(a, dtype=dt) for a in inputs], params)
        for o in (out if isinstance(out, list) else [out]):
            assert o.dtype == np.dtype(dt).type, (name, dt, o.dtype)


def test_every_differentiable_operator_is_checked_or_listed_with_a_reason():
    unexplained = sorted(op.name for op in OPS.values()
                         if op.differentiable and op.name not in CHECKED
                         and op.name not in NOT_GRADIENT_CHECKED and not op.random)
    assert unexplained == [], 'add a sample= to these records: {}'.format(unexplained)
    assert len(CHECKED) >= 150

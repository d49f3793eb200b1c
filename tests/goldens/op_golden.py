"""Shared harness of the operator golden tables (record_ops_*.py and tests/test_ops_*.py).

A case: ``name``, ``op`` (an ``mx.nd`` function name), ``inputs`` (input specs, see
:func:`make_input`; positional, in MXNet's order; None is an absent optional input),
``kwargs`` (the operator's parameters), ``train`` (run in training mode) and, for gradient
goldens, ``grad`` (positions of the inputs to differentiate: the call is recorded and its
first output back-propagated with ``head``, ones by default) and ``after`` (positions of
inputs whose values are recorded after the call: in-place updates).  A case whose call
raises records ``{'error': class name}``.  Only numpy and the given ``mxnet`` module are
used, so the same table runs under real MXNet (recording) and under mxnet-compat (tests).
"""
import json
import sys

import numpy as np

# MXNet's float tolerances for comparing a result with its golden.
TOLERANCES = {'float16': (1e-2, 1e-2), 'float32': (1e-4, 1e-5), 'float64': (1e-6, 1e-9)}


def randn(*shape, seed=0, scale=1.0, dtype='float32'):
    return ('randn', list(shape), seed, scale, dtype)


def arr(values, dtype='float32'):
    return ('array', values, dtype)


def arange(*shape, scale=1.0, offset=0.0, dtype='float32'):
    return ('arange', list(shape), scale, offset, dtype)


def make_input(spec):
    """The numpy value of an input spec (None stays None: an absent optional input)."""
    if spec is None:
        return None
    kind = spec[0]
    if kind == 'randn':
        _, shape, seed, scale, dtype = spec
        return (np.random.RandomState(seed).randn(*shape) * scale).astype(dtype)
    if kind == 'array':
        return np.array(spec[1], dtype=spec[2])
    if kind == 'arange':
        _, shape, scale, offset, dtype = spec
        return (np.arange(int(np.prod(shape))).reshape(shape) * scale + offset).astype(dtype)
    raise ValueError(spec)


def C(name, op, inputs, train=False, grad=(), head=None, after=(), **kwargs):
    return {'name': name, 'op': op, 'inputs': list(inputs), 'kwargs': kwargs, 'train': train,
            'grad': list(grad), 'head': head, 'after': list(after)}


def encode(x):
    a = x.asnumpy()
    return {'dtype': np.dtype(a.dtype).name, 'shape': list(a.shape),
            'values': a.astype(np.float64).tolist()}


def _nd(mx, spec):
    if spec is None:
        return None
    if spec[0] == 'py':
        return spec[1]
    value = make_input(spec)
    return mx.nd.array(value, dtype=value.dtype)


def run_case(mx, case, lookup=None):
    """Run one case under the given ``mxnet``: its outputs, gradients and in-place effects,
    or ``{'error': class name}``."""
    nd, ag = mx.nd, mx.autograd
    fn = lookup(case['op']) if lookup else getattr(nd, case['op'])
    inputs = [_nd(mx, s) for s in case['inputs']]
    args = [a for a in inputs if a is not None]      # absent optional inputs are dropped
    train = case['train']
    try:
        for i in case['grad']:
            inputs[i].attach_grad()
        if case['grad']:
            with ag.record(train_mode=train):
                out = fn(*args, **case['kwargs'])
            first = out[0] if isinstance(out, (list, tuple)) else out
            first.backward(_nd(mx, case['head']))
        elif train:
            with ag.train_mode():
                out = fn(*args, **case['kwargs'])
        else:
            out = fn(*args, **case['kwargs'])
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        result = {'outputs': [encode(o) for o in outs]}
        if case['grad']:
            result['grads'] = [encode(inputs[i].grad) for i in case['grad']]
        if case.get('after'):
            result['after'] = [encode(inputs[i]) for i in case['after']]
        return result
    except Exception as e:  # noqa: BLE001 - MXNet raises lazily (at asnumpy), any class
        return {'error': type(e).__name__}


def record(cases, golden_path, argv=None):
    """Record ``cases`` under real MXNet into ``golden_path`` (``--check``: compare instead,
    exit 1 on a difference)."""
    import mxnet as mx
    argv = sys.argv if argv is None else argv
    if 'mxnet_compat' in getattr(mx, '__file__', '') or hasattr(mx, 'compat_version'):
        sys.exit('this imported mxnet-compat; run it from outside the repository with the '
                 'reference interpreter')
    assert mx.__version__ == '1.9.1', mx.__version__
    names = [c['name'] for c in cases]
    assert len(names) == len(set(names)), 'duplicate case names'
    goldens = {}
    for case in cases:
        mx.random.seed(0)
        goldens[case['name']] = run_case(mx, case)
    text = json.dumps(goldens, indent=0, sort_keys=True)
    if '--check' in argv:
        with open(golden_path) as f:
            same = f.read().strip() == text.strip()
        print('goldens up to date' if same else 'goldens differ from a re-recording')
        sys.exit(0 if same else 1)
    with open(golden_path, 'w') as f:
        f.write(text + '\n')
    errors = sum('error' in g for g in goldens.values())
    print('recorded {} cases ({} expected errors) to {}'.format(len(goldens), errors,
                                                              golden_path))


def assert_encoded_equal(got, want, what):
    """An encoded result equals its golden: dtype and shape exactly, values within
    TOLERANCES of the golden's dtype."""
    assert got['dtype'] == want['dtype'], '{}: dtype {} != {}'.format(what, got['dtype'],
                                                                        want['dtype'])
    assert got['shape'] == want['shape'], '{}: shape {} != {}'.format(what, got['shape'],
                                                                        want['shape'])
    rtol, atol = TOLERANCES.get(want['dtype'], (0, 0))
    np.testing.assert_allclose(np.array(got['values'], dtype=np.float64),
                               np.array(want['values'], dtype=np.float64),
                               rtol=rtol, atol=atol, equal_nan=True, err_msg=what)

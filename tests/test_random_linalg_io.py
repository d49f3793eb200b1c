"""nd.random, nd.linalg and nd.save / nd.load against MXNet 1.9.1.

* linalg and the ``random_pdf_*`` densities: forward values and gradients against goldens
  recorded from the reference (``tests/goldens/record_random_linalg.py``), and directional
  finite differences in float64;
* random: shapes, dtypes, contexts and error classes against the goldens; the
  distributions statistically (samples differ from MXNet's generator by design);
* save / load: files written by the reference (``tests/fixtures``) load here, our writer
  produces the same bytes, round trips, errors; when the reference interpreter is
  installed it also loads what we write.
"""
import json
import os
import struct
import subprocess

import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, nd
from mxnet.base import MXNetError
import mxnet_compat.ndarray.linalg  # noqa: F401  (nd.linalg, also before __init__ imports it)
from mxnet_compat.ndarray import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures')
ORACLE = '/root/.cache/mxnet-oracle/bin/python'

with open(os.path.join(HERE, 'goldens', 'random_linalg.json')) as _f:
    GOLDENS = json.load(_f)
with open(os.path.join(FIXTURES, 'manifest.json')) as _f:
    MANIFEST = json.load(_f)

save = getattr(nd, 'save', serialization.save)
load = getattr(nd, 'load', serialization.load)
load_frombuffer = getattr(nd, 'load_frombuffer', serialization.load_frombuffer)
TOL = {'float32': dict(rtol=2e-4, atol=2e-5), 'float64': dict(rtol=1e-9, atol=1e-11)}


def _outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


# ----------------------------------------------------------------------------- linalg

LINALG = {c['name']: c for c in GOLDENS['linalg']}


# float64 forwards of the cases with gradients are checked by the gradient test
FORWARD_CASES = [(n, 'float32') for n in sorted(LINALG)] + [
    (n, 'float64') for n in sorted(LINALG) if 'grads' not in LINALG[n]]


@pytest.mark.parametrize('name, dtype', FORWARD_CASES)
def test_linalg_forward_matches_reference(name, dtype):
    case = LINALG[name]
    op = getattr(nd.linalg, case['op'])
    out = _outputs(op(*[nd.array(a, dtype=dtype) for a in case['inputs']], **case['kwargs']))
    expected = case['forward'][dtype]
    assert len(out) == len(expected)
    for o, e in zip(out, expected):
        assert o.dtype == np.dtype(dtype).type
        np.testing.assert_allclose(o.asnumpy(), np.array(e), **TOL[dtype], err_msg=name)


def _weighted_loss_grads(op, inputs, kwargs, head, forward=None):
    """Gradients of sum(w * out[head]), w = 1, 2, ... in float64 (and the outputs checked
    against ``forward`` when given)."""
    xs = [nd.array(a, dtype='float64') for a in inputs]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        outs = _outputs(op(*xs, **kwargs))
        y = outs[head]
        w = nd.array(np.arange(1, y.size + 1).reshape(y.shape), dtype='float64')
        (y * w).sum().backward()
    for o, e in zip(outs, forward or ()):
        np.testing.assert_allclose(o.asnumpy(), np.array(e), **TOL['float64'])
    return [x.grad.asnumpy() for x in xs]


# MXNet's potrf/syevd gradients are those of a symmetric input: check them along symmetric
# directions (their forward reads only the lower triangle).
SYMMETRIC_INPUT = {'potrf', 'syevd'}


@pytest.mark.parametrize('name', sorted(n for n, c in LINALG.items() if 'grads' in c))
def test_linalg_gradient_matches_reference_and_finite_differences(name):
    case = LINALG[name]
    op = getattr(nd.linalg, case['op'])
    grads = _weighted_loss_grads(op, case['inputs'], case['kwargs'], case['head'],
                                 case['forward']['float64'])
    for g, e in zip(grads, case['grads']):
        np.testing.assert_allclose(g, np.array(e), rtol=1e-7, atol=1e-9, err_msg=name)
    # directional derivative along a random direction, central differences in float64
    inputs = [np.array(a) for a in case['inputs']]
    rng = np.random.RandomState(7)
    dirs = [rng.uniform(-1, 1, a.shape) for a in inputs]
    if case['op'] in SYMMETRIC_INPUT:
        dirs[0] = dirs[0] + np.swapaxes(dirs[0], -1, -2)

    def loss(t):
        y = _outputs(op(*[nd.array(a + t * d, dtype='float64') for a, d in zip(inputs, dirs)],
                        **case['kwargs']))[case['head']].asnumpy()
        return float((y * np.arange(1, y.size + 1).reshape(y.shape)).sum())
    eps = 1e-6
    numeric = (loss(eps) - loss(-eps)) / (2 * eps)
    analytic = sum(float((g * d).sum()) for g, d in zip(grads, dirs))
    assert abs(numeric - analytic) <= 1e-6 * max(1.0, abs(numeric)), (name, numeric, analytic)


def test_linalg_namespace_and_aliases():
    expected = ['det', 'extractdiag', 'extracttrian', 'gelqf', 'gemm', 'gemm2', 'inverse',
                'makediag', 'maketrian', 'potrf', 'potri', 'slogdet', 'sumlogdiag', 'syevd',
                'syrk', 'trmm', 'trsm']
    assert sorted(mxnet_compat.ndarray.linalg.__all__) == expected
    a, b = nd.array([[1.0, 2.0], [3.0, 4.0]]), nd.array([[0.5], [1.5]])
    ref = nd.linalg.gemm2(a, b, alpha=2.0).asnumpy()
    for fn in (nd.linalg_gemm2, nd._linalg_gemm2):
        np.testing.assert_array_equal(fn(a, b, alpha=2.0).asnumpy(), ref)
    out = nd.zeros((2, 1))
    assert nd.linalg.gemm2(a, b, alpha=2.0, out=out) is out
    np.testing.assert_array_equal(out.asnumpy(), ref)
    assert not hasattr(nd, 'linalg_syevd')     # MXNet 1.9.1 has no flat alias for syevd


def test_syevd_sign_convention_and_reconstruction():
    a = np.array([[4.0, 1.0, -2.0], [1.0, 3.0, 0.5], [-2.0, 0.5, 5.0]])
    u, lam = nd.linalg.syevd(nd.array(a, dtype='float64'))
    u, lam = u.asnumpy(), lam.asnumpy()
    assert (np.diff(lam) > 0).all()
    np.testing.assert_allclose(u @ a, np.diag(lam) @ u, atol=1e-10)
    rows = np.arange(3)
    assert (u[rows, np.abs(u).argmax(axis=1)] > 0).all()


def test_linalg_errors_are_mxnet_errors():
    with pytest.raises(MXNetError):
        nd.linalg.potrf(nd.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(MXNetError):
        nd.linalg.inverse(nd.array([[1.0, 2.0], [2.0, 4.0]]))
    # a singular triangular solve gives infinities, not an error (as in MXNet)
    x = nd.linalg.trsm(nd.array([[0.0, 0.0], [1.0, 1.0]]), nd.ones((2, 1))).asnumpy()
    assert np.isinf(x).any()
    sign, logdet = nd.linalg.slogdet(nd.array([[1.0, 2.0], [2.0, 4.0]]))
    assert sign.asscalar() == 0 and logdet.asscalar() == -np.inf


# ----------------------------------------------------------------------------- meta tables

def _meta(value):
    if isinstance(value, (list, tuple)):
        return [_meta(v) for v in value]
    return {'shape': list(value.shape), 'dtype': np.dtype(value.dtype).name,
            'ctx': str(value.context)}


def _run_meta(expr):
    try:
        value = eval(expr, {'mx': mx, 'nd': nd, 'np': np})   # noqa: S307 - the golden table
        for v in _outputs(value):
            v.wait_to_read()
        return _meta(value)
    except Exception as e:  # noqa: BLE001 - the error class is compared
        return {'error': type(e).__name__}


META = dict(GOLDENS['random_meta'], **GOLDENS['linalg_meta'])


@pytest.mark.parametrize('expr', sorted(META))
def test_shapes_dtypes_and_errors_match_reference(expr):
    assert _run_meta(expr) == META[expr]


# ----------------------------------------------------------------------------- statistics

N = 20000


@pytest.fixture(autouse=True)
def _seeded():
    nd.random.seed(0)


def _close(sample, mean, var, rel=0.05):
    """Sample mean within 6 standard errors, variance within ``rel`` (plus 6 s.e. of the
    mean scaled) of the distribution's."""
    x = np.asarray(sample, dtype=np.float64).ravel()
    se = np.sqrt(var / x.size)
    assert abs(x.mean() - mean) < 6 * se + 1e-9, (x.mean(), mean)
    assert abs(x.var() - var) < rel * var + 1e-9, (x.var(), var)


@pytest.mark.parametrize('call, mean, var', [
    (lambda r: r.uniform(2, 5, shape=N), 3.5, 0.75),
    (lambda r: r.normal(1, 2, shape=(100, N // 100)), 1.0, 4.0),
    (lambda r: r.randn(N, loc=-3, scale=0.5), -3.0, 0.25),
    (lambda r: r.exponential(2, shape=N), 2.0, 4.0),
    (lambda r: r.gamma(2, 1.5, shape=N), 3.0, 4.5),
    (lambda r: r.gamma(0.5, 2, shape=N), 1.0, 2.0),
    (lambda r: r.poisson(3, shape=N), 3.0, 3.0),
    (lambda r: r.poisson(40, shape=N), 40.0, 40.0),
    (lambda r: r.negative_binomial(3, 0.4, shape=N), 4.5, 11.25),
    (lambda r: r.generalized_negative_binomial(3, 0.5, shape=N), 3.0, 7.5),
    (lambda r: r.generalized_negative_binomial(3, 0, shape=N), 3.0, 3.0),
    (lambda r: r.randint(-2, 3, shape=N), 0.0, 2.0),
    (lambda r: r.uniform(shape=N, dtype='float64'), 0.5, 1 / 12),
    (lambda r: r.normal(shape=N, dtype='float16'), 0.0, 1.0),
    (lambda r: r.uniform_like(nd.zeros(N), low=-1, high=1), 0.0, 1 / 3),
    (lambda r: r.normal_like(nd.zeros(N), loc=2, scale=3), 2.0, 9.0),
    (lambda r: r.exponential_like(nd.zeros(N), lam=4), 0.25, 1 / 16),
    (lambda r: r.gamma_like(nd.zeros(N), alpha=3, beta=2), 6.0, 12.0),
    (lambda r: r.poisson_like(nd.zeros(N), lam=5), 5.0, 5.0),
    (lambda r: r.negative_binomial_like(nd.zeros(N), k=2, p=0.5), 2.0, 4.0),
    (lambda r: r.generalized_negative_binomial_like(nd.zeros(N), mu=2, alpha=1), 2.0, 6.0),
], ids=['uniform', 'normal', 'randn', 'exponential', 'gamma', 'gamma_small_alpha', 'poisson',
        'poisson_large', 'negative_binomial', 'gen_neg_binomial', 'gnb_alpha0', 'randint',
        'uniform_f64', 'normal_f16', 'uniform_like', 'normal_like', 'exponential_like',
        'gamma_like', 'poisson_like', 'nb_like', 'gnb_like'])
def test_distribution_moments(call, mean, var):
    _close(call(nd.random).asnumpy(), mean, var)


def test_sample_forms_one_distribution_per_element():
    r = nd.random
    M = N // 2     # two distributions of M draws: the compiled kernels of N draws serve
    u = r.uniform(nd.array([0.0, 10.0]), nd.array([1.0, 12.0]), shape=M).asnumpy()
    assert u.shape == (2, M) and (u[0] >= 0).all() and (u[0] < 1).all()
    assert (u[1] >= 10).all() and (u[1] < 12).all()
    _close(u[1], 11.0, 1 / 3)
    n = r.normal(nd.array([[0.0], [10.0]]), nd.array([[1.0], [0.1]]), shape=(M,)).asnumpy()
    assert n.shape == (2, 1, M)
    _close(n[0], 0.0, 1.0)
    _close(n[1], 10.0, 0.01)
    _close(r.exponential(nd.array([4.0, 4.0]), shape=M).asnumpy(), 4.0, 16.0)   # scale 4
    _close(nd.sample_exponential(nd.array([4.0, 4.0]), shape=M).asnumpy(), 0.25, 1 / 16)
    g = r.gamma(nd.array([2.0, 9.0]), nd.array([0.5, 1.0]), shape=M).asnumpy()
    _close(g[0], 1.0, 0.5)
    _close(g[1], 9.0, 9.0)
    p = r.poisson(nd.array([0.5, 20.0]), shape=M).asnumpy()
    assert (p == np.round(p)).all()
    _close(p[0], 0.5, 0.5)
    _close(p[1], 20.0, 20.0)
    k = r.negative_binomial(nd.array([2.5, 1.0]), nd.array([0.5, 0.5]), shape=M).asnumpy()
    _close(k[0], 2.5, 5.0)      # a real k is fine in the NDArray form
    _close(k[1], 1.0, 2.0)
    _close(r.generalized_negative_binomial(nd.array([2.0, 2.0]), nd.array([0.5, 0.5]),
                                           shape=M).asnumpy(), 2.0, 4.0)


def test_randint_values_and_bounds():
    x = nd.random.randint(-2, 3, shape=N).asnumpy()
    assert x.dtype == np.int32
    values, counts = np.unique(x, return_counts=True)
    assert values.tolist() == [-2, -1, 0, 1, 2]
    assert (abs(counts / N - 0.2) < 0.015).all()
    big = nd.random.randint(0, 2 ** 40, shape=1000, dtype='int64').asnumpy()
    assert big.dtype == np.int64 and big.max() > 2 ** 32 and big.min() >= 0
    with pytest.raises(MXNetError):
        nd.random.randint(3, 3)           # MXNet crashes (SIGFPE) here


def test_multinomial_frequencies_and_log_probabilities():
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    idx = nd.random.multinomial(nd.array(probs), shape=N).asnumpy()
    assert idx.shape == (2, N) and idx.dtype == np.int32
    for row, p in zip(idx, probs):
        freq = np.bincount(row, minlength=3) / N
        assert (abs(freq - p) < 0.015).all(), (freq, p)
    idx, logp = nd.random.multinomial(nd.array(probs, dtype='float64'), shape=(4, 5),
                                      get_prob=True)
    assert idx.shape == logp.shape == (2, 4, 5) and logp.dtype == np.float64
    picked = np.take_along_axis(probs, idx.asnumpy().reshape(2, -1), 1).reshape(2, 4, 5)
    np.testing.assert_allclose(logp.asnumpy(), np.log(picked))
    # not renormalised: rows summing to more than 1 favour the first categories
    assert (nd.random.multinomial(nd.array([2.0, 8.0]), shape=50).asnumpy() == 0).all()


def test_shuffle_permutes_rows():
    x = nd.arange(40).reshape((10, 4))
    s = nd.random.shuffle(x).asnumpy()
    assert sorted(map(tuple, s.tolist())) == sorted(map(tuple, x.asnumpy().tolist()))
    assert not (s == x.asnumpy()).all()
    np.testing.assert_array_equal(x.asnumpy(), np.arange(40).reshape(10, 4))   # untouched
    firsts = np.array([nd.random.shuffle(nd.arange(4)).asnumpy()[0] for _ in range(400)])
    assert (abs(np.bincount(firsts.astype(int), minlength=4) / 400 - 0.25) < 0.1).all()


# ----------------------------------------------------------------------------- seeds, out=

def test_seed_reproduces_draws():
    nd.random.seed(42)
    a = nd.random.uniform(shape=5).asnumpy()
    b = nd.random.normal(shape=(2, 2)).asnumpy()
    nd.random.seed(42, ctx=mx.cpu(0))
    np.testing.assert_array_equal(nd.random.uniform(shape=5).asnumpy(), a)
    np.testing.assert_array_equal(nd.random.normal(shape=(2, 2)).asnumpy(), b)
    nd.random.seed(np.int64(43))
    assert (nd.random.uniform(shape=5).asnumpy() != a).any()
    for bad in (1.5, '1'):
        with pytest.raises(ValueError):
            nd.random.seed(bad)


def test_out_and_context():
    out = nd.zeros((2, 3), dtype='float64')
    assert nd.random.uniform(out=out) is out              # shape and dtype from out
    assert ((out.asnumpy() > 0) & (out.asnumpy() < 1)).all()
    x = nd.random.normal(shape=(2,), ctx=mx.cpu(1))
    assert x.context == mx.cpu(1)
    assert nd.random.uniform(nd.zeros((2,), ctx=mx.cpu(2)), nd.ones((2,), ctx=mx.cpu(2))
                             ).context == mx.cpu(2)


# ----------------------------------------------------------------------------- gradients

def test_samplers_give_zero_gradients_and_shuffle_none():
    mu, sigma = nd.array([1.0, 2.0]), nd.array([1.0, 3.0])
    for p in (mu, sigma):
        p.attach_grad()
    with autograd.record():
        y = nd.random.normal(mu, sigma, shape=3) + nd.random.uniform_like(mu).reshape((2, 1))
    y.backward()
    assert not mu.grad.asnumpy().any() and not sigma.grad.asnumpy().any()
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        s = nd.random.shuffle(x)
    with pytest.raises(MXNetError):
        s.backward()


def test_multinomial_log_probability_gradient():
    p = nd.array([[0.25, 0.75]])
    p.attach_grad()
    with autograd.record():
        idx, logp = nd.random.multinomial(p, shape=7, get_prob=True)
    logp.backward()
    counts = np.bincount(idx.asnumpy().ravel(), minlength=2)
    np.testing.assert_allclose(p.grad.asnumpy()[0], counts / np.array([0.25, 0.75]), rtol=1e-6)


PDF_CASES = GOLDENS['pdf']


@pytest.mark.parametrize('case', PDF_CASES, ids=['{}{}'.format(c['dist'], '_log' if c['is_log']
                                                               else '') for c in PDF_CASES])
def test_pdf_forward_and_gradients_match_reference(case):
    op = getattr(nd, 'random_pdf_' + case['dist'])
    xs = [nd.array(a, dtype='float64') for a in case['inputs']]
    out = op(*xs, is_log=case['is_log'])
    # MXNet's float constants and digamma agree with ours to ~1e-7
    np.testing.assert_allclose(out.asnumpy(), np.array(case['forward']), rtol=1e-7, atol=1e-12)
    if case['is_log']:   # the density's gradients follow from the log-density's
        grads = _weighted_loss_grads(op, case['inputs'], {'is_log': True}, 0)
        for g, e in zip(grads, case['grads']):
            np.testing.assert_allclose(g, np.array(e), rtol=2e-6, atol=1e-9)


# ----------------------------------------------------------------------------- save / load

def _expected_array(desc):
    dtype = np.dtype(desc['dtype'])
    return np.array(desc['values'], dtype=dtype).reshape(desc['shape'])


def _check_loaded(loaded, desc):
    if desc['form'] == 'dict':
        assert isinstance(loaded, dict) and list(loaded) == desc['names']
        items = [(loaded[k], desc['arrays'][k]) for k in desc['names']]
    else:
        assert isinstance(loaded, list) and len(loaded) == len(desc['arrays'])
        items = list(zip(loaded, desc['arrays']))
    for arr, d in items:
        assert arr.shape == tuple(d['shape']) and np.dtype(arr.dtype).name == d['dtype']
        assert str(arr.context) == d['ctx']
        np.testing.assert_array_equal(arr.asnumpy(), _expected_array(d))


@pytest.mark.parametrize('name', sorted(MANIFEST))
def test_reference_files_load(name):
    _check_loaded(load(os.path.join(FIXTURES, name + '.nd')), MANIFEST[name])
    with open(os.path.join(FIXTURES, name + '.nd'), 'rb') as f:
        _check_loaded(load_frombuffer(f.read()), MANIFEST[name])


def _context(text):
    kind, dev = text.rstrip(')').split('(')
    return mx.Context(kind, int(dev))


# Written by MXNet in np-shape mode (V3 magic) or with sparse storage: read-only here.
NOT_REPRODUCED = {'np_shape_v3', 'sparse'}


@pytest.mark.parametrize('name', sorted(set(MANIFEST) - NOT_REPRODUCED))
def test_writer_is_byte_identical_to_reference(name, tmp_path):
    desc = MANIFEST[name]
    keys = desc['names'] if desc['form'] == 'dict' else range(len(desc['arrays']))
    arrays = [nd.array(_expected_array(desc['arrays'][k]), ctx=_context(c),
                       dtype=desc['arrays'][k]['dtype'])
              for k, c in zip(keys, desc.get('saved_ctx', ['cpu(0)'] * len(desc['arrays'])))]
    data = dict(zip(keys, arrays)) if desc['form'] == 'dict' else arrays
    path = str(tmp_path / 'ours.nd')
    save(path, data)
    with open(path, 'rb') as f, open(os.path.join(FIXTURES, name + '.nd'), 'rb') as g:
        assert f.read() == g.read()


ALL_DTYPES = ['float32', 'float64', 'float16', 'uint8', 'int8', 'int32', 'int64', 'bool',
              'int16', 'uint16', 'uint32', 'uint64']


def test_round_trips(tmp_path):
    path = str(tmp_path / 'x.params')
    arrays = [nd.array(np.arange(6).reshape(2, 3) % 2, dtype=t) for t in ALL_DTYPES]
    save(path, arrays)
    back = load(path)
    for a, b in zip(arrays, back):
        assert b.dtype == a.dtype and b.shape == a.shape
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    save(path, {'w': nd.ones((2, 2)), 'é': nd.array(3.0)})
    back = load(path)
    assert list(back) == ['w', 'é'] and back['é'].shape == ()
    save(path, nd.arange(4))                       # a single array is saved as a list
    assert isinstance(load(path), list)
    save(path, {})
    assert load(path) == []                        # an empty dict has no names: a list
    view = nd.arange(12).reshape((3, 4))[1]
    save(path, [view])
    np.testing.assert_array_equal(load(path)[0].asnumpy(), [4, 5, 6, 7])
    with open(path, 'rb') as f:
        raw = f.read()
    assert load_frombuffer(raw)[0].shape == (4,)
    assert load_frombuffer(raw.decode('latin-1'))[0].shape == (4,)


def test_save_load_errors(tmp_path):
    path = str(tmp_path / 'x.nd')
    with pytest.raises(ValueError):
        save(path, (nd.ones(1),))
    with pytest.raises(TypeError):
        save(path, [np.ones(2)])
    with pytest.raises(TypeError):
        save(path, {1: nd.ones(1)})
    with pytest.raises(TypeError):
        save(tmp_path / 'x.nd', [nd.ones(1)])     # MXNet takes str paths only
    with pytest.raises(TypeError):
        load(tmp_path / 'x.nd')
    with pytest.raises(MXNetError):
        load(str(tmp_path / 'missing.nd'))
    with pytest.raises(TypeError):
        load_frombuffer(bytearray(b'\x12\x01'))
    with pytest.raises(MXNetError):
        load_frombuffer(b'garbage!' * 4)
    with open(os.path.join(FIXTURES, 'mixed_list.nd'), 'rb') as f:
        raw = f.read()
    for cut in (8, 30, 60, len(raw) - 1):
        with pytest.raises(MXNetError):
            load_frombuffer(raw[:cut])


def _legacy_file(magic_and_shape):
    body = magic_and_shape + struct.pack('<iii', 1, 0, 0) + struct.pack('<2f', 1.5, -2.0)
    return struct.pack('<QQQ', 0x112, 0, 1) + body + struct.pack('<Q', 0)


def test_legacy_formats_load():
    v1 = _legacy_file(struct.pack('<IIqq', 0xF993FAC8, 2, 1, 2))   # int64 dims
    v0 = _legacy_file(struct.pack('<III', 2, 1, 2))                # ndim first, uint32 dims
    for raw in (v1, v0):
        (a,) = load_frombuffer(raw)
        assert a.shape == (1, 2) and a.dtype == np.float32
        np.testing.assert_array_equal(a.asnumpy(), [[1.5, -2.0]])


_ORACLE_READER = r'''
import json, sys
import numpy as np
import mxnet as mx
out = {}
for path in sys.argv[1:]:
    got = mx.nd.load(path)
    items = got.items() if isinstance(got, dict) else enumerate(got)
    out[path] = {str(k): {'dtype': np.dtype(v.dtype).name, 'shape': list(v.shape),
                          'values': v.asnumpy().astype(np.float64).ravel().tolist()}
                 for k, v in items}
print(json.dumps(out))
'''


@pytest.mark.skipif(not os.path.exists(ORACLE), reason='reference MXNet not installed')
def test_reference_loads_our_files(tmp_path):
    dtypes = ['float32', 'float64', 'float16', 'uint8', 'int8', 'int32', 'int64', 'bool']
    files = {str(tmp_path / 'list.nd'): [nd.array([[1, 0, 3]], dtype=t) for t in dtypes],
             str(tmp_path / 'dict.nd'): {'a': nd.arange(24).reshape((2, 3, 4)),
                                         'b': nd.array([-1.5], dtype='float64')}}
    for path, data in files.items():
        save(path, data)
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    res = subprocess.run([ORACLE, '-c', _ORACLE_READER] + list(files), cwd=str(tmp_path),
                         env=env, capture_output=True, text=True, timeout=120, check=True)
    got = json.loads(res.stdout.strip().splitlines()[-1])
    for path, data in files.items():
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for k, v in items:
            g = got[path][str(k)]
            assert g['dtype'] == np.dtype(v.dtype).name and g['shape'] == list(v.shape)
            np.testing.assert_array_equal(g['values'],
                                          v.asnumpy().astype(np.float64).ravel())

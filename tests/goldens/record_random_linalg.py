"""Record the goldens of tests/test_random_linalg_io.py from real MXNet 1.9.1.

    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_random_linalg.py

(run it from outside the checkout, or ``import mxnet`` finds mxnet-compat).  Writes

* ``tests/goldens/random_linalg.json``: linalg and pdf forward values and gradients
  (weighted-sum heads, float64), shapes/dtypes/error classes of random calls;
* ``tests/fixtures/*.nd`` and ``tests/fixtures/manifest.json``: files written by
  ``mx.nd.save`` and what they hold.
"""
import json
import os
import sys

import numpy as np

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), 'fixtures')
nd = mx.nd
if 'mxnet_compat' in mx.__file__:
    sys.exit('this imported mxnet-compat; run it from outside the checkout')

rs = np.random.RandomState(1234)


def spd(n, batch=()):
    a = rs.uniform(-1, 1, batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def lower(n, batch=()):
    a = np.tril(rs.uniform(-1, 1, batch + (n, n)))
    idx = np.arange(n)
    a[..., idx, idx] = rs.uniform(1, 2, batch + (n,))
    return a


def junk_upper(a):
    """Garbage in the triangle the operator must ignore."""
    n = a.shape[-1]
    return a + np.triu(np.full((n, n), 7.5), 1)


def gen(shape):
    return rs.uniform(-1, 1, shape)


# name -> (operator, inputs, kwargs, output index for the gradient head or None)
LINALG = [
    ('gemm', 'gemm', [gen((2, 3)), gen((4, 3)), gen((2, 4))],
     dict(transpose_b=True, alpha=2.0, beta=-0.5), 0),
    ('gemm_batch_ta', 'gemm', [gen((2, 3, 2)), gen((2, 3, 4)), gen((2, 2, 4))],
     dict(transpose_a=True, alpha=0.5, beta=3.0), 0),
    ('gemm_axis0', 'gemm', [gen((2, 4, 3)), gen((3, 4, 2)), gen((2, 4, 2))], dict(axis=0), 0),
    ('gemm2', 'gemm2', [gen((3, 4)), gen((4, 2))], {}, 0),
    ('gemm2_tt_alpha', 'gemm2', [gen((2, 4, 3)), gen((2, 2, 4))],
     dict(transpose_a=True, transpose_b=True, alpha=-1.5), 0),
    ('gemm2_axis1', 'gemm2', [gen((2, 3, 4, 5)), gen((2, 5, 4, 3))], dict(axis=1), 0),
    ('potrf', 'potrf', [junk_upper(spd(3))], {}, 0),
    ('potrf_batch', 'potrf', [spd(2, (2,))], {}, 0),
    ('potri', 'potri', [junk_upper(lower(3))], {}, 0),
    ('trmm', 'trmm', [junk_upper(lower(3)), gen((3, 2))], {}, 0),
    ('trmm_upper_right_t', 'trmm', [lower(3).T + np.tril(np.full((3, 3), 5.0), -1),
                                    gen((2, 3))],
     dict(lower=False, rightside=True, transpose=True, alpha=2.0), 0),
    ('trsm', 'trsm', [junk_upper(lower(3)), gen((3, 2))], dict(alpha=0.5), 0),
    ('trsm_right_t', 'trsm', [junk_upper(lower(3)), gen((2, 2, 3))[0]],
     dict(rightside=True, transpose=True), 0),
    ('trsm_batch_upper', 'trsm', [np.swapaxes(lower(2, (2,)), -1, -2), gen((2, 2, 3))],
     dict(lower=False), 0),
    ('sumlogdiag', 'sumlogdiag', [junk_upper(spd(3))], {}, 0),
    ('sumlogdiag_batch', 'sumlogdiag', [spd(2, (3,))], {}, 0),
    ('syrk', 'syrk', [gen((2, 3))], dict(alpha=2.0), 0),
    ('syrk_t_batch', 'syrk', [gen((2, 3, 2))], dict(transpose=True), 0),
    ('gelqf_q', 'gelqf', [gen((2, 3))], {}, 0),
    ('gelqf_l', 'gelqf', [gen((2, 2, 4))], {}, 1),
    ('syevd_u', 'syevd', [junk_upper(spd(3))], {}, 0),
    ('syevd_l', 'syevd', [spd(3, (2,))], {}, 1),
    ('inverse', 'inverse', [spd(3) - 2 * np.eye(3)], {}, 0),
    ('inverse_batch', 'inverse', [gen((2, 3, 3)) + 3 * np.eye(3)], {}, 0),
    ('det', 'det', [gen((3, 3))], {}, 0),
    ('det_batch', 'det', [gen((2, 2, 2))], {}, 0),
    ('slogdet_logabs', 'slogdet', [gen((2, 3, 3))], {}, 1),
    ('slogdet_sign', 'slogdet', [gen((3, 3))], {}, None),
    ('extractdiag', 'extractdiag', [gen((3, 3))], {}, 0),
    ('extractdiag_off', 'extractdiag', [gen((2, 3, 3))], dict(offset=-1), 0),
    ('makediag', 'makediag', [gen((3,))], {}, 0),
    ('makediag_off', 'makediag', [gen((2, 2))], dict(offset=2), 0),
    ('extracttrian', 'extracttrian', [gen((3, 3))], {}, 0),
    ('extracttrian_upper', 'extracttrian', [gen((2, 3, 3))], dict(lower=False), 0),
    ('extracttrian_off', 'extracttrian', [gen((4, 4))], dict(offset=-2), 0),
    ('maketrian', 'maketrian', [gen((6,))], {}, 0),
    ('maketrian_upper_off', 'maketrian', [gen((2, 3))], dict(offset=1, lower=False), 0),
    ('maketrian_neg_off', 'maketrian', [gen((3,))], dict(offset=-2), 0),
    # upper triangles are ordered column by column: these orders differ from row-major
    ('extracttrian_upper_off', 'extracttrian', [gen((4, 4))], dict(offset=1), 0),
    ('maketrian_upper_off', 'maketrian', [gen((6,))], dict(offset=1), 0),
]

PDFS = [
    ('uniform', [gen((2, 3)), np.array([-1.0, 0.0]), np.array([1.0, 2.0])]),
    ('normal', [gen((2, 3)) * 2, np.array([0.5, -1.0]), np.array([1.0, 2.0])]),
    ('gamma', [rs.uniform(0.2, 3, (2, 3)), np.array([2.0, 0.7]), np.array([1.5, 3.0])]),
    ('exponential', [rs.uniform(0.1, 3, (2, 3)), np.array([2.0, 0.5])]),
    ('poisson', [np.array([[0.0, 1.0, 4.0], [2.0, 3.0, 7.0]]), np.array([2.0, 3.5])]),
    ('negative_binomial', [np.array([[0.0, 1.0, 4.0], [2.0, 3.0, 7.0]]), np.array([2.0, 1.5]),
                           np.array([0.3, 0.6])]),
    ('generalized_negative_binomial', [np.array([[0.0, 1.0, 4.0], [2.0, 3.0, 7.0]]),
                                       np.array([2.0, 1.5]), np.array([0.5, 0.2])]),
    ('dirichlet', [np.array([[[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]]),
                   np.array([[1.5, 2.0, 3.0]])]),
]

# Random calls: expression -> shape/dtype/context or the error class.  ``mx``, ``nd``, ``np``
# are in scope; the results are compared exactly, never the sampled values.
RANDOM_META = [
    'nd.random.uniform()', 'nd.random.uniform(-1, 1, shape=(2, 3))',
    'nd.random.uniform(shape=2, dtype="float64")', 'nd.random.uniform(shape=2, dtype=None)',
    'nd.random.uniform(shape=2, dtype="float16")', 'nd.random.uniform(shape=2, dtype="int32")',
    'nd.random.uniform(1, 0, shape=2)', 'nd.random.uniform(shape=(2, 0))',
    'nd.random.uniform(shape=())', 'nd.random.uniform(nd.array([0.0]), 1.0)',
    'nd.random.uniform("a", 1.0)', 'nd.random.uniform(True, 2, shape=2)',
    'nd.random.uniform(out=nd.zeros((2, 3)))',
    'nd.random.uniform(shape=(2, 3), out=nd.zeros((2, 3), dtype="float64"))',
    'nd.random.uniform(nd.zeros((2, 3)), nd.ones((2, 3)))',
    'nd.random.uniform(nd.zeros((2,), dtype="float64"), nd.ones((2,), dtype="float64"), '
    'shape=(3, 4))',
    'nd.random.uniform(nd.zeros((2,)), nd.ones((2,)), shape=2, dtype="float16")',
    'nd.random.uniform(nd.zeros((2,)), nd.ones((3,)))',
    'nd.random.uniform(nd.zeros((2,)), nd.ones((2,)), shape=(0,))',
    'nd.random.normal()', 'nd.random.normal(1, 2, shape=(2, 2))', 'nd.random.normal(0, -1)',
    'nd.random.normal(0, 0)', 'nd.random.normal(nd.ones((2,)), nd.ones((2,)), shape=3)',
    'nd.random.normal(nd.ones((2,)), nd.ones((2,)), dtype="int32")',
    'nd.random.randn()', 'nd.random.randn(2, 3)', 'nd.random.randn(2, loc=5, dtype="float64")',
    'nd.random.randn(2, loc=nd.ones((3,)), scale=nd.ones((3,)))',
    'nd.random.randn(2, loc=np.float32(1))',
    'nd.random.exponential()', 'nd.random.exponential(2, shape=3)',
    'nd.random.exponential(-1)', 'nd.random.exponential(0)',
    'nd.random.exponential(nd.ones((2,)), shape=(2, 3))',
    'nd.random.gamma()', 'nd.random.gamma(2, 3, shape=(2,))', 'nd.random.gamma(0, 1)',
    'nd.random.gamma(1, -1)', 'nd.random.gamma(nd.ones((2,)), nd.ones((2,)), shape=2)',
    'nd.random.poisson()', 'nd.random.poisson(2, shape=3, dtype="float64")',
    'nd.random.poisson(-1)', 'nd.random.poisson(nd.ones((2,)), shape=2)',
    'nd.random.poisson(nd.ones((2,), dtype="float64"))',
    'nd.random.negative_binomial()', 'nd.random.negative_binomial(3, 0.5, shape=2)',
    'nd.random.negative_binomial(2.5, 0.5)', 'nd.random.negative_binomial(-1, 0.5)',
    'nd.random.negative_binomial(3, -0.5)',
    'nd.random.negative_binomial(nd.ones((2,)) * 2.5, nd.ones((2,)) / 2)',
    'nd.random.generalized_negative_binomial()',
    'nd.random.generalized_negative_binomial(3, 0.5, shape=(2, 2))',
    'nd.random.generalized_negative_binomial(-1, 0.5)',
    'nd.random.generalized_negative_binomial(1, -0.5)',
    'nd.random.generalized_negative_binomial(nd.ones((2,)), nd.ones((2,)), shape=3)',
    'nd.random.randint(0, 5)', 'nd.random.randint(-3, 3, shape=(2, 2), dtype="int64")',
    'nd.random.randint(0, 5, dtype="float32")', 'nd.random.randint(5, 0)',
    'nd.random.randint(0.5, 5.5)', 'nd.random.randint(0, 5, ctx=mx.cpu(1))',
    'nd.random.randint(0, 4, out=nd.zeros((3,), dtype="int64"))',
    'nd.random.multinomial(nd.array([0.2, 0.8]))',
    'nd.random.multinomial(nd.array([[0.2, 0.8], [1, 0]]), shape=(3,))',
    'nd.random.multinomial(nd.array([[0.2, 0.8], [1, 0]]), shape=(3,), get_prob=True)',
    'nd.random.multinomial(nd.array([0.2, 0.8], dtype="float64"), get_prob=True)',
    'nd.random.multinomial(nd.ones((2, 3, 4)) / 4, shape=(5, 6))',
    'nd.random.multinomial(nd.array([0.2, 0.8]), dtype="uint8")',
    'nd.random.multinomial(nd.array([0.2, 0.8]), dtype="float32")',
    'nd.random.multinomial(nd.array([0.2, 0.8]), dtype="int64")',
    'nd.random.multinomial(nd.array([0, 1], dtype="int32"))',
    'nd.random.shuffle(nd.arange(10))', 'nd.random.shuffle(nd.ones((4, 3), dtype="int32"))',
    'nd.random.uniform_like(nd.zeros((2, 3), dtype="float64"))',
    'nd.random.uniform_like(nd.zeros((2, 3), dtype="int32"))',
    'nd.random.uniform_like(nd.zeros((2,)), low=3, high=2)',
    'nd.random.normal_like(nd.zeros((2, 3), dtype="float16"), loc=1, scale=2)',
    'nd.random.normal_like(nd.zeros((2,)), scale=0)',
    'nd.random.exponential_like(nd.zeros((3,)), lam=2)',
    'nd.random.gamma_like(nd.zeros((3,)), alpha=2, beta=3)',
    'nd.random.poisson_like(nd.zeros((3,), dtype="float64"), lam=2)',
    'nd.random.negative_binomial_like(nd.zeros((3,)), k=2, p=0.3)',
    'nd.random.generalized_negative_binomial_like(nd.zeros((3,)), mu=2, alpha=0.3)',
    'nd.random_uniform(shape=(2,))', 'nd.random_uniform()', 'nd.random_normal(shape=3)',
    'nd.random_exponential(lam=4, shape=2)', 'nd.random_gamma(alpha=2, shape=2)',
    'nd.random_poisson(lam=2, shape=2)', 'nd.random_negative_binomial(k=2, shape=2)',
    'nd.random_generalized_negative_binomial(mu=2, shape=2)',
    'nd.random_randint(low=0, high=3, shape=2)', 'nd.uniform(shape=2)', 'nd.normal(shape=2)',
    'nd.sample_uniform(nd.zeros((2,)), nd.ones((2,)))',
    'nd.sample_normal(nd.zeros((2,)), nd.ones((2,)), shape=3)',
    'nd.sample_exponential(nd.ones((2,)), shape=3)',
    'nd.sample_gamma(nd.ones((2,)), nd.ones((2,)), shape=3)',
    'nd.sample_poisson(nd.ones((2,)), shape=3)',
    'nd.sample_negative_binomial(nd.ones((2,)), nd.ones((2,)) / 2, shape=3)',
    'nd.sample_generalized_negative_binomial(nd.ones((2,)), nd.ones((2,)), shape=3)',
    'nd.sample_multinomial(nd.ones((2, 3)) / 3, shape=2)', 'nd.shuffle(nd.arange(3))',
]

LINALG_META = [
    'nd.linalg.gemm2(nd.ones((2, 3)), nd.ones((2, 3)))',
    'nd.linalg.gemm2(nd.ones((2, 3), dtype="float16"), nd.ones((3, 2), dtype="float16"))',
    'nd.linalg.gemm2(nd.ones((2, 3), dtype="int32"), nd.ones((3, 2), dtype="int32"))',
    'nd.linalg.gemm2(nd.ones((3,)), nd.ones((3,)))',
    'nd.linalg.gemm2(nd.ones((1, 2, 3)), nd.ones((3, 3, 2)))',
    'nd.linalg.gemm2(nd.ones((2, 2)), nd.ones((2, 2)), axis=-1)',
    'nd.linalg.gemm2(nd.ones((2, 2)), nd.ones((2, 2), dtype="float64"))',
    'nd.linalg.gemm(nd.ones((2, 3)), nd.ones((3, 2)), nd.ones((1, 2)))',
    'nd.linalg.potrf(nd.array([[1.0, 2.0], [2.0, 1.0]]))',
    'nd.linalg.inverse(nd.array([[1.0, 2.0], [2.0, 4.0]]))',
    'nd.linalg.inverse(nd.ones((2, 3)))', 'nd.linalg.gelqf(nd.ones((3, 2)))',
    'nd.linalg.extractdiag(nd.ones((2, 3)))', 'nd.linalg.extractdiag(nd.ones((3,)))',
    'nd.linalg.maketrian(nd.ones((2,)))', 'nd.linalg.det(nd.ones((2, 2), dtype="int32"))',
    'nd.linalg.det(nd.ones((2, 2)))', 'nd.linalg.slogdet(nd.ones((2, 2, 2), dtype="float64"))',
    'nd.linalg.syevd(nd.ones((2, 3, 3)))', 'nd.linalg.sumlogdiag(nd.ones((3, 3)))',
    'nd.linalg_gemm2(nd.ones((2, 3)), nd.ones((3, 2)))', 'nd.linalg_syevd(nd.ones((2, 2)))',
    'nd.linalg_det(nd.ones((3, 2, 2)))',
]


def meta(value):
    if isinstance(value, (list, tuple)):
        return [meta(v) for v in value]
    return {'shape': list(value.shape), 'dtype': np.dtype(value.dtype).name,
            'ctx': str(value.context)}


def run_meta(expr):
    try:
        value = eval(expr, {'mx': mx, 'nd': nd, 'np': np})   # noqa: S307 - our own table
        if isinstance(value, (list, tuple)):
            for v in value:
                v.wait_to_read()
        else:
            value.wait_to_read()
        return meta(value)
    except Exception as e:  # noqa: BLE001 - the error class is the golden
        return {'error': type(e).__name__}


def as_list(x):
    return x.tolist()


def weighted_grads(op, arrays, kwargs, head):
    """Gradients of sum(w * out[head]) with w = 1, 2, ... (float64)."""
    xs = [nd.array(a, dtype='float64') for a in arrays]
    for x in xs:
        x.attach_grad()
    with mx.autograd.record():
        out = op(*xs, **kwargs)
        y = out[head] if isinstance(out, (list, tuple)) else out
        w = nd.array(np.arange(1, y.size + 1).reshape(y.shape), dtype='float64')
        (y * w).sum().backward()
    return [as_list(x.grad.asnumpy()) for x in xs]


# Forward-only cases (variants whose gradients another case already covers): keeps the
# gradient tests, which compile a backward each, within the test-time budget.
FORWARD_ONLY = {'gemm_batch_ta', 'gemm2', 'potrf_batch', 'trsm_batch_upper',
                'sumlogdiag_batch', 'syrk', 'inverse', 'det_batch', 'extractdiag',
                'makediag', 'extracttrian', 'extracttrian_off', 'maketrian',
                'maketrian_neg_off'}


def record_linalg():
    cases = []
    for name, opname, arrays, kwargs, head in LINALG:
        head = None if name in FORWARD_ONLY else head
        op = getattr(nd.linalg, opname)
        case = {'name': name, 'op': opname, 'kwargs': kwargs, 'head': head,
                'inputs': [as_list(a) for a in arrays], 'forward': {}}
        for dt in ('float32', 'float64'):
            out = op(*[nd.array(a, dtype=dt) for a in arrays], **kwargs)
            outs = out if isinstance(out, (list, tuple)) else [out]
            case['forward'][dt] = [as_list(o.asnumpy()) for o in outs]
        if head is not None:
            case['grads'] = weighted_grads(op, arrays, kwargs, head)
        cases.append(case)
    return cases


def record_pdfs():
    cases = []
    for dist, arrays in PDFS:
        op = getattr(nd, 'random_pdf_' + dist)
        for is_log in (False, True):
            out = op(*[nd.array(a, dtype='float64') for a in arrays], is_log=is_log)
            cases.append({'dist': dist, 'is_log': is_log, 'inputs': [as_list(a) for a in arrays],
                          'forward': as_list(out.asnumpy()),
                          'grads': weighted_grads(op, arrays, {'is_log': is_log}, 0)})
    return cases


# ----------------------------------------------------------------------------- fixtures

def fixture_arrays():
    """name -> (form, arrays) saved by MXNet; shapes avoid 0-d (MXNet cannot load them)."""
    f32 = np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5
    return {
        'float32': ('single', [nd.array(f32)]),
        'float64': ('list', [nd.array([[1.5, -2.25e-300], [np.pi, 1e300]], dtype='float64')]),
        'int32': ('list', [nd.array([-2147483648, 0, 2147483647], dtype='int32')]),
        'int64': ('list', [nd.array([-2 ** 62, 7, 2 ** 62], dtype='int64')]),
        'uint8': ('list', [nd.array([0, 127, 255], dtype='uint8')]),
        'float16': ('list', [nd.array([0.5, -1024, 65504], dtype='float16')]),
        'int8_bool': ('list', [nd.array([-128, 5, 127], dtype='int8'),
                               nd.array([1, 0, 1], dtype='bool')]),
        'mixed_list': ('list', [nd.array([3.0]), nd.array(np.arange(24).reshape(2, 3, 4)),
                                nd.array([[7, 8]], dtype='int64')]),
        'dict': ('dict', {'arg:weight': nd.array(f32),
                          'aux:running_mean': nd.array([0.1, 0.2], dtype='float64'),
                          'b': nd.array([1], dtype='int32')}),
        'empty_list': ('list', []),
        'cpu1_context': ('list', [nd.array([1.0, 2.0], ctx=mx.cpu(1))]),
    }


def describe(loaded):
    if isinstance(loaded, dict):   # 'names' keeps the file's order (the JSON keys are sorted)
        return {'form': 'dict', 'names': list(loaded),
                'arrays': {k: describe_array(v) for k, v in loaded.items()}}
    return {'form': 'list', 'arrays': [describe_array(v) for v in loaded]}


def describe_array(a):
    v = a.asnumpy()
    values = v.astype(np.float64).tolist() if v.dtype == np.float16 else v.tolist()
    return {'shape': list(v.shape), 'dtype': v.dtype.name, 'ctx': str(a.context),
            'values': values}


def record_fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    manifest = {}
    for name, (form, data) in fixture_arrays().items():
        path = os.path.join(FIXTURES, name + '.nd')
        nd.save(path, data[0] if form == 'single' else data)
        manifest[name] = describe(nd.load(path))
        saved = list(data.values()) if form == 'dict' else data
        manifest[name]['saved_ctx'] = [str(a.context) for a in saved]
    # MXNet 1.9.1 writes 0-d arrays but cannot read them back; record what was saved.
    path = os.path.join(FIXTURES, 'scalar_0d.nd')
    nd.save(path, [nd.array(5.0), nd.array([1.0, 2.0])])
    manifest['scalar_0d'] = {'form': 'list', 'arrays': [
        {'shape': [], 'dtype': 'float32', 'ctx': 'cpu(0)', 'values': 5.0},
        {'shape': [2], 'dtype': 'float32', 'ctx': 'cpu(0)', 'values': [1.0, 2.0]}]}
    # np-shape mode writes the V3 magic; zero-size dimensions are allowed there.
    path = os.path.join(FIXTURES, 'np_shape_v3.nd')
    with mx.util.np_shape(True):
        nd.save(path, {'s': nd.array(2.5), 'z': nd.zeros((2, 0)), 'v': nd.array([1.0, 2.0])})
        manifest['np_shape_v3'] = describe(nd.load(path))
    path = os.path.join(FIXTURES, 'sparse.nd')
    csr = nd.sparse.csr_matrix(np.array([[0.0, 2.0, 0.0], [1.0, 0.0, 3.0]]))
    rsp = nd.sparse.row_sparse_array((np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 2])),
                                     shape=(4, 2))
    nd.save(path, [csr, rsp])
    manifest['sparse'] = describe([a.tostype('default') for a in nd.load(path)])
    with open(os.path.join(FIXTURES, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write('\n')


def main():
    goldens = {'mxnet_version': mx.__version__, 'linalg': record_linalg(),
               'pdf': record_pdfs(),
               'random_meta': {e: run_meta(e) for e in RANDOM_META},
               'linalg_meta': {e: run_meta(e) for e in LINALG_META}}
    with open(os.path.join(HERE, 'random_linalg.json'), 'w') as f:
        json.dump(goldens, f, indent=None, separators=(',', ':'), sort_keys=True)
        f.write('\n')
    record_fixtures()


if __name__ == '__main__':
    main()

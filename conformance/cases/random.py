"""nd.random: shapes, dtypes, parameters, statistics, seeding.

Sample values differ between implementations: cases record shapes/dtypes,
bounds, statistics within a tolerance, and seeding behaviour (whether draws
repeat), never raw samples."""
import numpy as np

from harness import raises, stat

AREA = 'random'

N = 100000


def _meta(x):
    return {'shape': x.shape, 'dtype': str(np.dtype(x.dtype)), 'ctx': str(x.context)}


def case_uniform_shapes_dtypes(mx):
    # no shape gives shape (1,)
    r = mx.nd.random
    return [_meta(r.uniform()), _meta(r.uniform(shape=3)), _meta(r.uniform(-1, 1, shape=(2, 3))),
            _meta(r.uniform(shape=(2,), dtype='float64')), _meta(r.uniform(shape=(2,), dtype='float16')),
            _meta(r.uniform(shape=(2, 2), ctx=mx.cpu(1)))]


def case_normal_shapes_dtypes(mx):
    r = mx.nd.random
    return [_meta(r.normal()), _meta(r.normal(1, 2, shape=(2, 2))),
            _meta(r.normal(loc=5, scale=0.1, shape=3)), _meta(r.randn(2, 3)),
            _meta(r.normal(shape=(4,), dtype='float64'))]


def case_uniform_statistics(mx):
    x = mx.nd.random.uniform(2, 5, shape=(N,)).asnumpy()
    return {'in_range': bool((x >= 2).all() and (x < 5).all()),
            'mean': stat(float(x.mean()), atol=0.02),
            'var': stat(float(x.var()), atol=0.02),
            'below_3': stat(float((x < 3).mean()), atol=0.01)}


def case_uniform_default_range(mx):
    x = mx.nd.random.uniform(shape=(N,)).asnumpy()
    return {'in_unit': bool((x >= 0).all() and (x < 1).all()),
            'mean': stat(float(x.mean()), atol=0.01)}


def case_normal_statistics(mx):
    x = mx.nd.random.normal(1, 2, shape=(N,)).asnumpy()
    return {'mean': stat(float(x.mean()), atol=0.05),
            'std': stat(float(x.std()), atol=0.04),
            'within_1sd': stat(float((np.abs(x - 1) < 2).mean()), atol=0.01)}


def case_normal_keyword_params(mx):
    x = mx.nd.random.normal(loc=-3, scale=0.5, shape=(200, 500)).asnumpy()
    return {'mean': stat(float(x.mean()), atol=0.02),
            'std': stat(float(x.std()), atol=0.02)}


def case_float64_float16_samples(mx):
    r = mx.nd.random
    d = r.uniform(shape=(N,), dtype='float64').asnumpy()
    h = r.normal(shape=(N,), dtype='float16').asnumpy()
    return {'f64_dtype': str(d.dtype), 'f64_mean': stat(float(d.mean()), atol=0.01),
            'f16_dtype': str(h.dtype), 'f16_std': stat(float(h.astype(np.float64).std()), atol=0.03)}


def case_array_parameters(mx):
    # NDArray low/high: output shape is params.shape + shape
    nd = mx.nd
    u = nd.random.uniform(nd.array([0.0, 10.0]), nd.array([1.0, 11.0]), shape=(3000,))
    n = nd.random.normal(nd.array([0.0, 10.0]), nd.array([1.0, 0.1]))
    ua = u.asnumpy()
    return {'u_shape': u.shape, 'n_shape': n.shape,
            'row0_in': bool(((ua[0] >= 0) & (ua[0] < 1)).all()),
            'row1_in': bool(((ua[1] >= 10) & (ua[1] < 11)).all()),
            'row_means': stat(ua.mean(axis=1).astype(np.float64), atol=0.05),
            'mixed_types': raises(lambda: nd.random.uniform(low=nd.array([0.0]), high=1.0))}


def case_randint(mx):
    r = mx.nd.random
    x = r.randint(0, 5, shape=(N,))
    a = x.asnumpy()
    return {'meta': _meta(x), 'int64': _meta(r.randint(-3, 3, shape=(2,), dtype='int64')),
            'values': sorted(set(a.tolist())),
            'mean': stat(float(a.mean()), atol=0.03)}


def case_other_distributions(mx):
    r = mx.nd.random
    p = r.poisson(2, shape=(N,)).asnumpy()
    e = r.exponential(2, shape=(N,)).asnumpy()
    g = r.gamma(2, 1.5, shape=(N,)).asnumpy()
    return {'poisson': {'dtype': str(p.dtype), 'integral': bool((p == np.round(p)).all()),
                        'mean': stat(float(p.mean()), atol=0.04)},
            'exponential_mean': stat(float(e.mean()), atol=0.05),
            'gamma_mean': stat(float(g.mean()), atol=0.06)}


def case_multinomial_shuffle(mx):
    nd = mx.nd
    m = nd.random.multinomial(nd.array([0.2, 0.8]), shape=(N,))
    s = nd.random.shuffle(nd.arange(10))
    return {'multinomial': _meta(m), 'ones_fraction': stat(float(m.asnumpy().mean()), atol=0.01),
            'shuffle_is_permutation': sorted(s.asnumpy().tolist()) == list(range(10)),
            'shuffle_meta': _meta(s)}


def case_seed_reproducible(mx):
    nd = mx.nd
    mx.random.seed(42)
    a = nd.random.uniform(shape=5).asnumpy()
    b_next = nd.random.uniform(shape=5).asnumpy()
    mx.random.seed(42)
    b = nd.random.uniform(shape=5).asnumpy()
    mx.random.seed(43)
    c = nd.random.uniform(shape=5).asnumpy()
    mx.random.seed(7)
    n1 = nd.random.normal(shape=(3, 3)).asnumpy()
    mx.random.seed(7)
    n2 = nd.random.normal(shape=(3, 3)).asnumpy()
    return {'same_seed_same_draw': bool((a == b).all()),
            'next_draw_differs': bool((a != b_next).any()),
            'other_seed_differs': bool((a != c).any()),
            'normal_repeats': bool((n1 == n2).all())}


def case_seed_with_ctx(mx):
    nd = mx.nd
    mx.random.seed(5)
    a = nd.random.uniform(shape=4).asnumpy()
    mx.random.seed(5, ctx=mx.cpu(0))
    b = nd.random.uniform(shape=4).asnumpy()
    return bool((a == b).all())


def case_out_argument(mx):
    nd = mx.nd
    out = nd.zeros(1000)
    r = nd.random.uniform(shape=1000, out=out)
    a = out.asnumpy()
    return {'returns_out': r is out, 'filled': bool((a > 0).any() and (a < 1).all())}


def case_aliases(mx):
    nd = mx.nd
    return [_meta(nd.random_uniform(shape=2)), _meta(nd.uniform(shape=2)),
            _meta(mx.random.uniform(shape=2)), _meta(nd.random_normal(shape=2)),
            _meta(mx.random.normal(shape=(1, 2)))]


def case_bad_parameters(mx):
    r = mx.nd.random
    return {'low_gt_high': raises(lambda: r.uniform(1, 0, shape=2)),
            'neg_scale': raises(lambda: r.normal(0, -1, shape=2)),
            'int_dtype': raises(lambda: r.uniform(shape=2, dtype='int32')),
            'zero_dim': raises(lambda: r.uniform(shape=(2, 0)))}

"""Cases for LAMB, LARS and the multi-weight updates, written once as MXNet user code and run
by the recorder (real MXNet) and by the test (this package): each returns name -> arrays."""
import numpy as np


def _arr(nd, seed, shape=(2, 3), low=-1, high=1, dtype='float32'):
    return nd.array(np.random.RandomState(seed).uniform(low, high, shape), dtype=dtype)


def lamb(nd):
    out = {}
    for i, kw in enumerate([{'t': 1, 'wd': 0.0}, {'t': 3, 'bias_correction': False, 'wd': 0.1},
                            {'t': 2, 'wd': 0.0, 'clip_gradient': 0.2, 'rescale_grad': 2.0}]):
        w, g = _arr(nd, 1), _arr(nd, 2)
        m, v = _arr(nd, 3, low=0, high=1), _arr(nd, 4, low=0.1, high=1)
        d = nd.lamb_update_phase1(w, g, m, v, beta1=0.8, beta2=0.9, epsilon=1e-6, **kw)
        r1, r2 = w.norm(), d.norm()
        nd.lamb_update_phase2(w, d, r1, r2, lr=0.1, lower_bound=0.1 * i, upper_bound=0.5 + i,
                              out=w)
        out['lamb{}'.format(i)] = [d, m, v, w]
    return out


def lars_and_sums(nd):
    arrays = [_arr(nd, s, shape=(s + 1,)) for s in range(3)]
    sq = nd.multi_sum_sq(*arrays, num_arrays=3)
    lrs = nd.array([0.1, 0.2, 0.3])
    wds = nd.array([0.0, 0.01, 0.1])
    grads_sq = nd.array([1.0, 0.0, 2.0])
    return {'sum_sq': sq, 'lars': nd.multi_lars(lrs, sq, grads_sq, wds, eta=0.5, eps=1e-8,
                                                rescale_grad=0.5)}


def multi(nd):
    w = [_arr(nd, 10), _arr(nd, 11, shape=(4,))]
    g = [_arr(nd, 12), _arr(nd, 13, shape=(4,))]
    m = [_arr(nd, 14), _arr(nd, 15, shape=(4,))]
    nd.multi_sgd_mom_update(w[0], g[0], m[0], w[1], g[1], m[1], lrs=(0.1, 0.2), wds=(0.0, 0.1),
                            momentum=0.9, num_weights=2, out=w)
    w2 = [_arr(nd, 20), _arr(nd, 21)]
    nd.multi_sgd_update(w2[0], g[0], w2[1], _arr(nd, 22), lrs=(0.1, 0.3), wds=(0.1, 0.0),
                        clip_gradient=0.5, num_weights=2, out=w2)
    w16 = [_arr(nd, 30, dtype='float16'), _arr(nd, 31, dtype='float16')]
    w32 = [w16[0].astype('float32'), w16[1].astype('float32')]
    g16 = [_arr(nd, 32, dtype='float16'), _arr(nd, 33, dtype='float16')]
    mom = [nd.zeros((2, 3)), nd.zeros((2, 3))]
    nd.preloaded_multi_mp_sgd_mom_update(
        w16[0], g16[0], mom[0], w32[0], w16[1], g16[1], mom[1], w32[1],
        nd.array([0.1, 0.2]), nd.array([0.0, 0.05]), momentum=0.5, num_weights=2, out=w16)
    return {'mom_w': w, 'mom_m': m, 'sgd_w': w2, 'mp_w16': w16, 'mp_w32': w32, 'mp_mom': mom}


CASES = [lamb, lars_and_sums, multi]

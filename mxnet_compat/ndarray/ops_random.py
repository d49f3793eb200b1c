"""Random sampling operators: MXNet's ``_random_*`` (scalar parameters), ``_random_*_like``
(shape and dtype of an input), ``_sample_*`` (one distribution per element of NDArray
parameters), ``_sample_multinomial``, ``_shuffle`` and the densities ``_random_pdf_*``.

Each draw folds a global counter into the global key inside the primitive (see
``mxnet_compat/_rng.py``); the key and counter are recorded like any input, so a replayed
graph sees the same numbers.  The numbers differ from MXNet's generator; the
distributions, shapes, dtypes and errors are MXNet's.

MXNet validates scalar parameters in C++ when the operator runs (``low <= high``,
``scale > 0``...), raising ``MXNetError``.  Here :class:`RandomOp` runs the same checks
on the concrete values of each eager call, before the jitted primitive, so a bad value
never reaches jit and never forces a recompile.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy import special as jsp

from ..base import MXNetError, dtype_type
from .registry import OPS, Op, Param
from .._rng import make_key

_FLOATS = (np.float16, np.float32, np.float64)
_INFER = 'None'   # MXNet's default for dtype: let the operator decide


class DTypeParam(Param):
    """A ``dtype`` parameter parsed as MXNet's frontend passes it.

    The default, the string ``'None'``, lets the operator choose (float32 for samplers).
    Python ``None`` is *not* the default: MXNet's generated functions send
    ``np.dtype(None).name``, i.e. ``'float64'`` (``nd.random.uniform(dtype=None)`` is
    float64 in MXNet 1.9.1), and so do we.  Values outside ``choices`` raise MXNetError."""

    def parse(self, value, op_name):
        if isinstance(value, str) and value == _INFER:
            return None
        t = np.float64 if value is None else dtype_type(value)
        if t not in self.choices:
            raise MXNetError("Invalid Input: '{}', valid values are: {{'None', {}}}, in operator "
                             "{}".format(np.dtype(t).name, ', '.join(
                                 repr(np.dtype(c).name) for c in self.choices if c is not None),
                                 op_name))
        return t


class RandomOp(Op):
    """An :class:`Op` with MXNet's run-time parameter checks.

    ``check(values, op_name)`` gets a dict of every parameter value (static and dynamic) and
    raises MXNetError.  It runs on each eager call; when a recorded graph is replayed under
    jit the dynamic values are tracers and the check is skipped (they were checked when
    recorded).  ``jit=False``: the impl is not wrapped in one jit per static tuple (it
    calls kernels jitted per bucket of sizes instead)."""

    def __init__(self, name, impl, check=None, jit=True, **spec):
        super().__init__(name, impl, **spec)
        self.check = check
        self.jit = jit

    def primitive(self, static):
        fn = self._cache.get(static)
        if fn is not None:
            return fn
        if self.jit:
            jitted = super().primitive(static)
        else:   # the impl calls its own jitted kernels (see _draw_shaped)
            impl, kwargs = self.impl, dict(zip([p.name for p in self._static], static))

            def jitted(*args):
                return impl(*args, **kwargs)
            self._cache[static] = jitted
        if self.check is None:
            return jitted
        statics = dict(zip([p.name for p in self._static], static))
        names = [p.name for p in self._dynamic]
        lead = (2 if self.random else 0) + len(self.inputs)
        check, op_name = self.check, self.name

        def checked(*args):
            values = dict(statics)
            for n, v in zip(names, args[lead:]):
                if not isinstance(v, (int, float, np.generic)):
                    return jitted(*args)
                values[n] = v
            check(values, op_name)
            return jitted(*args)
        checked.__name__ = self.name
        self._cache[static] = checked
        return checked


def register_random(name, aliases=(), **spec):
    """Like :func:`registry.register`, for a :class:`RandomOp` (``check=`` allowed)."""
    def deco(impl):
        op = RandomOp(name, impl, family='random', **spec)
        for n in (name,) + tuple(aliases):
            OPS[n] = op
        return op
    return deco


# ----------------------------------------------------------------------------- checks

def _fail(msg, op_name):
    raise MXNetError('{} (in operator {})'.format(msg, op_name))


def _check_shape(shape, op_name, allow_empty=False):
    """Scalar samplers need a non-empty shape of positive dimensions (MXNet's shape
    inference fails otherwise); ``_sample_*`` allow ``()`` (one draw per parameter)."""
    if shape is None or (not shape and not allow_empty):
        _fail('Operator {} inferring shapes failed: no output shape (give shape=)'
              .format(op_name), op_name)
    if any(d <= 0 for d in shape):
        _fail('Check failed: shape parameter must be non-zero within each dimension, got {}'
              .format(shape), op_name)


def _real(v, name, op_name):
    if isinstance(v, (bool, np.bool_)):
        _fail("Invalid Parameter format for {} expect float but value='{}'".format(name, v),
              op_name)
    return float(v)


def _integer(v, name, op_name, kind='int'):
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        _fail("Invalid Parameter format for {} expect {} but value='{}'".format(name, kind, v),
              op_name)
    return int(v)


def _positive(name, what, strict=True):
    """A check: parameter ``name`` > 0 (``strict``) or >= 0, with MXNet's message."""
    def check(values, op_name):
        v = _real(values[name], name, op_name)
        if not (v > 0 if strict else v >= 0):
            _fail('Check failed: param.{} {} 0 ({} vs. 0) : {} parameter in {} has to be {}'
                  .format(name, '>' if strict else '>=', v, name if name != 'lam' else 'lambda',
                          what, 'positive' if strict else 'non-negative'), op_name)
    return check


def _all(*checks, shape='shape'):
    def check(values, op_name):
        if shape is not None:
            _check_shape(values[shape], op_name)
        for c in checks:
            c(values, op_name)
    return check


def _check_uniform(values, op_name):
    low, high = _real(values['low'], 'low', op_name), _real(values['high'], 'high', op_name)
    if not high >= low:
        _fail('Check failed: param.high >= param.low ({} vs. {}) : low must be less or equal '
              'to high in uniform distribution'.format(high, low), op_name)


def _check_randint(values, op_name):
    low = _integer(values['low'], 'low', op_name, 'long')
    high = _integer(values['high'], 'high', op_name, 'long')
    if not high > low:
        # MXNet checks high >= low and then divides by zero (SIGFPE) when they are equal.
        _fail('Check failed: param.high > param.low ({} vs. {}) : randint needs low < high'
              .format(high, low), op_name)


def _check_nb_k(values, op_name):
    if _integer(values['k'], 'k', op_name) < 0:
        _fail('Check failed: param.k >= 0 ({} vs. 0) : k parameter in negative binomial '
              'distribution has to be non-negative'.format(values['k']), op_name)


def _check_sample_shape(values, op_name):
    _check_shape(values['shape'], op_name, allow_empty=True)


# ----------------------------------------------------------------------------- samplers
# draw(key, shape, dtype, *params) with params broadcastable to shape, dtype float32/64.
# Gamma and Poisson are rejection samplers run as one vector loop over all elements (JAX's
# own take seconds to compile per shape).  Their loops draw from XLA's RngBitGenerator with
# the state carried along (seeded from the op's key), which compiles much faster than
# threefry inside a loop.

def _draw_uniform(key, shape, dt, low, high):
    # low + u (high - low), as MXNet: NDArray parameters with low > high give (high, low].
    return low + (high - low) * jax.random.uniform(key, shape, dt)


def _draw_normal(key, shape, dt, loc, scale):
    return loc + scale * jax.random.normal(key, shape, dt)


def _draw_exponential(key, shape, dt, lam):
    return jax.random.exponential(key, shape, dt) / lam


def _uniform(state, shape, dt):
    """(new state, U[0,1) of dtype dt) from RngBitGenerator bits (mantissa trick)."""
    if dt == np.float64:
        state, bits = jax.lax.rng_bit_generator(state, shape, dtype=jnp.uint64)
        one = jax.lax.bitcast_convert_type((bits >> 12) | np.uint64(0x3FF0000000000000), dt)
    else:
        state, bits = jax.lax.rng_bit_generator(state, shape, dtype=jnp.uint32)
        one = jax.lax.bitcast_convert_type((bits >> 9) | np.uint32(0x3F800000), jnp.float32)
    return state, one - 1


def _std_gamma(state, alpha, shape, dt):
    """Gamma(alpha, 1) by Marsaglia and Tsang's method (alpha < 1: Gamma(alpha+1) U^(1/alpha));
    alpha = 0 gives 0 (MXNet's sample_gamma does too), alpha < 0 NaN.  Returns (state, x)."""
    alpha = jnp.broadcast_to(alpha, shape).astype(dt)
    valid = alpha > 0
    boost = alpha < 1
    a = jnp.where(boost, jnp.where(valid, alpha, 0) + 1, alpha)
    d = a - 1.0 / 3
    c = 1 / jnp.sqrt(9 * d)

    def body(carry):
        state, x, done = carry
        state, u = _uniform(state, shape, dt)
        state, w = _uniform(state, shape, dt)
        z = 2 ** 0.5 * jax.lax.erf_inv(2 * u - 1)
        v = (1 + c * z) ** 3
        safe = jnp.where(v > 0, v, 1)
        ok = (v > 0) & (jnp.log(w) < 0.5 * z * z + d - d * safe + d * jnp.log(safe))
        return state, jnp.where(ok & ~done, d * safe, x), done | ok
    state, x, _ = jax.lax.while_loop(lambda carry: jnp.any(~carry[2]), body,
                                     (state, jnp.zeros(shape, dt), ~valid))
    state, u = _uniform(state, shape, dt)
    x = jnp.where(boost, x * jnp.exp(jnp.log(u) / jnp.where(valid, alpha, 1)), x)
    return state, jnp.where(valid, x, jnp.where(alpha == 0, 0, jnp.nan))


def _poisson(state, lam, shape, dt):
    """Poisson counts as floats: counting unit exponential arrivals below small rates,
    Hoermann's transformed rejection (PTRS) for rates >= 10.  A rate <= 0 gives 0 (as
    MXNet), a non-finite one NaN (MXNet: garbage).  Returns (state, counts)."""
    lam = jnp.broadcast_to(lam, shape).astype(dt)
    finite = jnp.isfinite(lam)
    lam = jnp.where(finite & (lam > 0), lam, 0)
    small = lam < 10
    lam_s = jnp.where(small, lam, -1)

    def body_small(carry):
        state, k, t = carry
        state, u = _uniform(state, shape, dt)
        active = t <= lam_s
        return state, k + active, jnp.where(active, t - jnp.log1p(-u), t)
    state, counts, _ = jax.lax.while_loop(
        lambda carry: jnp.any(carry[2] <= lam_s), body_small,
        (state, jnp.full(shape, -1, jnp.int32), jnp.zeros(shape, dt)))
    lam_l = jnp.where(small, 10, lam)
    b = 0.931 + 2.53 * jnp.sqrt(lam_l)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)

    def body_large(carry):
        state, k, done = carry
        state, u = _uniform(state, shape, dt)
        state, v = _uniform(state, shape, dt)
        u = u - 0.5
        us = 0.5 - jnp.abs(u)
        kk = jnp.floor((2 * a / us + b) * u + lam_l + 0.43)
        quick = (us >= 0.07) & (v <= vr)
        reject = (kk < 0) | ((us < 0.013) & (v > us))
        slow = (jnp.log(v) + jnp.log(inv_alpha) - jnp.log(a / (us * us) + b)
                <= -lam_l + kk * jnp.log(lam_l) - jsp.gammaln(kk + 1))
        ok = quick | (~reject & slow)
        return state, jnp.where(ok & ~done, kk, k), done | ok
    state, large, _ = jax.lax.while_loop(lambda carry: jnp.any(~carry[2]), body_large,
                                         (state, jnp.zeros(shape, dt), small))
    return state, jnp.where(finite, jnp.where(small, counts.astype(dt), large), jnp.nan)


def _state(key):
    """RngBitGenerator state from a JAX key."""
    return jax.random.bits(key, (4,), jnp.uint32)


def _draw_gamma(key, shape, dt, alpha, beta):
    return _std_gamma(_state(key), alpha, shape, dt)[1] * beta


def _draw_poisson(key, shape, dt, lam):
    return _poisson(_state(key), lam, shape, dt)[1]


def _draw_negative_binomial(key, shape, dt, k, p):
    """Failures before the k-th success: Poisson(Gamma(k, (1-p)/p)), as MXNet samples it."""
    state, g = _std_gamma(_state(key), k, shape, dt)
    return _poisson(state, g * (1 - p) / p, shape, dt)[1]


def _draw_generalized_negative_binomial(key, shape, dt, mu, alpha):
    """Poisson(Gamma(1/alpha, alpha*mu)); alpha = 0 is Poisson(mu)."""
    alpha = jnp.broadcast_to(alpha, shape)
    safe = jnp.where(alpha > 0, alpha, 1)
    state, g = _std_gamma(_state(key), 1 / safe, shape, dt)
    lam = jnp.where(alpha > 0, g * safe * mu, jnp.broadcast_to(mu, shape))
    return _poisson(state, lam, shape, dt)[1]


def _draw(draw, key, shape, dtype, params):
    """Sample in float32 at least (float16 draws are made in float32 and rounded)."""
    work = _work(dtype)
    params = [jnp.asarray(p).astype(work) for p in params]
    return draw(key, shape, work, *params).astype(dtype)


def _bucket(n):
    """Flat sizes share compiled kernels: 16, then 8 sizes per power of two (<= 12.5% waste)."""
    if n <= 16:
        return 16
    step = 1 << max(n.bit_length() - 4, 0)
    return -(-n // step) * step


def _work(dtype):
    return np.float32 if dtype == np.float16 else dtype


@functools.lru_cache(maxsize=None)
def _kernel(draw, size, dtype):
    """``size`` samples; every parameter arrives as a flat ``size`` array of the working
    dtype, so the scalar, ``*_like`` and ``_sample_*`` forms share one compilation."""
    def kernel(key, counter, *params):
        return _draw(draw, make_key(key, counter), (size,), dtype, params)
    return jax.jit(kernel)


@functools.lru_cache(maxsize=None)
def _filler(size, work):
    return jax.jit(lambda v: jnp.full((size,), v, work))


@functools.lru_cache(maxsize=None)
def _spreader(repeat, size, work):
    """Flat parameters for ``_sample_*``: each value repeated ``repeat`` times, padded to
    ``size`` with the last one (a valid parameter).  No gradient flows: MXNet's samplers
    give zeros w.r.t. their parameters."""
    def spread(p):
        flat = jnp.repeat(jax.lax.stop_gradient(p).reshape(-1).astype(work), repeat)
        return jnp.pad(flat, (0, size - flat.shape[0]), mode='edge')
    return jax.jit(spread)


def _run_kernel(draw, key, counter, n, out_shape, dtype, flat_params):
    flat = _kernel(draw, _bucket(n), dtype)(key, counter, *flat_params)
    return (flat if flat.shape[0] == n else flat[:n]).reshape(out_shape)


def _draw_shaped(draw, key, counter, shape, dtype, params):
    """``shape`` samples with scalar parameters (the scalar and ``*_like`` samplers) from
    the kernel of the bucket of their count, so that new shapes rarely compile."""
    n = int(np.prod(shape, dtype=np.int64))
    fill = _filler(_bucket(n), _work(dtype))
    return _run_kernel(draw, key, counter, n, shape, dtype, [fill(p) for p in params])


def _draw_per_element(draw, key, counter, arrays, shape, dtype):
    """``params.shape + shape`` samples, one distribution per parameter element."""
    repeat = int(np.prod(shape, dtype=np.int64))
    out_shape = arrays[0].shape + shape
    n = arrays[0].size * repeat
    if n == 0:
        return jnp.zeros(out_shape, dtype)
    spread = _spreader(repeat, _bucket(n), _work(dtype))
    return _run_kernel(draw, key, counter, n, out_shape, dtype, [spread(a) for a in arrays])


# name: (draw, [(parameter, default)], check of scalar parameters, description)
_DISTRIBUTIONS = {
    'uniform': (_draw_uniform, [('low', 0.0), ('high', 1.0)], _check_uniform,
                'uniform distribution on [low, high)'),
    'normal': (_draw_normal, [('loc', 0.0), ('scale', 1.0)],
               _positive('scale', 'gaussian'),
               'normal distribution with mean loc and standard deviation scale'),
    'exponential': (_draw_exponential, [('lam', 1.0)],
                    _positive('lam', 'exponential distribution'),
                    'exponential distribution with rate lam'),
    'gamma': (_draw_gamma, [('alpha', 1.0), ('beta', 1.0)],
              lambda v, o: (_positive('alpha', 'gamma distribution')(v, o),
                            _positive('beta', 'gamma distribution')(v, o)),
              'gamma distribution with shape alpha and scale beta'),
    'poisson': (_draw_poisson, [('lam', 1.0)],
                _positive('lam', 'poisson distribution', strict=False),
                'Poisson distribution with rate lam (float samples)'),
    'negative_binomial': (_draw_negative_binomial, [('k', 1), ('p', 1.0)],
                          lambda v, o: (_check_nb_k(v, o), _positive(
                              'p', 'negative binomial distribution', strict=False)(v, o)),
                          'negative binomial distribution: failures before the k-th success '
                          'with success probability p (float samples)'),
    'generalized_negative_binomial': (
        _draw_generalized_negative_binomial, [('mu', 1.0), ('alpha', 1.0)],
        lambda v, o: (_positive('mu', 'generalized negative binomial distribution',
                                strict=False)(v, o),
                      _positive('alpha', 'generalized negative binomial distribution',
                                strict=False)(v, o)),
        'generalized negative binomial distribution with mean mu and dispersion alpha '
        '(float samples)'),
}
# The NDArray-parameter forms name some parameters differently (MXNet's _sample_* inputs).
_SAMPLE_INPUTS = {'normal': ('mu', 'sigma')}

_SHAPE = Param('shape', None, 'shape_or_none')
_FLOAT_DTYPE = DTypeParam('dtype', _INFER, choices=(None,) + _FLOATS)


def _float_out(dtype):
    return np.float32 if dtype is None else dtype


def _register_distribution(dist, draw, params, check, what):
    names = [n for n, _ in params]
    scalar_params = tuple(Param(n, d, 'scalar', dynamic=True) for n, d in params)

    def scalar(key, counter, *values, shape, dtype):
        return _draw_shaped(draw, key, counter, shape, _float_out(dtype), values)
    scalar.__doc__ = ('Samples from the {} with scalar parameters; ``shape`` is required (the '
                      'Python ``nd.random.{}`` defaults it to (1,)); float32 unless '
                      '``dtype``.'.format(what, dist))
    register_random('_random_' + dist, aliases=('random_' + dist,), inputs=(),
                    params=scalar_params + (_SHAPE, _FLOAT_DTYPE), random=True, ctx_param=True,
                    dtype=None, differentiable=False, check=_all(check), jit=False)(scalar)

    def like(key, counter, data, *values):
        if data.dtype not in _FLOATS:
            raise ValueError('This operation only support floating point types, not {}'
                             .format(np.dtype(data.dtype).name))
        return _draw_shaped(draw, key, counter, data.shape, data.dtype.type, values)
    like.__doc__ = ('Samples from the {} with the shape and dtype of ``data`` (floating '
                    'point only); no gradient flows to ``data``.'.format(what))
    register_random('_random_{}_like'.format(dist), params=scalar_params, random=True,
                    dtype=None, check=_all(check, shape=None), jit=False)(like)

    def sample(key, counter, *arrays, shape, dtype):
        for a in arrays[1:]:
            if a.shape != arrays[0].shape:
                raise ValueError('Operator _sample_{} inferring shapes failed: parameter shapes '
                                 '{} differ'.format(dist, [x.shape for x in arrays]))
        return _draw_per_element(draw, key, counter, arrays, shape, _float_out(dtype))
    sample.__doc__ = ('Samples from the {}, one distribution per element of the parameter '
                      'arrays: output shape = params.shape + shape; float32 unless ``dtype`` '
                      '(not the parameters\' dtype); zero gradient w.r.t. the parameters.'
                      .format(what))
    register_random('_sample_' + dist, aliases=('sample_' + dist,),
                    inputs=_SAMPLE_INPUTS.get(dist, tuple(names)),
                    params=(Param('shape', (), 'shape'), _FLOAT_DTYPE), random=True,
                    dtype=None, check=_check_sample_shape, jit=False)(sample)


for _dist, (_draw_fn, _params, _check, _what) in _DISTRIBUTIONS.items():
    _register_distribution(_dist, _draw_fn, _params, _check, _what)
# MXNet also registers the two oldest samplers under bare names.
OPS['uniform'] = OPS['_random_uniform']
OPS['normal'] = OPS['_random_normal']


@register_random('_random_randint', aliases=('random_randint',), inputs=(),
                 params=(Param('low', kind='scalar', dynamic=True),
                         Param('high', kind='scalar', dynamic=True), _SHAPE,
                         DTypeParam('dtype', _INFER, choices=(None, np.int32, np.int64))),
                 random=True, ctx_param=True, dtype=None, differentiable=False,
                 check=_all(_check_randint))
def _randint(key, counter, low, high, shape, dtype):
    """Uniform integers in [low, high); int32 unless ``dtype='int64'``.  MXNet crashes
    (SIGFPE) for low == high; we raise MXNetError."""
    dt = np.int32 if dtype is None else dtype
    return jax.random.randint(make_key(key, counter), shape, low, high, dt)


@register_random('_sample_multinomial', aliases=('sample_multinomial',),
                 params=(Param('shape', (), 'shape'), Param('get_prob', False, 'bool'),
                         DTypeParam('dtype', 'int32', choices=(np.uint8, np.int32) + _FLOATS)),
                 random=True, dtype=None, check=_check_sample_shape)
def _sample_multinomial(key, counter, data, shape, get_prob, dtype):
    """Category indices drawn from the distributions on the last axis of ``data`` (which
    should sum to 1).  Output shape: ``data.shape[:-1] + shape`` ((1,) for 1-D data and no
    shape); int32 unless ``dtype``.  ``get_prob=True`` also returns the log-probability of
    each draw (data's dtype), through which gradients flow to ``data``.

    As in MXNet, a draw is the first index whose cumulative probability reaches a uniform
    number, so unnormalised rows are not rescaled; when a row sums to less than the
    number drawn MXNet returns index k (one past the end) and reads past the row for the
    log-probability; we return k too, with the last category's log-probability."""
    if data.dtype not in _FLOATS:
        raise ValueError('This operation only support floating point types, not {}'
                         .format(np.dtype(data.dtype).name))
    k = data.shape[-1]
    batch = data.shape[:-1]
    out_shape = batch + shape if (batch or shape) else (1,)
    rows = int(np.prod(batch, dtype=np.int64))
    draws = int(np.prod(out_shape, dtype=np.int64)) // max(rows, 1)
    u = jax.random.uniform(make_key(key, counter), (rows, draws), jnp.float32)
    cdf = jnp.cumsum(jax.lax.stop_gradient(data).astype(jnp.float64 if data.dtype == np.float64
                                                        else jnp.float32), -1)
    cdf = cdf.reshape(rows, k).astype(jnp.float32)
    idx = jax.vmap(lambda c, v: jnp.searchsorted(c, v, side='left'))(cdf, u)
    out = idx.reshape(out_shape).astype(dtype)
    if not get_prob:
        return out
    picked = jnp.take_along_axis(data.reshape(rows, k), jnp.minimum(idx, k - 1), axis=1)
    return out, jnp.log(picked).reshape(out_shape).astype(data.dtype)


@register_random('_shuffle', aliases=('shuffle',), random=True, differentiable=False)
def _shuffle(key, counter, data):
    """A copy of ``data`` with its first axis randomly permuted (not differentiable, as in
    MXNet)."""
    perm = jax.random.permutation(make_key(key, counter), data.shape[0])
    return data[perm]


# ----------------------------------------------------------------------------- densities

def _expand_params(sample, params, event_dims=0):
    """Parameters shaped like the leading axes of ``sample``: append axes to broadcast."""
    first = params[0]
    lead = first.ndim - event_dims
    for p in params[1:]:
        if p.shape != first.shape:
            raise ValueError('Shape inconsistent: parameter shapes {} differ'.format(
                [q.shape for q in params]))
    if sample.shape[:lead] != first.shape[:lead] or (
            event_dims and sample.shape[-1] != first.shape[-1]):
        raise ValueError('Shape inconsistent: sample shape {} does not start with the parameter '
                         'shape {}'.format(sample.shape, first.shape))
    extra = sample.ndim - first.ndim
    if event_dims:
        return [p.reshape(p.shape[:-1] + (1,) * extra + p.shape[-1:]) for p in params]
    return [p.reshape(p.shape + (1,) * extra) for p in params]


def _log_pdf_uniform(x, low, high):
    # MXNet does not check the support: 1/(high-low) everywhere.
    return -jnp.log(high - low) + 0 * x


def _log_pdf_normal(x, mu, sigma):
    return -0.5 * jnp.square((x - mu) / sigma) - jnp.log(sigma) - 0.5 * np.log(2 * np.pi)


def _log_pdf_gamma(x, alpha, beta):
    # beta is a *rate* here, although _random_gamma's beta is a scale (as in MXNet).
    return alpha * jnp.log(beta) + (alpha - 1) * jnp.log(x) - beta * x - jsp.gammaln(alpha)


def _log_pdf_exponential(x, lam):
    return jnp.log(lam) - lam * x


def _log_pdf_poisson(x, lam):
    lp = x * jnp.log(lam) - lam - jsp.gammaln(x + 1)
    return jnp.where(x < 0, -jnp.inf, lp)


def _log_pdf_negative_binomial(x, k, p):
    return (jsp.gammaln(x + k) - jsp.gammaln(k) - jsp.gammaln(x + 1) + k * jnp.log(p)
            + x * jnp.log1p(-p))


def _log_pdf_generalized_negative_binomial(x, mu, alpha):
    k = 1 / alpha
    return _log_pdf_negative_binomial(x, k, 1 / (1 + alpha * mu))


def _log_pdf_dirichlet(x, alpha):
    return (jnp.sum((alpha - 1) * jnp.log(x), -1) + jsp.gammaln(jnp.sum(alpha, -1))
            - jnp.sum(jsp.gammaln(alpha), -1))


_PDFS = {
    'uniform': (_log_pdf_uniform, ('low', 'high')),
    'normal': (_log_pdf_normal, ('mu', 'sigma')),
    'gamma': (_log_pdf_gamma, ('alpha', 'beta')),
    'exponential': (_log_pdf_exponential, ('lam',)),
    'poisson': (_log_pdf_poisson, ('lam',)),
    'negative_binomial': (_log_pdf_negative_binomial, ('k', 'p')),
    'generalized_negative_binomial': (_log_pdf_generalized_negative_binomial, ('mu', 'alpha')),
    'dirichlet': (_log_pdf_dirichlet, ('alpha',)),
}


def _register_pdf(dist, log_pdf, names):
    event = 1 if dist == 'dirichlet' else 0
    discrete = dist in ('poisson', 'negative_binomial', 'generalized_negative_binomial')

    def pdf(sample, *params, is_log):
        if sample.dtype not in _FLOATS:
            raise ValueError('This operation only support floating point types, not {}'
                             .format(np.dtype(sample.dtype).name))
        work = jnp.float32 if sample.dtype == np.float16 else sample.dtype
        ps = [p.astype(work) for p in _expand_params(sample, params, event)]
        if discrete:   # MXNet: no gradient w.r.t. the counts
            sample = jax.lax.stop_gradient(sample)
        lp = log_pdf(sample.astype(work), *ps)
        return lp if is_log else jnp.exp(lp)
    pdf.__doc__ = ('Density (``is_log``: log-density) of ``sample`` under {} distributions '
                   'with parameters {}, whose shape is the leading sub-shape of ``sample``{}. '
                   'Differentiable in the parameters and (continuous distributions) the '
                   'sample.'.format(
                       dist.replace('_', ' '), ', '.join(names),
                       ' (the last axis is the event axis)' if event else ''))
    sample = {'shapes': [(2, 3)] + [(3,) if event else (2,)] * len(names)}
    if discrete:   # the counts get no gradient (as in MXNet): check the parameters only
        sample['wrt'] = tuple(range(1, len(names) + 1))
    if dist == 'uniform':
        sample['inputs'] = [None, [0.1, 0.2], [1.5, 2.0]]
    register_random('_random_pdf_' + dist, aliases=('random_pdf_' + dist,),
                    inputs=('sample',) + names, params=(Param('is_log', False, 'bool'),),
                    sample=sample)(pdf)


for _dist, (_fn, _names) in _PDFS.items():
    _register_pdf(_dist, _fn, _names)

del _dist, _draw_fn, _params, _check, _what, _fn, _names

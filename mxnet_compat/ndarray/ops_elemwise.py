"""Element-wise operators: unary math, binary broadcast, scalar and comparison forms.

Every record keeps MXNet's dtype rule 'same' (the output takes the input's dtype: a
comparison of float32 arrays gives 0/1 as float32, ``sqrt`` of int32 is int32), and
the scalar of ``x * 2`` is a traced argument, so changing scalars never recompiles.
"""
import jax
import jax.numpy as jnp
from jax import lax
from jax.scipy import special as jsp

from .registry import Param, register


@jax.custom_jvp
def relu(x):
    """max(x, 0), with MXNet's derivative ``grad * (x > 0)``.

    jax.nn.relu's derivative selects against a broadcast zero array, which linearisation
    keeps as a residual: a full-size array written by every recorded forward pass.  Here
    the only residual is the boolean mask (``g * 0`` keeps NaN/inf gradients NaN, as
    MXNet's multiplication does)."""
    return jnp.maximum(x, 0)


@relu.defjvp
def _relu_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    return relu(x), jnp.where(x > 0, g, g * 0)


_UNARY = {
    # name: (jax function, method?, differentiable)
    'abs': jnp.abs, 'negative': jnp.negative, 'exp': jnp.exp, 'expm1': jnp.expm1,
    'log': jnp.log, 'log10': jnp.log10, 'log2': jnp.log2, 'log1p': jnp.log1p,
    'sqrt': jnp.sqrt, 'rsqrt': lax.rsqrt, 'cbrt': jnp.cbrt, 'rcbrt': lambda x: 1 / jnp.cbrt(x),
    'square': jnp.square, 'reciprocal': jnp.reciprocal,
    'sin': jnp.sin, 'cos': jnp.cos, 'tan': jnp.tan, 'arcsin': jnp.arcsin, 'arccos': jnp.arccos,
    'arctan': jnp.arctan, 'sinh': jnp.sinh, 'cosh': jnp.cosh, 'tanh': jnp.tanh,
    'arcsinh': jnp.arcsinh, 'arccosh': jnp.arccosh, 'arctanh': jnp.arctanh,
    'degrees': jnp.degrees, 'radians': jnp.radians,
    'sign': jnp.sign, 'floor': jnp.floor, 'ceil': jnp.ceil, 'trunc': jnp.trunc,
    'fix': jnp.trunc,
    # MXNet's rint breaks ties towards the floor (2.5 -> 2, -0.5 -> -1), not to even
    'rint': lambda x: jnp.where(x - jnp.floor(x) <= jnp.ceil(x) - x, jnp.floor(x), jnp.ceil(x)),
    'round': lambda x: jnp.where(x >= 0, jnp.floor(x + 0.5), jnp.ceil(x - 0.5)),
    'relu': relu, 'sigmoid': jax.nn.sigmoid, 'softsign': jax.nn.soft_sign,
    'erf': jsp.erf, 'erfinv': jsp.erfinv, 'gamma': lambda x: jnp.exp(jsp.gammaln(x)) *
    jnp.where((x < 0) & (jnp.floor(x) % 2 == 0), -1, 1),
    'gammaln': jsp.gammaln, 'logical_not': lambda x: x == 0,
    '_copy': lambda x: x, 'identity': lambda x: x,
    'zeros_like': jnp.zeros_like, 'ones_like': jnp.ones_like,
    'stop_gradient': lax.stop_gradient,
}
_UNARY_ALIASES = {'_copy': ('identity',), 'stop_gradient': ('BlockGrad',)}
_NO_METHOD = {'_copy', 'identity', 'negative', 'stop_gradient'}
_NOT_DIFFERENTIABLE = {'sign', 'floor', 'ceil', 'trunc', 'fix', 'rint', 'round', 'logical_not',
                       'zeros_like', 'ones_like'}


def _unary(name, fn):
    def impl(data):
        return fn(data)
    impl.__doc__ = 'Element-wise ``{}`` of the input (MXNet operator ``{}``).'.format(name, name)
    register(name, aliases=_UNARY_ALIASES.get(name, ()),
             method=None if name in _NO_METHOD else name,
             differentiable=name not in _NOT_DIFFERENTIABLE, family='elemwise')(impl)


for _n, _f in _UNARY.items():
    if _n != 'identity':
        _unary(_n, _f)

_BINARY = {
    'add': jnp.add, 'sub': jnp.subtract, 'mul': jnp.multiply, 'div': jnp.divide,
    'mod': jnp.mod, 'power': jnp.power, 'maximum': jnp.maximum, 'minimum': jnp.minimum,
    'hypot': jnp.hypot, 'equal': jnp.equal, 'not_equal': jnp.not_equal,
    'greater': jnp.greater, 'greater_equal': jnp.greater_equal, 'lesser': jnp.less,
    'lesser_equal': jnp.less_equal, 'logical_and': jnp.logical_and,
    'logical_or': jnp.logical_or, 'logical_xor': jnp.logical_xor,
}
_COMPARE = {'equal', 'not_equal', 'greater', 'greater_equal', 'lesser', 'lesser_equal',
            'logical_and', 'logical_or', 'logical_xor'}
_BROADCAST_ALIASES = {'add': ('broadcast_plus',), 'sub': ('broadcast_minus',)}


def _int_div(fn):
    """MXNet divides integers by truncation (C semantics), not numpy's floor or true divide."""
    def div(a, b):
        if jnp.issubdtype(a.dtype, jnp.integer):
            return lax.div(a, b.astype(a.dtype) if hasattr(b, 'astype') else b)
        return fn(a, b)
    return div


def _binary(name, fn):
    fn = _int_div(fn) if name == 'div' else fn

    def impl(lhs, rhs):
        return fn(lhs, rhs)
    impl.__doc__ = ('Element-wise ``{}`` of two arrays with numpy-style broadcasting (MXNet '
                    '``broadcast_{}``).').format(name, name)
    register('broadcast_' + name, inputs=('lhs', 'rhs'),
             aliases=_BROADCAST_ALIASES.get(name, ()),
             differentiable=name not in _COMPARE, family='elemwise')(impl)

    if name in ('add', 'sub', 'mul', 'div'):
        def same_shape(lhs, rhs):
            if lhs.shape != rhs.shape:
                raise ValueError('elemwise_{} needs equal shapes, got {} and {}'.format(
                    name, lhs.shape, rhs.shape))
            return fn(lhs, rhs)
        same_shape.__doc__ = 'Element-wise ``{}`` of two arrays of the same shape.'.format(name)
        register('elemwise_' + name, inputs=('lhs', 'rhs'),
                 aliases={'add': ('_add', '_plus'), 'sub': ('_sub', '_minus'),
                          'mul': ('_mul',), 'div': ('_div',)}[name],
                 family='elemwise')(same_shape)

    def scalar_impl(data, scalar):
        return fn(data, jnp.asarray(scalar).astype(data.dtype))
    scalar_impl.__doc__ = '``{}`` of an array and a scalar (cast to the array dtype).'.format(name)
    sname = {'add': '_plus', 'sub': '_minus', 'mul': '_mul', 'div': '_div', 'mod': '_mod',
             'power': '_power', 'maximum': '_maximum', 'minimum': '_minimum',
             'hypot': '_hypot', 'lesser': '_lesser', 'lesser_equal': '_lesser_equal'}.get(
                 name, '_' + name)
    scalar_param = (Param('scalar', 1.0, 'scalar', dynamic=True),)
    register(sname + '_scalar', params=scalar_param, differentiable=name not in _COMPARE,
             family='elemwise')(scalar_impl)
    if name in ('sub', 'div', 'mod', 'power'):
        def rscalar_impl(data, scalar):
            return fn(jnp.asarray(scalar).astype(data.dtype), data)
        rscalar_impl.__doc__ = '``{}`` of a scalar and an array (reflected).'.format(name)
        rname = {'sub': '_rminus', 'div': '_rdiv', 'mod': '_rmod', 'power': '_rpower'}[name]
        register(rname + '_scalar', params=scalar_param, family='elemwise')(rscalar_impl)


for _n, _f in _BINARY.items():
    _binary(_n, _f)


@register('add_n', variadic=True, inputs=('args',), aliases=('ElementWiseSum',),
          family='elemwise')
def _add_n(*args):
    """Sum of any number of arrays of the same shape."""
    out = args[0]
    for a in args[1:]:
        out = out + a
    return out


@register('clip', params=(Param('a_min', kind='float'), Param('a_max', kind='float')),
          method='clip', family='elemwise', sample={'params': {'a_min': 0.3, 'a_max': 0.7}})
def _clip(data, a_min, a_max):
    """Clip values into [a_min, a_max]."""
    return jnp.clip(data, a_min, a_max)


@register('Cast', params=(Param('dtype', 'float32', 'dtype'),), aliases=('cast',), dtype=None,
          family='elemwise', sample={'params': {'dtype': 'float64'}})
def _cast(data, dtype):
    """Convert to ``dtype``.  Floats cast to 8/16-bit integers wrap around like MXNet's C
    cast (300.0 -> uint8 44, -1.0 -> 255): truncate to int32 first, then narrow."""
    target = jnp.dtype(dtype)
    if (jnp.issubdtype(data.dtype, jnp.floating) and jnp.issubdtype(target, jnp.integer)
            and target.itemsize < 4):
        return data.astype(jnp.int32).astype(target)
    return data.astype(dtype)


del _n, _f

"""``mx.init`` / ``mx.initializer``: how parameters get their first values.

An initializer is called as ``init(desc, arr)`` and fills ``arr`` in place.  ``desc`` is an
:class:`InitDesc` (a ``str``: the parameter's name, plus ``attrs``).  Two dispatch rules,
both MXNet 1.9.1's:

* when ``desc.attrs['__init__']`` is set, that initializer's ``_init_weight`` fills the array
  whatever the name.  Gluon always sets it (to the parameter's own ``init`` or to the global
  one), so in Gluon *every* parameter without its own initializer - even one named
  ``foo_bias`` - gets the global initializer's weight values;
* otherwise the name's suffix picks the method: ``weight``, ``bias`` (zeros), ``gamma``
  (ones), ``beta`` (zeros), ``min``/``max``; a plain ``str`` name (the legacy form) also knows
  ``moving_mean``/``moving_var``/``moving_avg``/``moving_inv_var``.

Random initializers draw on the host from a generator seeded by ``mx.random``'s stream (so
``mx.random.seed`` makes them reproducible); the numbers differ from MXNet's generator,
the distributions do not.
"""
import json
import logging
import re
import warnings

import numpy as np

from . import _rng
from . import ndarray as nd
from .ndarray import NDArray

__all__ = ['InitDesc', 'Initializer', 'register', 'alias', 'create', 'Load', 'Mixed', 'Zero',
           'One', 'Constant', 'Uniform', 'Normal', 'Orthogonal', 'Xavier', 'MSRAPrelu',
           'Bilinear', 'LSTMBias']


class InitDesc(str):
    """A parameter name with attributes (``attrs['__init__']``: the initializer to use)
    and the global initializer to fall back to."""

    def __new__(cls, name, attrs=None, global_init=None):
        desc = super().__new__(cls, name)
        desc.attrs = attrs or {}
        desc.global_init = global_init
        return desc


# ----------------------------------------------------------------------------- registry

_REGISTRY = {}


def register(klass):
    """Class decorator: make ``klass`` creatable by its lower-case name."""
    if not (isinstance(klass, type) and issubclass(klass, Initializer)):
        raise AssertionError('Can only register subclasses of Initializer, got {}'.format(klass))
    name = klass.__name__.lower()
    if name in _REGISTRY and _REGISTRY[name] is not klass:
        warnings.warn('New initializer {}.{} is overriding existing initializer {}.{}'.format(
            klass.__module__, klass.__name__, _REGISTRY[name].__module__,
            _REGISTRY[name].__name__), UserWarning, stacklevel=2)
    _REGISTRY[name] = klass
    return klass


def alias(*aliases):
    """Class decorator: extra (lower-case) names for an initializer."""
    def reg(klass):
        for a in aliases:
            _REGISTRY[a.lower()] = klass
        return klass
    return reg


def create(init=None, **kwargs):
    """An Initializer from an instance (returned as is), a class, a registered name, a dict
    ``{'initializer': name, **kwargs}``, or the JSON of ``Initializer.dumps()``.  Bad input
    raises AssertionError, as MXNet's registry does."""
    if init is None:
        init = kwargs.pop('initializer')
    if isinstance(init, Initializer):
        if kwargs:
            raise AssertionError('initializer is already an instance. Additional arguments '
                                 'are invalid')
        return init
    if isinstance(init, type) and issubclass(init, Initializer):
        return init(**kwargs)
    if isinstance(init, dict):
        return create(**init)
    if not isinstance(init, str):
        raise AssertionError('initializer must be of string type, got {!r}'.format(init))
    if init.startswith(('[', '{')):
        if kwargs:
            raise AssertionError('create(): keyword arguments given with a JSON initializer')
        spec = json.loads(init)
        return create(spec[0], **spec[1]) if init.startswith('[') else create(**spec)
    klass = _REGISTRY.get(init.lower())
    if klass is None:
        raise AssertionError('{} is not registered. Please register with '
                             'initializer.register first'.format(init.lower()))
    return klass(**kwargs)


# ----------------------------------------------------------------------------- base class

class Initializer:
    """Base class: subclasses implement ``_init_weight(name, arr)`` (and may override
    ``_init_bias`` and friends)."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Log a statistic of every initialised array (default: norm / sqrt(size))."""
        self._verbose = verbose
        if print_func is None:
            def print_func(x):
                return str((nd.norm(x) / np.sqrt(x.size)).asscalar())
        self._print_func = print_func
        return self

    def _verbose_print(self, desc, init, arr):
        if self._verbose and self._print_func:
            logging.info('Initialized %s as %s: %s', desc, init, self._print_func(arr))

    def dumps(self):
        """``'["name", {kwargs}]'``: what :func:`create` accepts back."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __repr__(self):
        return '{}({})'.format(self.__class__.__name__,
                               ', '.join('{}={!r}'.format(k, v) for k, v in self._kwargs.items()))

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = object.__hash__

    def __call__(self, desc, arr):
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        init = desc.attrs.get('__init__', '')
        if init:
            create(init)._init_weight(desc, arr)
            self._verbose_print(desc, init, arr)
            return
        for suffix, method in (('weight', self._init_weight), ('bias', self._init_bias),
                               ('gamma', self._init_gamma), ('beta', self._init_beta),
                               ('min', self._init_zero), ('max', self._init_one)):
            if desc.endswith(suffix):
                method(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    _LEGACY = (('bias', '_init_bias'), ('gamma', '_init_gamma'), ('beta', '_init_beta'),
               ('weight', '_init_weight'), ('moving_mean', '_init_zero'),
               ('moving_var', '_init_one'), ('moving_inv_var', '_init_zero'),
               ('moving_avg', '_init_zero'), ('min', '_init_zero'), ('max', '_init_one'))

    def _legacy_init(self, name, arr):
        """``init('fc1_weight', arr)`` with a plain string: deprecated, dispatch by suffix."""
        warnings.warn('Calling initializer with init(str, NDArray) has been deprecated. '
                      'Please use init(mx.init.InitDesc(...), NDArray) instead.',
                      DeprecationWarning, stacklevel=3)
        if not isinstance(name, str):
            raise TypeError('name must be string')
        if not isinstance(arr, NDArray):
            raise TypeError('arr must be NDArray')
        for suffix, method in self._LEGACY:
            if name.endswith(suffix):
                getattr(self, method)(name, arr)
                return
        self._init_default(name, arr)

    # -- the per-kind fillers --------------------------------------------------------------
    def _init_zero(self, _, arr):
        arr[:] = 0.0

    def _init_one(self, _, arr):
        arr[:] = 1.0

    def _init_bias(self, _, arr):
        arr[:] = 0.0

    def _init_gamma(self, _, arr):
        arr[:] = 1.0

    def _init_beta(self, _, arr):
        arr[:] = 0.0

    def _init_weight(self, name, arr):
        raise NotImplementedError('Must override it')

    def _init_default(self, name, _):
        raise ValueError(
            'Unknown initialization pattern for {}. Default initialization is now limited to '
            '"weight", "bias", "gamma" (1.0), and "beta" (0.0). Please use '
            'mx.sym.Variable(init=mx.init.*) to set initialization pattern'.format(name))


def _host_generator():
    """A numpy generator for one initialization, seeded from ``mx.random``'s stream.

    Initializers draw on the host: a device sampler is compiled per size bucket (a few
    tenths of a second each), so initializing a network of many shapes compiled for
    seconds.  The numbers follow ``mx.random.seed`` all the same."""
    key, counter = _rng.next_key()
    return np.random.default_rng([int(k) for k in np.asarray(key)] + [int(counter)])


def _fill(arr, values):
    arr._assign_from(nd.array(values, ctx=arr.context, dtype=arr.dtype))


def _uniform(arr, low, high):
    _fill(arr, _host_generator().uniform(low, high, arr.shape))


def _normal(arr, loc, scale):
    _fill(arr, _host_generator().normal(loc, scale, arr.shape))


# ----------------------------------------------------------------------------- initializers

@register
@alias('zeros')
class Zero(Initializer):
    """Fills with 0."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 0


@register
@alias('ones')
class One(Initializer):
    """Fills with 1."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 1


@register
class Constant(Initializer):
    """Fills with ``value`` (a number, or an array broadcastable to the parameter)."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        arr[:] = self.value

    def dumps(self):
        val = self._kwargs['value']
        if not np.isscalar(val):
            val = val.tolist() if isinstance(val, np.ndarray) else val.asnumpy().tolist()
        return json.dumps(['constant', {'value': val}])


@register
class Uniform(Initializer):
    """Uniform on [-scale, scale] (default 0.07: Gluon's default initializer)."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        _uniform(arr, -self.scale, self.scale)


@register
class Normal(Initializer):
    """Normal with mean 0 and standard deviation ``sigma`` (default 0.01)."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        _normal(arr, 0, self.sigma)


@register
class Orthogonal(Initializer):
    """An orthogonal matrix (from the SVD of a random one) times ``scale``."""

    def __init__(self, scale=1.414, rand_type='uniform'):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, _, arr):
        nout, nin = arr.shape[0], int(np.prod(arr.shape[1:]))
        rng = _host_generator()
        if self.rand_type == 'uniform':
            tmp = rng.uniform(-1.0, 1.0, (nout, nin))
        else:
            tmp = rng.normal(0.0, 1.0, (nout, nin))
        u, _, v = np.linalg.svd(tmp, full_matrices=False)
        res = u if u.shape == tmp.shape else v
        _fill(arr, self.scale * res.reshape(arr.shape))


@register
class Xavier(Initializer):
    """Glorot initialisation: uniform on [-c, c] (or normal with std c) where
    ``c = sqrt(magnitude / factor)`` and factor is ``(fan_in + fan_out) / 2``, ``fan_in`` or
    ``fan_out``; fans count the receptive field (``prod(shape[2:])``) for conv weights."""

    def __init__(self, rnd_type='uniform', factor_type='avg', magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr):
        shape = arr.shape
        if len(shape) < 2:
            raise ValueError('Xavier initializer cannot be applied to vector {0}. It requires at'
                             ' least 2D.'.format(name))
        hw_scale = float(np.prod(shape[2:])) if len(shape) > 2 else 1.0
        fan_in, fan_out = shape[1] * hw_scale, shape[0] * hw_scale
        factors = {'avg': (fan_in + fan_out) / 2.0, 'in': fan_in, 'out': fan_out}
        if self.factor_type not in factors:
            raise ValueError('Incorrect factor type')
        scale = float(np.sqrt(self.magnitude / factors[self.factor_type]))
        if self.rnd_type == 'uniform':
            _uniform(arr, -scale, scale)
        elif self.rnd_type == 'gaussian':
            _normal(arr, 0, scale)
        else:
            raise ValueError('Unknown random type')


@register
class MSRAPrelu(Xavier):
    """He initialisation for (P)ReLU nets: Xavier with gaussian numbers and
    ``magnitude = 2 / (1 + slope**2)``."""

    def __init__(self, factor_type='avg', slope=0.25):
        super().__init__('gaussian', factor_type, 2.0 / (1 + slope ** 2))
        self._kwargs = {'factor_type': factor_type, 'slope': slope}


@register
class Bilinear(Initializer):
    """Bilinear-upsampling weights (for deconvolution layers)."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        shape = arr.shape
        f = np.ceil(shape[3] / 2.0)
        c = (2 * f - 1 - f % 2) / (2.0 * f)
        idx = np.arange(int(np.prod(shape)))
        x, y = idx % shape[3], (idx // shape[3]) % shape[2]
        weight = (1 - np.abs(x / f - c)) * (1 - np.abs(y / f - c))
        arr[:] = weight.astype('float32').reshape(shape)


@register
class LSTMBias(Initializer):
    """Zeros, except the forget gate's quarter of an LSTM bias (the second of the four
    gates): ``forget_bias``."""

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, _, arr):
        num_hidden = arr.shape[0] // 4
        arr[:] = 0.0
        arr[num_hidden:2 * num_hidden] = self.forget_bias


class Load:
    """Initialise from a dict of arrays (or a file saved by ``nd.save``), falling back to
    ``default_init`` for names that are not there.  ``arg:``/``aux:`` prefixes are dropped."""

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            param = nd.load(param)
        if not isinstance(param, dict):
            raise TypeError('Load: param must be a dict of name -> NDArray')
        self.param = {(k[4:] if k.startswith(('arg:', 'aux:')) else k): v
                      for k, v in param.items()}
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            src = self.param[name]
            if arr.shape != src.shape:
                raise AssertionError('Parameter {} cannot be initialized from loading. Shape '
                                     'mismatch, target {} vs loaded {}'.format(
                                         name, arr.shape, src.shape))
            arr[:] = src
        else:
            if self.default_init is None:
                raise AssertionError('Cannot Initialize {}. Not found in loaded param and no '
                                     'default Initializer is provided.'.format(name))
            self.default_init(name, arr)


class Mixed:
    """The first initializer whose regular expression matches the name (``re.match``)."""

    def __init__(self, patterns, initializers):
        if len(patterns) != len(initializers):
            raise AssertionError('Mixed: patterns and initializers differ in length')
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def __call__(self, name, arr):
        for prog, init in self.map:
            if prog.match(name):
                init(name, arr)
                return
        raise ValueError('Parameter name {} did not match any pattern. Consider adding a ".*" '
                         'pattern at the end with a default Initializer.'.format(name))

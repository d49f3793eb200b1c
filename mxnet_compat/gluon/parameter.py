"""Gluon parameters: ``Parameter``, ``Constant`` and ``ParameterDict``.

A Parameter holds one NDArray per context (``data(ctx)``) and, unless ``grad_req`` is
'null', a gradient buffer per context attached with ``autograd.mark_variables``, so a
backward pass writes (or adds) straight into ``grad(ctx)``.

A shape with 0 entries is unknown: ``initialize`` then only records the initializer and
contexts (*deferred* initialisation) and the first forward pass of the owning layer fills
in the shape and runs the initializer; until then ``data()`` raises
:class:`DeferredInitializationError`.
"""
import threading
import warnings
from collections import OrderedDict

import numpy as np

from ..base import MXNetError, mx_real_t
from .. import autograd
from .. import initializer
from .. import ndarray as nd
from ..context import Context, cpu, current_context
from .utils import _indent, shape_is_known

__all__ = ['DeferredInitializationError', 'Parameter', 'Constant', 'ParameterDict',
           'tensor_types']

tensor_types = (nd.NDArray,)


class DeferredInitializationError(MXNetError):
    """A parameter's initialisation is deferred until its shape is known."""


# While a hybridized block is being traced, parameters answer data() with the traced
# arrays of that trace (see block.py): {id(Parameter): NDArray over a jax tracer}.
_TRACE = threading.local()


def _traced_value(param):
    values = getattr(_TRACE, 'values', None)
    if values is None:
        return None
    return values.get(id(param))


class Parameter:
    """A weight of a Block.

    name: the full name (``dense0_weight``); grad_req: 'write', 'add' or 'null';
    shape: int or tuple, 0 = unknown (deferred); dtype: default float32; lr_mult/wd_mult:
    multipliers of the optimizer's learning rate / weight decay; init: this parameter's own
    initializer (takes precedence over the one given to ``initialize``)."""

    def __init__(self, name, grad_req='write', shape=None, dtype=mx_real_t, lr_mult=1.0,
                 wd_mult=1.0, init=None, allow_deferred_init=False, differentiable=True,
                 stype='default', grad_stype='default'):
        self._data = None
        self._grad = None
        self._grad_seen = None      # grad versions at the last step/zero_grad (stale check)
        self._ctx_list = None
        self._ctx_index = None
        self._trainer = None
        self._deferred_init = ()
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        if isinstance(shape, int):
            shape = (shape,)
        self._shape = None if shape is None else tuple(shape)
        self.name = name
        self._dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.grad_req = grad_req
        self.init = init
        for what, st in (('stype', stype), ('grad_stype', grad_stype)):
            if st not in ('default', 'row_sparse', 'csr'):
                raise AssertionError("{} for Parameter '{}' must be one of 'default', "
                                     "'row_sparse', or 'csr', but got '{}'".format(what, name, st))
            if st != 'default':
                raise NotImplementedError('Sparse parameters ({}={}) are not supported by '
                                          'mxnet-compat yet'.format(what, st))
        self._stype = stype
        self._grad_stype = grad_stype

    def __repr__(self):
        return 'Parameter {} (shape={}, dtype={})'.format(self.name, self.shape, self.dtype)

    # -- attributes ------------------------------------------------------------------------
    @property
    def grad_req(self):
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in ('write', 'add', 'null'):
            raise AssertionError("grad_req must be one of 'write', 'add', or 'null', but got "
                                 "'{}'".format(req))
        if not self._differentiable:
            req = 'null'
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == 'null' and self._grad is not None:
            self._grad = None
            self._data = [d.detach() for d in self._data]
        elif self._data is not None:
            self._init_grad()

    @property
    def dtype(self):
        return self._dtype

    @dtype.setter
    def dtype(self, dtype):
        self.cast(dtype)

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        new_shape = tuple(new_shape)
        if self._shape is None:
            self._shape = new_shape
            return
        if len(self._shape) != len(new_shape) or \
                not all(j in (0, i) for i, j in zip(new_shape, self._shape)):
            raise AssertionError('Expected shape {} is incompatible with given shape {}.'.format(
                new_shape, self._shape))
        self._shape = new_shape

    @property
    def stype(self):
        return self._stype

    def _set_trainer(self, trainer):
        self._trainer = trainer

    # -- access ----------------------------------------------------------------------------
    def _check_and_get(self, arr_list, ctx):
        if arr_list is not None:
            if ctx is list:
                return arr_list
            if ctx is None:
                if len(arr_list) == 1:
                    return arr_list[0]
                ctx = current_context()
            idx = self._ctx_index.get(ctx)
            if idx is not None:
                return arr_list[idx]
            raise RuntimeError("Parameter '{}' was not initialized on context {}. It was only "
                               "initialized on {}.".format(self.name, ctx, self._ctx_list))
        if self._deferred_init:
            raise DeferredInitializationError(
                "Parameter '{}' has not been initialized yet because initialization was "
                "deferred. Actual initialization happens during the first forward pass. Please "
                "pass one batch of data through the network before accessing Parameters. You "
                "can also avoid deferred initialization by specifying in_units, num_features, "
                "etc., for network layers.".format(self.name))
        raise RuntimeError(
            "Parameter '{}' has not been initialized. Note that you should initialize "
            "parameters and create Trainer with Block.collect_params() instead of Block.params "
            "because the later does not include Parameters of nested child Blocks"
            .format(self.name))

    def data(self, ctx=None):
        """This parameter's array on ``ctx`` (the only one if there is one context)."""
        traced = _traced_value(self)
        if traced is not None:
            return traced
        return self._check_and_get(self._data, ctx)

    def list_data(self):
        return self._check_and_get(self._data, list)

    def grad(self, ctx=None):
        """The gradient buffer on ``ctx``."""
        if self._data is not None and self._grad is None:
            raise RuntimeError("Cannot get gradient array for Parameter '{}' because "
                               "grad_req='null'".format(self.name))
        return self._check_and_get(self._grad, ctx)

    def list_grad(self):
        if self._data is not None and self._grad is None:
            raise RuntimeError("Cannot get gradient array for Parameter '{}' because "
                               "grad_req='null'".format(self.name))
        return self._check_and_get(self._grad, list)

    def list_ctx(self):
        if self._data is None:
            if self._deferred_init:
                return self._deferred_init[1]
            raise RuntimeError("Parameter '{}' has not been initialized".format(self.name))
        return self._ctx_list

    def var(self):
        raise NotImplementedError('Parameter.var(): mxnet-compat has no Symbol API yet')

    def row_sparse_data(self, row_id):
        raise NotImplementedError('Sparse parameters are not supported by mxnet-compat yet')

    list_row_sparse_data = row_sparse_data

    # -- initialisation --------------------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=initializer.Uniform(),
                   force_reinit=False):
        """Create the arrays on ``ctx`` (a Context or list; default: the current context)
        and fill them with ``init``, else this parameter's ``init``, else ``default_init``.
        Deferred while the shape has unknown (0) entries."""
        if self._data is not None and not force_reinit:
            warnings.warn("Parameter '{}' is already initialized, ignoring. Set "
                          "force_reinit=True to re-initialize.".format(self.name), stacklevel=2)
            return
        self._data = self._grad = None
        if ctx is None:
            ctx = [current_context()]
        if isinstance(ctx, Context):
            ctx = [ctx]
        if init is None:
            init = default_init if self.init is None else self.init
        if not shape_is_known(self.shape):
            if self._allow_deferred_init:
                self._deferred_init = (init, ctx, default_init, None)
                return
            raise ValueError("Cannot initialize Parameter '{}' because it has invalid shape: "
                             "{}.".format(self.name, self.shape))
        self._deferred_init = (init, ctx, default_init, None)
        self._finish_deferred_init()

    def _finish_deferred_init(self):
        if not self._deferred_init:
            return
        init, ctx, default_init, data = self._deferred_init
        self._deferred_init = ()
        if not shape_is_known(self.shape):
            raise AssertionError("Cannot initialize Parameter '{}' because it has invalid "
                                 "shape: {}. Please specify in_units, in_channels, etc for "
                                 "`Block`s.".format(self.name, self.shape))
        with autograd.pause():
            if data is None:
                data = nd.zeros(self.shape, ctx=cpu(), dtype=self.dtype)
                initializer.create(default_init)(
                    initializer.InitDesc(self.name, {'__init__': init}), data)
            self._init_impl(data, ctx)

    def _init_impl(self, data, ctx_list):
        self._ctx_list = list(ctx_list)
        self._ctx_index = {c: i for i, c in enumerate(self._ctx_list)}
        self._data = [data.copyto(c) for c in self._ctx_list]
        self._init_grad()

    def _init_grad(self):
        if self.grad_req == 'null':
            self._grad = None
            return
        self._grad = [nd.zeros(d.shape, ctx=d.context, dtype=d.dtype) for d in self._data]
        autograd.mark_variables(self._data, self._grad, self.grad_req)
        self._mark_grads_seen()

    def _mark_grads_seen(self):
        self._grad_seen = [g._chunk.version for g in self._grad]

    def _fresh_grads(self):
        """Per context: was the gradient written by a backward pass since the last step?
        (MXNet keeps a ``_fresh_grad`` flag that backward sets; here the gradient buffer's
        version is compared with the one the last step saw.)"""
        return [g._chunk.version != v for g, v in zip(self._grad, self._grad_seen)]

    def _restore_freshness(self, fresh):
        """After a write that is not a backward pass (zero_grad, a cross-device sum): stale
        gradients stay stale, fresh ones stay fresh."""
        self._grad_seen = [seen if f else g._chunk.version
                           for f, seen, g in zip(fresh, self._grad_seen, self._grad)]

    def _load_init(self, data, ctx, cast_dtype=False, dtype_source='current'):
        """(Re)initialise from a loaded array (``load_parameters``)."""
        if self.shape:
            for mine, theirs in zip(self.shape, data.shape):
                if mine not in (0, theirs):
                    raise AssertionError(
                        "Failed loading Parameter '{}' from saved params: shape incompatible "
                        "expected {} vs saved {}".format(self.name, self.shape, data.shape))
            self.shape = tuple(j if i == 0 else i for i, j in zip(self.shape, data.shape))
        if self.dtype and np.dtype(self.dtype).type != data.dtype:
            if not cast_dtype:
                raise AssertionError(
                    "Failed loading Parameter '{}' from saved params: dtype incompatible "
                    "expected {} vs saved {}. Set cast_dtype=True to cast the dtype of saved "
                    "params.".format(self.name, self.dtype, data.dtype))
            if dtype_source == 'current':
                data = data.astype(self.dtype, copy=False)
            else:
                self.dtype = data.dtype
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data is None:
            if self._deferred_init:
                ctx = self._deferred_init[1]
            elif ctx is None:
                ctx = [cpu()]
            with autograd.pause():
                self._init_impl(data, ctx)
        else:
            self.set_data(data)
        self._deferred_init = ()

    def reset_ctx(self, ctx):
        """Move this parameter to other context(s)."""
        if ctx is None:
            ctx = [current_context()]
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data:
            data = self._reduce()
            with autograd.pause():
                self._init_impl(data, ctx)
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
        else:
            raise ValueError("Cannot reset context for Parameter '{}' because it has not been "
                             "initialized.".format(self.name))

    def _reduce(self):
        """The average over contexts, on cpu (what is saved)."""
        arrays = self.list_data()
        if len(arrays) == 1:
            return arrays[0].copyto(cpu())
        total = arrays[0].copyto(cpu())
        for a in arrays[1:]:
            total = total + a.copyto(cpu())
        return total / len(arrays)

    def set_data(self, data):
        """Set the value on every context (before deferred initialisation: remember it and
        use it instead of the initializer)."""
        self.shape = data.shape
        if self._data is None:
            if not self._deferred_init:
                raise AssertionError("Parameter '{}' has not been initialized".format(self.name))
            self._deferred_init = self._deferred_init[:3] + (data,)
            return
        for arr in self._data:
            arr[:] = data

    def zero_grad(self):
        """Set the gradient buffers to 0 (no-op without gradients)."""
        if self._grad is None:
            return
        fresh = self._fresh_grads()
        for g in self._grad:
            g[:] = 0
        self._restore_freshness(fresh)

    def cast(self, dtype):
        """Cast data and gradients to ``dtype``."""
        self._dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = [d.astype(dtype) for d in self._data]
            if self._grad is not None:
                self._grad = [g.astype(dtype) for g in self._grad]
                autograd.mark_variables(self._data, self._grad, self.grad_req)
                self._mark_grads_seen()


class _ValueInit(initializer.Initializer):
    """Copies a fixed array (a Constant's value)."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def _init_weight(self, _, arr):
        self.value.copyto(arr)


class Constant(Parameter):
    """A parameter that never gets a gradient and is ignored by Trainers (``grad_req`` is
    always 'null'); ``set_data`` still changes it."""

    def __init__(self, name, value):
        if not isinstance(value, nd.NDArray):
            value = nd.array(value)
        self.value = value
        super().__init__(name, grad_req='null', shape=value.shape, dtype=value.dtype,
                         init=_ValueInit(value))

    def __repr__(self):
        return 'Constant {} (shape={}, dtype={})'.format(self.name, self.shape, self.dtype)

    @property
    def grad_req(self):
        return 'null'

    @grad_req.setter
    def grad_req(self, req):
        if req != 'null':
            warnings.warn('Constant parameter "{}" does not support grad_req other than "null", '
                          'and new value "{}" is ignored.'.format(self.name, req))


class ParameterDict:
    """An ordered name -> Parameter mapping with a name ``prefix``; ``shared`` is looked up
    by :meth:`get` before creating a parameter (how Blocks share weights)."""

    def __init__(self, prefix='', shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        name = self._prefix + ' ' if self._prefix else ''
        return '{}(\n{}\n)'.format(name, '\n'.join(_indent('  {0}'.format(v), 2)
                                                   for v in self.values()))

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._params[name]
        return None

    def get(self, name, **kwargs):
        """The parameter ``prefix + name``: existing (here or in ``shared``) or created with
        ``kwargs``.  For an existing one, the given attributes must agree (a 0 in a shape
        agrees with anything and is filled in)."""
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for k, v in kwargs.items():
            existing = getattr(param, k, None)
            if existing is None:
                setattr(param, k, v)
                continue
            if k == 'shape' and len(v) == len(existing):
                merged = _merge_shapes(v, existing)
                if merged is not None:
                    param._shape = merged
                    continue
            elif k == 'dtype' and np.dtype(v) == np.dtype(existing):
                continue
            if v is not None and v != existing:
                raise AssertionError(
                    "Cannot retrieve Parameter '{}' because desired attribute does not match "
                    "with stored for attribute '{}': desired '{}' vs stored '{}'.".format(
                        name, k, v, existing))
        return param

    def get_constant(self, name, value=None):
        """The Constant ``prefix + name``, created from ``value`` if it does not exist."""
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError("No constant named '{}'. Please specify value if you want to "
                               "create a new constant.".format(name))
            param = Constant(name, value)
            self._params[name] = param
        elif value is not None:
            if not isinstance(param, Constant):
                raise AssertionError("Parameter '{}' already exists but it is not a constant."
                                     .format(name))
            value = value.asnumpy() if isinstance(value, nd.NDArray) else np.asarray(value)
            if param.shape != value.shape or not (param.value.asnumpy() == value).all():
                raise AssertionError("Constant '{}' already exists but it's value doesn't match "
                                     "new value".format(name))
        return param

    def update(self, other):
        """Add every parameter of ``other`` (a name may only map to the same Parameter)."""
        for k, v in other.items():
            if k in self._params and self._params[k] is not v:
                raise AssertionError("Cannot update self with other because they have different "
                                     "Parameters with the same name '{}'".format(k))
        for k, v in other.items():
            self._params[k] = v

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        """Initialise every parameter; ``init`` is the default for those without their own."""
        if verbose:
            init.set_verbosity(verbose=verbose)
        for v in self.values():
            v.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        for p in self.values():
            p.zero_grad()

    def reset_ctx(self, ctx):
        for p in self.values():
            p.reset_ctx(ctx)

    def list_ctx(self):
        s = set()
        for p in self.values():
            s.update(p.list_ctx())
        return list(s)

    def setattr(self, name, value):
        """Set an attribute on every parameter (``setattr('grad_req', 'null')``)."""
        for p in self.values():
            setattr(p, name, value)

    def save(self, filename, strip_prefix=''):
        """Save with ``nd.save`` as {name without ``strip_prefix``: value}."""
        arg_dict = {}
        for param in self.values():
            if not param.name.startswith(strip_prefix):
                raise ValueError(
                    "Prefix '{}' is to be striped before saving, but Parameter's name '{}' does "
                    "not start with '{}'. this may be due to your Block shares parameters from "
                    "other Blocks or you forgot to use 'with name_scope()' when creating child "
                    "blocks.".format(strip_prefix, param.name, strip_prefix))
            arg_dict[param.name[len(strip_prefix):]] = param._reduce()
        _nd_io('save')(filename, arg_dict)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix='', cast_dtype=False, dtype_source='current'):
        """Load a file saved by :meth:`save` (names get ``restore_prefix`` prepended)."""
        if restore_prefix:
            for name in self.keys():
                if not name.startswith(restore_prefix):
                    raise AssertionError(
                        "restore_prefix is '{}' but Parameters name '{}' does not start with "
                        "'{}'".format(restore_prefix, name, restore_prefix))
        loaded = _nd_io('load')(filename)
        if not isinstance(loaded, dict):
            raise ValueError('load: the file does not hold a dict of arrays')
        self.load_dict(loaded, ctx, allow_missing, ignore_extra, restore_prefix, filename,
                       cast_dtype, dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix='', filename=None, cast_dtype=False, dtype_source='current'):
        """Load ``{name: NDArray}`` (or a list of (name, NDArray) pairs) with
        ``restore_prefix`` prepended to the names.  As in MXNet, 'arg:'/'aux:' prefixes
        are dropped from a dict's names only, not from a list's."""
        if isinstance(param_dict, dict):
            param_dict = [(k[4:] if k.startswith(('arg:', 'aux:')) else k, v)
                          for k, v in param_dict.items()]
        arg_dict = {restore_prefix + k: v for k, v in param_dict}
        source = 'file: {}'.format(filename) if filename else 'param_dict'
        if not allow_missing:
            for name in self.keys():
                if name not in arg_dict:
                    raise AssertionError("Parameter '{}' is missing in {}. Set "
                                         "allow_missing=True to ignore missing parameters."
                                         .format(name[len(restore_prefix):], source))
        for name, value in arg_dict.items():
            if name not in self._params:
                if not ignore_extra:
                    raise AssertionError("Parameter '{}' loaded from {} is not present in "
                                         "ParameterDict. Set ignore_extra=True to ignore."
                                         .format(name[len(restore_prefix):], source))
                continue
            self[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)


def _merge_shapes(wanted, stored):
    """Unify two shapes where 0 means unknown; None if they conflict."""
    out = []
    for a, b in zip(wanted, stored):
        if a != b and a > 0 and b > 0:
            return None
        out.append(b if a in (0, -1) else a)
    return tuple(out)


def _nd_io(name):
    fn = getattr(nd, name, None)
    if fn is None:
        raise NotImplementedError('mx.nd.{} does not exist in mxnet-compat yet; saving and '
                                  'loading parameters needs it'.format(name))
    return fn

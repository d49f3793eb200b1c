"""Blocks: the containers of layers and models (``Block``, ``HybridBlock``).

Naming follows MXNet 1.9.1.  A block's ``prefix`` is ``<classname><n>_``, where ``n``
counts blocks of that class created in the same scope: process-wide at top level
(``dense0_``, ``dense1_``...), per parent inside ``with parent.name_scope():``, where the
parent's prefix is prepended (``sequential0_dense0_``).  Parameters are named
``prefix + name`` (``dense0_weight``).

``HybridBlock.hybrid_forward(F, x, *args, **params)`` gets ``F = mxnet.ndarray`` and its
parameters as NDArrays.  ``hybridize()`` compiles the whole forward pass (children
included) into one ``jax.jit`` function of (parameter values, inputs) - see
:class:`_CachedGraph` - and records each call as one autograd node.
"""
import re
import threading
import warnings
from collections import OrderedDict

import jax
import jax.numpy as jnp
import numpy as np

from .. import _rng
from .. import autograd
from .. import initializer
from .. import ndarray as nd
from ..context import current_context
from ..ndarray import NDArray
from ..ndarray.ndarray import _peek, _wrap
from .parameter import Parameter, ParameterDict, DeferredInitializationError, _TRACE
from .utils import _indent, HookHandle

__all__ = ['Block', 'HybridBlock', 'SymbolBlock']


# ----------------------------------------------------------------------------- naming

class _Names(threading.local):
    """Process-level (per thread, as MXNet's NameManager) counters of block names."""

    def __init__(self):
        self.counts = {}

    def next(self, hint):
        n = self.counts.get(hint, 0)
        self.counts[hint] = n + 1
        return '%s%d' % (hint, n)


_NAMES = _Names()


class _BlockScope:
    """``with block.name_scope():`` - children created inside get the block's prefix and a
    per-block counter."""
    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None

    @staticmethod
    def create(prefix, params, hint):
        """(prefix, ParameterDict) for a new block of class alias ``hint``."""
        current = getattr(_BlockScope._current, 'value', None)
        if current is None:
            if prefix is None:
                prefix = _NAMES.next(hint) + '_'
            params = ParameterDict(prefix) if params is None else \
                ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = '%s%d_' % (hint, count)
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = getattr(_BlockScope._current, 'value', None)
        _BlockScope._current.value = self
        return self

    def __exit__(self, ptype, value, trace):
        if self._block._empty_prefix:
            return
        _BlockScope._current.value = self._old_scope


# ----------------------------------------------------------------------------- Block

class Block:
    """Base class of all layers and models: override ``forward(*args)``.

    Child blocks and Parameters assigned as attributes are registered automatically;
    ``collect_params()`` gathers the parameters of the whole tree."""

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ''
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith('_') else self._prefix
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()

    def __repr__(self):
        modstr = '\n'.join('  ({key}): {block}'.format(key=key, block=_indent(repr(block), 2))
                           for key, block in self.__dict__.items() if isinstance(block, Block))
        return '{name}(\n{modstr}\n)'.format(name=self.__class__.__name__, modstr=modstr)

    def __setattr__(self, name, value):
        """Registers child blocks and parameters assigned as attributes."""
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError('Changing attribute type for {name} from {type1} to {type2}'
                                'is not allowed.'.format(name=name, type1=type(existing),
                                                         type2=type(value)))
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            if name in self._reg_params:
                raise AssertionError(
                    'Overriding Parameter attribute %s is not allowed. If you want to share '
                    'parameters between blocks, please set \'params\' at Block construction '
                    'instead.' % name)
            self._reg_params[name] = value
        super().__setattr__(name, value)

    def _check_container_with_block(self):
        children = set(id(c) for c in self._children.values())

        def unregistered(data):
            if isinstance(data, (list, tuple)):
                return any(unregistered(e) for e in data)
            if isinstance(data, dict):
                return any(unregistered(v) for v in data.values())
            return isinstance(data, Block) and id(data) not in children

        for k, v in self.__dict__.items():
            if isinstance(v, (list, tuple, dict)) and not (k.startswith('__') or k == '_children'):
                if unregistered(v):
                    warnings.warn('"{name}" is an unregistered container with Blocks. Note that '
                                  'Blocks inside the list, tuple or dict will not be registered '
                                  'automatically. Make sure to register them using '
                                  'register_child() or switching to '
                                  'nn.Sequential/nn.HybridSequential instead. '
                                  .format(name=self.__class__.__name__ + '.' + k), stacklevel=3)

    def _alias(self):
        return self.__class__.__name__.lower()

    @property
    def prefix(self):
        return self._prefix

    @property
    def name(self):
        return self._name

    def name_scope(self):
        """``with self.name_scope():`` around the creation of children."""
        return self._scope

    @property
    def params(self):
        """This block's own ParameterDict (children's parameters not included)."""
        return self._params

    def collect_params(self, select=None):
        """A ParameterDict with the parameters of this block and all its descendants;
        ``select`` keeps the names a regular expression matches (``re.match``)."""
        self._check_container_with_block()
        ret = ParameterDict(self._params.prefix)
        if not select:
            ret.update(self.params)
        else:
            pattern = re.compile(select)
            ret.update({k: v for k, v in self.params.items() if pattern.match(k)})
        for child in self._children.values():
            ret.update(child.collect_params(select=select))
        return ret

    def _collect_params_with_prefix(self, prefix=''):
        """{'0.weight': Parameter...}: the structural names ``save_parameters`` uses."""
        if prefix:
            prefix += '.'
        ret = {prefix + k: v for k, v in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def register_child(self, block, name=None):
        """Register ``block`` as a child (done automatically for attributes)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        """``hook(block, inputs)`` runs before each forward; returns a HookHandle."""
        handle = HookHandle()
        handle.attach(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook):
        """``hook(block, inputs, outputs)`` runs after each forward; returns a HookHandle."""
        handle = HookHandle()
        handle.attach(self._forward_hooks, hook)
        return handle

    def apply(self, fn):
        """Call ``fn(block)`` on every descendant, then on this block."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        """``collect_params().initialize(...)``: ``init`` applies to parameters without an
        initializer of their own (default Uniform(0.07); layers' biases default to zeros)."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs):
        """Hybridize the HybridBlock descendants (a plain Block itself stays eager)."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype):
        """Cast all parameters to ``dtype``."""
        for child in self._children.values():
            child.cast(dtype)
        for param in self.params.values():
            param.cast(dtype)

    def save_parameters(self, filename, deduplicate=False):
        """Save the parameter values with ``nd.save`` under structural names
        (``'0.weight'``), which ``load_parameters`` reads back."""
        params = self._collect_params_with_prefix()
        if deduplicate:
            seen = {}
            for k, v in params.items():
                seen.setdefault(id(v), (k, v))
            params = dict(seen.values())
        save = getattr(nd, 'save', None)
        if save is None:
            raise NotImplementedError('save_parameters needs mx.nd.save, which mxnet-compat '
                                      'does not have yet')
        save(filename, {k: v._reduce() for k, v in params.items()})

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source='current'):
        """Load a file written by ``save_parameters`` (or, for names without '.', by
        ``collect_params().save``)."""
        load = getattr(nd, 'load', None)
        if load is None:
            raise NotImplementedError('load_parameters needs mx.nd.load, which mxnet-compat '
                                      'does not have yet')
        loaded = load(filename)
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if not any('.' in k for k in loaded):
            self.collect_params().load(filename, ctx, allow_missing, ignore_extra, self.prefix,
                                       cast_dtype=cast_dtype, dtype_source=dtype_source)
            return
        if not allow_missing:
            for name, param in params.items():
                aliases = [k for k, v in params.items() if v is param]
                if not any(a in loaded for a in aliases):
                    raise AssertionError(
                        "Parameter '{}' is missing in file '{}', which contains parameters: {}. "
                        "Set allow_missing=True to ignore missing parameters.".format(
                            name, filename, ', '.join(sorted(loaded))))
        for name, value in loaded.items():
            if name not in params:
                if not ignore_extra:
                    raise ValueError(
                        "Parameter '{}' loaded from file '{}' is not present in ParameterDict, "
                        "which contains parameters {}. Set ignore_extra=True to ignore. ".format(
                            name, filename, ', '.join(sorted(params))))
                continue
            params[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)

    def save_params(self, filename):
        warnings.warn('save_params is deprecated. Please use save_parameters.')
        self.collect_params().save(filename, strip_prefix=self.prefix)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False):
        warnings.warn('load_params is deprecated. Please use load_parameters.')
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def __call__(self, *args):
        """Run the forward pass (with the forward hooks)."""
        for hook in self._forward_pre_hooks.values():
            hook(self, args)
        out = self.forward(*args)
        for hook in self._forward_hooks.values():
            hook(self, args, out)
        return out

    def forward(self, *args):
        """Override with the computation on NDArrays."""
        raise NotImplementedError

    def register_op_hook(self, callback, monitor_all=False):
        raise NotImplementedError('register_op_hook is not supported by mxnet-compat yet')

    def summary(self, *inputs):
        """Print each layer's output shape and parameter count (runs one forward pass), in
        MXNet's table format."""
        rows, hooks, seen = [], [], {}

        def shape_of(x):
            if isinstance(x, NDArray):
                return x.shape
            if isinstance(x, (list, tuple)):
                return [shape_of(e) for e in x]
            return x

        def hook(block, _, outputs):
            n = 0
            for p in block.params.values():
                n += int(np.prod(p.shape))
                seen[id(p)] = p
            rows.append(('{}-{}'.format(block.__class__.__name__, len(rows) + 1),
                         str(shape_of(outputs)), n))

        def register(block):
            if block is not self:
                hooks.append(block.register_forward_hook(hook))
        try:
            self.apply(register)
            with autograd.pause():
                self(*inputs)
        finally:
            for h in hooks:
                h.detach()
        first = shape_of(list(inputs) if len(inputs) > 1 else inputs[0])
        fmt = '{:>20}  {:>42} {:>15}'
        print('-' * 80)
        print(fmt.format('Layer (type)', 'Output Shape', 'Param #'))
        print('=' * 80)
        print(fmt.format('Input', str(first), 0))
        for name, shape, n in rows:
            print(fmt.format(name, shape, n))
        print('=' * 80)
        total = sum(r[2] for r in rows)
        trainable = sum(int(np.prod(p.shape)) for p in seen.values() if p.grad_req != 'null')
        unique = sum(int(np.prod(p.shape)) for p in self.collect_params().values())
        print('Parameters in forward computation graph, duplicate included')
        print('   Total params: {}'.format(total))
        print('   Trainable params: {}'.format(trainable))
        print('   Non-trainable params: {}'.format(total - trainable))
        print('Shared params in forward computation graph: {}'.format(
            total - sum(int(np.prod(p.shape)) for p in seen.values())))
        print('Unique parameters in model: {}'.format(unique))
        print('-' * 80)


# ----------------------------------------------------------------------------- HybridBlock

def _flatten(args):
    """Nested lists/tuples of NDArrays and None -> (flat list of the NDArrays, format):
    the format is 0 for an NDArray, -1 for None, a tuple of formats for a sequence."""
    if isinstance(args, NDArray):
        return [args], 0
    if args is None:
        return [], -1
    if not isinstance(args, (list, tuple)):
        raise ValueError('When hybridized, the inputs and outputs of a HybridBlock must be '
                         '(nested) lists of NDArrays, but got {} of type {}'.format(
                             args, type(args)))
    flat, fmts = [], []
    for a in args:
        f, fmt = _flatten(a)
        flat.extend(f)
        fmts.append(fmt)
    return flat, tuple(fmts)


def _regroup(flat, fmt):
    """Inverse of :func:`_flatten` (sequences come back as lists, as in MXNet)."""
    it = iter(flat)

    def take(f):
        if f == 0:
            return next(it)
        if f == -1:
            return None
        return [take(e) for e in f]
    return take(fmt)


def _first_ctx(args):
    for a in args:
        if isinstance(a, NDArray):
            return a.context
        if isinstance(a, (list, tuple)):
            c = _first_ctx(a)
            if c is not None:
                return c
    return None


class _Tracing:
    """While tracing a hybridized block: parameters answer ``data()`` with traced arrays,
    and random operators draw from the traced (key, base counter) pair instead of the
    global counter, so every call of the compiled function draws fresh numbers."""

    def __init__(self, params, values, key, base):
        self.values = {id(p): v for p, v in zip(params, values)}
        self.key, self.base = key, base
        self.draws = 0

    def next_key(self):
        self.draws += 1
        return self.key, self.base + jnp.uint32(self.draws - 1)

    def __enter__(self):
        self._saved = getattr(_TRACE, 'values', None)
        self._draws = _rng.drawing_from(self.next_key)
        self._draws.__enter__()
        _TRACE.values = self.values
        return self

    def __exit__(self, *exc):
        _TRACE.values = self._saved
        self._draws.__exit__(*exc)


def _tracing():
    return getattr(_TRACE, 'values', None) is not None


# Errors that mean "this forward cannot be traced" (it reads values on the host or
# branches on them): the block then runs eagerly, with a warning.
_UNTRACEABLE = (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                jax.errors.TracerBoolConversionError, jax.errors.TracerIntegerConversionError,
                jax.errors.UnexpectedTracerError)


class _CachedGraph:
    """A hybridized block's forward pass as jitted functions, one per input signature.

    The function is ``f(*param_values, *input_values, rng_key, rng_base) -> outputs``: the
    block's own eager forward, traced with the parameters' ``data()`` answering traced
    values.  A call runs it once and records it as a single autograd node (its primitive is
    the jitted function), so backward differentiates through it with JAX."""

    def __init__(self, block):
        self.block = block
        self.params = list(OrderedDict((id(p), p) for p in
                                       block.collect_params().values()).values())
        self.entries = {}
        traceable = []
        block.apply(lambda b: traceable.append(getattr(b, '_traceable', True)))
        self.traceable = all(traceable)

    def ready(self):
        """Compiled calls need every parameter initialised (the first call finishes
        deferred initialisation eagerly) and no block that opts out of tracing."""
        return self.traceable and all(p._data is not None for p in self.params)

    def _build(self, n_in, fmt, ctx, training):
        block, params, n_p = self.block, self.params, len(self.params)
        info = {}

        def pure(*vals):
            pvals, ivals, (key, base) = vals[:n_p], vals[n_p:n_p + n_in], vals[n_p + n_in:]
            pwrap = [_wrap(v, ctx) for v in pvals]
            iwrap = [_wrap(v, ctx) for v in ivals]
            with _Tracing(params, pwrap, key, base) as tr, autograd._Scope(False, training):
                out = block._eager_forward(*_regroup(iwrap, fmt))
            flat, out_fmt = _flatten(out)
            info['out_fmt'], info['draws'] = out_fmt, tr.draws
            return tuple(o._value for o in flat)

        return pure, info

    def __call__(self, args):
        arrays, fmt = _flatten(list(args))
        ctx = arrays[0].context
        training = autograd.is_training()
        pdata = [p.data(ctx) for p in self.params]
        key = (fmt, ctx, training, tuple((a._shape, a.dtype) for a in arrays),
               tuple((d._shape, d.dtype) for d in pdata), self.block._settings_key())
        entry = self.entries.get(key)
        if entry is None:
            pure, info = self._build(len(arrays), fmt, ctx, training)
            dummy = [d._value for d in pdata] + [a._value for a in arrays] + list(_no_rng())
            jax.eval_shape(pure, *dummy)          # learn the output format and random draws
            entry = self.entries[key] = (jax.jit(pure), info, ('gluon.hybrid', object()),
                                         autograd.ResidualForward(pure, 0, len(dummy) - 2))
        fn, info, node_key, fwd_vjp = entry
        if info['draws']:
            rkey, base = _rng.next_key()
            for _ in range(info['draws'] - 1):    # reserve the counters the trace uses
                _rng.next_key()
        else:
            rkey, base = _no_rng()
        if not autograd.is_recording():
            vals = [d._value for d in pdata] + [a._value for a in arrays] + [rkey, base]
            return _regroup([_wrap(v, ctx) for v in fn(*vals)], info['out_fmt'])
        # Recording: run the forward pass together with its vjp residuals, and record a node
        # whose backward is the saved pullback, so a backward pass (compiled or not) does not
        # compute this forward a second time.  node.exact keeps the pure replay for
        # create_graph (higher-order gradients must differentiate the real forward).
        # A signature seen before is deferred (autograd.Deferred): it runs when a value is
        # needed, in one program with the compiled calls chained onto its outputs.
        outs = self._defer(pdata, arrays, rkey, base, ctx, fn, node_key, fwd_vjp)
        if outs is not None:
            return _regroup(outs, info['out_fmt'])
        vals = [d._value for d in pdata] + [a._value for a in arrays] + [rkey, base]
        out_vals, kept, layout = fwd_vjp(*vals)
        outs = [_wrap(v, ctx) for v in out_vals]
        autograd.record_with_residuals(fn, node_key, vals, pdata + arrays + [None, None], outs,
                                       (0, len(vals) - 2), kept, layout, True)
        return _regroup(outs, info['out_fmt'])

    @staticmethod
    def _defer(pdata, arrays, rkey, base, ctx, fn, node_key, fwd_vjp):
        """Queue the recorded call on a deferred group (a new one, or the group whose
        pending outputs it reads); None where it must run now: a signature not traced yet,
        or inputs pending in another group or a full one (those are run first)."""
        vals, group = [], None
        for a in pdata + arrays:
            v = _peek(a)
            if type(v) is autograd.Pending:
                if group is None and type(v.group) is autograd.Deferred and \
                        not v.group.done and not v.group.full():
                    group = v.group
                elif v.group is not group:
                    v = a._value                    # runs that group (or backward pass)
            vals.append(v)
        vals += [rkey, base]
        sig = tuple(autograd._aval(v) for v in vals)
        traced = fwd_vjp.traced(sig)
        if traced is None:
            if group is not None:
                group.run()
            return None
        if group is None:
            group = autograd.Deferred()
        outs, layout, n_kept = group.add(fwd_vjp, sig, vals, traced,
                                         lambda p: _wrap(p, ctx))
        group.set_node(autograd.record_with_residuals(
            fn, node_key, vals, pdata + arrays + [None, None], outs, (0, len(vals) - 2),
            None, layout, True, n_kept=n_kept))
        return outs


_NO_RNG = []


def _no_rng():
    """The (key, counter) passed to compiled graphs that draw no random numbers."""
    if not _NO_RNG:
        _NO_RNG.append((jnp.zeros((2,), jnp.uint32), np.uint32(0)))
    return _NO_RNG[0]


class HybridBlock(Block):
    """A block whose computation is written once, ``hybrid_forward(F, x, *args, **params)``,
    with ``F`` the operator namespace (``mxnet.ndarray``) and the block's own parameters
    passed as keyword NDArrays.  ``hybridize()`` compiles it (see :class:`_CachedGraph`)."""
    # A layer whose operators have side effects outside their outputs (BatchNorm's running
    # statistics) sets this to False: a hybridized graph containing it runs eagerly.
    _traceable = True
    # Library blocks whose hybrid_forward is pure (the gluon losses) set this to that
    # function: they run compiled even when not hybridized (one XLA program instead of a
    # handful of eager operators; the values are the same up to float rounding).  A
    # subclass with its own hybrid_forward runs as the user wrote it.
    _compiled_forward = None

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._active = False
        self._cached_graph = None
        self._untraceable = False
        self._flags = []

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if isinstance(value, HybridBlock):
            self._clear_cached_op()

    def _clear_cached_op(self):
        self._cached_graph = None

    def register_child(self, block, name=None):
        if not isinstance(block, HybridBlock):
            raise ValueError(
                'Children of HybridBlock must also be HybridBlock, but {} has type {}. If you '
                'are using Sequential, please try HybridSequential instead.'.format(
                    block, type(block)))
        super().register_child(block, name)
        self._clear_cached_op()

    def hybridize(self, active=True, backend=None, clear=True, static_alloc=False,
                  static_shape=False, inline_limit=2, forward_bulk_size=None,
                  backward_bulk_size=None, **kwargs):
        """Compile the forward pass with ``jax.jit`` from the next call on (``active=False``
        returns to eager).  The static_alloc/static_shape/bulk flags are accepted and
        ignored: XLA plans memory itself."""
        if backend is not None:
            raise NotImplementedError('hybridize(backend=...) is not supported by mxnet-compat')
        self._active = active
        self._flags = [('static_alloc', static_alloc), ('static_shape', static_shape),
                       ('inline_limit', inline_limit)]
        if clear:
            self._clear_cached_op()
        if active and (self._forward_hooks or self._forward_pre_hooks):
            warnings.warn('"{block}" is being hybridized while still having forward hook/pre-'
                          'hook. If "{block}" is a child of HybridBlock, the hooks will not '
                          'take effect.'.format(block=self))
        super().hybridize(active, static_alloc=static_alloc, static_shape=static_shape,
                          inline_limit=inline_limit)

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)

    def infer_shape(self, *args):
        """Fill in the unknown (0) dimensions of this block's own parameters from the
        inputs.  Layers with deferred initialisation override this; MXNet infers shapes
        from the symbolic graph, which mxnet-compat does not have."""
        unknown = [p.name for p in self._reg_params.values()
                   if p.shape is None or 0 in p.shape]
        if unknown:
            raise ValueError('{} cannot infer the shape of {}: pass the input size when '
                             'creating the block (in_units, in_channels...) or override '
                             'infer_shape(self, *args) to set param.shape'.format(
                                 self.__class__.__name__, ', '.join(unknown)))

    def infer_type(self, *args):
        raise NotImplementedError('infer_type is not supported by mxnet-compat')

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Write ``path-symbol.json`` and ``path-%04d.params`` (``epoch``), for
        :meth:`SymbolBlock.imports`.

        Where we differ: there is no Symbol graph here, so ``-symbol.json`` is NOT MXNet's
        Symbol JSON (MXNet cannot import it).  It is a description in mxnet-compat's own
        format: the block's class path and a pickle of the block's structure (its Python
        objects, without parameter values), which ``imports`` rebuilds - the block's class
        must be importable there.  The ``.params`` file is MXNet's, with MXNet's export
        names (``arg:<name>``, and ``aux:<name>`` for non-differentiable state such as
        BatchNorm's running statistics), so MXNet can read it.  Returns the two paths."""
        import base64
        import io
        import json
        if self._cached_graph is None:
            raise RuntimeError('Please first call block.hybridize() and then run forward with '
                               'this block at least once before calling export.')
        buf = io.BytesIO()
        SymbolBlock._Pickler(buf).dump(self)
        sym_filename = '%s-symbol.json' % (path if path is not None else '')
        description = {
            'format': SymbolBlock._FORMAT,
            'note': 'mxnet-compat block description; not an MXNet Symbol graph',
            'class': '%s.%s' % (type(self).__module__, type(self).__qualname__),
            'params': sorted(self.collect_params().keys()),
            'block_pickle_base64': base64.b64encode(buf.getvalue()).decode('ascii'),
        }
        if path is not None:
            with open(sym_filename, 'w') as f:
                json.dump(description, f, indent=1)
        arg_dict = {}
        for name, param in self.collect_params().items():
            kind = 'arg' if param._differentiable else 'aux'
            arg_dict['%s:%s' % (kind, name)] = param._reduce()
        params_filename = '%s-%04d.params' % (path if path is not None else '', epoch)
        if path is not None:
            nd.save(params_filename, arg_dict)
        return sym_filename, params_filename

    def optimize_for(self, x, *args, backend=None, **kwargs):
        raise NotImplementedError('optimize_for is not supported by mxnet-compat')

    def _deferred_infer_shape(self, *args):
        try:
            self.infer_shape(*args)
        except Exception as e:
            raise ValueError('Deferred initialization failed because shape cannot be inferred. '
                             '{}'.format(e)) from e

    def forward(self, x, *args):
        """Run ``hybrid_forward`` on NDArrays (through the compiled graph once hybridized)."""
        ctx = _first_ctx((x,) + args)
        if ctx is None:
            raise ValueError('In HybridBlock, there must be one NDArray or one Symbol in the '
                             'input. Please check the type of the args.\n')
        compiled = self._active or (type(self).hybrid_forward is type(self)._compiled_forward
                                    and all(a is None or isinstance(a, NDArray)
                                            for a in (x,) + args))
        if compiled and not self._untraceable and not _tracing():
            graph = self._cached_graph
            if graph is None:
                graph = self._cached_graph = _CachedGraph(self)
            if graph.ready():
                try:
                    return graph((x,) + args)
                except _UNTRACEABLE as e:
                    self._untraceable = True
                    if self._active:
                        warnings.warn('{} could not be compiled by hybridize() ({}: {}); it '
                                      'runs eagerly instead.'.format(
                                          self.name, type(e).__name__, str(e).split('\n')[0]))
        return self._eager_forward(x, *args)

    def _settings_key(self):
        """For a block compiled without hybridize() (``_compiled_forward``): its scalar
        settings (a loss's ``_weight``, ``_margin``...), so that changing one after the
        first call retraces, as the eager forward would see it.  Empty for hybridized
        blocks: like MXNet's, their graph keeps what it saw when it was built."""
        if self._active:
            return ()
        return tuple((k, type(v), v) for k, v in self.__dict__.items()
                     if isinstance(v, (bool, int, float, str, type(None))))

    def _eager_forward(self, x, *args):
        ctx = _first_ctx((x,) + args)
        try:
            params = {k: v.data(ctx) for k, v in self._reg_params.items()}
        except DeferredInitializationError:
            self._deferred_infer_shape(x, *args)
            for p in self.params.values():
                p._finish_deferred_init()
            params = {k: v.data(ctx) for k, v in self._reg_params.items()}
        if current_context() == ctx:
            return self.hybrid_forward(nd, x, *args, **params)
        with ctx:
            return self.hybrid_forward(nd, x, *args, **params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Override with the computation; ``F`` is ``mxnet.ndarray``."""
        raise NotImplementedError


class SymbolBlock(HybridBlock):
    """MXNet builds a block from a Symbol graph; there is no Symbol API here, so only
    :meth:`imports` of files written by mxnet-compat's :meth:`HybridBlock.export` works."""
    import pickle   # a class attribute, used by the two helper classes below
    _FORMAT = 'mxnet-compat-block/1'

    class _Pickler(pickle.Pickler):
        """Pickles a block tree without parameter values or compiled graphs: each Parameter
        becomes its settings (shape, dtype, init, ...; shared ones stay shared)."""
        _DROPPED = ('_data', '_grad', '_grad_seen', '_ctx_list', '_ctx_index', '_trainer',
                    '_deferred_init')

        def __init__(self, f):
            super().__init__(f, protocol=4)
            self._keys = {}

        def persistent_id(self, obj):
            if isinstance(obj, _CachedGraph):
                return ('graph',)
            if isinstance(obj, Parameter):
                key = self._keys.setdefault(id(obj), len(self._keys))
                state = {k: v for k, v in obj.__dict__.items() if k not in self._DROPPED}
                return ('param', key, type(obj), state)
            return None

    class _Unpickler(pickle.Unpickler):
        def __init__(self, f):
            super().__init__(f)
            self._params = {}

        def persistent_load(self, pid):
            if pid[0] == 'graph':
                return None
            _, key, cls, state = pid
            if key not in self._params:
                param = cls.__new__(cls)
                param.__dict__.update(state)
                param.__dict__.update(_data=None, _grad=None, _grad_seen=None, _ctx_list=None,
                                      _ctx_index=None, _trainer=None, _deferred_init=())
                self._params[key] = param
            return self._params[key]

    def __init__(self, outputs, inputs, params=None):
        raise NotImplementedError('SymbolBlock(outputs, inputs) needs the Symbol API, which '
                                  'mxnet-compat does not have; SymbolBlock.imports reads '
                                  'files written by HybridBlock.export of mxnet-compat')

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
                ignore_extra=False):
        """Rebuild a block exported by mxnet-compat's :meth:`HybridBlock.export` and load
        ``param_file`` into it (on ``ctx``).

        Where we differ: the result is an instance of the exported block's own class (not a
        SymbolBlock), hybridized; ``input_names`` is only checked for type.  MXNet Symbol
        JSON files raise NotImplementedError.  The description holds a pickle: import only
        files you trust, as with ``pickle.load``."""
        import base64
        import io
        import json
        if isinstance(input_names, str):
            input_names = [input_names]
        if not all(isinstance(n, str) for n in input_names):
            raise TypeError('input_names must be a str or a list of str')
        with open(symbol_file) as f:
            try:
                description = json.load(f)
            except ValueError as e:
                raise ValueError('{} is not a JSON file'.format(symbol_file)) from e
        if not isinstance(description, dict) or \
                description.get('format') != SymbolBlock._FORMAT:
            raise NotImplementedError(
                '{} is not a block exported by mxnet-compat (an MXNet Symbol graph?). '
                'mxnet-compat has no Symbol API, so it cannot import MXNet symbol files; '
                'rebuild the network in Python and use load_parameters on the .params '
                'file instead.'.format(symbol_file))
        blob = base64.b64decode(description['block_pickle_base64'])
        block = SymbolBlock._Unpickler(io.BytesIO(blob)).load()
        if param_file is not None:
            block.collect_params().load(param_file, ctx=ctx, allow_missing=allow_missing,
                                        ignore_extra=ignore_extra)
        block.hybridize()
        return block

"""The operator registry: one declarative record per MXNet operator.

A record (:class:`Op`) holds the MXNet name and aliases, the array inputs, the
parameters with MXNet's names, defaults and parsers, the jax implementation and
the output dtype rule.  From the records come the ``nd.X`` functions (with real
signatures, see :func:`make_function`), the fluent ``NDArray`` methods, ``out=``
handling, autograd recording and the generated tests.

Eager cost is kept low by caching one ``jax.jit`` of the implementation per
tuple of static parameters (``Op.primitive``); values that change from call to
call (the scalar of ``x * 2``, a random counter) are declared ``dynamic`` and
passed as traced arguments so they never trigger a recompile.
"""
import inspect
import threading

import jax
import numpy as np

from ..base import MXNetError, parse_axis, parse_bool, parse_float, parse_int, parse_shape, \
    dtype_type
from .. import _rng
from ..context import as_context

__all__ = ['Op', 'Param', 'register', 'OPS', 'invoke', 'make_function', 'REQUIRED']

OPS = {}            # every name and alias -> Op
_METHODS = {}       # NDArray method name -> Op


class _Required:
    def __repr__(self):
        return '<required>'


REQUIRED = _Required()


def _parse_dtype_or_none(value, name):
    return None if value is None else dtype_type(value)


def _parse_str(value, name):
    return value if value is None else str(value)


def _parse_any(value, name):
    return value


def _parse_scalar(value, name):
    """A dynamic number: kept as a Python/numpy scalar so jit traces it (no recompiles)."""
    if isinstance(value, (int, float, bool)):
        return value
    try:
        return value.item()
    except AttributeError:
        raise MXNetError('Invalid Parameter format for {}: expect a number but value={!r}'
                         .format(name, value)) from None


PARSERS = {
    'int': parse_int, 'float': parse_float, 'bool': parse_bool, 'shape': parse_shape,
    'shape_or_none': lambda v, n: parse_shape(v, n, allow_none=True),
    'axis': parse_axis, 'dtype': _parse_dtype_or_none, 'str': _parse_str, 'any': _parse_any,
    'scalar': _parse_scalar,
    'int_or_none': lambda v, n: None if v is None else parse_int(v, n),
    'float_or_none': lambda v, n: None if v is None else parse_float(v, n),
}


class Param:
    """One operator parameter: MXNet's name, default, kind (a key of PARSERS), and
    whether it is passed to the primitive as a traced (dynamic) argument."""
    __slots__ = ('name', 'default', 'kind', 'dynamic', 'choices')

    def __init__(self, name, default=REQUIRED, kind='any', dynamic=False, choices=None):
        self.name, self.default, self.kind, self.dynamic = name, default, kind, dynamic
        self.choices = choices

    def parse(self, value, op_name):
        if value is REQUIRED:
            raise MXNetError('Required parameter {} of operator {} is missing'
                             .format(self.name, op_name))
        try:
            parsed = PARSERS[self.kind](value, self.name)
        except MXNetError as e:
            raise MXNetError('Error in operator {}: {}'.format(op_name, e)) from None
        if self.choices is not None and parsed not in self.choices:
            raise MXNetError('Error in operator {}: Invalid Input: {!r}, valid values for {} are: '
                             '{}'.format(op_name, value, self.name,
                                         ', '.join(repr(c) for c in self.choices)))
        return parsed


def _cast_same(outs, arrays):
    """dtype rule 'same': outputs take the first input's dtype (MXNet's default)."""
    dt = arrays[0].dtype
    if isinstance(outs, tuple):
        return tuple(o.astype(dt) for o in outs)
    return outs.astype(dt)


class Op:
    """A declarative operator record.

    inputs:   names of the NDArray inputs (``('data',)``); ``variadic=True`` means the op takes
              any number of arrays (``concat(*data)``), named by ``inputs[0]``.
    params:   :class:`Param` list in MXNet's order.
    impl:     ``impl(*arrays, *dynamic_params, **static_params)``; random ops get the key first.
    dtype:    'same' (cast outputs to the first input's dtype), or None (impl decides).
    method:   name of the fluent NDArray method (or None); ``view``: output shares storage.
    """

    def __init__(self, name, impl, inputs=('data',), params=(), aliases=(), method=None,
                 dtype='same', variadic=False, random=False, differentiable=True,
                 doc=None, num_outputs=1, sample=None, ctx_param=False,
                 same_dtype_inputs=True, family=None, train_aware=False, mutates=(),
                 save_residuals=False, fusable=False):
        self.name = name
        self.impl = impl
        self.inputs = tuple(inputs)
        self.params = tuple(params)
        self.aliases = tuple(aliases)
        self.method = method
        self.dtype = dtype
        self.variadic = variadic
        self.random = random
        self.differentiable = differentiable
        self.doc = doc or (impl.__doc__ or '').strip()
        self.num_outputs = num_outputs
        self.sample = sample
        self.ctx_param = ctx_param
        self.same_dtype_inputs = same_dtype_inputs
        self.family = family
        # train_aware ops (Dropout, BatchNorm) get ``training=autograd.is_training()`` as an
        # extra static parameter, so each mode has its own primitive and replay key.
        self.train_aware = train_aware
        # mutates: indices of inputs that the op updates in place (optimizer states such as
        # sgd_mom_update's ``mom``): the impl returns (output, new_state_1, ...).
        self.mutates = tuple(mutates)
        # save_residuals: compute-heavy ops (convolution, fully connected, pooling, RNN)
        # compute their vjp residuals while recording, so that backward applies the saved
        # pullback instead of running the forward a second time.
        self.save_residuals = save_residuals
        self._vjp_cache = {}
        # fusable: optimizer updates; called with out= inside ``fused_updates``, the calls
        # of one op are queued and run as one jitted call.
        self.fusable = fusable
        self._fused_cache = {}
        # optional_inputs: trailing inputs the impl accepts as absent (set by ops_nn's
        # ``_optional``); MXNet drops such inputs when they are passed as None.
        self.optional_inputs = ()
        self._static = tuple(p for p in self.params if not p.dynamic)
        self._dynamic = tuple(p for p in self.params if p.dynamic)
        self._by_name = {p.name: p for p in self.params}
        self._cache = {}
        self.signature = self._signature()

    def __repr__(self):
        return '<Op {}>'.format(self.name)

    def primitive(self, static):
        """The jitted primitive for one tuple of static parameter values (cached)."""
        fn = self._cache.get(static)
        if fn is None:
            names = [p.name for p in self._static] + (['training'] if self.train_aware else [])
            kwargs = dict(zip(names, static))
            impl, rule, n_arr = self.impl, self.dtype, (-1 if self.variadic else len(self.inputs))
            n_key = 2 if self.random else 0

            def prim(*args):
                out = impl(*args, **kwargs)
                if rule == 'same':
                    arrays = args[n_key:] if n_arr < 0 else args[n_key:n_key + n_arr]
                    out = _cast_same(out, arrays)
                return out
            prim.__name__ = self.name
            fn = self._cache[static] = jax.jit(prim)
        return fn

    def vjp_primitive(self, static, n_arrays):
        """``(*args) -> (outputs, kept residuals, layout)``: the forward plus its vjp
        residuals w.r.t. the array arguments (see :class:`autograd.ResidualForward`)."""
        fn = self._vjp_cache.get((static, n_arrays))
        if fn is None:
            lo = 2 if self.random else 0
            fn = self._vjp_cache[(static, n_arrays)] = _autograd.ResidualForward(
                self.primitive(static), lo, lo + n_arrays)
        return fn

    def fused_primitive(self, static, n_calls, n_arrays, n_dynamic):
        """Jitted ``(*arrays of call 1, *arrays of call 2, ..., scalars) -> [result of call
        1, ...]`` for ``n_calls`` calls sharing ``static`` (one XLA program updates many
        weights).  ``scalars`` holds the calls' dynamic (float) parameters, call after call:
        a float64 array (see :func:`_fused_scalars`), each element read back as a weakly
        typed scalar, i.e. exactly as a Python float argument would be traced."""
        key = (static, n_calls, n_arrays, n_dynamic)
        fn = self._fused_cache.get(key)
        if fn is None:
            prim = self.primitive(static)

            def fused(*args):
                arrays, scalars = args[:-1], args[-1]
                if not isinstance(scalars, tuple):
                    scalars = [_weak_scalar(scalars[k]) for k in range(n_calls * n_dynamic)]
                return [prim(*arrays[i * n_arrays:(i + 1) * n_arrays],
                             *scalars[i * n_dynamic:(i + 1) * n_dynamic])
                        for i in range(n_calls)]
            fn = self._fused_cache[key] = jax.jit(fused)
        return fn

    def _signature(self):
        P = inspect.Parameter
        if self.variadic:
            ps = [P(self.inputs[0], P.VAR_POSITIONAL)]
            kind = P.KEYWORD_ONLY
        else:
            ps = [P(n, P.POSITIONAL_OR_KEYWORD) for n in self.inputs]
            kind = P.POSITIONAL_OR_KEYWORD
        seen_default = False
        for p in self.params:
            required = p.default is REQUIRED
            if required and seen_default and kind is P.POSITIONAL_OR_KEYWORD:
                kind = P.KEYWORD_ONLY
            seen_default = seen_default or not required
            ps.append(P(p.name, kind, default=P.empty if required else p.default))
        if self.ctx_param:
            ps.append(P('ctx', P.KEYWORD_ONLY, default=None))
        ps.append(P('out', P.KEYWORD_ONLY, default=None))
        ps.append(P('name', P.KEYWORD_ONLY, default=None))
        ps.append(P('kwargs', P.VAR_KEYWORD))
        return inspect.Signature(ps)


def register(name, **spec):
    """Decorator: ``@register('exp', method='exp')`` above a jax implementation."""
    def deco(impl):
        op = Op(name, impl, **spec)
        for n in (name,) + op.aliases:
            if n in OPS:
                raise ValueError('operator name {!r} is registered twice ({} and {})'.format(
                    n, OPS[n].name, name))
            OPS[n] = op
        if op.method:
            for m in (op.method if isinstance(op.method, tuple) else (op.method,)):
                _METHODS[m] = op
        return op
    return deco


# Set by ndarray/__init__.py once the NDArray module exists (it imports this one).
NDArray = _wrap = _gather_inputs = _run_on = _autograd = None


def bind_runtime(ndarray_cls, wrap, gather_inputs, run_on, autograd_module):
    global NDArray, _wrap, _gather_inputs, _run_on, _autograd
    NDArray, _wrap, _gather_inputs, _run_on = ndarray_cls, wrap, gather_inputs, run_on
    _autograd = autograd_module


def bind(op, args, kwargs):
    """Split a call's arguments into (arrays, static tuple, dynamic list, out, ctx).

    This is the hot path of every eager call, so it avoids inspect.Signature.bind.
    """
    out = kwargs.pop('out', None)
    kwargs.pop('name', None)
    ctx = kwargs.pop('ctx', None) if op.ctx_param else None
    if op.variadic:
        arrays = list(args)
        extra = kwargs.pop(op.inputs[0], None)
        if extra is not None:
            arrays.extend(extra if isinstance(extra, (list, tuple)) else [extra])
        kwargs.pop('num_args', None)
        rest = ()
    else:
        n_in = len(op.inputs)
        arrays = list(args[:n_in])
        rest = args[n_in:]
        if len(arrays) < n_in:
            for nm in op.inputs[len(arrays):]:
                if nm in kwargs:
                    arrays.append(kwargs.pop(nm))
                else:
                    break
    if len(rest) > len(op.params):
        raise TypeError('{}() takes at most {} positional arguments ({} given)'.format(
            op.name, len(op.inputs) + len(op.params), len(args)))
    values = {}
    for p, v in zip(op.params, rest):
        values[p.name] = v
    for k, v in kwargs.items():
        if k not in op._by_name:
            raise MXNetError('Cannot find argument \'{}\' of operator {}: valid arguments are '
                             '{}'.format(k, op.name, ', '.join(op.inputs + tuple(op._by_name))))
        if k in values:
            raise MXNetError('Operator {} got multiple values for argument {}'.format(op.name, k))
        values[k] = v
    optional = op.optional_inputs
    if optional and any(a is None for a in arrays):   # MXNet drops None inputs (no_bias=True)
        arrays = [a for a, nm in zip(arrays, op.inputs) if a is not None or nm not in optional]
    for i, a in enumerate(arrays):
        if not isinstance(a, NDArray):
            nm = op.inputs[0] if op.variadic else op.inputs[i]
            if a is None:
                raise MXNetError('Required argument {} of operator {} is missing'
                                 .format(nm, op.name))
            raise AssertionError('Argument {} of operator {} must be an NDArray, got {}'
                                 .format(nm, op.name, type(a).__name__))
    static = tuple(p.parse(values.get(p.name, p.default), op.name) for p in op._static)
    if op.train_aware:
        static += (_autograd._STATE.training,)
    dynamic = [p.parse(values.get(p.name, p.default), op.name) for p in op._dynamic]
    return arrays, static, dynamic, out, ctx


_PENDING = threading.local()


class fused_updates:
    """Scope in which calls of ``fusable`` ops (optimizer updates) with ``out=`` are queued,
    then run as one jitted call per (op, static parameters, context): one XLA program
    updates every weight instead of one dispatch per weight.  Any other op call, a queued
    call reading an array that an earlier queued call writes, and the end of the scope run
    the queue first, so the code inside always sees the earlier results."""

    def __enter__(self):
        self.prev = getattr(_PENDING, 'queue', None)
        _PENDING.queue = _Queue()
        return self

    def __exit__(self, *exc):
        queue, _PENDING.queue = _PENDING.queue, self.prev
        queue.flush()


class _Queue:
    def __init__(self):
        self.calls, self.written = [], set()
        self.backward = None     # the DeferredBackward whose gradients queued calls read

    def add(self, op, static, arrays, dynamic, out):
        if any(id(a._chunk) in self.written for a in arrays):
            self.flush()
        vals, ctx = _gather_inputs(op, arrays, peek=True)
        for i, v in enumerate(vals):
            if type(v) is _autograd.Pending:
                group = v.group
                if type(group) is _autograd.DeferredBackward and not group.done and \
                        self.backward in (None, group):
                    self.backward = group       # computed inside the update's program
                else:
                    vals[i] = arrays[i]._value
        self.calls.append((op, static, ctx, len(vals), vals, dynamic, arrays, out))
        targets = [arrays[i] for i in op.mutates]
        targets += out if isinstance(out, (list, tuple)) else [out]
        self.written.update(id(t._chunk) for t in targets)

    def flush(self):
        calls, self.calls, self.written = self.calls, [], set()
        backward, self.backward = self.backward, None
        groups = {}
        for call in calls:
            groups.setdefault(call[:4], []).append(call)
        plan = []
        for (op, static, ctx, n_arrays), group in groups.items():
            args, scalars = [], []
            for call in group:
                args.extend(call[4])
                scalars.extend(call[5])
            plan.append((op, (static, len(group), n_arrays, len(op._dynamic)), ctx, group,
                         args, _fused_scalars(tuple(scalars), ctx)))
        program = None
        if backward is not None and not backward.done:
            program = _with_backward(backward, plan)
            if program is None:
                backward.run()
        if program is not None:
            try:
                grads, forward_outs, results = program(
                    backward.call_args(),
                    [a for p in plan for a in p[4] if type(a) is not _autograd.Pending],
                    [p[5] for p in plan])
            except (TypeError, ValueError, IndexError) as e:
                raise MXNetError('Error in operator {}: {}'.format(
                    ', '.join(p[0].name for p in plan), str(e).split('\n')[0])) from None
            backward.fill(grads, forward_outs)
        else:
            results = []
            for op, shape, _, group, args, scalars in plan:
                try:
                    results.append(op.fused_primitive(*shape)(*_resolved(args, group),
                                                              scalars))
                except (TypeError, ValueError, IndexError) as e:
                    raise MXNetError('Error in operator {}: {}'.format(
                        op.name, str(e).split('\n')[0])) from None
        for (op, _, ctx, group, _, _), res in zip(plan, results):
            for call, r in zip(group, res):
                _assign_out(op, call[7], *_outputs(op, call[6], r, ctx))


def _resolved(args, group):
    """A fused call's arguments with deferred gradients (whose backward has run by now)
    replaced by their values."""
    if not any(type(a) is _autograd.Pending for a in args):
        return args
    arrays = [a for call in group for a in call[6]]
    return [arr._value if type(a) is _autograd.Pending else a
            for a, arr in zip(args, arrays)]


def _with_backward(backward, plan):
    """One jitted program computing ``backward``'s gradients (and the forward pass it
    takes over, if that has not run) and then the fused updates of ``plan`` on them:
    ``(backward.call_args(), concrete update args, scalars) -> (gradients, forward
    outputs, results per fused call group)``.  Compiled on the second sighting of a
    structure; None on the first (the caller runs the programs separately)."""
    structure = (backward.key(), tuple(
        (op, shape, tuple(a.index if type(a) is _autograd.Pending else None for a in args))
        for op, shape, _, _, args, _ in plan))

    def build():
        grads_of = backward.casted()
        updates = [(op.fused_primitive(*shape).__wrapped__, wiring)
                   for op, shape, wiring in structure[1]]

        def program(backward_args, concrete, scalars):
            grads, forward_outs = grads_of(*backward_args)
            it = iter(concrete)
            results = []
            for (update, wiring), s in zip(updates, scalars):
                results.append(update(*[next(it) if w is None else grads[w] for w in wiring], s))
            return grads, forward_outs, results
        return program
    return backward.programs.get(structure, build)


try:   # a weakly typed view of a traced scalar: how JAX traces a Python float argument
    from jax._src.lax.lax import _convert_element_type as _convert

    def _weak_scalar(x):
        return _convert(x, weak_type=True)
except ImportError:             # pragma: no cover - older/newer JAX: pass Python floats
    _weak_scalar = None

_SCALARS = {}


def _fused_scalars(values, ctx):
    """The dynamic parameters of a fused call as one device array (float64 holds every
    Python float exactly), cached by value: a step with the same learning rates as the
    previous one transfers nothing.  Falls back to the tuple of floats."""
    if _weak_scalar is None or not all(type(v) is float for v in values):
        return values
    host = np.asarray(values, np.float64)
    key = (ctx, host.tobytes())         # bitwise: -0.0 and 0.0 (equal as floats) differ
    arr = _SCALARS.get(key)
    if arr is None:
        if len(_SCALARS) >= 256:
            _SCALARS.clear()
        arr = _SCALARS[key] = jax.device_put(host, ctx.jax_device)
    return arr


def _outputs(op, arrays, res, ctx):
    """Write the mutated inputs, wrap the outputs: (list of NDArrays, multi)."""
    if op.mutates:
        for i, new in zip(op.mutates, res[1:]):
            arrays[i]._set_value(new)
        res = res[0]
    multi = isinstance(res, tuple)
    return ([_wrap(r, ctx) for r in res] if multi else [_wrap(res, ctx)]), multi


def invoke(op, arrays, static, dynamic=(), out=None, ctx=None):
    """Run ``op`` eagerly on NDArrays: the cached primitive, context placement,
    autograd recording and ``out=``.  Returns an NDArray or a list of them."""
    queue = getattr(_PENDING, 'queue', None)
    if queue is not None:
        if op.fusable and out is not None and not _autograd._STATE.recording:
            queue.add(op, static, arrays, dynamic, out)
            return out
        queue.flush()
    fn = op._cache.get(static) or op.primitive(static)
    if arrays:
        vals, ctx = _gather_inputs(op, arrays)
    else:
        vals = []
        ctx = as_context(ctx)
    args = list(vals)
    if dynamic:
        args.extend(dynamic)
    if op.random:
        key, counter = _rng.next_key()
        args[:0] = [key, counter]
    layout = None
    try:
        if op.save_residuals and _autograd._STATE.recording and _autograd.in_graph(arrays):
            res, kept, layout = op.vjp_primitive(static, len(arrays))(*args)
        else:
            res = fn(*args) if arrays else _run_on(ctx, fn, args)
    except (TypeError, ValueError, IndexError) as e:
        raise MXNetError('Error in operator {}: {} (input shapes: {})'.format(
            op.name, str(e).split('\n')[0], [a.shape for a in arrays])) from None
    outs, multi = _outputs(op, arrays, res, ctx)
    if _autograd._STATE.recording and op.differentiable:
        n_key = 2 if op.random else 0
        arg_arrays = [None] * n_key + list(arrays) + [None] * len(dynamic)
        if layout is None:
            _autograd.record_op(fn, (op.name, static), args, arg_arrays, outs)
        else:
            _autograd.record_with_residuals(fn, (op.name, static), args, arg_arrays, outs,
                                            (n_key, n_key + len(arrays)), kept, layout, multi)
    if out is not None:
        return _assign_out(op, out, outs, multi)
    return outs if multi else outs[0]


def _assign_out(op, out, outs, multi):
    targets = out if isinstance(out, (list, tuple)) else [out]
    if len(targets) != len(outs):
        raise MXNetError('Operator {} has {} outputs but out= names {}'
                         .format(op.name, len(outs), len(targets)))
    for t, o in zip(targets, outs):
        if not isinstance(t, NDArray):
            raise MXNetError('out= of operator {} must be an NDArray'.format(op.name))
        if t.dtype != o.dtype or t.shape != o.shape:
            raise MXNetError('Operator {}: out= array has shape {} and dtype {}, but the result '
                             'has shape {} and dtype {}'.format(op.name, t.shape, t.dtype.__name__,
                                                                o.shape, o.dtype.__name__))
    for t, o in zip(targets, outs):
        t._assign_from(o)
    return out if multi or isinstance(out, (list, tuple)) else targets[0]


def make_function(op, name=None):
    """The ``nd.<name>`` function for an op: a real signature for help() and IDEs."""
    def fn(*args, **kwargs):
        arrays, static, dynamic, out, ctx = bind(op, args, kwargs)
        return invoke(op, arrays, static, dynamic, out, ctx)
    fn.__name__ = fn.__qualname__ = name or op.name
    fn.__doc__ = op.doc
    fn.__signature__ = op.signature
    fn.__module__ = 'mxnet.ndarray'
    fn.op = op
    return fn


def make_method(op, name):
    """The fluent NDArray method ``x.<name>(...)`` == ``nd.<op>(x, ...)``."""
    def method(self, *args, **kwargs):
        arrays, static, dynamic, out, ctx = bind(op, (self,) + args, kwargs)
        return invoke(op, arrays, static, dynamic, out, ctx)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = 'Fluent form of :func:`mxnet.ndarray.{}` with this array as `{}`.\n\n{}'.format(
        op.name, op.inputs[0], op.doc)
    sig = op.signature
    method.__signature__ = sig.replace(parameters=[inspect.Parameter('self', inspect.Parameter.POSITIONAL_ONLY)] + list(sig.parameters.values())[1:]) if not op.variadic else sig
    return method


def install_methods(cls):
    for mname, op in _METHODS.items():
        if mname not in cls.__dict__:
            setattr(cls, mname, make_method(op, mname))

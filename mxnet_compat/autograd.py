"""Autograd: record eagerly, differentiate by replaying the recording under ``jax.vjp``.

While recording, every operator call attaches a :class:`Node` to its outputs: the
jitted primitive that computed them, its cache key (operator name + static
parameters), and one *edge* per argument - the producing node, a marked variable
(:class:`Var`), or ``None`` for a constant whose value the node keeps.  The graph
hangs off the output arrays, so it is freed with them: there is no global tape.

``backward`` walks from the heads to the variables, turns the sub-graph into a
*plan* (a tuple of ``(primitive, argument refs)``) and a structure key, and runs
``jax.vjp`` on the plan's replay as a pure function of the variables.  A key seen
before runs a cached ``jax.jit`` of the whole vjp; a first sighting runs eagerly,
so a dynamic graph (a data-dependent loop) never causes a compile storm.
See docs/how-it-works.md.
"""
import collections
import functools
import threading
import weakref

import jax
import numpy as np
import jax.numpy as jnp

from .base import MXNetError

__all__ = ['record', 'pause', 'train_mode', 'predict_mode', 'is_recording', 'is_training',
           'set_recording', 'set_training', 'mark_variables', 'backward', 'grad', 'Function',
           'get_symbol']


class _State(threading.local):
    recording = False
    training = False


_STATE = _State()

NOT_IN_GRAPH = ('Cannot differentiate node because it is not in a computational graph. You need '
                'to set is_recording to true or use autograd.record() to save computational '
                'graphs for backward. If you want to differentiate the same graph twice, you '
                'need to pass retain_graph=True to backward.')


def set_recording(is_recording):
    """Set recording on or off; returns the previous state."""
    prev = _STATE.recording
    _STATE.recording = bool(is_recording)
    return prev


def set_training(train_mode):
    """Set training mode on or off (Dropout, BatchNorm); returns the previous state."""
    prev = _STATE.training
    _STATE.training = bool(train_mode)
    return prev


def is_recording():
    return _STATE.recording


def is_training():
    return _STATE.training


class _Scope:
    """``with`` scope that sets recording and/or training and restores both on exit."""

    def __init__(self, is_record, train_mode):
        self._enter = (is_record, train_mode)
        self._prev = None

    def __enter__(self):
        rec, train = self._enter
        self._prev = (_STATE.recording, _STATE.training)
        if rec is not None:
            _STATE.recording = rec
        if train is not None:
            _STATE.training = train
        return self

    def __exit__(self, ptype, value, trace):
        _STATE.recording, _STATE.training = self._prev


def record(train_mode=True):
    """Scope in which operations are recorded for ``backward``; training mode by default."""
    return _Scope(True, train_mode)


def pause(train_mode=False):
    """Scope in which recording is off (prediction mode by default)."""
    return _Scope(False, train_mode)


def train_mode():
    """Scope that switches to training mode without touching recording."""
    return _Scope(None, True)


def predict_mode():
    """Scope that switches to prediction mode without touching recording."""
    return _Scope(None, False)


# --------------------------------------------------------------------------- graph

class Var:
    """A leaf the user asked gradients for (``attach_grad``/``mark_variables``).

    ``array`` is a weak reference to the variable's NDArray: like MXNet, which reads the
    variable's memory at backward time, a replay uses the variable's *current* value
    (the value recorded with the node is the fallback once the array is gone)."""
    __slots__ = ('grad', 'grad_req', 'array', '__weakref__')

    def __init__(self, grad, grad_req, array=None):
        self.grad = grad
        self.grad_req = grad_req
        self.array = None if array is None else weakref.ref(array)

    def value(self, recorded):
        arr = None if self.array is None else self.array()
        return recorded if arr is None else arr._value


class Node:
    """One recorded operation.

    fn:     pure function of jax values (the op's jitted primitive) returning an array or tuple.
    key:    hashable structure key (op name, static params); None = never compile (custom code).
    edges:  per argument: (Node, output index) | Var | None (constant).
    consts: per argument: the recorded value for Var and constant edges, None for node edges.
    """
    __slots__ = ('fn', 'key', 'edges', 'consts', 'freed', 'hooks', 'exact', 'deferred',
                 '__weakref__')

    def __init__(self, fn, key, edges, consts):
        self.fn, self.key, self.edges, self.consts = fn, key, edges, consts
        self.freed = False
        self.hooks = None
        # exact: (fn, key, n_args) - a pure replay of this node from its first n_args
        # arguments, for nodes whose ``fn`` takes a first-order shortcut (saved residuals);
        # create_graph uses it so that higher derivatives stay exact.
        self.exact = None
        # deferred: the Deferred group whose run fills this node's output and residual
        # consts (None once they are values).
        self.deferred = None


def add_backward_hook(array, hook):
    """Run ``hook()`` when a backward pass goes through the node that produced ``array``.

    MXNet updates some state during the backward pass (BatchNorm's running statistics in
    1.9.1); an operator wrapper attaches that update here.  No-op if ``array`` is not
    recorded."""
    node = array._node
    if node is not None:
        if node.hooks is None:
            node.hooks = []
        node.hooks.append(hook)


def record_op(fn, key, arg_vals, arg_arrays, outputs):
    """Attach a Node to ``outputs`` if any argument is in a graph (called while recording)."""
    edges, consts, in_graph = [], [], False
    for a, v in zip(arg_arrays, arg_vals):
        if a is not None:
            n = a._node
            if n is not None:
                edges.append((n, a._oi))
                consts.append(None)
                in_graph = True
                continue
            if a._var is not None:
                edges.append(a._var)
                consts.append(v)
                in_graph = True
                continue
        edges.append(None)
        consts.append(v)
    if not in_graph:
        return None
    node = Node(fn, key, tuple(edges), tuple(consts))
    for i, o in enumerate(outputs):
        o._node, o._oi = node, i
    return node


def in_graph(arrays):
    """Whether any of ``arrays`` is recorded or a marked variable."""
    return any(a._node is not None or a._var is not None for a in arrays)


class CompileCache:
    """Structure key -> jitted function, compiled on the second sighting (a first
    sighting runs uncompiled, so structures seen once cause no compile); bounded (LRU).
    Serves the compiled backward passes and the deferred programs."""

    def __init__(self, size=256):
        self.size = size
        self.entries = collections.OrderedDict()
        self.compiles = 0
        self.eager_runs = 0

    def get(self, key, build):
        """The jitted ``build()`` for ``key``, or None for a first sighting (run
        eagerly)."""
        if key is None:
            self.eager_runs += 1
            return None
        entries = self.entries
        fn = entries.get(key, False)
        if fn is False:
            entries[key] = None
            if len(entries) > self.size:
                entries.popitem(last=False)
            self.eager_runs += 1
            return None
        entries.move_to_end(key)
        if fn is None:
            fn = entries[key] = jax.jit(build())
            self.compiles += 1
        return fn

    def clear(self):
        self.entries.clear()


class ResidualForward:
    """``f``'s outputs together with its vjp residuals w.r.t. ``args[lo:hi]``, jitted once
    per argument signature: ``self(*args) -> (outputs, kept, layout)``.

    A residual that is one of the arguments themselves (a matmul keeps its inputs) is not
    returned: a program output cannot alias a non-donated input, so XLA would copy it on
    every call (two 800 KB copies per forward of a 784-256 Dense layer at batch 256).
    ``layout = (treedef, sources)`` rebuilds the pullback's leaves: ``sources[j] >= 0`` is
    an argument index, ``-1 - k`` is ``kept[k]``.  One jitted function per signature
    (shapes, dtypes, weak types), so each layout belongs to exactly one trace structure."""

    def __init__(self, f, lo, hi):
        self.f, self.lo, self.hi = f, lo, hi
        self.by_sig = {}

    def _build(self):
        f, lo, hi = self.f, self.lo, self.hi
        cell = []

        def fwd(*args):
            outs, pullback = jax.vjp(lambda *d: f(*args[:lo], *d, *args[hi:]), *args[lo:hi])
            leaves, treedef = jax.tree_util.tree_flatten(pullback)
            position = {id(a): i for i, a in enumerate(args)}
            kept, sources = [], []
            for leaf in leaves:
                i = position.get(id(leaf))
                if i is None:
                    sources.append(-1 - len(kept))
                    kept.append(leaf)
                else:
                    sources.append(i)
            if not cell:
                # Kept from the first trace: a later trace of this signature (inside a
                # deferred group's program, after a device change) has the same structure,
                # and an unchanged layout keeps the recorded graphs' keys, hence their
                # compiled backward passes, the same.
                out_avals = tuple((o.shape, o.dtype, o.aval.weak_type) for o in outs)
                kept_avals = tuple((k.shape, k.dtype, k.aval.weak_type) for k in kept)
                cell[:] = [((treedef, tuple(sources)), out_avals, kept_avals)]
            return outs, kept
        return jax.jit(fwd), cell, fwd

    def traced(self, sig):
        """(layout, output avals, kept residuals' avals) of a signature already run, else
        None."""
        entry = self.by_sig.get(sig)
        return entry[1][0] if entry is not None and entry[1] else None

    def __call__(self, *args):
        sig = tuple(_aval(a) for a in args)
        entry = self.by_sig.get(sig)
        if entry is None:
            if len(self.by_sig) >= 64:
                self.by_sig.clear()
            entry = self.by_sig[sig] = self._build()
        fn, cell, _ = entry
        outs, kept = fn(*args)
        return outs, kept, cell[0][0]


class Pending:
    """The value of an output of a deferred call, until its group runs: shape, dtype and
    weak type (what a signature needs), and the group that computes it."""
    __slots__ = ('group', 'call', 'index', 'shape', 'dtype', 'weak_type')

    def __init__(self, group, call, index, aval):
        self.group, self.call, self.index = group, call, index
        self.shape, self.dtype, self.weak_type = aval


class _Slot:
    """A value that a deferred group computes, standing in a backward pass's constants
    until the group runs: output (``kind`` 0) or kept residual (1) ``index`` of the
    group's call ``call``; shape, dtype and weak type as the values will have them."""
    __slots__ = ('call', 'kind', 'index', 'shape', 'dtype', 'weak_type')

    def __init__(self, call, kind, index, aval):
        self.call, self.kind, self.index = call, kind, index
        self.shape, self.dtype, self.weak_type = aval


class Deferred:
    """Recorded calls of compiled forward passes (hybridized blocks, compiled losses) whose
    execution waits until a value is needed, so that consecutive calls -- ``net(x)`` and
    the loss on its output -- run as one XLA program: each program boundary costs a
    dispatch and a hand-over between threads (a 784-256-10 MLP step split into four
    programs took 1.3x the time of one; with the forward and loss fused, 1.16x).

    A group runs when anything reads one of its outputs (``_Chunk.data``), when a
    backward pass reaches one of its nodes, or when a call that cannot join it needs a
    value.  A group's combined program is compiled on the second sighting of its
    structure (first sightings run call by call), and groups hold at most ``MAX_CALLS``
    calls, so dynamic graphs cause no compile storm.

    A backward pass through a group that has not run can take it over
    (:class:`DeferredBackward` with ``forward``): the group is closed to further calls
    and its forward pass runs inside the backward pass's program -- with the optimizer's
    update, a training step is one XLA program."""
    MAX_CALLS = 4
    programs = CompileCache()               # group structure -> combined program

    def __init__(self):
        # per call: [ResidualForward, unjitted forward, inputs, chunk refs, node ref,
        #            output avals, kept residuals' avals]
        self.calls = []
        self.done = False
        self.closed = False     # taken over by a backward pass: no more calls join
        self.keep = False       # keep ``results`` after running (a backward pass reads them)
        self.results = None
        _LIVE.add(self)

    def full(self):
        return self.closed or len(self.calls) >= self.MAX_CALLS

    def add(self, rf, sig, inputs, traced, wrap):
        """Queue ``rf`` on ``inputs`` (jax values, or Pending outputs of this group) and
        return its output NDArrays (``wrap(placeholder)`` makes one), the pullback layout
        and the number of kept residuals."""
        layout, out_avals, kept_avals = traced
        ci = len(self.calls)
        outs = [wrap(Pending(self, ci, i, aval)) for i, aval in enumerate(out_avals)]
        self.calls.append([rf, rf.by_sig[sig][2], list(inputs),
                           [weakref.ref(o._chunk) for o in outs], None, out_avals,
                           kept_avals])
        return outs, layout, len(kept_avals)

    def set_node(self, node):
        if node is not None:
            self.calls[-1][4] = weakref.ref(node)
            node.deferred = self

    def structure(self):
        """Per call: its unjitted forward and which inputs are earlier calls' outputs."""
        return tuple((call[1], tuple((v.call, v.index) if type(v) is Pending else None
                                     for v in call[2]))
                     for call in self.calls)

    def inputs(self):
        """The calls' inputs that are values (what the combined program takes)."""
        return [v for call in self.calls for v in call[2] if type(v) is not Pending]

    def _program(self):
        """The jitted combined program, or None (one call; a first sighting)."""
        if len(self.calls) < 2:
            return None
        structure = self.structure()
        return self.programs.get(structure, lambda: _combined(structure))

    def run(self):
        if self.done:
            return
        fn = self._program()
        if fn is not None:
            results = fn(*self.inputs())
        else:
            results = []
            for call in self.calls:
                out, kept, _ = call[0](*_resolve(call[2], results))
                results.append((out, kept))
        if self.keep:
            self.results = results
        self.fill(results)

    def fill(self, results):
        """Write ``results`` ((outputs, kept residuals) per call; kept None when computed
        inside a backward pass's program) into the outputs' placeholders and the recorded
        nodes."""
        self.done = True
        for call, (out, kept) in zip(self.calls, results):
            for ref, value in zip(call[3], out):
                chunk = ref()
                if chunk is not None and type(chunk._data) is Pending and \
                        chunk._data.group is self:
                    chunk._data = value
            node = call[4]() if call[4] is not None else None
            if node is not None and not node.freed and kept is not None:
                node.consts = tuple(_resolve(call[2], results)) + tuple(out) + tuple(kept)
                node.deferred = None
        self.calls = None

    def drop_results(self):
        """No backward pass waits for ``results`` any more."""
        self.keep, self.results = False, None


_LIVE = weakref.WeakSet()


def run_deferred():
    """Run every deferred group still waiting (``nd.waitall``)."""
    for group in list(_LIVE):
        group.run()


def _resolve(inputs, results):
    """A queued call's inputs with its group's pending outputs replaced by the values in
    ``results`` (per earlier call: (outputs, kept))."""
    return [results[v.call][0][v.index] if type(v) is Pending else v for v in inputs]


def _combined(structure):
    """One function running a group's calls in order, later calls reading earlier
    outputs: ``(*the calls' non-deferred inputs) -> [(outputs, kept residuals)...]``."""
    def combined(*flat):
        it = iter(flat)
        results = []
        for raw, wiring in structure:
            args = [next(it) if w is None else results[w[0]][0][w[1]] for w in wiring]
            results.append(raw(*args))
        return results
    return combined


def record_with_residuals(fn, key, arg_vals, arg_arrays, outputs, diff, kept, layout,
                          tuple_out, n_kept=None):
    """Record a node whose backward is the saved pullback (``kept`` residuals and
    ``layout`` from :class:`ResidualForward`) rather than a replay of ``fn``: ``diff =
    (lo, hi)`` are the argument slots the pullback returns gradients for; ``tuple_out``:
    whether ``fn`` returns a tuple.  ``fn`` stays the node's exact replay, for
    create_graph.  A deferred call passes ``kept=None`` and ``n_kept``: its output and
    residual consts stay None until its group runs and fills them."""
    n, n_out = len(arg_vals), len(outputs)
    if kept is None:
        tail = [None] * (n_out + n_kept)
    else:
        tail = [o._value for o in outputs] + list(kept)
    node_fn = residual_node(layout, diff, n, n_out, tuple_out)
    node = record_op(node_fn, key + ('residual', layout), list(arg_vals) + tail,
                     list(arg_arrays) + [None] * len(tail), outputs)
    if node is not None:
        node.exact = (fn, key, n)
    return node


def _zero_cotangent(x):
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return jnp.zeros_like(x)
    return np.zeros(x.shape, dtype=jax.dtypes.float0)


@functools.lru_cache(maxsize=1024)
def residual_node(layout, diff, n_args, n_out, tuple_out):
    """A node function with saved residuals.  Arguments: the op's ``n_args`` arguments, its
    ``n_out`` outputs, then the kept residuals.  It returns the saved outputs (nothing is
    recomputed); its vjp applies the pullback rebuilt from ``layout``, whose gradients go
    to the argument slots ``diff = (lo, hi)``; every other argument gets a zero
    cotangent."""
    lo, hi = diff
    treedef, sources = layout
    base = n_args + n_out

    @jax.custom_vjp
    def node(*args):
        return tuple(args[n_args:base])

    def fwd(*args):
        return node(*args), args

    def bwd(args, cts):
        leaves = [args[s] if s >= 0 else args[base - 1 - s] for s in sources]
        pullback = jax.tree_util.tree_unflatten(treedef, leaves)
        grads = pullback(tuple(cts) if tuple_out else cts[0])
        zero = [_zero_cotangent(a) for a in args]
        return tuple(zero[:lo]) + tuple(grads) + tuple(zero[hi:])

    node.defvjp(fwd, bwd)
    return node


def _topo(head_nodes):
    """Nodes reachable from the heads, inputs before users (iterative DFS)."""
    order, seen = [], set()
    stack = [(n, False) for n in head_nodes]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        if node.freed:
            raise MXNetError(NOT_IN_GRAPH)
        seen.add(id(node))
        stack.append((node, True))
        for e in node.edges:
            if type(e) is tuple and id(e[0]) not in seen:
                stack.append((e[0], False))
    return order


_C, _V, _N = 0, 1, 2   # argument reference kinds in a plan


def _aval(v):
    """What a jitted replay is specialised on: shape/dtype/weak type, or a scalar's type."""
    try:
        return (v.shape, v.dtype, v.weak_type)
    except AttributeError:
        shape = getattr(v, 'shape', None)
        return type(v) if shape is None else (shape, v.dtype)


class _Graph:
    """The sub-graph between heads and variables, flattened into a replayable plan.

    Deferred groups reached are run first; with ``defer_forward``, a single group whose
    every recorded call is in the graph is left pending instead (``forward``): the
    constants it will compute are :class:`_Slot` placeholders, listed in ``slots`` as
    (constant index, call, kind, index)."""

    def __init__(self, heads, exact=False, defer_forward=False):
        head_nodes = []
        for h in heads:
            if h._node is None:
                raise MXNetError(NOT_IN_GRAPH)
            head_nodes.append(h._node)
        self.nodes = _topo(head_nodes)
        index = {id(n): i for i, n in enumerate(self.nodes)}
        groups = []
        for node in self.nodes:
            if node.deferred is not None and node.deferred not in groups:
                groups.append(node.deferred)
        self.forward, self.slots, calls = None, [], {}
        if defer_forward and len(groups) == 1:
            group = groups[0]
            for ci, call in enumerate(group.calls):
                node = call[4]() if call[4] is not None else None
                if node is not None:
                    if id(node) not in index:
                        break
                    calls[id(node)] = ci
            else:
                self.forward = group
                group.keep = True
        if self.forward is None:
            for group in groups:
                group.run()
        self.vars, self.var_vals, self.consts = [], [], []
        var_index = {}
        plan, keys, cacheable = [], [], True
        for node in self.nodes:
            refs = []
            fn, key, edges, consts = node.fn, node.key, node.edges, node.consts
            if exact and node.exact is not None:
                fn, key, n_args = node.exact
                edges, consts = edges[:n_args], consts[:n_args]
            elif node.deferred is not None:
                consts = self._slots_of(node.deferred.calls[calls[id(node)]],
                                        calls[id(node)], consts)
            for e, c in zip(edges, consts):
                if e is None:
                    refs.append((_C, len(self.consts)))
                    if type(c) is _Slot:
                        self.slots.append((len(self.consts), c.call, c.kind, c.index))
                    self.consts.append(c)
                elif type(e) is tuple:
                    refs.append((_N, index[id(e[0])], e[1]))
                else:
                    j = var_index.get(id(e))
                    if j is None:
                        j = var_index[id(e)] = len(self.vars)
                        self.vars.append(e)
                        self.var_vals.append(e.value(c))
                    refs.append((_V, j))
            plan.append((fn, tuple(refs)))
            keys.append(key)
            cacheable = cacheable and key is not None
        self.plan = tuple(plan)
        self.heads = tuple((index[id(h._node)], h._oi) for h in heads)
        self.key = None
        if cacheable:
            self.key = (tuple((k, p[1]) for k, p in zip(keys, self.plan)), self.heads,
                        tuple(_aval(c) for c in self.consts),
                        tuple(_aval(v) for v in self.var_vals))

    @staticmethod
    def _slots_of(call, ci, consts):
        """A pending call's node constants: its inputs (an earlier call's pending output
        as a slot), then slots for its outputs and kept residuals."""
        n_in, out_avals, kept_avals = len(call[2]), call[5], call[6]
        ins = [_Slot(c.call, 0, c.index, (c.shape, c.dtype, c.weak_type))
               if type(c) is Pending else c for c in consts[:n_in]]
        return (ins + [_Slot(ci, 0, j, a) for j, a in enumerate(out_avals)] +
                [_Slot(ci, 1, j, a) for j, a in enumerate(kept_avals)])

    def run_forward(self):
        """Run the pending group (if any) and put its values in the constants."""
        group, self.forward = self.forward, None
        if group is not None:
            group.run()
            _fill_slots(self.consts, self.slots, group.results)
            group.drop_results()

    def run_hooks(self):
        for n in self.nodes:
            if n.hooks:
                for hook in n.hooks:
                    hook()

    def free(self):
        for n in self.nodes:
            n.freed = True
            n.consts = None


def _fill_slots(consts, slots, results):
    """Put a group's ``results`` (per call: outputs, kept residuals) into ``consts``."""
    for pos, call, kind, index in slots:
        consts[pos] = results[call][kind][index]


def _replay(plan, heads, var_vals, consts):
    """Recompute the heads from the variables: the pure function that jax.vjp differentiates."""
    results = []
    for fn, refs in plan:
        args = [consts[r[1]] if r[0] == _C else var_vals[r[1]] if r[0] == _V
                else results[r[1]][r[2]] for r in refs]
        out = fn(*args)
        results.append(out if isinstance(out, tuple) else (out,))
    return [results[n][i] for n, i in heads]


def _make_vjp(plan, heads, explicit):
    """(var_vals, consts, head_grads) -> gradients of the heads w.r.t. every variable.

    ``explicit[i]`` says whether head i has a given head gradient; otherwise ones are used
    (a non-scalar head means the gradient of its sum, as in MXNet)."""
    def vjp(var_vals, consts, head_grads):
        outs, pullback = jax.vjp(lambda *vs: _replay(plan, heads, vs, consts), *var_vals)
        cts, it = [], iter(head_grads)
        for o, given in zip(outs, explicit):
            cts.append(next(it).astype(o.dtype) if given else jnp.ones_like(o))
        return pullback(cts)
    return vjp


vjp_cache = CompileCache()


def _compute_grads(heads, head_grads, create_graph=False, defer=False, retain_graph=True):
    """Run the vjp for ``heads``; returns (graph, list of jax gradients per variable), or
    with ``defer`` where the backward pass is compiled and every gradient is written
    (grad_req 'write' or 'null'), (graph, :class:`DeferredBackward`).  A deferred backward
    pass of a graph that is not retained also takes over the deferred forward group the
    graph reaches, if there is one (its residuals never leave the program)."""
    hg = [g._value for g in head_grads if g is not None]
    graph = _Graph(heads, exact=create_graph,
                   defer_forward=defer and not retain_graph and not create_graph)
    explicit = tuple(g is not None for g in head_grads)
    if create_graph:
        return graph, _record_grad(graph, explicit, hg)
    key = None if graph.key is None else (graph.key, explicit, tuple(_aval(g) for g in hg))
    fn = vjp_cache.get(key, lambda: _make_vjp(graph.plan, graph.heads, explicit))
    if fn is not None and defer and _deferrable(graph.vars):
        targets = [v.grad if v.grad_req == 'write' else None for v in graph.vars]
        forward = None if graph.forward is None else (graph.forward, tuple(graph.slots))
        return graph, DeferredBackward(fn, (graph.var_vals, graph.consts, hg), targets,
                                       forward)
    graph.run_forward()
    if fn is None:
        fn = _make_vjp(graph.plan, graph.heads, explicit)
    grads = fn(graph.var_vals, graph.consts, hg)
    return graph, list(grads)


def _deferrable(variables):
    """Gradients a deferred backward can write: 'write' into whole arrays (or 'null')."""
    for v in variables:
        req = v.grad_req
        if req == 'null' or v.grad is None:
            continue
        if req != 'write' or v.grad._voff is not None:
            return False
        d = v.grad._chunk._data     # an earlier deferred backward's gradient is overwritten
        if type(d) is Pending and type(d.group) is not DeferredBackward:
            return False
    return True


_grad_fns = {}


def _record_grad(graph, explicit, hg):
    """create_graph=True: compute the gradients as a recorded operation of the variables,
    so that a later backward differentiates through them (any order)."""
    from .ndarray.ndarray import _wrap
    plan, heads, nv, nc = graph.plan, graph.heads, len(graph.vars), len(graph.consts)
    key = None if graph.key is None else ('_backward', graph.key, explicit)
    fn = _grad_fns.get(key) if key is not None else None
    if fn is None:
        vjp = _make_vjp(plan, heads, explicit)

        def fn(*args):
            return tuple(vjp(args[:nv], args[nv:nv + nc], args[nv + nc:]))
        if key is not None:
            if len(_grad_fns) > 256:
                _grad_fns.clear()
            _grad_fns[key] = fn
    args = list(graph.var_vals) + list(graph.consts) + hg
    grads = fn(*args)
    outs = [_wrap(g, v.grad.context) for g, v in zip(grads, graph.vars)]
    edges = tuple(graph.vars) + (None,) * (nc + len(hg))
    node = Node(fn, key, edges, tuple(args))
    for i, o in enumerate(outs):
        o._node, o._oi = node, i
    return outs


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _parse_heads(heads, head_grads):
    heads = _as_list(heads)
    if head_grads is None:
        head_grads = [None] * len(heads)
    else:
        head_grads = _as_list(head_grads)
        if len(head_grads) != len(heads):
            raise MXNetError('heads and head_grads must have the same length: {} vs {}'
                             .format(len(heads), len(head_grads)))
    return heads, head_grads


_add = jax.jit(jnp.add)


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    """Compute the gradients of ``heads`` w.r.t. every marked variable in their graph and
    write (or add, per ``grad_req``) them into the variables' ``.grad`` arrays."""
    heads, head_grads = _parse_heads(heads, head_grads)
    with _Scope(False, train_mode):
        graph, grads = _compute_grads(heads, head_grads, defer=True,
                                      retain_graph=retain_graph)
    if all(v.grad_req == 'null' for v in graph.vars):
        raise MXNetError('There are no inputs in computation graph that require gradients.')
    graph.run_hooks()
    if isinstance(grads, DeferredBackward):
        grads.attach()
    else:
        for var, g in zip(graph.vars, grads):
            req = var.grad_req
            if req == 'null' or var.grad is None:
                continue
            target = var.grad._value
            g = _cast_grad(g, target.shape, target.dtype)
            var.grad._set_value(_add(target, g) if req == 'add' else g)
    if not retain_graph:
        graph.free()


def _cast_grad(g, shape, dtype):
    """A variable's gradient in its gradient array's dtype (zeros for an integer
    variable: JAX has no derivative there)."""
    if g.dtype == jax.dtypes.float0:
        return jnp.zeros(shape, dtype)
    return g if g.dtype == dtype else g.astype(dtype)


def _cast_grads(grads, specs):
    return [None if spec is None else _cast_grad(g, *spec) for g, spec in zip(grads, specs)]


class DeferredBackward:
    """A compiled backward pass whose gradients are written when first needed: the
    ``.grad`` arrays hold :class:`Pending` placeholders until then.  An optimizer update
    queued by ``Trainer.step`` (``registry.fused_updates``) on these gradients runs in the
    same program as the backward pass (``programs``).  ``forward = (group, slots)``: the
    deferred forward group whose results fill the constant ``slots``
    (:class:`_Graph`); while it has not run, that program runs it too, so a training
    step of a hybridized network is one XLA program (reading the loss first runs the
    forward alone and keeps its results for this pass).  Anything else reading a
    gradient runs the backward pass alone (:meth:`run`)."""
    programs = CompileCache(64)             # structure -> backward-and-update program

    def __init__(self, fn, args, targets, forward=None):
        self.fn, self.args = fn, args     # the jitted vjp and its (var_vals, consts, hg)
        self.targets = targets            # per variable: its grad NDArray or None
        self.forward = forward
        if forward is not None:
            forward[0].closed = True
        self.done = False
        _LIVE.add(self)

    def attach(self):
        for i, t in enumerate(self.targets):
            if t is not None:
                val = t._chunk._data
                t._chunk._data = Pending(self, 0, i, (t._shape, val.dtype, False))
                t._chunk.version += 1

    def _specs(self):
        """Per variable: its gradient array's (shape, dtype), None where none is written."""
        return tuple(None if t is None else (t._shape, t._chunk._data.dtype)
                     for t in self.targets)

    def _pending_forward(self):
        """The forward group still to run inside this pass's program, or None."""
        forward = self.forward
        if forward is None or forward[0].done:
            return None
        return forward[0]

    def key(self):
        """What a combined program depends on: the backward function, the targets and
        the pending forward group's structure."""
        group = self._pending_forward()
        return (self.fn, self._specs(),
                None if group is None else (group.structure(), self.forward[1]))

    def call_args(self):
        """The program arguments: (forward group inputs, var_vals, consts, head grads);
        the constants the forward computes are None (or filled from the results of a
        group that has run)."""
        var_vals, consts, hg = self.args
        if self.forward is None:
            return (), var_vals, consts, hg
        group, slots = self.forward
        consts = list(consts)
        if group.done:
            _fill_slots(consts, slots, group.results)
            return (), var_vals, consts, hg
        for pos, _, _, _ in slots:
            consts[pos] = None
        return group.inputs(), var_vals, consts, hg

    def casted(self):
        """Unjitted ``(*call_args()) -> (gradients in the targets' dtypes, the forward
        group's outputs per call, or () when no forward runs here)``."""
        raw, specs = self.fn.__wrapped__, self._specs()
        group = self._pending_forward()
        if group is None:
            return lambda inputs, var_vals, consts, hg: (
                _cast_grads(raw(var_vals, consts, hg), specs), ())
        combined, slots = _combined(group.structure()), self.forward[1]

        def with_forward(inputs, var_vals, consts, hg):
            results = combined(*inputs)
            consts = list(consts)
            _fill_slots(consts, slots, results)
            return (_cast_grads(raw(var_vals, consts, hg), specs),
                    [out for out, _ in results])
        return with_forward

    def _waiting(self, t):
        d = t._chunk._data
        return type(d) is Pending and d.group is self

    def run(self):
        if self.done:
            return
        if not any(t is not None and self._waiting(t) for t in self.targets):
            self.fill(())                   # every gradient was overwritten since
            return
        group = self._pending_forward()
        if group is not None:
            group.run()                     # keeps its results for call_args
        _, var_vals, consts, hg = self.call_args()
        self.fill(_cast_grads(self.fn(var_vals, consts, hg), self._specs()))

    def fill(self, grads, forward_outs=None):
        """Write the gradients still waiting; ``forward_outs``: the forward group's
        outputs when this pass's program computed them."""
        for t, g in zip(self.targets, grads):
            if t is not None and self._waiting(t):
                t._chunk._data = g
        self.done = True
        self.args = None
        if self.forward is not None:
            group = self.forward[0]
            if forward_outs is not None and not group.done:
                group.fill([(out, None) for out in forward_outs])
            group.drop_results()
            self.forward = None


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):
    """Return the gradients of ``heads`` w.r.t. ``variables`` (new arrays; ``.grad`` is not
    touched).  With ``create_graph=True`` the result is itself recorded, so it can be
    differentiated again - for every operator (MXNet 1.9.1 supports this for few)."""
    heads, head_grads = _parse_heads(heads, head_grads)
    variables = _as_list(variables)
    for i, v in enumerate(variables):
        if v._var is None:
            raise MXNetError('Cannot differentiate with respect to the {}-th variable because it '
                             'does not require gradient. Call attach_grad() on it before '
                             'recording.'.format(i + 1))
    if retain_graph is None:
        retain_graph = create_graph
    from .ndarray.ndarray import _wrap
    with _Scope(False, train_mode):
        graph, grads = _compute_grads(heads, head_grads, create_graph)
    graph.run_hooks()
    by_var = {id(v): g for v, g in zip(graph.vars, grads)}
    out = []
    for v in variables:
        g = by_var.get(id(v._var))
        if g is None:
            g = _wrap(jnp.zeros(v.shape, v._value.dtype), v.context)
        elif not create_graph:
            g = _wrap(g.astype(v._value.dtype), v.context)
        out.append(g)
    if not retain_graph:
        graph.free()
    return out   # a list even for a single variable, as MXNet 1.9.1 returns


def mark_variables(variables, gradients, grad_reqs='write'):
    """Mark arrays as variables whose gradients are written into ``gradients``."""
    variables, gradients = _as_list(variables), _as_list(gradients)
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    if not len(variables) == len(gradients) == len(grad_reqs):
        raise MXNetError('mark_variables: variables, gradients and grad_reqs must have the '
                         'same length')
    for v, g, r in zip(variables, gradients, grad_reqs):
        if r not in ('write', 'add', 'null', 'inplace'):
            raise MXNetError("grad_req must be 'write', 'add' or 'null', got {!r}".format(r))
        v._var = Var(g, 'write' if r == 'inplace' else r, v)
        v._node = None


def get_symbol(x):
    """MXNet returns the recorded graph as a Symbol; there is no Symbol API here yet."""
    raise NotImplementedError('autograd.get_symbol: mxnet-compat has no Symbol API yet; the '
                              'recorded graph is a JAX replay plan (see docs/how-it-works.md)')


class Function:
    """Customise differentiation: subclass with ``forward(*inputs)`` and ``backward(*out_grads)``
    operating on NDArrays; ``save_for_backward(*arrays)`` keeps values in ``saved_tensors``.

    forward runs with recording paused; the call is recorded as one node whose gradient is
    the user's backward (run eagerly at backward time, so numpy conversions work in it)."""

    def __init__(self):
        self._used = False
        self.saved_tensors = ()

    def save_for_backward(self, *args):
        self.saved_tensors = args

    def __call__(self, *inputs):
        from .ndarray.ndarray import NDArray
        if self._used:
            raise AssertionError('Each Function instance can only be called once. Please '
                                 'create another instance.')
        self._used = True
        with pause(_STATE.training):
            outputs = self.forward(*inputs)
        single = isinstance(outputs, NDArray)
        outs = [outputs] if single else list(outputs)
        if _STATE.recording:
            fn = _custom_fn(self, tuple(o._value for o in outs), len(inputs))
            record_op(fn, None, [x._value for x in inputs], list(inputs), outs)
        return outputs

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError


def _custom_fn(func, saved_outputs, n_in):
    """A jax function with the recorded outputs as value and the user's backward as vjp."""
    from .ndarray.ndarray import NDArray, _wrap
    from .context import current_context

    @jax.custom_vjp
    def f(*xs):
        return saved_outputs

    def fwd(*xs):
        return saved_outputs, tuple(x.shape for x in xs)

    def bwd(shapes, cts):
        ctx = current_context()
        with pause():
            grads = func.backward(*[_wrap(c, ctx) for c in cts])
        grads = [grads] if isinstance(grads, NDArray) else list(grads)
        if len(grads) != n_in:
            raise MXNetError('Function.backward must return {} gradients (one per input of '
                             'forward), got {}'.format(n_in, len(grads)))
        return tuple(g._value for g in grads)

    f.defvjp(fwd, bwd)
    return f

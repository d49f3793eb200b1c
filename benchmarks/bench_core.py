#!/usr/bin/env python
"""Core micro-benchmarks: mxnet-compat ("ours") vs. pure JAX vs. real MXNet 1.9.1.

Every workload is written once against the MXNet Python API (a function that
takes the ``mx`` module and returns a zero-argument ``step`` callable) and once
by hand in JAX.  Each runtime is measured in its own subprocess:

* ``ours``  -- ``import mxnet`` from this checkout (PYTHONPATH=<repo root>),
               run with ``--ours-python`` (default: this interpreter);
* ``jax``   -- the hand-written JAX versions, run with ``--jax-python``
               (default: this interpreter), JAX_PLATFORMS=cpu;
* ``mxnet`` -- real MXNet 1.9.1, run with ``--mxnet-python`` (default
               /root/.cache/mxnet-oracle/bin/python when it exists).

The parent process only spawns the children (``--runtime NAME`` internal mode,
which prints one JSON line per workload), gathers the results and prints a
markdown table.  Usage::

    python benchmarks/bench_core.py                 # all available
    python benchmarks/bench_core.py --runtimes mxnet,jax
    python benchmarks/bench_core.py --workloads chain10_2x2 --json out.json

Timing is timeit-style: warm up, calibrate ``number`` (calls per repeat) so a
repeat lasts ~``--target-ms``, then report the median over ``--repeat``
repeats of the per-call time.  Every step blocks on its result
(``wait_to_read()`` for MXNet-API runtimes, ``block_until_ready()`` for JAX),
so asynchronous dispatch cannot hide work.

To add a workload: write ``mx_<name>(mx)`` and (optionally) ``jax_<name>()``
and register them in ``MX_WORKLOADS`` / ``JAX_WORKLOADS`` below.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
DEFAULT_VENV_PYTHON = sys.executable
# where ../shared/tools/oracle-venv puts real MXNet 1.9.1 (override with --mxnet-python or
# the MXNET_ORACLE_PYTHON environment variable)
DEFAULT_MXNET_PYTHON = os.environ.get("MXNET_ORACLE_PYTHON",
                                      os.path.expanduser("~/.cache/mxnet-oracle/bin/python"))
ALL_RUNTIMES = ("ours", "jax", "mxnet")
MARK = "@@BENCH@@ "  # prefix of machine-readable lines printed by children


# ---------------------------------------------------------------------------
# Workloads written against the MXNet API (used by the `ours` and `mxnet`
# runtimes).  Each takes the `mx` module, does its setup, and returns `step`.
# ---------------------------------------------------------------------------

def mx_mul_scalar_2x2(mx):
    nd = mx.nd
    x = nd.array([[1, 2], [3, 4]], dtype="float32")

    def step():
        y = x * 2
        y.wait_to_read()
    return step


def mx_chain10_2x2(mx):
    nd = mx.nd
    x = nd.array([[1, 2], [3, 4]], dtype="float32")

    def step():
        y = x + 1
        y = y * 2
        y = nd.exp(y)
        y = y - 0.5
        y = nd.relu(y)
        y = nd.sqrt(y)
        y = nd.square(y)
        y = y / 3
        y = nd.tanh(y)
        y = nd.sigmoid(y)
        y.wait_to_read()
    return step


def mx_seed_record_backward(mx):
    nd, autograd = mx.nd, mx.autograd
    x = nd.array([[1, 2], [3, 4]], dtype="float32")
    x.attach_grad()

    def step():
        with autograd.record():
            y = 2 * x ** 2
        y.backward()
        x.grad.wait_to_read()
    return step


def mx_seed_control_flow_100(mx):
    nd, autograd = mx.nd, mx.autograd

    def f(a):
        b = a * 2
        while b.norm().asscalar() < 1000:
            b = b * 2
        if b.sum().asscalar() >= 0:
            c = b[0]
        else:
            c = b[1]
        return c

    def step():
        for _ in range(100):
            a = nd.random.uniform(shape=2)
            a.attach_grad()
            with autograd.record():
                c = f(a)
            c.backward()
        a.grad.wait_to_read()
    return step


def mx_getitem_int(mx):
    nd = mx.nd
    x = nd.arange(16, dtype="float32").reshape((4, 4))

    def step():
        y = x[0]
        y.wait_to_read()
    return step


def mx_setitem_slice(mx):
    nd = mx.nd
    x = nd.arange(16, dtype="float32").reshape((4, 4))

    def step():
        x[1:3] = 1.0
        x.wait_to_read()
    return step


# Representative eager operators on 64x64 float32 (issue: per-op cost by family).
def _mx_op_workload(make):
    def workload(mx):
        nd = mx.nd
        nd.random.seed(0) if hasattr(nd.random, "seed") else None
        x = nd.random.uniform(shape=(64, 64))
        w = nd.random.uniform(shape=(64, 64))
        img = nd.random.uniform(shape=(8, 3, 32, 32))
        ker = nd.random.uniform(shape=(16, 3, 3, 3))
        fn = make(nd, x, w, img, ker)

        def step():
            fn().wait_to_read()
        return step
    return workload


mx_exp_64 = _mx_op_workload(lambda nd, x, w, img, ker: lambda: nd.exp(x))
mx_sum_axis_64 = _mx_op_workload(lambda nd, x, w, img, ker: lambda: nd.sum(x, axis=1))
mx_dot_64 = _mx_op_workload(lambda nd, x, w, img, ker: lambda: nd.dot(x, w))
mx_take_rows_64 = _mx_op_workload(
    lambda nd, x, w, img, ker: (lambda idx: lambda: nd.take(x, idx))(nd.array([3, 1, 4, 1, 5])))
mx_conv2d_8x3x32 = _mx_op_workload(
    lambda nd, x, w, img, ker: lambda: nd.Convolution(img, ker, kernel=(3, 3), num_filter=16,
                                                      no_bias=True, pad=(1, 1)))


# Gluon training steps (issue: hybridized within 1.3x of hand-written jax.jit and faster
# than MXNet; not hybridized no slower than MXNet).
def _mx_train_step(build, batch, in_shape, hybrid):
    def workload(mx):
        import numpy as np
        from mxnet import autograd, gluon, nd
        net = build(gluon.nn)
        net.initialize(mx.init.Xavier())
        if hybrid:
            net.hybridize()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01})
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        rng = np.random.RandomState(0)
        x = nd.array(rng.uniform(size=(batch,) + in_shape))
        y = nd.array(rng.randint(0, 10, batch))
        params = list(net.collect_params().values())

        def step():
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(batch)
            for p in params:                      # the step is done when every weight is
                p.data().wait_to_read()
        step()                                    # deferred init happens here
        return step
    return workload


def _mlp(nn):
    net = nn.HybridSequential()
    net.add(nn.Dense(256, activation="relu"), nn.Dense(10))
    return net


def _lenet(nn):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, 5, activation="relu"), nn.MaxPool2D(2, 2),
            nn.Conv2D(16, 5, activation="relu"), nn.MaxPool2D(2, 2),
            nn.Dense(120, activation="relu"), nn.Dense(84, activation="relu"), nn.Dense(10))
    return net


mx_mlp_step = _mx_train_step(_mlp, 256, (784,), False)
mx_mlp_step_hybrid = _mx_train_step(_mlp, 256, (784,), True)
mx_lenet_step = _mx_train_step(_lenet, 128, (1, 28, 28), False)
mx_lenet_step_hybrid = _mx_train_step(_lenet, 128, (1, 28, 28), True)


# name -> (mxnet-api function, unit note shown in the table)
MX_WORKLOADS = {
    "mul_scalar_2x2": (mx_mul_scalar_2x2, "per op"),
    "chain10_2x2": (mx_chain10_2x2, "per chain of 10"),
    "seed_record_backward": (mx_seed_record_backward, "per step"),
    "seed_control_flow_100": (mx_seed_control_flow_100, "total, 100 calls"),
    "getitem_int": (mx_getitem_int, "per op"),
    "setitem_slice": (mx_setitem_slice, "per op"),
    "exp_64x64": (mx_exp_64, "per op"),
    "sum_axis_64x64": (mx_sum_axis_64, "per op"),
    "dot_64x64": (mx_dot_64, "per op"),
    "take_rows_64x64": (mx_take_rows_64, "per op"),
    "conv2d_8x3x32x32": (mx_conv2d_8x3x32, "per op"),
    "mlp_train_step": (mx_mlp_step, "per step"),
    "mlp_train_step_hybrid": (mx_mlp_step_hybrid, "per step"),
    "lenet_train_step": (mx_lenet_step, "per step"),
    "lenet_train_step_hybrid": (mx_lenet_step_hybrid, "per step"),
}


# Caveats printed under the table (name -> note).
WORKLOAD_NOTES = {
    "getitem_int": "in MXNet 1.9.1 x[0] (int index) returns a view without "
                   "launching a kernel",
}


# ---------------------------------------------------------------------------
# Hand-written JAX versions (the "limit").  Each returns `step`.  Imports are
# local so this file loads under interpreters without jax (the MXNet oracle).
# ---------------------------------------------------------------------------

def _jnp():
    import jax
    import jax.numpy as jnp
    return jax, jnp


def jax_mul_scalar_2x2():
    jax, jnp = _jnp()
    x = jnp.array([[1, 2], [3, 4]], dtype=jnp.float32)
    f = jax.jit(lambda v: v * 2)

    def step():
        f(x).block_until_ready()
    return step


def jax_chain10_2x2():
    # 10 separately jitted single ops, dispatched one by one: the fair
    # comparison for eager MXNet (no cross-op fusion).
    jax, jnp = _jnp()
    x = jnp.array([[1, 2], [3, 4]], dtype=jnp.float32)
    ops = [jax.jit(g) for g in (
        lambda v: v + 1,
        lambda v: v * 2,
        jnp.exp,
        lambda v: v - 0.5,
        jax.nn.relu,
        jnp.sqrt,
        jnp.square,
        lambda v: v / 3,
        jnp.tanh,
        jax.nn.sigmoid,
    )]

    def step():
        y = x
        for op in ops:
            y = op(y)
        y.block_until_ready()
    return step


def jax_seed_record_backward():
    jax, jnp = _jnp()
    x = jnp.array([[1, 2], [3, 4]], dtype=jnp.float32)

    def loss(v):
        y = 2 * v ** 2
        return jnp.sum(y), y   # y.backward() == grad of sum(y) (head grad ones)

    vg = jax.jit(jax.value_and_grad(loss, has_aux=True))

    def step():
        (_, y), g = vg(x)
        g.block_until_ready()
    return step


def jax_seed_control_flow_100():
    # Same host-synchronised structure as the MXNet version: jitted
    # primitives, Python loop/branch on concrete values, one jitted gradient
    # of the resulting straight-line function per call.
    jax, jnp = _jnp()

    @jax.jit
    def draw(key):
        key, sub = jax.random.split(key)
        return key, jax.random.uniform(sub, (2,), dtype=jnp.float32)

    mul2 = jax.jit(lambda v: v * 2)
    norm = jax.jit(jnp.linalg.norm)
    total = jax.jit(jnp.sum)

    @jax.jit
    def grad_c(a, scale, idx):
        return jax.grad(lambda v: (v * scale)[idx])(a)

    state = {"key": jax.random.PRNGKey(0)}

    def step():
        key = state["key"]
        for _ in range(100):
            key, a = draw(key)
            b = mul2(a)
            scale = 2.0
            while float(norm(b)) < 1000:
                b = mul2(b)
                scale *= 2.0
            idx = 0 if float(total(b)) >= 0 else 1
            g = grad_c(a, jnp.float32(scale), idx)
        g.block_until_ready()
        state["key"] = key
    return step


def jax_getitem_int():
    jax, jnp = _jnp()
    x = jnp.arange(16, dtype=jnp.float32).reshape((4, 4))
    f = jax.jit(lambda v: v[0])

    def step():
        f(x).block_until_ready()
    return step


def jax_setitem_slice():
    # Functional update (x = x.at[1:3].set(1.0)); JAX has no in-place write.
    jax, jnp = _jnp()
    state = {"x": jnp.arange(16, dtype=jnp.float32).reshape((4, 4))}
    f = jax.jit(lambda v: v.at[1:3].set(1.0))

    def step():
        state["x"] = f(state["x"])
        state["x"].block_until_ready()
    return step


def _jax_op_workload(make):
    def workload():
        jax, jnp = _jnp()
        k = jax.random.split(jax.random.key(0), 4)
        x = jax.random.uniform(k[0], (64, 64), jnp.float32)
        w = jax.random.uniform(k[1], (64, 64), jnp.float32)
        img = jax.random.uniform(k[2], (8, 3, 32, 32), jnp.float32)
        ker = jax.random.uniform(k[3], (16, 3, 3, 3), jnp.float32)
        fn, args = make(jax, jnp, x, w, img, ker)
        f = jax.jit(fn)

        def step():
            f(*args).block_until_ready()
        return step
    return workload


jax_exp_64 = _jax_op_workload(lambda jax, jnp, x, w, img, ker: (jnp.exp, (x,)))
jax_sum_axis_64 = _jax_op_workload(
    lambda jax, jnp, x, w, img, ker: (lambda a: jnp.sum(a, axis=1), (x,)))
jax_dot_64 = _jax_op_workload(lambda jax, jnp, x, w, img, ker: (jnp.dot, (x, w)))
jax_take_rows_64 = _jax_op_workload(
    lambda jax, jnp, x, w, img, ker: (lambda a, i: jnp.take(a, i, axis=0),
                                      (x, jnp.array([3, 1, 4, 1, 5]))))
jax_conv2d_8x3x32 = _jax_op_workload(
    lambda jax, jnp, x, w, img, ker: (lambda a, b: jax.lax.conv_general_dilated(
        a, b, (1, 1), [(1, 1), (1, 1)]), (img, ker)))


def _jax_train_step(kind, batch):
    """A hand-written jitted SGD step of the same network (the limit for hybridize)."""
    def workload():
        jax, jnp = _jnp()
        import numpy as np
        rng = np.random.RandomState(0)

        def dense(n_in, n_out):
            return [jnp.asarray(rng.uniform(-0.05, 0.05, (n_out, n_in)), jnp.float32),
                    jnp.zeros((n_out,), jnp.float32)]

        def conv(c_in, c_out, k):
            return [jnp.asarray(rng.uniform(-0.1, 0.1, (c_out, c_in, k, k)), jnp.float32),
                    jnp.zeros((c_out,), jnp.float32)]

        def pool(x):
            return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2),
                                         "VALID")

        if kind == "mlp":
            params = dense(784, 256) + dense(256, 10)
            x = jnp.asarray(rng.uniform(size=(batch, 784)), jnp.float32)

            def forward(p, x):
                h = jax.nn.relu(x @ p[0].T + p[1])
                return h @ p[2].T + p[3]
        else:
            params = conv(1, 6, 5) + conv(6, 16, 5) + dense(256, 120) + dense(120, 84) + \
                dense(84, 10)
            x = jnp.asarray(rng.uniform(size=(batch, 1, 28, 28)), jnp.float32)

            def forward(p, x):
                dn = ("NCHW", "OIHW", "NCHW")
                h = jax.lax.conv_general_dilated(x, p[0], (1, 1), "VALID", dimension_numbers=dn)
                h = pool(jax.nn.relu(h + p[1][None, :, None, None]))
                h = jax.lax.conv_general_dilated(h, p[2], (1, 1), "VALID", dimension_numbers=dn)
                h = pool(jax.nn.relu(h + p[3][None, :, None, None])).reshape(batch, -1)
                h = jax.nn.relu(h @ p[4].T + p[5])
                h = jax.nn.relu(h @ p[6].T + p[7])
                return h @ p[8].T + p[9]
        y = jnp.asarray(rng.randint(0, 10, batch))

        def loss(p):
            logp = jax.nn.log_softmax(forward(p, x))
            return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

        @jax.jit
        def train(p):
            g = jax.grad(loss)(p)
            return [w - 0.01 * gw for w, gw in zip(p, g)]
        state = {"p": params}

        def step():
            state["p"] = train(state["p"])
            jax.block_until_ready(state["p"])
        return step
    return workload


# name -> (jax function or None, note).  None renders as "—" in the table.
JAX_WORKLOADS = {
    "mul_scalar_2x2": (jax_mul_scalar_2x2, "jitted x*2"),
    "chain10_2x2": (jax_chain10_2x2, "10 separately jitted ops"),
    "seed_record_backward": (jax_seed_record_backward,
                             "jitted value_and_grad"),
    "seed_control_flow_100": (jax_seed_control_flow_100,
                              "jitted ops + host loop, jitted grad per call"),
    "getitem_int": (jax_getitem_int, "jitted x[0]"),
    "setitem_slice": (jax_setitem_slice, "jitted x.at[1:3].set (functional)"),
    "exp_64x64": (jax_exp_64, "jitted op"),
    "sum_axis_64x64": (jax_sum_axis_64, "jitted op"),
    "dot_64x64": (jax_dot_64, "jitted op"),
    "take_rows_64x64": (jax_take_rows_64, "jitted op"),
    "conv2d_8x3x32x32": (jax_conv2d_8x3x32, "jitted lax.conv_general_dilated"),
    "mlp_train_step": (_jax_train_step("mlp", 256), "hand-written jitted SGD step"),
    "mlp_train_step_hybrid": (_jax_train_step("mlp", 256), "hand-written jitted SGD step"),
    "lenet_train_step": (_jax_train_step("lenet", 128), "hand-written jitted SGD step"),
    "lenet_train_step_hybrid": (_jax_train_step("lenet", 128), "hand-written jitted SGD step"),
}


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def measure(step, repeat, target_s, budget_s, warmup=5, warmup_limit_s=60.0):
    """timeit-style: warm up, calibrate `number`, median per-call seconds.

    Warm-up runs at least `warmup` calls and goes on until a call takes at most 1.5x the
    fastest so far: compiled code settles over several calls (mxnet-compat compiles a
    training step's backward on its second sighting and the combined programs on the
    next), and timing those calls measures compilation, not the step."""
    t0 = time.perf_counter()
    calls = []
    while True:
        t = time.perf_counter()
        step()
        calls.append(time.perf_counter() - t)
        if len(calls) >= warmup and calls[-1] <= 1.5 * min(calls):
            break
        if time.perf_counter() - t0 > warmup_limit_s:
            break
    # calibrate
    number = 1
    while True:
        t = time.perf_counter()
        for _ in range(number):
            step()
        dt = time.perf_counter() - t
        if dt >= target_s / 4 or number >= 1 << 20:
            break
        number *= 4
    per_call = dt / number
    number = max(1, int(math.ceil(target_s / max(per_call, 1e-9))))
    # repeats, limited by the per-workload budget (at least 3)
    est = per_call * number
    n_rep = max(3, min(repeat, int(budget_s / max(est, 1e-9))))
    times = []
    for _ in range(n_rep):
        t = time.perf_counter()
        for _ in range(number):
            step()
        times.append((time.perf_counter() - t) / number)
    return {
        "median_us": statistics.median(times) * 1e6,
        "min_us": min(times) * 1e6,
        "number": number,
        "repeat": n_rep,
    }


def child_main(args):
    """--runtime mode: time every selected workload, one JSON line each."""
    runtime = args.runtime
    names = _selected(args.workloads)
    meta = {"python": sys.version.split()[0], "executable": sys.executable}
    if runtime == "jax":
        import jax
        meta["jax"] = jax.__version__
        meta["devices"] = [str(d) for d in jax.devices()]
        table = JAX_WORKLOADS
    else:
        import mxnet as mx
        meta["mxnet_file"] = getattr(mx, "__file__", None)
        meta["mxnet_version"] = getattr(mx, "__version__", None)
        if runtime == "ours":
            try:
                import jax
                meta["jax"] = jax.__version__
            except Exception:
                pass
            roots = {os.path.abspath(args.ours_root), os.path.realpath(args.ours_root)}
            mxfile = os.path.abspath(meta["mxnet_file"] or "")
            if not any(mxfile.startswith(r + os.sep) for r in roots):
                raise SystemExit("ours: `import mxnet` resolved to %s, not under %s"
                                 % (mxfile, args.ours_root))
        table = {k: (v[0], None) for k, v in MX_WORKLOADS.items()}
    print(MARK + json.dumps({"meta": meta}), flush=True)

    for name in names:
        fn = table.get(name, (None, None))[0]
        rec = {"workload": name}
        if fn is None:
            rec["skipped"] = True
        else:
            try:
                step = fn() if runtime == "jax" else fn(mx)
                rec.update(measure(step, args.repeat, args.target_ms / 1e3,
                                   args.budget_s))
            except Exception as e:  # keep going: report the failure
                rec["error"] = "%s: %s" % (type(e).__name__, str(e)[:300])
            if runtime != "jax":
                try:
                    mx.nd.waitall()
                except Exception:
                    pass
        print(MARK + json.dumps(rec), flush=True)
    return 0


# ---------------------------------------------------------------------------
# Parent: spawn one child per runtime, gather, print the table
# ---------------------------------------------------------------------------

def _selected(spec):
    if not spec:
        return list(MX_WORKLOADS)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    bad = [n for n in names if n not in MX_WORKLOADS]
    if bad:
        raise SystemExit("unknown workload(s): %s (known: %s)"
                         % (", ".join(bad), ", ".join(MX_WORKLOADS)))
    return names


def _runtime_setup(rt, args):
    """Return (python, env) for runtime `rt`, or (None, reason) if unavailable."""
    env = dict(os.environ)
    root = os.path.realpath(args.ours_root)
    # never let this checkout shadow real mxnet (or vice versa)
    pp = [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
          if p and os.path.realpath(p) != root]
    if rt == "mxnet":
        py = args.mxnet_python
        if not py or not os.path.exists(py):
            return None, "reference interpreter not found (%s)" % (py or DEFAULT_MXNET_PYTHON)
    elif rt == "jax":
        py = args.jax_python
        if not os.path.exists(py):
            return None, "jax interpreter not found (%s)" % py
        env.setdefault("JAX_PLATFORMS", "cpu")
    else:  # ours
        py = args.ours_python
        if not os.path.exists(py):
            return None, "interpreter not found (%s)" % py
        if not os.path.exists(os.path.join(root, "mxnet", "__init__.py")):
            return None, "package not found (%s/mxnet)" % root
        pp = [root] + pp
        env.setdefault("JAX_PLATFORMS", "cpu")
    if pp:
        env["PYTHONPATH"] = os.pathsep.join(pp)
    else:
        env.pop("PYTHONPATH", None)
    return py, env


def run_runtime(rt, args):
    py, env = _runtime_setup(rt, args)
    if py is None:
        return {"unavailable": env}
    cmd = [py, os.path.abspath(__file__), "--runtime", rt,
           "--repeat", str(args.repeat), "--target-ms", str(args.target_ms),
           "--budget-s", str(args.budget_s), "--ours-root", args.ours_root]
    if args.workloads:
        cmd += ["--workloads", args.workloads]
    t0 = time.perf_counter()
    sys.stderr.write("[bench] %s: %s\n" % (rt, py))
    sys.stderr.flush()
    timed_out = False
    try:
        p = subprocess.run(cmd, env=env, cwd=HERE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=args.timeout_s)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc, timed_out = e.stdout or b"", e.stderr or b"", None, True
    out = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
    err = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
    res = {"python": py, "results": {}, "wall_s": time.perf_counter() - t0}
    for line in out.splitlines():
        if line.startswith(MARK):
            rec = json.loads(line[len(MARK):])
            if "meta" in rec:
                res["meta"] = rec["meta"]
            else:
                res["results"][rec.pop("workload")] = rec
    if timed_out:
        res["error"] = "timed out after %ss" % args.timeout_s
    elif rc != 0:
        tail = [l for l in err.strip().splitlines() if l.strip()][-3:]
        res["error"] = "exit %s: %s" % (rc, " | ".join(tail))
    sys.stderr.write("[bench] %s: done in %.1fs%s\n"
                     % (rt, res["wall_s"], " (%s)" % res["error"] if "error" in res else ""))
    return res


def _cell(res, name):
    if res is None or "unavailable" in res:
        return "n/a", None
    r = res["results"].get(name)
    if r is None:
        return "err" if "error" in res else "n/a", None
    if r.get("skipped"):
        return "—", None
    if "error" in r:
        return "err", None
    v = r["median_us"]
    return ("%.1f" % v if v < 1000 else "{:,.0f}".format(v)), v


def _ratio(a, b):
    return "%.2fx" % (a / b) if a is not None and b else "—"


def render_table(all_res, names):
    head = ["workload", "unit", "ours µs", "jax µs", "mxnet µs",
            "ours/jax", "ours/mxnet", "mxnet/jax"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|"]
    for n in names:
        cells = {rt: _cell(all_res.get(rt), n) for rt in ALL_RUNTIMES}
        o, j, m = (cells[rt][1] for rt in ALL_RUNTIMES)
        lines.append("| " + " | ".join([
            n, MX_WORKLOADS[n][1], cells["ours"][0], cells["jax"][0],
            cells["mxnet"][0], _ratio(o, j), _ratio(o, m), _ratio(m, j)]) + " |")
    notes = []
    for rt in ALL_RUNTIMES:
        res = all_res.get(rt)
        if res is None:
            notes.append("- %s: not requested" % rt)
        elif "unavailable" in res:
            notes.append("- %s: skipped, %s" % (rt, res["unavailable"]))
        else:
            if "error" in res:
                notes.append("- %s: %s" % (rt, res["error"]))
            for n in names:
                r = res["results"].get(n, {})
                if "error" in r:
                    notes.append("- %s / %s: %s" % (rt, n, r["error"]))
    for n in names:
        fn, note = JAX_WORKLOADS.get(n, (None, "no fair JAX version"))
        if fn is None and note:
            notes.append("- jax / %s: — (%s)" % (n, note))
    for n in names:
        if n in WORKLOAD_NOTES:
            notes.append("- %s: %s" % (n, WORKLOAD_NOTES[n]))
    notes.append("- jax versions: " + "; ".join(
        "%s = %s" % (n, JAX_WORKLOADS[n][1]) for n in names
        if n in JAX_WORKLOADS and JAX_WORKLOADS[n][0] is not None))
    notes.append("- median of repeats (with --rounds, the median over the interleaved "
                 "rounds); every step blocks on its result (wait_to_read / "
                 "block_until_ready)")
    return "\n".join(lines) + "\n\n" + "\n".join(notes)


def _merge_rounds(runs):
    """One runtime's result over several rounds: per workload, the median of the rounds'
    medians (``rounds_us`` keeps each round's)."""
    if len(runs) == 1 or "unavailable" in runs[0]:
        return runs[0]
    merged = dict(runs[-1], results={})
    for name in runs[-1]["results"]:
        recs = [r["results"].get(name) for r in runs]
        if any(rec is None or "median_us" not in rec for rec in recs):
            merged["results"][name] = recs[-1]
            continue
        per_round = [rec["median_us"] for rec in recs]
        merged["results"][name] = dict(recs[-1], median_us=statistics.median(per_round),
                                       rounds_us=per_round)
    return merged


def parent_main(args):
    names = _selected(args.workloads)
    if args.runtimes:
        rts = [s.strip() for s in args.runtimes.split(",") if s.strip()]
        bad = [r for r in rts if r not in ALL_RUNTIMES]
        if bad:
            raise SystemExit("unknown runtime(s): %s" % ", ".join(bad))
    else:
        rts = list(ALL_RUNTIMES)
    rounds = {rt: [] for rt in rts}
    t0 = time.perf_counter()
    for _ in range(args.rounds):          # interleaved, so slow spells hit every runtime
        for rt in rts:
            rounds[rt].append(run_runtime(rt, args))
    all_res = {rt: _merge_rounds(res) for rt, res in rounds.items()}
    table = render_table(all_res, names)
    print(table)
    print("\n(total %.1fs)" % (time.perf_counter() - t0))
    if args.json:
        doc = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "host": {"platform": platform.platform(), "cpus": os.cpu_count(),
                     "machine": platform.machine()},
            "settings": {"repeat": args.repeat, "target_ms": args.target_ms,
                         "budget_s": args.budget_s, "rounds": args.rounds},
            "workloads": {n: MX_WORKLOADS[n][1] for n in names},
            "runtimes": all_res,
            "table": table,
        }
        with open(args.json, "w") as fh:
            json.dump(doc, fh, indent=2, ensure_ascii=False)
    failed = [rt for rt in rts if "error" in all_res[rt]]
    return 1 if failed else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runtimes", default=None,
                    help="comma list of ours,jax,mxnet (default: all; unavailable "
                         "ones are skipped with a note)")
    ap.add_argument("--workloads", default=None,
                    help="comma list (default: all): " + ", ".join(MX_WORKLOADS))
    ap.add_argument("--mxnet-python",
                    default=DEFAULT_MXNET_PYTHON if os.path.exists(DEFAULT_MXNET_PYTHON) else None,
                    help="interpreter with real MXNet 1.9.1 (default %s if present)"
                         % DEFAULT_MXNET_PYTHON)
    ap.add_argument("--jax-python", default=None,
                    help="interpreter with jax (default %s)" % DEFAULT_VENV_PYTHON)
    ap.add_argument("--ours-python", default=None,
                    help="interpreter for this project (default %s)" % DEFAULT_VENV_PYTHON)
    ap.add_argument("--ours-root", default=REPO_ROOT,
                    help="directory put on PYTHONPATH for `ours` (default: repo root)")
    ap.add_argument("--json", default=None, help="save all results to FILE")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run every runtime this many times, interleaved; report the "
                         "median of the rounds (default 1)")
    ap.add_argument("--repeat", type=int, default=7, help="max repeats (median taken)")
    ap.add_argument("--target-ms", type=float, default=50.0,
                    help="approx. duration of one repeat")
    ap.add_argument("--budget-s", type=float, default=2.0,
                    help="approx. time budget per workload and runtime")
    ap.add_argument("--timeout-s", type=float, default=120.0,
                    help="kill a runtime's subprocess after this long")
    ap.add_argument("--runtime", choices=ALL_RUNTIMES, default=None,
                    help=argparse.SUPPRESS)  # internal child mode
    args = ap.parse_args(argv)
    default_py = DEFAULT_VENV_PYTHON if os.path.exists(DEFAULT_VENV_PYTHON) else sys.executable
    args.jax_python = args.jax_python or default_py
    args.ours_python = args.ours_python or default_py
    if args.runtime:
        return child_main(args)
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())

"""Gluon blocks, parameters and the ``gluon.nn`` layers in depth.

Layers are checked on outputs, input gradients and parameter gradients under
``autograd.record()``, eagerly and hybridized.  Weights come from a fixed numpy seed
(``_set_params``), so both runtimes compute on the same numbers.  Names that depend on
process-wide counters (``dense7_``) are only compared relative to each other."""
import contextlib
import io
import os
import re
import tempfile

import numpy as np

from harness import raises, stat

AREA = 'gluon_nn'


def _data(mx, shape, seed=0, low=-1.0):
    return mx.nd.array(np.random.RandomState(seed).uniform(low, 1, shape))


def _set_params(net, seed=1):
    """Deterministic values for every parameter (variances positive)."""
    rng = np.random.RandomState(seed)
    params = net.collect_params()
    for name in sorted(params.keys()):
        p = params[name]
        low = 0.1 if name.endswith('var') else -0.5
        p.set_data(rng.uniform(low, 0.5, p.shape).astype(p.dtype))


def _grads(net):
    """{structural name ('0.weight'): gradient} of the parameters that have one."""
    return {k: p.grad() for k, p in sorted(net._collect_params_with_prefix().items())
            if p.grad_req != 'null'}


def _fwd_bwd(mx, net, xs, seed=50, train=True):
    """One recorded forward and a backward with a fixed random head gradient."""
    xs = [x.copy() for x in xs]
    for x in xs:
        x.attach_grad()
    with mx.autograd.record(train_mode=train):
        y = net(*xs)
    head = _data(mx, y.shape, seed=seed)
    y.backward(head)
    return {'y': y, 'x_grads': [x.grad for x in xs], 'param_grads': _grads(net)}


def _both(mx, net, *xs, train=True, seed=1):
    """Eager then hybridized results of ``net`` on ``xs`` (weights set from ``seed``)."""
    net.initialize()
    with mx.autograd.pause():
        net(*xs)            # finish deferred initialisation
    _set_params(net, seed)
    eager = _fwd_bwd(mx, net, xs, train=train)
    net.hybridize()
    hybrid = _fwd_bwd(mx, net, xs, train=train)
    return {'eager': eager, 'hybrid': hybrid}


def _layers(mx, make, x, train=True):
    """``_both`` for each layer built by the callables of dict ``make``."""
    return {name: _both(mx, fn(), x, train=train) for name, fn in sorted(make.items())}


def _counter(prefix):
    return int(re.search(r'(\d+)_$', prefix).group(1))


# --------------------------------------------------------------------------- blocks & names

def case_naming_and_prefixes(mx):
    nn = mx.gluon.nn
    top1, top2 = nn.Dense(2), nn.Dense(2)
    outer = nn.HybridSequential(prefix='net_')
    with outer.name_scope():
        d0 = nn.Dense(3, activation='relu')
        d1 = nn.Dense(3)
        inner = nn.HybridSequential()
        with inner.name_scope():
            c0 = nn.Conv2D(2, 3)
            p0 = nn.MaxPool2D()
        inner.add(c0, p0)
        named = nn.Dense(1, prefix='head_')
        outer.add(d0, d1, inner, named)
    return {'top_counter_step': _counter(top2.prefix) - _counter(top1.prefix),
            'top_class': re.sub(r'\d+_$', '', top1.prefix),
            'prefixes': [b.prefix for b in (outer, d0, d0.act, d1, inner, c0, p0, named)],
            'names': [b.name for b in (outer, d0, inner, named)],
            'params': list(outer.collect_params().keys()),
            'own_params_prefix': d0.params.prefix}


def case_empty_prefix_and_scope_counters(mx):
    nn = mx.gluon.nn
    outer = nn.Sequential(prefix='model_')
    with outer.name_scope():
        a = nn.Sequential()
        with a.name_scope():
            a.add(nn.Dense(2), nn.Dense(2))
        b = nn.Sequential()
        with b.name_scope():
            b.add(nn.Dense(2))
        bare = nn.Dense(2, prefix='')
    outer.add(a, b, bare)
    return {'prefixes': [a.prefix, b.prefix, a[0].prefix, a[1].prefix, b[0].prefix,
                         bare.prefix],
            'bare_params': sorted(bare.params.keys()),
            'all': list(outer.collect_params().keys())}


def case_collect_params_select(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='m_')
    with net.name_scope():
        net.add(nn.Dense(3, in_units=2), nn.BatchNorm(in_channels=3), nn.Dense(1, in_units=3))
    pd = net.collect_params()
    return {'all': list(pd.keys()),
            'bias': list(net.collect_params('.*bias').keys()),
            'alt': list(net.collect_params('m_dense0_weight|.*running_.*').keys()),
            'match_is_anchored': list(net.collect_params('dense').keys()),
            'none': list(net.collect_params('nothing').keys()),
            'own': list(net.params.keys()),
            'prefix': pd.prefix, 'contains': 'm_dense1_bias' in pd,
            'shapes': [list(p.shape) for p in pd.values()],
            'repr': repr(pd)}


class _Scale(object):
    """Factory of a user HybridBlock: tanh(x * weight + offset) + sum(weight)."""

    @staticmethod
    def build(mx, units):
        class Scale(mx.gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Scale, self).__init__(**kwargs)
                with self.name_scope():
                    self.weight = self.params.get('weight', shape=(1, units))
                    self.offset = self.params.get('offset', shape=(units,),
                                                  init=mx.init.Constant(0.5))

            def hybrid_forward(self, F, x, weight, offset):
                y = F.broadcast_mul(x, weight)
                return F.broadcast_add(F.tanh(F.broadcast_add(y, offset)), F.sum(weight))
        return Scale


def case_custom_hybrid_block(mx):
    Scale = _Scale.build(mx, 4)
    net = Scale(prefix='scale_')
    x = _data(mx, (3, 4), seed=2)
    out = _both(mx, net, x)
    out['params'] = sorted(net.params.keys())
    return out


def case_custom_hybrid_block_nested(mx):
    nn = mx.gluon.nn
    Scale = _Scale.build(mx, 3)

    class Net(mx.gluon.HybridBlock):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.dense = nn.Dense(3, in_units=5)
                self.scale = Scale()

        def hybrid_forward(self, F, x):
            return F.relu(self.scale(self.dense(x))) * 2

    net = Net(prefix='outer_')
    out = _both(mx, net, _data(mx, (2, 5), seed=3))
    out['params'] = list(net.collect_params().keys())
    out['structural'] = sorted(net._collect_params_with_prefix().keys())
    return out


def case_plain_block_with_parameter(mx):
    nn, ag = mx.gluon.nn, mx.autograd

    class Net(nn.Block):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.dense = nn.Dense(2, in_units=3)
                self.w = self.params.get('w', shape=(2,))

        def forward(self, x):
            return self.dense(x) * self.w.data() + x.sum()

    net = Net()
    net.initialize()
    _set_params(net, seed=4)
    x = _data(mx, (4, 3), seed=5)
    x.attach_grad()
    with ag.record():
        y = net(x)
    y.backward(_data(mx, y.shape, seed=6))
    net.hybridize()           # a plain Block stays eager; its children are hybridized
    return {'y': y, 'x_grad': x.grad, 'grads': _grads(net), 'after_hybridize': net(x),
            'params': sorted(k[len(net.prefix):] for k in net.collect_params().keys())}


def case_sequential_and_hybrid_sequential(mx):
    nn = mx.gluon.nn
    x = _data(mx, (4, 6), seed=7)
    out = {}
    for kind in ('Sequential', 'HybridSequential'):
        net = getattr(nn, kind)(prefix='s_')
        with net.name_scope():
            net.add(nn.Dense(5, activation='tanh'), nn.Dense(4), nn.Dense(2, flatten=False))
        net.initialize()
        net(x)
        _set_params(net, seed=8)
        run = _fwd_bwd(mx, net, [x])
        net.hybridize()
        run['hybrid'] = _fwd_bwd(mx, net, [x])
        sub = net[1:]
        run['slice'] = [type(sub).__name__, len(sub), sub.prefix, sub(net[0](x))]
        run['index'] = net[-1].prefix
        run['len'] = len(net)
        out[kind] = run
    return out


def case_hybrid_sequential_rejects_plain_block(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    return {'add_block': raises(lambda: net.add(nn.Lambda('tanh'))),
            'len': len(net),
            'no_ndarray': raises(lambda: nn.Dense(2, in_units=1)(3.0))}


# --------------------------------------------------------------------------- initialization

def case_initialize_options(mx):
    nn = mx.gluon.nn
    net = nn.Dense(3, in_units=2, bias_initializer=mx.init.Constant(0.25))
    net.initialize(init=mx.init.Constant(2.0), ctx=mx.cpu(0))
    first = [net.weight.data().copy(), net.bias.data().copy()]
    net.initialize(init=mx.init.One())       # warns and keeps the values
    kept = net.weight.data().copy()
    net.initialize(init=mx.init.Zero(), force_reinit=True)
    # the layer's own bias_initializer wins over init=
    return {'first': first, 'kept': kept, 'reinit': [net.weight.data(), net.bias.data()],
            'ctx': [str(c) for c in net.weight.list_ctx()],
            'collect_list_ctx': [str(c) for c in net.collect_params().list_ctx()]}


def case_initializer_statistics_through_blocks(mx):
    nn = mx.gluon.nn
    net = nn.Dense(300, in_units=200)
    net.initialize(init=mx.init.Normal(0.1))
    w = net.weight.data().asnumpy()
    conv = nn.Conv2D(64, 3, in_channels=32, weight_initializer=mx.init.Xavier())
    conv.initialize()
    c = conv.weight.data().asnumpy()
    bound = np.sqrt(3.0 / ((32 * 9 + 64 * 9) / 2.0))
    return {'normal_std': stat(float(w.std()), rtol=0.03),
            'normal_mean': stat(float(w.mean()), atol=0.005),
            'bias_zero': float(np.abs(net.bias.data().asnumpy()).max()),
            'xavier_bound_ok': bool(np.abs(c).max() <= bound + 1e-6),
            'xavier_std': stat(float(c.std()), rtol=0.05)}


def case_deferred_initialization(mx):
    nn, gluon = mx.gluon.nn, mx.gluon
    net = nn.HybridSequential(prefix='d_')
    with net.name_scope():
        net.add(nn.Dense(4, flatten=False), nn.BatchNorm(), nn.Conv1D(2, 1), nn.Dense(3))
    before_init = raises(lambda: net[0].weight.data())
    net.initialize()
    shapes_before = [list(p.shape) for p in net.collect_params().values()]
    err = raises(lambda: net[0].weight.data())
    is_deferred = False
    try:
        net[0].weight.data()
    except gluon.parameter.DeferredInitializationError:
        is_deferred = True
    ctx_deferred = [str(c) for c in net[0].weight.list_ctx()]
    x = _data(mx, (2, 5), seed=9).reshape((2, 5, 1))
    y = net(x)
    return {'before_init': before_init, 'deferred_error': err, 'is_deferred_class': is_deferred,
            'ctx_while_deferred': ctx_deferred,
            'shapes_before': shapes_before,
            'shapes_after': [list(p.shape) for p in net.collect_params().values()],
            'y_shape': list(y.shape)}


def case_deferred_initialization_hybridized(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(3, activation='sigmoid'), nn.Dense(2))
    net.initialize(init=mx.init.Constant(0.1))
    net.hybridize()
    x = _data(mx, (2, 4), seed=10)
    y = net(x)
    return {'y': y, 'shapes': [list(p.shape) for p in net.collect_params().values()],
            'again': net(x * 2)}


def case_set_data_before_deferred_init(mx):
    nn = mx.gluon.nn
    net = nn.Dense(2)
    net.initialize()
    w = mx.nd.array(np.arange(6).reshape((2, 3)))
    net.weight.set_data(w)
    y = net(mx.nd.ones((1, 3)))
    bad = nn.Dense(2)
    bad.initialize()
    bad.weight.set_data(mx.nd.ones((2, 4)))
    return {'y': y, 'weight': net.weight.data(),
            'wrong_width': raises(lambda: bad(mx.nd.ones((1, 3))))}


# --------------------------------------------------------------------------- Parameter

def case_parameter_basics(mx):
    gluon, ag = mx.gluon, mx.autograd
    p = gluon.Parameter('w', shape=(2, 3), lr_mult=0.5, wd_mult=2.0)
    uninit = raises(lambda: p.data())
    p.initialize(init=mx.init.Constant(1.5))
    with ag.record():
        y = (p.data() * p.data()).sum()
    y.backward()
    g = p.grad().copy()
    p.set_data(mx.nd.arange(6).reshape((2, 3)))
    p.zero_grad()
    return {'uninit': uninit, 'grad': g, 'data': p.data(), 'zeroed': p.grad(),
            'ctx': [str(c) for c in p.list_ctx()], 'list_data': len(p.list_data()),
            'mults': [p.lr_mult, p.wd_mult], 'name': p.name, 'shape': list(p.shape),
            'grad_req': p.grad_req, 'repr': repr(p), 'dtype': str(np.dtype(p.dtype))}


def case_parameter_grad_req(mx):
    gluon, ag = mx.gluon, mx.autograd
    add = gluon.Parameter('a', shape=(3,), grad_req='add')
    null = gluon.Parameter('n', shape=(3,), grad_req='null')
    for p in (add, null):
        p.initialize(init=mx.init.Constant(2.0))
    for _ in range(2):
        with ag.record():
            y = (add.data() * null.data() * add.data()).sum()
        y.backward()
    accumulated = add.grad().copy()
    add.zero_grad()
    out = {'accumulated': accumulated, 'after_zero': add.grad(),
           'null_grad': raises(lambda: null.grad()), 'null_req': null.grad_req,
           'bad_req': raises(lambda: gluon.Parameter('b', grad_req='sometimes'))}
    add.grad_req = 'null'
    out['switched_off'] = raises(lambda: add.grad())
    add.grad_req = 'write'
    out['switched_on'] = add.grad()
    return out


def case_multi_context_parameters(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    net = nn.Dense(2, in_units=3)
    net.initialize(init=mx.init.Constant(0.5), ctx=[mx.cpu(0), mx.cpu(1)])
    x0 = _data(mx, (2, 3), seed=51)
    x1 = x0.as_in_context(mx.cpu(1)) * 2
    with ag.record():
        losses = [net(x0).sum(), (net(x1) * net(x1)).sum()]
    ag.backward(losses)
    return {'ctx': [str(c) for c in net.weight.list_ctx()],
            'grads': net.weight.list_grad(), 'bias_grad_cpu1': net.bias.grad(mx.cpu(1)),
            'current_ctx_data': net.weight.data(),
            'missing_ctx': raises(lambda: net.weight.data(mx.cpu(2)))}


def case_grad_req_add_in_hybridized_net(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(3, in_units=2, activation='tanh'), nn.Dense(1, in_units=3))
    net.initialize()
    _set_params(net, seed=52)
    net.hybridize()
    net.collect_params().setattr('grad_req', 'add')
    x = _data(mx, (4, 2), seed=53)
    for _ in range(2):
        with ag.record():
            y = net(x)
        y.backward()
    twice = {k: v.copy() for k, v in _grads(net).items()}
    net.collect_params().zero_grad()
    zeroed = _grads(net)
    net[1].collect_params().setattr('grad_req', 'null')
    with ag.record():
        y = net(x)
    y.backward()
    return {'twice': twice, 'zeroed': zeroed, 'first_only': _grads(net),
            'reqs': [p.grad_req for p in net.collect_params().values()]}


def case_parameter_sharing(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    a = nn.Dense(3, in_units=2, prefix='a_')
    b = nn.Dense(3, in_units=2, params=a.params)
    a.initialize()
    _set_params(a, seed=11)
    x = _data(mx, (4, 2), seed=12)
    with ag.record():
        y = a(x) + 2 * b(x)
    y.backward()
    net = nn.HybridSequential(prefix='tied_')
    with net.name_scope():
        first = nn.Dense(2, in_units=2)
        net.add(first, nn.Dense(2, in_units=2, params=first.params))
    net.initialize()
    _set_params(net, seed=13)
    tied = _fwd_bwd(mx, net, [x])
    # b's auto prefix counts every top-level Dense made before in the process: keep the
    # form, not the number (the cases of other areas run first in a full run)
    return {'same_object': a.weight is b.weight, 'b_prefix': re.sub(r'\d+_$', 'N_', b.prefix),
            'b_param_names': sorted(b.params.keys()), 'outputs_equal': bool(
                (a(x) == b(x)).asnumpy().all()), 'grad': a.weight.grad(),
            'bias_grad': b.bias.grad(), 'tied': tied,
            'tied_params': list(net.collect_params().keys())}


def case_parameter_dict(mx):
    gluon = mx.gluon
    pd = gluon.ParameterDict('pre_')
    w = pd.get('w', shape=(2, 2), lr_mult=0.1)
    same = pd.get('w')
    conflict = raises(lambda: pd.get('w', shape=(3, 3)))
    c = pd.get_constant('c', mx.nd.array([1.0, 2.0]))
    shared = gluon.ParameterDict('pre_', shared=pd)
    pd.initialize(init=mx.init.Constant(3.0))
    pd.setattr('wd_mult', 0.0)
    other = gluon.ParameterDict('x_')
    other.get('v', shape=(1,))
    pd.update(other)
    return {'keys': list(pd.keys()), 'same': same is w, 'conflict': conflict,
            'shared_lookup': shared.get('w') is w, 'shared_keys': list(shared.keys()),
            'const': [c.data(), c.grad_req], 'w': w.data(),
            'wd': [p.wd_mult for p in pd.values()], 'lr': w.lr_mult,
            'missing_const': raises(lambda: pd.get_constant('nope'))}


# --------------------------------------------------------------------------- save / load

def _mlp(mx, prefix=None, out=2):
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix=prefix)
    with net.name_scope():
        net.add(nn.Dense(3, in_units=4, activation='relu'), nn.BatchNorm(in_channels=3),
                nn.Dense(out, in_units=3))
    return net


def case_save_load_parameters(mx):
    x = _data(mx, (2, 4), seed=14)
    src = _mlp(mx, prefix='src_')
    src.initialize()
    _set_params(src, seed=15)
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'net.params')
        src.save_parameters(f)
        raw = mx.nd.load(f)
        dst = _mlp(mx, prefix='dst_')        # other prefix: names are structural
        dst.load_parameters(f)
        deferred = mx.gluon.nn.HybridSequential()
        with deferred.name_scope():
            deferred.add(mx.gluon.nn.Dense(3, activation='relu'), mx.gluon.nn.BatchNorm(),
                         mx.gluon.nn.Dense(2))
        deferred.load_parameters(f)
    return {'file_keys': sorted(raw.keys()), 'src': src(x), 'dst': dst(x),
            'deferred': deferred(x),
            'shapes': [list(p.shape) for p in deferred.collect_params().values()]}


def case_load_parameters_errors(mx):
    src = _mlp(mx)
    src.initialize()
    _set_params(src, seed=18)
    out = {}
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'net.params')
        src.save_parameters(f)
        bigger = _mlp(mx, out=5)
        out['shape_mismatch'] = raises(lambda: bigger.load_parameters(f))
        small = mx.gluon.nn.HybridSequential()
        with small.name_scope():
            small.add(mx.gluon.nn.Dense(3, in_units=4, activation='relu'))
        out['extra_in_file'] = raises(lambda: small.load_parameters(f))
        small.load_parameters(f, ignore_extra=True)
        out['ignore_extra'] = small[0].weight.data()
        out['expected'] = src[0].weight.data()
        more = _mlp(mx)
        more.add(mx.gluon.nn.Dense(1, in_units=2))
        out['missing_in_file'] = raises(lambda: more.load_parameters(f))
        more.initialize()
        more.load_parameters(f, allow_missing=True)
        out['allow_missing'] = more[2].bias.data()
        g = os.path.join(d, 'pd.params')
        src.collect_params().save(g, strip_prefix=src.prefix)
        out['pd_keys'] = sorted(mx.nd.load(g).keys())
        out['pd_load_unknown'] = raises(lambda: bigger.collect_params().load(g))
    return out


def case_parameter_dict_save_load(mx):
    src = _mlp(mx, prefix='one_')
    src.initialize()
    _set_params(src, seed=16)
    x = _data(mx, (3, 4), seed=17)
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'full.params')
        src.collect_params().save(f)
        same = _mlp(mx, prefix='one_')
        same.collect_params().load(f)
        g = os.path.join(d, 'stripped.params')
        src.collect_params().save(g, strip_prefix='one_')
        other = _mlp(mx, prefix='two_')
        other.collect_params().load(g, restore_prefix='two_')
        keys = sorted(mx.nd.load(g).keys())
        wrong = raises(lambda: src.collect_params().save(g, strip_prefix='zzz_'))
        via_block = _mlp(mx, prefix='three_')
        via_block.load_parameters(g)     # names without '.': read as collect_params().save
        loaded = mx.nd.load(g)
        loaded['extra_w'] = mx.nd.ones((1,))
        mx.nd.save(g, loaded)
        extra = raises(lambda: _mlp(mx, prefix='one_').collect_params().load(
            g, restore_prefix='one_'))
        bad_restore = raises(lambda: _mlp(mx, prefix='one_').collect_params().load(
            g, restore_prefix='nope_'))
    pairs = _mlp(mx, prefix='four_')
    listed = [(k, v) for k, v in sorted(loaded.items()) if k != 'extra_w']
    # 'arg:' is stripped from a dict's names but not from a list's
    arg_in_list = raises(lambda: pairs.collect_params().load_dict(
        [('arg:' + k, v) for k, v in listed], restore_prefix='four_'))
    pairs.collect_params().load_dict(listed, restore_prefix='four_')
    from_dict = _mlp(mx, prefix='five_')
    return {'same': same(x), 'other': other(x), 'src': src(x), 'stripped_keys': keys,
            'wrong_strip': wrong, 'via_block': via_block(x), 'extra': extra,
            'bad_restore': bad_restore, 'load_dict_pairs': pairs(x), 'arg_in_list': arg_in_list,
            'load_dict_missing': raises(lambda: from_dict.collect_params().load_dict(
                {'dense0_weight': loaded['dense0_weight']}, restore_prefix='five_')),
            'load_dict_extra_ignored': raises(lambda: pairs.collect_params().load_dict(
                loaded, restore_prefix='four_', ignore_extra=True))}


# --------------------------------------------------------------------------- layers

def case_dense_variants(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 3, 4), seed=18)
    return _layers(mx, {
        'flatten': lambda: nn.Dense(3),
        'no_flatten': lambda: nn.Dense(3, flatten=False),
        'no_bias': lambda: nn.Dense(2, use_bias=False, activation='tanh'),
        'relu_in_units': lambda: nn.Dense(5, activation='relu', in_units=12),
    }, x)


def case_activation_types(mx):
    nn = mx.gluon.nn
    x = _data(mx, (3, 5), seed=20) * 3
    out = _layers(mx, {t: (lambda t=t: nn.Activation(t))
                       for t in ('relu', 'sigmoid', 'tanh', 'softrelu', 'softsign')}, x)
    out['unknown'] = raises(lambda: nn.Activation('nope')(x).asnumpy())
    return out


def case_advanced_activations(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 3, 4), seed=21) * 2
    return _layers(mx, {
        'leaky': lambda: nn.LeakyReLU(0.1),
        'prelu': lambda: nn.PReLU(),
        'prelu_channels': lambda: nn.PReLU(in_channels=3),
        'elu': lambda: nn.ELU(0.7),
        'swish': lambda: nn.Swish(beta=1.5),
        'gelu': lambda: nn.GELU(),
    }, x)


def case_selu_gradient(mx):
    # MXNet 1.9.1's SELU backward for x <= 0 is lambda * (y + alpha), not the derivative
    # lambda * alpha * exp(x) = y + lambda * alpha
    nn = mx.gluon.nn
    x = mx.nd.array([[-2.0, -0.5, -0.01, 0.0, 0.3, 1.5]])
    return _both(mx, nn.SELU(), x)


def case_max_pool_uncovered_tail(mx):
    # sizes the windows do not tile: the last column/row is dropped (gradient 0 there)
    nn = mx.gluon.nn
    return {name: _both(mx, layer, _data(mx, shape, seed=49))
            for name, layer, shape in (
                ('1d', nn.MaxPool1D(), (2, 2, 7)),
                ('2d', nn.MaxPool2D(pool_size=(2, 3)), (1, 2, 5, 7)),
                ('3d', nn.MaxPool3D(), (1, 1, 5, 4, 5)),
                ('avg_2d', nn.AvgPool2D(), (1, 2, 5, 7)))}


def case_dropout(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    x = mx.nd.ones((200, 50)) * 3
    layer = nn.Dropout(0.3)
    predict = layer(x)
    with ag.record():
        train = layer(x).asnumpy()
    kept = np.unique(train[train != 0])
    axes = nn.Dropout(0.5, axes=(1,))
    with ag.record():
        shared = axes(x).asnumpy()
    rows_uniform = bool(all(len(np.unique(r)) == 1 for r in shared))
    xg = x.copy()
    xg.attach_grad()
    with ag.record():
        y = layer(xg)
    y.backward()
    grad, mask = xg.grad.asnumpy(), y.asnumpy() != 0
    with ag.train_mode():
        eager_train = layer(x).asnumpy()
    hyb = nn.Dropout(0.3)
    hyb.hybridize()
    with ag.record():
        hyb_train = hyb(x).asnumpy()
    return {'predict': predict, 'kept_values': kept,
            'zero_fraction': stat(float((train == 0).mean()), atol=0.01),
            'axes_rows_uniform': rows_uniform,
            'axes_zero_fraction': stat(float((shared == 0).mean()), atol=0.12),
            'grad_values': np.unique(grad), 'grad_follows_mask': bool(((grad != 0) == mask).all()),
            'train_mode_scope': stat(float((eager_train == 0).mean()), atol=0.01),
            'hybrid_zero_fraction': stat(float((hyb_train == 0).mean()), atol=0.01),
            'hybrid_kept': np.unique(hyb_train[hyb_train != 0]),
            'zero_rate': nn.Dropout(0.0)(x)}


def case_batchnorm_train_and_running_stats(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    x = _data(mx, (4, 3, 2, 2), seed=22) * 2 + 0.5
    out = {}
    for mode in ('eager', 'hybrid'):
        bn = nn.BatchNorm(momentum=0.8)
        bn.initialize()
        if mode == 'hybrid':
            bn.hybridize()
        bn(x)                       # predict mode: no update; infers channels
        _set_params(bn, seed=23)
        stats0 = [bn.running_mean.data().copy(), bn.running_var.data().copy()]
        run = _fwd_bwd(mx, bn, [x])
        run['stats_after_train'] = [bn.running_mean.data(), bn.running_var.data()]
        run['stats_before'] = stats0
        with ag.record():
            bn(x)                   # forward only, no backward
        run['stats_after_forward_only'] = [bn.running_mean.data().copy(),
                                           bn.running_var.data().copy()]
        run['predict'] = bn(x)
        out[mode] = run
    return out


def case_batchnorm_options(mx):
    nn = mx.gluon.nn
    x = _data(mx, (3, 2, 4), seed=24) + 0.3
    out = _layers(mx, {
        'global_stats': lambda: nn.BatchNorm(use_global_stats=True),
        'axis_last': lambda: nn.BatchNorm(axis=-1),
        'axis_2': lambda: nn.BatchNorm(axis=2),
        'no_center': lambda: nn.BatchNorm(center=False),
        'no_scale': lambda: nn.BatchNorm(scale=False),
    }, x)
    bn = nn.BatchNorm(center=False, scale=False)
    out['grad_reqs'] = [p.grad_req for p in bn.collect_params().values()]
    return out


def case_layer_and_instance_norm(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 3, 4), seed=25) * 2
    return _layers(mx, {
        'layer_last': lambda: nn.LayerNorm(),
        'layer_axis1': lambda: nn.LayerNorm(axis=1, epsilon=1e-3),
        'layer_no_center': lambda: nn.LayerNorm(center=False, scale=False),
        'instance': lambda: nn.InstanceNorm(),
        'instance_scale': lambda: nn.InstanceNorm(scale=True, in_channels=3),
        'instance_axis2': lambda: nn.InstanceNorm(axis=2, scale=True),
        'group': lambda: nn.GroupNorm(),
        'group_3': lambda: nn.GroupNorm(num_groups=3, center=False),
    }, x)


def case_embedding(mx):
    # MXNet refuses a gradient for the indices, so only the weight gets one
    nn, ag = mx.gluon.nn, mx.autograd
    idx = mx.nd.array([[0, 2, 2], [4, 1, 2]])
    out = {}
    net = nn.Embedding(5, 3)
    net.initialize()
    _set_params(net, seed=47)
    for mode in ('eager', 'hybrid'):
        if mode == 'hybrid':
            net.hybridize()
        with ag.record():
            y = net(idx)
        y.backward(_data(mx, y.shape, seed=48))
        out[mode] = {'y': y, 'grad': net.weight.grad().copy()}
    return out


def case_flatten_and_lambdas(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 3, 2), seed=26)
    out = _layers(mx, {
        'flatten': lambda: nn.Flatten(),
        'hlambda_str': lambda: nn.HybridLambda('tanh'),
        'hlambda_fn': lambda: nn.HybridLambda(lambda F, x: F.relu(x) * 2 + F.tanh(x)),
    }, x)
    for name, fn in (('lambda_str', nn.Lambda('sigmoid')),
                     ('lambda_fn', nn.Lambda(lambda x: x.max(axis=1)))):
        out[name] = _fwd_bwd(mx, fn, [x])
    out['bad_name'] = raises(lambda: nn.Lambda('no_such_op'))
    out['bad_hybrid_name'] = raises(lambda: nn.HybridLambda('no_such_op'))
    return out


def case_conv1d(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 4, 9), seed=27)
    return _layers(mx, {
        'basic': lambda: nn.Conv1D(3, 3),
        'strided_padded': lambda: nn.Conv1D(2, 3, strides=2, padding=1, use_bias=False),
        'dilated': lambda: nn.Conv1D(2, 2, dilation=3, activation='relu'),
        'groups': lambda: nn.Conv1D(4, 3, groups=2, in_channels=4),
    }, x)


def case_conv2d(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 4, 6, 5), seed=28)
    return _layers(mx, {
        'basic': lambda: nn.Conv2D(3, (3, 2)),
        'strided_padded': lambda: nn.Conv2D(2, 3, strides=(2, 1), padding=(1, 2)),
        'dilated': lambda: nn.Conv2D(2, 2, dilation=(2, 1), activation='sigmoid'),
        'groups': lambda: nn.Conv2D(6, 1, groups=2),
        'depthwise': lambda: nn.Conv2D(4, 3, groups=4, padding=1, use_bias=False),
    }, x)


def case_conv3d(mx):
    nn = mx.gluon.nn
    x = _data(mx, (1, 2, 4, 5, 4), seed=29)
    return _layers(mx, {
        'basic': lambda: nn.Conv3D(2, 2),
        'strided_padded': lambda: nn.Conv3D(3, (2, 3, 1), strides=2, padding=(1, 0, 1)),
        'groups_dilated': lambda: nn.Conv3D(2, 2, groups=2, dilation=(1, 2, 1)),
    }, x)


def case_conv_transpose(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 2, 3, 4), seed=30)
    out = _layers(mx, {
        'basic': lambda: nn.Conv2DTranspose(3, 2),
        'strided': lambda: nn.Conv2DTranspose(2, 3, strides=2, padding=1),
        'output_padding': lambda: nn.Conv2DTranspose(2, 3, strides=2, padding=1,
                                                     output_padding=1),
        'groups': lambda: nn.Conv2DTranspose(4, 2, groups=2, in_channels=2),
    }, x)
    out['1d'] = _both(mx, nn.Conv1DTranspose(2, 3, strides=2, output_padding=1),
                      _data(mx, (2, 3, 4), seed=31))
    return out


def case_max_pooling(mx):
    nn = mx.gluon.nn
    out = {}
    for n, shape in ((1, (2, 2, 8)), (2, (1, 2, 6, 8)), (3, (1, 1, 4, 4, 6))):
        x = _data(mx, shape, seed=32 + n)
        cls = getattr(nn, 'MaxPool%dD' % n)
        out['%dd' % n] = _layers(mx, {
            'default': lambda: cls(),
            'ceil': lambda: cls(pool_size=3, strides=2, ceil_mode=True),
            'padded': lambda: cls(pool_size=3, strides=1, padding=1),
        }, x)
    return out


def case_avg_pooling(mx):
    nn = mx.gluon.nn
    out = {}
    for n, shape in ((1, (2, 2, 7)), (2, (1, 2, 5, 7)), (3, (1, 1, 5, 4, 5))):
        x = _data(mx, shape, seed=36 + n)
        cls = getattr(nn, 'AvgPool%dD' % n)
        out['%dd' % n] = _layers(mx, {
            'default': lambda: cls(),
            'ceil': lambda: cls(pool_size=3, strides=2, ceil_mode=True),
            'pad_counted': lambda: cls(pool_size=3, strides=2, padding=1),
            'pad_not_counted': lambda: cls(pool_size=3, strides=2, padding=1,
                                           count_include_pad=False),
        }, x)
    return out


def case_global_pooling(mx):
    nn = mx.gluon.nn
    out = {}
    for n, shape in ((1, (2, 3, 5)), (2, (2, 3, 4, 3)), (3, (1, 2, 3, 2, 4))):
        x = _data(mx, shape, seed=40 + n)
        out['%dd' % n] = _layers(mx, {
            'avg': lambda: getattr(nn, 'GlobalAvgPool%dD' % n)(),
            'max': lambda: getattr(nn, 'GlobalMaxPool%dD' % n)(),
        }, x)
    return out


def case_channels_last_layouts(mx):
    nn = mx.gluon.nn
    x = _data(mx, (2, 4, 6, 3), seed=44)
    return _layers(mx, {
        'maxpool_nhwc': lambda: nn.MaxPool2D(layout='NHWC'),
        'avgpool_nhwc': lambda: nn.AvgPool2D(pool_size=3, strides=1, padding=1,
                                             layout='NHWC'),
        'global_nhwc': lambda: nn.GlobalAvgPool2D(layout='NHWC'),
        'batchnorm_axis3': lambda: nn.BatchNorm(axis=3),
    }, x)


def case_layout_checks(mx):
    # Conv1D is NCW-only in MXNet 1.9.1; pooling layers take channel-last layouts too
    nn = mx.gluon.nn
    return {'conv1d_nwc': raises(lambda: nn.Conv1D(2, 3, layout='NWC')),
            'conv2d_bad': raises(lambda: nn.Conv2D(2, 3, layout='NCWH')),
            'conv3d_bad': raises(lambda: nn.Conv3D(2, 3, layout='NCHW')),
            'conv1d_transpose_nwc': raises(lambda: nn.Conv1DTranspose(2, 3, layout='NWC')),
            'pool2d_as_1d': raises(lambda: nn.MaxPool2D(layout='NCW')),
            'pool1d_nwc': repr(nn.AvgPool1D(layout='NWC')),
            'global3d_bad': raises(lambda: nn.GlobalMaxPool3D(layout='NCHW'))}


def case_small_cnn_training_step(mx):
    nn, ag, gluon = mx.gluon.nn, mx.autograd, mx.gluon
    out = {}
    x = _data(mx, (4, 1, 8, 8), seed=45)
    label = mx.nd.array([0, 1, 2, 1])
    for mode in ('eager', 'hybrid'):
        net = nn.HybridSequential(prefix='cnn_')
        with net.name_scope():
            net.add(nn.Conv2D(4, 3, padding=1, activation='relu'), nn.BatchNorm(),
                    nn.MaxPool2D(), nn.Conv2D(6, 3), nn.GlobalAvgPool2D(), nn.Flatten(),
                    nn.Dropout(0.0), nn.Dense(3))
        net.initialize()
        net(x)
        _set_params(net, seed=46)
        if mode == 'hybrid':
            net.hybridize()
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        losses = []
        for _ in range(3):
            with ag.record():
                loss = loss_fn(net(x), label)
            loss.backward()
            trainer.step(4)
            losses.append(loss.mean().asscalar())
        # float32 sums drift by ~1e-4 relative over the steps
        out[mode] = {'losses': stat(losses, rtol=1e-3), 'predict': stat(net(x), rtol=1e-3),
                     'grads': stat(_grads(net), rtol=1e-3, atol=1e-6)}
    return out


def case_layer_reprs(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation='relu'), nn.BatchNorm(), nn.Dense(2, in_units=4))
    layers = [nn.Dense(4, activation='relu', in_units=3), nn.Dense(4),
              nn.Conv2D(4, 3, in_channels=2, padding=1, strides=2, groups=2,
                        activation='relu'),
              nn.Conv1D(3, 2, dilation=2, use_bias=False),
              nn.Conv2DTranspose(4, 3, output_padding=1, strides=2),
              nn.MaxPool2D(3, ceil_mode=True), nn.AvgPool1D(), nn.GlobalAvgPool2D(),
              nn.BatchNorm(), nn.LayerNorm(), nn.InstanceNorm(), nn.GroupNorm(2),
              nn.Embedding(5, 3),
              nn.Dropout(0.5), nn.Flatten(), nn.Lambda('tanh'), nn.HybridLambda('relu'),
              nn.LeakyReLU(0.1), nn.PReLU(), nn.ELU(), nn.Activation('tanh'), net]
    out = {type(b).__name__ + str(i): repr(b) for i, b in enumerate(layers)}
    net.initialize()
    net(mx.nd.ones((1, 3)))
    out['after_shapes'] = repr(net)
    return out


def case_block_repr_and_containers(mx):
    nn = mx.gluon.nn

    class Net(nn.Block):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.body = nn.Sequential()
                with self.body.name_scope():
                    self.body.add(nn.Dense(2), nn.Activation('relu'))
                self.head = nn.Dense(1, in_units=2)

        def forward(self, x):
            return self.head(self.body(x))

    net = Net()
    return {'repr': repr(net), 'children': [type(b).__name__ for b in net._children.values()],
            'empty': repr(nn.Sequential())}


def case_summary_and_hooks(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='s_')
    with net.name_scope():
        net.add(nn.Dense(4, activation='relu', in_units=3), nn.BatchNorm(in_channels=4),
                nn.Dense(2, in_units=4))
    net.initialize()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        net.summary(mx.nd.ones((2, 3)))
    calls = []
    hook = net[0].register_forward_hook(
        lambda b, i, o: calls.append([b.name[len(net.prefix):], i[0].shape, o.shape]))
    net.register_forward_pre_hook(lambda b, i: calls.append(['pre', i[0].shape]))
    net(mx.nd.ones((2, 3)))
    hook.detach()
    net(mx.nd.ones((1, 3)))
    return {'summary': buf.getvalue(), 'calls': calls}


def case_custom_block_deferred_shape(mx):
    # MXNet infers a user block's unknown (0) parameter dims from its symbolic graph
    class Proj(mx.gluon.HybridBlock):
        def __init__(self, **kwargs):
            super(Proj, self).__init__(**kwargs)
            self.weight = self.params.get('weight', shape=(2, 0), allow_deferred_init=True)

        def hybrid_forward(self, F, x, weight):
            return F.FullyConnected(x, weight, no_bias=True, num_hidden=2)

    net = Proj()
    net.initialize(init=mx.init.Constant(0.5))
    y = net(_data(mx, (3, 4), seed=54))
    return {'y': y, 'shape': list(net.weight.shape)}


def case_export_parameter_file(mx):
    # export's -symbol.json is our own format (known difference); its .params file is
    # MXNet's: arg:/aux: names, values, and the file names it writes
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(nn.Dense(3, in_units=4), nn.BatchNorm(in_channels=3))
    net.initialize()
    _set_params(net, seed=55)
    net.hybridize()
    x = _data(mx, (2, 4), seed=56)
    y = net(x)
    with tempfile.TemporaryDirectory() as tmp:
        net.export(os.path.join(tmp, 'model'), epoch=7)
        files = sorted(os.listdir(tmp))
        saved = mx.nd.load(os.path.join(tmp, 'model-0007.params'))
    return {'files': files, 'y': y, 'params': {k: saved[k] for k in sorted(saved)}}

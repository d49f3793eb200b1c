"""Scenarios for tests/test_gluon_basic.py, and the recorder of their MXNet 1.9.1 results.

Every function below is plain MXNet user code (the Gluon tutorials' style) that returns
plain Python values.  The recorder runs them under real MXNet and writes
``gluon_basic.json``; the test imports this file and runs the *same* functions under
mxnet-compat, then compares.  Randomness is pinned so that both runtimes see the same
numbers: data come from numpy with fixed seeds, shuffling uses numpy's global generator
(as MXNet's RandomSampler does), and random initial weights are overwritten with
``set_data`` / ``init.Constant`` (the two generators differ).

Record (from /tmp, so that the real ``mxnet`` is imported, not this checkout's alias):

    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_gluon_basic.py
"""
import json
import os
import warnings

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, 'gluon_basic.json')


def _f(x):
    """An NDArray or numpy value as nested Python floats."""
    if isinstance(x, nd.NDArray):
        x = x.asnumpy()
    return np.asarray(x, dtype=np.float64).tolist()


# ----------------------------------------------------------------------------- training loops

def linreg(hybridize=False):
    """d2l's "linear regression with Gluon", with a fixed starting point."""
    np.random.seed(42)
    num_inputs, num_examples = 2, 1000
    true_w, true_b = np.array([2, -3.4]), 4.2
    X = np.random.normal(0, 1, (num_examples, num_inputs)).astype('float32')
    y = X.dot(true_w) + true_b + np.random.normal(0, 0.01, num_examples)
    features, labels = nd.array(X), nd.array(y.astype('float32'))

    batch_size = 10
    data_iter = gdata.DataLoader(gdata.ArrayDataset(features, labels), batch_size, shuffle=True)
    net = nn.HybridSequential() if hybridize else nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    net[0].weight.set_data(nd.array([[0.01, -0.02]]))    # still deferred: used at first call
    if hybridize:
        net.hybridize()
    loss = gloss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})
    batch_losses, epoch_losses = [], []
    for epoch in range(3):
        for X_b, y_b in data_iter:
            with autograd.record():
                l = loss(net(X_b), y_b)
            l.backward()
            trainer.step(batch_size)
            if epoch == 0 and len(batch_losses) < 30:
                batch_losses.append(float(l.mean().asscalar()))
        epoch_losses.append(float(loss(net(features), labels).mean().asscalar()))
    return {'batch_losses': batch_losses, 'epoch_losses': epoch_losses,
            'weight': _f(net[0].weight.data()), 'bias': _f(net[0].bias.data())}


def _blobs(seed, n=600, d=20, classes=3):
    rng = np.random.RandomState(seed)
    centers = rng.normal(0, 1.0, (classes, d))
    y = rng.randint(0, classes, n)
    X = centers[y] + rng.normal(0, 1.5, (n, d))
    return X.astype('float32'), y.astype('float32')


def mlp(hybridize=False, optimizer='sgd', epochs=5):
    """A small MLP softmax classifier trained like d2l's "softmax regression with Gluon"."""
    X, y = _blobs(7)
    np.random.seed(3)                                     # the shuffling order
    train_iter = gdata.DataLoader(gdata.ArrayDataset(nd.array(X), nd.array(y)), 32,
                                  shuffle=True)
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(32, activation='relu'), nn.Dense(3))
    net.initialize(init.Xavier())
    net(nd.array(X[:2]))                                  # finish deferred initialisation
    rng = np.random.RandomState(11)
    for name in sorted(net.collect_params().keys()):
        p = net.collect_params()[name]
        p.set_data(nd.array(rng.uniform(-0.3, 0.3, p.shape)))
    if hybridize:
        net.hybridize()
    loss = gloss.SoftmaxCrossEntropyLoss()
    opt_params = ({'learning_rate': 0.1, 'momentum': 0.9, 'wd': 1e-4} if optimizer == 'sgd'
                  else {'learning_rate': 0.01})
    trainer = gluon.Trainer(net.collect_params(), optimizer, opt_params)
    losses, accs = [], []
    for _ in range(epochs):
        total, correct = 0.0, 0.0
        for X_b, y_b in train_iter:
            with autograd.record():
                y_hat = net(X_b)
                l = loss(y_hat, y_b)
            l.backward()
            trainer.step(X_b.shape[0])
            total += float(l.sum().asscalar())
            correct += float((y_hat.argmax(axis=1) == y_b).sum().asscalar())
        losses.append(total / len(X))
        accs.append(correct / len(X))
    return {'losses': losses, 'accs': accs,
            'out_weight': _f(net[1].weight.data())}


def lenet(hybridize=False):
    """A LeNet-style convolutional net (d2l's chapter 6 shape) on small synthetic images."""
    rng = np.random.RandomState(5)
    X = rng.uniform(0, 1, (96, 1, 12, 12)).astype('float32')
    y = (X[:, 0, :6].mean(axis=(1, 2)) > X[:, 0, 6:].mean(axis=(1, 2))).astype('float32')
    np.random.seed(8)
    train_iter = gdata.DataLoader(gdata.ArrayDataset(nd.array(X), nd.array(y)), 16,
                                  shuffle=True)
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, kernel_size=3, padding=1, activation='sigmoid'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(8, kernel_size=3, activation='relu'),
            nn.AvgPool2D(pool_size=2),
            nn.Dense(16, activation='relu'),
            nn.Dense(2))
    net.initialize(init.Xavier())
    shapes = [list(net(nd.array(X[:2])).shape)]
    for name in sorted(net.collect_params().keys()):
        p = net.collect_params()[name]
        p.set_data(nd.array(rng.uniform(-0.4, 0.4, p.shape)))
        shapes.append(list(p.shape))
    if hybridize:
        net.hybridize()
    loss = gloss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    losses = []
    for _ in range(4):
        total = 0.0
        for X_b, y_b in train_iter:
            with autograd.record():
                l = loss(net(X_b), y_b)
            l.backward()
            trainer.step(X_b.shape[0])
            total += float(l.sum().asscalar())
        losses.append(total / len(X))
    return {'losses': losses, 'shapes': shapes, 'repr': repr(net).replace(net.prefix, ''),
            'logits': _f(net(nd.array(X[:4])))}


# ----------------------------------------------------------------------------- unit scenarios

def naming():
    """Prefixes and parameter names at top level, in name scopes and nested."""
    out = {}
    a = nn.Dense(3)
    b = nn.Dense(3, in_units=2)
    out['top'] = [a.prefix, b.prefix, list(b.params.keys())]
    seq = nn.Sequential()
    with seq.name_scope():
        seq.add(nn.Dense(4, activation='relu'), nn.Dense(2), nn.Dropout(0.5))
    out['scoped'] = [seq.prefix, list(seq.collect_params().keys()),
                     [c.name for c in seq._children.values()], seq[0].act.prefix]
    unscoped = nn.HybridSequential()
    unscoped.add(nn.Dense(2))
    out['unscoped'] = [unscoped.prefix, list(unscoped.collect_params().keys())]
    out['select'] = list(seq.collect_params('.*weight').keys())
    out['structural'] = sorted(seq._collect_params_with_prefix().keys())
    out['repr'] = repr(seq)
    out['param_repr'] = repr(seq.collect_params())

    class Model(gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.hidden = nn.Dense(5)
                self.scale = self.params.get('scale', shape=(1,))

        def forward(self, x):
            return self.hidden(x) * self.scale.data()
    m = Model(prefix='model_')
    out['custom'] = [m.prefix, m.hidden.prefix, list(m.collect_params().keys()),
                     sorted(m._collect_params_with_prefix().keys())]
    m2 = Model()
    out['custom_auto'] = m2.prefix[:len('model')]
    return out


def deferred_init():
    """Deferred shapes, the error before the first call, the warning on re-initialise."""
    out = {}
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation='relu'), nn.Dense(2, flatten=False))
    net.initialize(init.Constant(0.5))
    out['before'] = [p.shape for p in net.collect_params().values()]
    try:
        net[0].weight.data()
        out['error'] = None
    except gluon.DeferredInitializationError as e:
        out['error'] = type(e).__name__
    x = nd.array(np.arange(15).reshape(3, 5) / 10.0)
    y = net(x)
    out['after'] = [p.shape for p in net.collect_params().values()]
    out['y'] = _f(y)
    out['repr'] = repr(net)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        net.initialize()
        out['warnings'] = [str(x.message).replace(net.prefix, 'NET_') for x in w]
    net.initialize(init.One(), force_reinit=True)
    out['reinit'] = _f(net(x))
    flat = nn.Dense(3, flatten=False)
    flat.initialize(init.One())
    out['flatten_false'] = [list(flat(nd.ones((2, 4, 5))).shape), list(flat.weight.shape)]
    return out


def initializers():
    """Which initializer fills what (the global one overrides name suffixes in Gluon)."""
    out = {}

    class Custom(gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.foo_bias = self.params.get('foo_bias', shape=(3,))
                self.gamma = self.params.get('gamma', shape=(3,))
                self.own = self.params.get('own', shape=(3,), init=init.Constant(7))

        def forward(self, x):
            return x
    c = Custom()
    c.initialize(init.One())
    out['gluon_dispatch'] = {k[len(c.prefix):]: _f(v.data()) for k, v in c.params.items()}
    d = nn.Dense(2, in_units=3)
    d.initialize(init.Constant(0.25))
    out['dense'] = [_f(d.weight.data()), _f(d.bias.data())]
    # the suffix dispatch of Initializer.__call__ with a plain InitDesc
    arrs = {}
    for name in ['fc_weight', 'fc_bias', 'bn_gamma', 'bn_beta']:
        a = nd.zeros((2, 2)) + 5
        init.One()(init.InitDesc(name), a)
        arrs[name] = _f(a)
    out['suffix'] = arrs
    try:
        init.One()(init.InitDesc('strange'), nd.zeros((2,)))
        out['unknown'] = None
    except ValueError as e:
        out['unknown'] = str(e)[:40]
    out['dumps'] = [init.Xavier(factor_type='in', magnitude=2.34).dumps(),
                    init.Uniform(0.1).dumps(), init.Normal().dumps(), init.MSRAPrelu().dumps()]
    out['create'] = [type(mx.init.create(n)).__name__ for n in ['zeros', 'ones', 'xavier',
                                                                 'uniform', 'msraprelu']]
    # bounds and spread of the random ones (statistics, not values)
    w = nd.zeros((200, 300))
    init.Xavier()(init.InitDesc('x_weight'), w)
    out['xavier_bound'] = float(np.sqrt(3.0 / ((200 + 300) / 2.0)))
    u = nd.zeros((100, 100))
    init.Uniform()(init.InitDesc('u_weight'), u)
    out['uniform_bound'] = 0.07
    return out


def trainer_math():
    """Parameter values after a few steps of each optimizer configuration."""
    out = {}
    configs = [('sgd', {'learning_rate': 0.1}),
               ('sgd', {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01}),
               ('sgd', {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01,
                        'clip_gradient': 0.05}),
               ('sgd', {'learning_rate': 0.1, 'wd': 0.1, 'clip_gradient': 0.05}),
               ('adam', {'learning_rate': 0.1, 'wd': 0.01}),
               ('adam', {'learning_rate': 0.1, 'clip_gradient': 0.3}),
               ('nag', {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01}),
               ('rmsprop', {'learning_rate': 0.01, 'wd': 0.01}),
               ('rmsprop', {'learning_rate': 0.01, 'centered': True}),
               ('adagrad', {'learning_rate': 0.1, 'wd': 0.01})]
    for i, (name, kw) in enumerate(configs):
        p = gluon.Parameter('w', shape=(3,))
        p.initialize(init=init.Constant(1.0))
        tr = gluon.Trainer([p], name, kw)
        for step in range(3):
            with autograd.record():
                l = (p.data() * nd.array([1., 2., 3.])).sum() * (step + 1)
            l.backward()
            tr.step(2)
        out['%d_%s' % (i, name)] = _f(p.data())
    # lr_mult / wd_mult
    p = gluon.Parameter('w', shape=(3,), lr_mult=0.5, wd_mult=2)
    p.initialize(init=init.Constant(1.0))
    tr = gluon.Trainer([p], 'sgd', {'learning_rate': 0.1, 'wd': 0.1})
    with autograd.record():
        l = (p.data() * nd.array([1., 2., 3.])).sum()
    l.backward()
    tr.step(1)
    out['mult'] = _f(p.data())
    # stale gradients
    try:
        tr.step(1)
        out['stale'] = None
    except UserWarning as e:
        out['stale'] = str(e)[:60]
    tr.step(1, ignore_stale_grad=True)
    out['after_ignore'] = _f(p.data())
    tr.set_learning_rate(0.5)
    out['lr'] = tr.learning_rate
    # zero_grad does not make a fresh gradient stale (nor a stale one fresh)
    with autograd.record():
        l = (p.data() * 2).sum()
    l.backward()
    p.zero_grad()
    events = []
    for _ in range(2):
        try:
            tr.step(1)
            events.append('stepped')
        except UserWarning:
            events.append('stale')
    out['zero_grad_freshness'] = events
    # grad_req='add' accumulates until zero_grad
    q = gluon.Parameter('q', shape=(2,), grad_req='add')
    q.initialize(init=init.One())
    for _ in range(2):
        with autograd.record():
            l = (q.data() * 3).sum()
        l.backward()
    out['add_grad'] = _f(q.grad())
    q.zero_grad()
    out['zeroed'] = _f(q.grad())
    # a learning rate schedule
    sch = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=1.0)
    out['factor_schedule'] = [sch(i) for i in range(1, 9)]
    p = gluon.Parameter('w', shape=(3,))
    p.initialize(init=init.Constant(1.0))
    tr = gluon.Trainer([p], 'sgd', {
        'lr_scheduler': mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=1.0)})
    lrs = []
    for _ in range(5):
        with autograd.record():
            l = (p.data() * nd.array([1., 2., 3.])).sum()
        l.backward()
        tr.step(1)
        lrs.append(tr.learning_rate)
    out['sched_lrs'] = lrs
    out['sched_w'] = _f(p.data())
    o = mx.optimizer.create('sgd', learning_rate=0.3)
    out['create'] = [type(o).__name__, o.lr, o.momentum, o.wd, o.rescale_grad, o.clip_gradient]
    return out


def losses():
    """Per-sample losses (mean over the non-batch axes)."""
    pred = nd.array(np.arange(12).reshape(3, 4) / 10.)
    lab = nd.array([[0.1, 0.2, 0.3, 0.4]] * 3)
    bin_lab = nd.array([[0, 1, 1, 0]] * 3)
    p3 = nd.array(np.arange(24).reshape(2, 3, 4) / 10.)
    return {
        'l2': _f(gloss.L2Loss()(pred, lab)),
        'l2_weighted': _f(gloss.L2Loss(weight=2.)(pred, lab, nd.array([[1], [2], [0]]))),
        'l1': _f(gloss.L1Loss()(pred, lab)),
        'l2_column_label': _f(gloss.L2Loss()(nd.array([1, 2, 3]), nd.array([[0], [0], [0]]))),
        'l2_flat_label': _f(gloss.L2Loss()(nd.array([[1], [2], [3]]), nd.array([0, 0, 0]))),
        'ce': _f(gloss.SoftmaxCrossEntropyLoss()(pred, nd.array([0, 3, 1]))),
        'ce_dense': _f(gloss.SoftmaxCrossEntropyLoss(sparse_label=False)(pred, nd.softmax(lab))),
        'ce_logits': _f(gloss.SoftmaxCrossEntropyLoss(from_logits=True)(
            nd.log_softmax(pred), nd.array([0, 3, 1]))),
        'ce_axis1': _f(gloss.SoftmaxCrossEntropyLoss(axis=1)(
            p3, nd.array([[0, 1, 2, 0], [1, 1, 1, 2]]))),
        'ce_3d': _f(gloss.SoftmaxCrossEntropyLoss()(p3, nd.array([[0, 1, 2], [1, 1, 3]]))),
        'bce': _f(gloss.SigmoidBinaryCrossEntropyLoss()(pred - 0.5, bin_lab)),
        'bce_sigmoid': _f(gloss.SigmoidBinaryCrossEntropyLoss(from_sigmoid=True)(
            nd.sigmoid(pred - 0.5), bin_lab)),
        'bce_pos_weight': _f(gloss.SigmoidBinaryCrossEntropyLoss()(
            pred - 0.5, bin_lab, None, nd.array([2.]))),
        'kl': _f(gloss.KLDivLoss(from_logits=False)(pred, nd.softmax(lab))),
        'huber': _f(gloss.HuberLoss(rho=0.3)(pred, lab)),
        'hinge': _f(gloss.HingeLoss()(pred - 0.5, bin_lab * 2 - 1)),
        'logistic': _f(gloss.LogisticLoss()(pred - 0.5, bin_lab * 2 - 1)),
        'names': [gloss.L2Loss().name[:6], repr(gloss.L2Loss()), repr(gloss.L1Loss())],
    }


def data_loading():
    """Batching, last_batch modes, samplers, transforms and batchify dtypes."""
    out = {}
    X = nd.arange(10).reshape(10, 1)
    y = nd.arange(10) * 2
    ds = gdata.ArrayDataset(X, y)
    out['len'] = len(ds)
    out['item'] = [_f(ds[3][0]), float(ds[3][1])]
    for lb in ['keep', 'discard', 'rollover']:
        dl = gdata.DataLoader(ds, batch_size=4, last_batch=lb)
        epochs = [[[_f(a), _f(b)] for a, b in dl] for _ in range(2)]
        out[lb] = [len(dl), epochs]
    batch = next(iter(gdata.DataLoader(ds, batch_size=4)))
    out['batch_types'] = [type(batch).__name__, str(np.dtype(batch[0].dtype)),
                          str(np.dtype(batch[1].dtype)), list(batch[0].shape)]
    ds2 = gdata.ArrayDataset(np.arange(5, dtype='float64'), [1, 2, 3, 4, 5])
    b = next(iter(gdata.DataLoader(ds2, batch_size=2)))
    out['dtypes'] = [str(np.dtype(b[0].dtype)), str(np.dtype(b[1].dtype))]
    sd = gdata.SimpleDataset([1, 2, 3])
    out['simple'] = [sd.transform(lambda x: x * 10)[1], len(sd),
                     list(sd.transform(lambda x: x + 1, lazy=False)[:])]
    out['transform_first'] = [_f(ds.transform_first(lambda x: x + 100)[2][0]),
                              float(ds.transform_first(lambda x: x + 100)[2][1])]
    out['transform'] = [len(ds.transform(lambda a, b: (a, b, 1))[2])]
    S = gdata.SequentialSampler
    out['batch_sampler'] = [list(gdata.BatchSampler(S(7), 3, 'keep')),
                            list(gdata.BatchSampler(S(7), 3, 'discard'))]
    bs = gdata.BatchSampler(S(7), 3, 'rollover')
    out['rollover_sampler'] = [list(bs), list(bs), len(bs)]
    out['nd_dataset'] = [_f(x) for x in gdata.DataLoader(nd.arange(5), batch_size=2)]
    np.random.seed(0)
    out['shuffled'] = [_f(b) for b in gdata.DataLoader(gdata.SimpleDataset(list(range(8))),
                                                       batch_size=3, shuffle=True)]
    ten = gdata.SimpleDataset(list(range(10)))
    threes = ten.filter(lambda x: x % 3 == 0)
    out['filter_take_shard'] = [[threes[i] for i in range(len(threes))], len(ten.take(4)),
                                [ten.shard(3, 1)[i] for i in range(len(ten.shard(3, 1)))]]
    custom = gdata.DataLoader(ds, batch_size=3, batchify_fn=lambda samples: len(samples))
    out['batchify_fn'] = list(custom)
    parts = gluon.utils.split_and_load(nd.arange(8).reshape(4, 2), [mx.cpu(0), mx.cpu(1)])
    out['split'] = [_f(p) for p in parts]
    parts = gluon.utils.split_and_load(nd.arange(6).reshape(3, 2), [mx.cpu(0), mx.cpu(1)],
                                       even_split=False)
    out['split_uneven'] = [_f(p) for p in parts]
    arrays = [nd.array([3., 4.]), nd.array([12.])]
    norm = gluon.utils.clip_global_norm(arrays, 1.0)
    out['clip_global_norm'] = [float(norm), [_f(a) for a in arrays]]
    return out


def hybrid_blocks():
    """A custom HybridBlock with its own parameter, eager and hybridized, with gradients."""
    class Affine(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.dense = nn.Dense(3, in_units=4)
                self.scale = self.params.get('scale', shape=(1, 3), init=init.Constant(2.0))

        def hybrid_forward(self, F, x, scale):
            return F.broadcast_mul(F.tanh(self.dense(x)), scale)

    out = {}
    x = nd.array(np.linspace(-1, 1, 8).reshape(2, 4))
    for mode in ['eager', 'hybrid']:
        blk = Affine(prefix='affine_')
        blk.initialize(init.Constant(0.1))
        blk.dense.weight.set_data(nd.array(np.linspace(-0.5, 0.5, 12).reshape(3, 4)))
        if mode == 'hybrid':
            blk.hybridize()
        for _ in range(2):                    # the second call runs the compiled graph
            with autograd.record():
                y = blk(x)
                s = (y * y).sum()
            s.backward()
        out[mode] = {'y': _f(y), 'params': sorted(blk.collect_params().keys()),
                     'grads': {k[len('affine_'):]: _f(p.grad())
                               for k, p in sorted(blk.collect_params().items())}}
    lam = nn.HybridLambda(lambda F, x: F.relu(x) * 2)
    out['hybrid_lambda'] = _f(lam(nd.array([-1., 2.])))
    out['lambda'] = _f(nn.Lambda('tanh')(nd.array([0.5])))
    out['lambda_repr'] = repr(nn.Lambda('tanh'))
    return out


def vision_transforms():
    """ToTensor, Normalize, Resize and Compose on a small random uint8 image."""
    from mxnet.gluon.data.vision import transforms as T
    rng = np.random.RandomState(0)
    img = nd.array(rng.randint(0, 256, (5, 7, 3)), dtype='uint8')
    t = T.ToTensor()(img)
    out = {'to_tensor': [list(t.shape), str(np.dtype(t.dtype)), _f(t)],
           'normalize': _f(T.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3))(t)),
           'normalize_scalar': _f(T.Normalize(0.5, 0.2)(t)),
           'batch': list(T.ToTensor()(nd.array(rng.randint(0, 256, (2, 5, 7, 1)),
                                               dtype='uint8')).shape),
           'cast': str(np.dtype(T.Cast('float16')(img).dtype))}
    for name, size in [('up', (10, 14)), ('down', (3, 2)), ('square', 4)]:
        r = T.Resize(size)(img)
        out['resize_' + name] = [list(r.shape), str(np.dtype(r.dtype)), _f(r)]
    out['keep_ratio'] = list(T.Resize(4, keep_ratio=True)(img).shape)
    compose = T.Compose([T.Resize(4), T.ToTensor(), T.Normalize(0.5, 0.2)])
    out['compose'] = [list(compose(img).shape), repr(compose)]
    return out


def fake_mnist():
    """FashionMNIST read from tiny idx files (download() pointed at them), transformed and
    batched the way d2l's load_data_fashion_mnist does."""
    import gzip
    import struct
    import tempfile
    from mxnet.gluon.data.vision import datasets, transforms
    rng = np.random.RandomState(1)
    images = rng.randint(0, 256, (10, 28, 28)).astype(np.uint8)
    labels = rng.randint(0, 10, 10).astype(np.uint8)
    root = tempfile.mkdtemp()
    files = {'train-images-idx3-ubyte.gz': struct.pack('>IIII', 2051, 10, 28, 28) +
             images.tobytes(),
             'train-labels-idx1-ubyte.gz': struct.pack('>II', 2049, 10) + labels.tobytes()}
    for name, payload in files.items():
        with gzip.open(os.path.join(root, name), 'wb') as f:
            f.write(payload)
    real_download = datasets.download
    datasets.download = lambda url, path=None, **kw: os.path.join(path, url.split('/')[-1])
    try:
        train = gdata.vision.FashionMNIST(root=root, train=True)
    finally:
        datasets.download = real_download
    x0, y0 = train[0]
    out = {'len': len(train), 'sample': [type(x0).__name__, list(x0.shape),
                                          str(np.dtype(x0.dtype)), type(y0).__name__,
                                          int(y0)]}
    loader = gdata.DataLoader(train.transform_first(transforms.ToTensor()), batch_size=4,
                              shuffle=False, num_workers=2)
    batches = [(list(X.shape), str(np.dtype(X.dtype)), list(y.shape), str(np.dtype(y.dtype)),
                float(X.sum().asscalar()), _f(y)) for X, y in loader]
    out['batches'] = batches
    return out


SCENARIOS = {
    'naming': naming,          # first: block names count per process
    'linreg': linreg,
    'mlp_sgd': lambda: mlp(optimizer='sgd'),
    'mlp_adam': lambda: mlp(optimizer='adam', epochs=3),
    'lenet': lenet,
    'deferred_init': deferred_init,
    'initializers': initializers,
    'trainer_math': trainer_math,
    'losses': losses,
    'data_loading': data_loading,
    'hybrid_blocks': hybrid_blocks,
    'vision_transforms': vision_transforms,
    'fake_mnist': fake_mnist,
}


def main():
    assert not hasattr(mx, 'compat_version'), 'record with real MXNet, from /tmp'
    results = {}
    for name, fn in SCENARIOS.items():
        results[name] = fn()
        print('recorded', name)
    results['_meta'] = {'mxnet': mx.__version__, 'numpy': np.__version__}
    with open(GOLDEN, 'w') as f:
        json.dump(results, f, indent=1, sort_keys=True)
    print('wrote', GOLDEN)


if __name__ == '__main__':
    main()

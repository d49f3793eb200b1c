"""Gluon: blocks, parameters and naming, layers, losses, the Trainer, data loading.

Every network is initialised with constants or values from a fixed numpy seed, so both
runtimes compute on the same numbers (random initialisers are compared by statistics)."""
import numpy as np

from harness import raises, stat

AREA = 'gluon'


def _data(mx, shape, seed=0):
    return mx.nd.array(np.random.RandomState(seed).uniform(-1, 1, shape))


def _set_params(net, seed=1):
    rng = np.random.RandomState(seed)
    for name in sorted(net.collect_params().keys()):
        p = net.collect_params()[name]
        low = 0.1 if name.endswith('var') else -0.5     # variances must be positive
        p.set_data(rng.uniform(low, 0.5, p.shape).astype('float32'))


def case_dense_naming_and_deferred_shapes(mx):
    nn = mx.gluon.nn
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation='relu'), nn.Dense(2))
    net.initialize()
    before = [(k, v.shape) for k, v in net.collect_params().items()]
    net(mx.nd.ones((3, 5)))
    after = [(k, v.shape) for k, v in net.collect_params().items()]
    return {'before': [[k.split('_', 1)[1], list(s)] for k, s in before],
            'after': [[k.split('_', 1)[1], list(s)] for k, s in after],
            'select': sorted(k.split('_', 1)[1] for k in net.collect_params('.*bias').keys())}


def case_dense_forward_and_gradients(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation='tanh', in_units=3), nn.Dense(2, in_units=4))
    net.initialize()
    _set_params(net)
    x = _data(mx, (5, 3))
    with ag.record():
        y = net(x)
        loss = (y * y).sum()
    loss.backward()
    grads = {k.split('_', 1)[1]: v.grad() for k, v in net.collect_params().items()}
    net.hybridize()
    return {'y': y, 'grads': grads, 'hybrid': net(x)}


def case_conv_pool_batchnorm(mx):
    nn, ag = mx.gluon.nn, mx.autograd
    net = nn.HybridSequential()
    net.add(nn.Conv2D(2, 3, in_channels=1, padding=1), nn.BatchNorm(in_channels=2),
            nn.MaxPool2D(2), nn.Flatten())
    net.initialize()
    _set_params(net, seed=2)
    x = _data(mx, (2, 1, 4, 4), seed=3)
    with ag.record():
        y = net(x)
    y.backward()
    bn = net[1]
    return {'train_out': y, 'predict_out': net(x), 'running_mean': bn.running_mean.data(),
            'running_var': bn.running_var.data(), 'conv_grad': net[0].weight.grad()}


def case_losses(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (4, 3), seed=4)
    label = mx.nd.array([0, 2, 1, 2])
    target = _data(mx, (4, 3), seed=5)
    w = mx.nd.array([[1.0], [0.5], [2.0], [0.0]])
    return {'l2': loss.L2Loss()(pred, target), 'l1': loss.L1Loss()(pred, target),
            'sce': loss.SoftmaxCrossEntropyLoss()(pred, label),
            'sce_weighted': loss.SoftmaxCrossEntropyLoss()(pred, label, w),
            'sce_dense': loss.SoftmaxCrossEntropyLoss(sparse_label=False)(
                pred, mx.nd.softmax(target)),
            'sigmoid_bce': loss.SigmoidBinaryCrossEntropyLoss()(pred, (target > 0)),
            'huber': loss.HuberLoss(rho=0.5)(pred, target),
            'hinge': loss.HingeLoss()(pred, mx.nd.sign(target)),
            'kl': loss.KLDivLoss()(mx.nd.log_softmax(pred), mx.nd.softmax(target))}


def case_trainer_sgd_momentum_steps(mx):
    nn, ag, gluon = mx.gluon.nn, mx.autograd, mx.gluon
    net = nn.Dense(2, in_units=3)
    net.initialize()
    _set_params(net, seed=6)
    trainer = gluon.Trainer(net.collect_params(), 'sgd',
                            {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01})
    x, y = _data(mx, (8, 3), seed=7), _data(mx, (8, 2), seed=8)
    l2 = gluon.loss.L2Loss()
    losses = []
    for _ in range(3):
        with ag.record():
            loss = l2(net(x), y)
        loss.backward()
        trainer.step(8)
        losses.append(loss.mean().asscalar())
    return {'losses': losses, 'weight': net.weight.data(), 'bias': net.bias.data(),
            'lr': trainer.learning_rate}


def case_trainer_adam_and_lr_change(mx):
    nn, ag, gluon = mx.gluon.nn, mx.autograd, mx.gluon
    net = nn.Dense(1, in_units=2)
    net.initialize()
    _set_params(net, seed=9)
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.05})
    x, y = _data(mx, (6, 2), seed=10), _data(mx, (6, 1), seed=11)
    for step in range(3):
        if step == 2:
            trainer.set_learning_rate(0.01)
        with ag.record():
            loss = gluon.loss.L1Loss()(net(x), y)
        loss.backward()
        trainer.step(6)
    return {'weight': net.weight.data(), 'bias': net.bias.data(), 'lr': trainer.learning_rate}


def case_initializers_statistics(mx):
    init = mx.init
    out = {}
    for name, ini in [('uniform', init.Uniform(0.5)), ('normal', init.Normal(0.2)),
                      ('xavier', init.Xavier()), ('constant', init.Constant(0.3))]:
        p = mx.gluon.Parameter('w', shape=(200, 50), init=ini)
        p.initialize()
        a = p.data().asnumpy()
        out[name] = {'mean': stat(float(a.mean()), atol=0.02),
                     'std': stat(float(a.std()), rtol=0.05, atol=1e-6),
                     'max_abs_le': bool(np.abs(a).max() <= 0.5 + 1e-6)}
    return out


def case_dataloader_batches(mx):
    gluon = mx.gluon
    X = np.arange(20, dtype='float32').reshape((10, 2))
    Y = np.arange(10, dtype='float32')
    ds = gluon.data.ArrayDataset(X, Y)
    out = {}
    for last in ('keep', 'discard', 'rollover'):
        loader = gluon.data.DataLoader(ds, batch_size=4, last_batch=last)
        out[last] = [[b[0].shape, b[1].asnumpy().tolist()] for b in loader]
    t = ds.transform_first(lambda x: x * 2)
    out['transform_first'] = [t[0][0].tolist(), float(t[0][1])]
    return out


def case_parameter_errors(mx):
    nn = mx.gluon.nn
    net = nn.Dense(2)
    net.initialize()
    return {'deferred_data': raises(lambda: net.weight.data()),
            'uninitialized': raises(lambda: nn.Dense(2, in_units=3).weight.data())}

"""Gluon Trainer, ``mx.optimizer``, ``mx.lr_scheduler`` and ``gluon.utils.clip_global_norm``.

Every network is a tiny Dense layer whose weights, inputs and targets come from fixed numpy
seeds, so both runtimes train on the same numbers; each optimizer runs three steps."""
import os
import shutil
import tempfile

import numpy as np

from harness import raises

AREA = 'gluon_optim'


# ----------------------------------------------------------------------------- helpers

def _uniform(seed, shape, low=-1.0, high=1.0):
    return np.random.RandomState(seed).uniform(low, high, shape)


def _net(mx, ctx=None, seed=1):
    """Dense(2, in_units=3) with weights from ``seed``."""
    net = mx.gluon.nn.Dense(2, in_units=3)
    net.initialize(ctx=ctx)
    rng = np.random.RandomState(seed)
    for name in sorted(net.collect_params().keys()):
        p = net.collect_params()[name]
        p.set_data(rng.uniform(-0.5, 0.5, p.shape).astype('float32'))
    return net


def _backward(mx, net, step=0, ctx=None):
    """L2 loss of a 4-sample batch (different for each step) and its backward."""
    ctx = ctx or mx.cpu()
    x = mx.nd.array(_uniform(10 + step, (4, 3)), ctx=ctx)
    y = mx.nd.array(_uniform(20 + step, (4, 2)), ctx=ctx)
    with mx.autograd.record():
        loss = mx.gluon.loss.L2Loss()(net(x), y)
    loss.backward()
    return loss


def _snapshot(net, ctx=None):
    return {'weight': net.weight.data(ctx).copy(), 'bias': net.bias.data(ctx).copy()}


def _fit(mx, optimizer, optimizer_params=None, steps=3):
    """Weights after each of ``steps`` Trainer steps (batch size 4)."""
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), optimizer, optimizer_params)
    out = []
    for step in range(steps):
        _backward(mx, net, step)
        trainer.step(4)
        out.append(_snapshot(net))
    return out


def _fit_all(mx, optimizer, configs):
    return {name: _fit(mx, optimizer, dict(params)) for name, params in configs.items()}


def _fit16(mx, optimizer, optimizer_params):
    """Three Trainer steps on two float16 Parameters (MXNet's CPU FullyConnected has no
    float16): loss = sum((w * x - y)**2) + sum(b * x[0])."""
    rng = np.random.RandomState(3)
    w = mx.gluon.Parameter('w', shape=(2, 3), dtype='float16')
    b = mx.gluon.Parameter('b', shape=(3,), dtype='float16')
    for p in (w, b):
        p.initialize()
        p.set_data(rng.uniform(-0.5, 0.5, p.shape).astype('float16'))
    trainer = mx.gluon.Trainer([w, b], optimizer, optimizer_params)
    out = []
    for step in range(3):
        x = mx.nd.array(_uniform(60 + step, (2, 3)), dtype='float16')
        y = mx.nd.array(_uniform(70 + step, (2, 3)), dtype='float16')
        with mx.autograd.record():
            loss = ((w.data() * x - y) ** 2).sum() + (b.data() * x[0]).sum()
        loss.backward()
        trainer.step(2)
        out.append([w.data().copy(), b.data().copy()])
    return out


def _lrs(scheduler, n=30):
    """The learning rate asked for updates 1..n, in order (schedulers keep state)."""
    return [scheduler(i) for i in range(1, n + 1)]


# ----------------------------------------------------------------------------- Trainer

def case_trainer_step_batch_size(mx):
    # step(batch_size) rescales gradients by 1/batch_size
    return {str(b): _fit_steps_with_batch(mx, b) for b in (1, 4, 16)}


def _fit_steps_with_batch(mx, batch_size):
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    out = []
    for step in range(3):
        _backward(mx, net, step)
        trainer.step(batch_size)
        out.append(_snapshot(net))
    return out


def case_trainer_ignore_stale_grad(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    net.add(_net(mx, seed=1), _net(mx, seed=2))
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    _backward(mx, net[0])                      # only the first layer gets gradients
    # the failed step still marks the fresh gradients (checked in order) as used
    strict = raises(lambda: trainer.step(4))
    after_strict = [_snapshot(net[0]), _snapshot(net[1])]
    ignored_nothing_fresh = raises(lambda: trainer.step(4, ignore_stale_grad=True))
    _backward(mx, net[0], step=1)
    trainer.step(4, ignore_stale_grad=True)
    after_ignore = [_snapshot(net[0]), _snapshot(net[1])]
    return {'strict': strict, 'after_strict': after_strict,
            'ignored_nothing_fresh': ignored_nothing_fresh, 'after_ignore': after_ignore,
            'strict_again': raises(lambda: trainer.step(4))}


def case_trainer_allreduce_update_split(mx):
    nets = [_net(mx), _net(mx)]
    trainers = [mx.gluon.Trainer(n.collect_params(), 'sgd',
                                 {'learning_rate': 0.1, 'momentum': 0.9}) for n in nets]
    for step in range(3):
        for n in nets:
            _backward(mx, n, step)
        trainers[0].step(4)
        trainers[1].allreduce_grads()
        trainers[1].update(4)
    return {'step': _snapshot(nets[0]), 'split': _snapshot(nets[1])}


def case_trainer_learning_rate(mx):
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.2})
    out = {'initial': trainer.learning_rate}
    _backward(mx, net)
    trainer.step(4)
    trainer.set_learning_rate(0.05)
    out['after_set'] = trainer.learning_rate
    out['optimizer_lr'] = trainer.optimizer.lr
    _backward(mx, net, 1)
    trainer.step(4)
    out['params'] = _snapshot(net)
    out['default_adam'] = mx.gluon.Trainer(_net(mx).collect_params(), 'adam').learning_rate
    return out


def case_trainer_save_load_states(mx):
    tmp = tempfile.mkdtemp()
    try:
        return {name: _resume_run(mx, name, params, tmp)
                for name, params in [('adam', {'learning_rate': 0.05, 'wd': 0.01}),
                                     ('sgd', {'learning_rate': 0.1, 'momentum': 0.9}),
                                     ('nadam', {'learning_rate': 0.05})]}
    finally:
        shutil.rmtree(tmp)


def _resume_run(mx, name, params, tmp):
    """An uninterrupted 4-step run vs 2 steps, save, fresh net + trainer, load, 2 steps."""
    whole = _fit(mx, name, params, steps=4)[-1]
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), name, dict(params))
    for step in range(2):
        _backward(mx, net, step)
        trainer.step(4)
    states, weights = os.path.join(tmp, name + '.states'), os.path.join(tmp, name + '.params')
    trainer.save_states(states)
    net.save_parameters(weights)
    net2 = _net(mx, seed=99)
    net2.load_parameters(weights)
    trainer2 = mx.gluon.Trainer(net2.collect_params(), name, {'learning_rate': 1.0})
    trainer2.load_states(states)               # also brings back the saved optimizer
    loaded = {'lr': trainer2.learning_rate, 'num_update': trainer2.optimizer.num_update,
              'type': type(trainer2.optimizer).__name__}
    for step in range(2, 4):
        _backward(mx, net2, step)
        trainer2.step(4)
    return {'uninterrupted': whole, 'resumed': _snapshot(net2), 'loaded': loaded}


def case_trainer_optimizer_instance_vs_name(mx):
    opt = mx.optimizer.Adam(learning_rate=0.05, beta1=0.8)
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), opt)
    for step in range(3):
        _backward(mx, net, step)
        trainer.step(4)
    return {'instance': _snapshot(net),
            'name': _fit(mx, 'adam', {'learning_rate': 0.05, 'beta1': 0.8})[-1],
            'same_object': trainer.optimizer is opt, 'num_update': opt.num_update,
            'param_dict_size': len(opt.param_dict),
            'with_params': raises(lambda: mx.gluon.Trainer(
                _net(mx).collect_params(), mx.optimizer.SGD(), {'learning_rate': 0.1}))}


def case_trainer_kvstore_two_contexts(mx):
    # several contexts: 'device' sums gradients; kvstore=None updates each copy on its own.
    # Nadam's schedule is one per optimizer: it advances once per step on the kvstore but
    # once per context with update_on_kvstore=False
    ctxs = [mx.cpu(0), mx.cpu(1)]
    out = {}
    for name, kw in [('device', {}), ('device_local_update', {'update_on_kvstore': False}),
                     ('none', {'kvstore': None})]:
        for opt, params in [('sgd', {'learning_rate': 0.1, 'momentum': 0.5}),
                            ('nadam', {'learning_rate': 0.05})]:
            net = _net(mx, ctx=ctxs)
            trainer = mx.gluon.Trainer(net.collect_params(), opt, params, **kw)
            for step in range(2):
                for i, ctx in enumerate(ctxs):
                    _backward(mx, net, 2 * step + i, ctx=ctx)
                trainer.step(8)
            out[name + '_' + opt] = [_snapshot(net, c) for c in ctxs]
        for i, ctx in enumerate(ctxs):
            _backward(mx, net, 9 + i, ctx=ctx)
        # with the default update_on_kvstore, the split API is refused
        out[name + '_split'] = [raises(trainer.allreduce_grads), raises(lambda: trainer.update(8))]
    return out


def case_trainer_single_context_kvstores(mx):
    # one context: no kvstore whatever is asked, and the split API works
    return {str(kv): _fit_kvstore(mx, kv) for kv in ('device', 'local', None)}


def _fit_kvstore(mx, kvstore):
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.1, 'momentum': 0.9}, kvstore=kvstore)
    for step in range(2):
        _backward(mx, net, step)
        trainer.allreduce_grads()
        trainer.update(4)
    return _snapshot(net)


def case_trainer_lr_wd_mult_and_grad_req_null(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    net.add(_net(mx, seed=1), _net(mx, seed=2))
    net[0].weight.lr_mult = 0.5
    net[0].bias.wd_mult = 2.0
    net[1].collect_params().setattr('grad_req', 'null')
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.1, 'wd': 0.1, 'momentum': 0.5})
    for step in range(3):
        x = mx.nd.array(_uniform(30 + step, (4, 3)))
        with mx.autograd.record():
            loss = (net[0](x) * net[1](x)).sum()
        loss.backward()
        trainer.step(4)
        if step == 1:
            net[0].weight.lr_mult = 2.0        # read at every update
    return {'first': _snapshot(net[0]), 'frozen': _snapshot(net[1])}


def case_trainer_errors(mx):
    nn, gluon = mx.gluon.nn, mx.gluon
    deferred = nn.Dense(2)
    deferred.initialize()
    deferred_trainer = gluon.Trainer(deferred.collect_params(), 'sgd')
    ctx0, ctx1 = _net(mx, ctx=mx.cpu(0)), _net(mx, ctx=mx.cpu(1))
    fresh = _net(mx)
    fresh_trainer = gluon.Trainer(fresh.collect_params(), 'sgd')
    return {'not_parameters': raises(lambda: gluon.Trainer([1, 2], 'sgd')),
            'not_a_list': raises(lambda: gluon.Trainer(3, 'sgd')),
            'unknown_optimizer': raises(lambda: gluon.Trainer(_net(mx).collect_params(),
                                                              'nosuch')),
            'uninitialized': raises(lambda: gluon.Trainer(nn.Dense(2).collect_params(), 'sgd')),
            'deferred_step': raises(lambda: deferred_trainer.step(1)),
            'mixed_contexts': raises(lambda: gluon.Trainer(
                [ctx0.weight, ctx1.weight], 'sgd')),
            'no_backward_yet': raises(lambda: fresh_trainer.step(1)),
            'weights_unchanged': _snapshot(fresh)}


# ----------------------------------------------------------------------------- optimizers

def case_sgd_variants(mx):
    out = _fit_all(mx, 'sgd', {
        'plain': {'learning_rate': 0.1},
        'momentum_wd': {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01},
        'dense_not_lazy': {'learning_rate': 0.1, 'momentum': 0.9, 'lazy_update': False}})
    out['ccsgd'] = _fit(mx, 'ccsgd', {'learning_rate': 0.1, 'momentum': 0.5, 'wd': 0.1})
    return out


def case_sgd_nag_float16_multi_precision(mx):
    out = {}
    for name in ('sgd', 'nag'):
        for mp in (False, True):
            key = '{}_mp{}'.format(name, int(mp))
            out[key] = _fit16(mx, name, {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01,
                                         'multi_precision': mp})
    out['sgd_nomom_mp'] = _fit16(mx, 'sgd', {'learning_rate': 0.1, 'multi_precision': True})
    return out


def case_nag(mx):
    return _fit_all(mx, 'nag', {
        'momentum': {'learning_rate': 0.1, 'momentum': 0.9},
        'momentum_wd': {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.05},
        'no_momentum': {'learning_rate': 0.1}})


def case_adam(mx):
    return _fit_all(mx, 'adam', {
        'default': {},
        'tuned': {'learning_rate': 0.05, 'beta1': 0.5, 'beta2': 0.9, 'epsilon': 1e-3,
                  'wd': 0.1, 'lazy_update': False}})


def case_adagrad_adadelta(mx):
    return {'adagrad': _fit_all(mx, 'adagrad', {'default': {},
                                                'tuned': {'learning_rate': 0.1, 'eps': 1e-3,
                                                          'wd': 0.1}}),
            'adadelta': _fit_all(mx, 'adadelta', {'default': {},
                                                  'tuned': {'rho': 0.5, 'epsilon': 1e-3,
                                                            'wd': 0.1}})}


def case_rmsprop(mx):
    return _fit_all(mx, 'rmsprop', {
        'plain': {'learning_rate': 0.01},
        'plain_gamma': {'learning_rate': 0.01, 'gamma1': 0.5, 'wd': 0.1},
        'centered': {'learning_rate': 0.01, 'centered': True},
        'centered_gammas': {'learning_rate': 0.01, 'centered': True, 'gamma1': 0.6,
                            'gamma2': 0.3, 'epsilon': 1e-4},
        'clip_weights': {'learning_rate': 0.5, 'clip_weights': 0.3}})


def case_adamax_nadam(mx):
    return {'adamax': _fit_all(mx, 'adamax', {'default': {},
                                              'tuned': {'learning_rate': 0.05, 'beta1': 0.5,
                                                        'wd': 0.1}}),
            'nadam': _fit_all(mx, 'nadam', {'default': {},
                                            'tuned': {'learning_rate': 0.05,
                                                      'schedule_decay': 0.1, 'wd': 0.1}})}


def case_signum(mx):
    # momentum=0 is signSGD (MXNet 1.9.1 has no separate SignSGD optimizer)
    return _fit_all(mx, 'signum', {
        'default': {},
        'wd_lh': {'learning_rate': 0.05, 'momentum': 0.5, 'wd_lh': 0.1, 'wd': 0.01},
        'signsgd': {'learning_rate': 0.05, 'momentum': 0.0, 'wd': 0.1}})


def case_ftml_ftrl(mx):
    return {'ftml': _fit_all(mx, 'ftml', {'default': {},
                                          'tuned': {'learning_rate': 0.05, 'beta1': 0.3,
                                                    'wd': 0.1}}),
            'ftrl': _fit_all(mx, 'ftrl', {'default': {},
                                          'tuned': {'learning_rate': 0.5, 'lamda1': 0.001,
                                                    'beta': 0.5, 'wd': 0.1}})}


def case_lamb(mx):
    out = _fit_all(mx, 'lamb', {
        'default': {'learning_rate': 0.05},
        'no_bias_correction': {'learning_rate': 0.05, 'bias_correction': False, 'wd': 0.1},
        'bounds': {'learning_rate': 0.05, 'lower_bound': 0.5, 'upper_bound': 0.8},
        'tight_upper': {'learning_rate': 0.05, 'upper_bound': 0.1}})
    out['float16_mp'] = _fit16(mx, 'lamb', {'learning_rate': 0.05, 'multi_precision': True})
    return out


def case_float16_multi_precision_others(mx):
    # master-copy updates for the optimizers without an mp_ operator
    return {name: _fit16(mx, name, {'learning_rate': 0.05, 'multi_precision': True})
            for name in ('adam', 'rmsprop', 'adagrad', 'ftml')}


def case_rescale_grad_and_clip_gradient(mx):
    # rescale_grad given to the Trainer is multiplied by 1/batch_size at each step
    out = {}
    for name, lr in [('sgd', 0.1), ('nag', 0.1), ('adam', 0.05), ('adagrad', 0.1),
                     ('adadelta', None), ('rmsprop', 0.01), ('adamax', 0.05),
                     ('nadam', 0.05), ('signum', 0.05), ('ftml', 0.05), ('ftrl', 0.5),
                     ('lamb', 0.05)]:
        base = {} if lr is None else {'learning_rate': lr}
        if name in ('sgd', 'nag'):
            base['momentum'] = 0.9
        out[name] = {
            'rescale': _fit(mx, name, dict(base, rescale_grad=3.0))[-1],
            'clip': _fit(mx, name, dict(base, clip_gradient=0.05))[-1],
            'rescale_clip': _fit(mx, name, dict(base, rescale_grad=3.0,
                                                clip_gradient=0.2))[-1]}
    return out


def case_optimizer_create(mx):
    opt = mx.optimizer
    sgd = opt.create('SGD', learning_rate=0.3, momentum=0.7, wd=0.01, rescale_grad=0.5)

    @opt.register
    class MyScaledSGD(opt.SGD):
        """A registered subclass (created by its lower-case name)."""

    mine = opt.Optimizer.create_optimizer('myscaledsgd', learning_rate=0.2)
    defaults = {name: opt.create(name).learning_rate
                for name in ('sgd', 'nag', 'adam', 'adagrad', 'adadelta', 'rmsprop', 'adamax',
                             'nadam', 'signum', 'ftml', 'ftrl', 'lamb', 'sgld', 'dcasgd')}
    return {'sgd': [type(sgd).__name__, sgd.learning_rate, sgd.momentum, sgd.wd,
                    sgd.rescale_grad, sgd.clip_gradient, sgd.num_update],
            'mine': [type(mine).__name__, mine.learning_rate, isinstance(mine, opt.SGD)],
            'adam_attrs': [opt.create('Adam').beta1, opt.create('adam').beta2,
                           opt.create('adam').epsilon],
            'defaults': defaults,
            'unknown': raises(lambda: opt.create('nosuch')),
            'set_lr_with_scheduler': raises(lambda: opt.SGD(
                lr_scheduler=mx.lr_scheduler.FactorScheduler(2)).set_learning_rate(0.1))}


def case_updater_direct(mx):
    opt = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9, wd=0.01)
    updater = mx.optimizer.get_updater(opt)
    weights = [mx.nd.array(_uniform(1, (2, 3))), mx.nd.array(_uniform(2, (3,)))]
    for step in range(3):
        for i, w in enumerate(weights):
            updater(i, mx.nd.array(_uniform(40 + 10 * step + i, w.shape)), w)
    blob = updater.get_states()
    copy = mx.optimizer.get_updater(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9,
                                                     wd=0.01))
    copy.set_states(blob)
    clone = [w.copy() for w in weights]
    grad = mx.nd.array(_uniform(99, (2, 3)))
    updater(0, grad, weights[0])
    copy(0, grad, clone[0])
    return {'weights': weights, 'momentum': updater.states[0], 'num_update': opt.num_update,
            'state_keys': sorted(updater.states.keys()), 'restored': clone[0],
            'continued': weights[0]}


def case_optimizer_lr_wd_mult_by_name(mx):
    # without a Trainer: multipliers by name; names not ending in _weight/_gamma get wd 0
    opt = mx.optimizer.SGD(learning_rate=0.1, wd=0.5,
                           param_idx2name={0: 'fc_weight', 1: 'fc_bias', 2: 'bn_gamma'})
    opt.set_lr_mult({'fc_weight': 0.5})
    updater = mx.optimizer.get_updater(opt)
    weights = [mx.nd.ones((2,)) for _ in range(3)]
    for i, w in enumerate(weights):
        updater(i, mx.nd.ones((2,)), w)
    opt.set_wd_mult({'fc_bias': 1.0})          # replaces the defaults
    updater(2, mx.nd.ones((2,)), weights[2])
    updater(1, mx.nd.ones((2,)), weights[1])
    return {'weights': weights, 'wd_mult': sorted(opt.wd_mult.items()),
            'lr_mult': sorted(opt.lr_mult.items())}


# ----------------------------------------------------------------------------- schedulers

def case_factor_scheduler(mx):
    lrs = mx.lr_scheduler
    return {'plain': _lrs(lrs.FactorScheduler(step=5, factor=0.5, base_lr=1.0)),
            'stop': _lrs(lrs.FactorScheduler(step=3, factor=0.1, stop_factor_lr=1e-3,
                                             base_lr=1.0)),
            'warmup': _lrs(lrs.FactorScheduler(step=4, factor=0.9, base_lr=0.5,
                                               warmup_steps=6, warmup_begin_lr=0.1)),
            'warmup_constant': _lrs(lrs.FactorScheduler(step=4, factor=0.9, base_lr=0.5,
                                                        warmup_steps=6, warmup_begin_lr=0.1,
                                                        warmup_mode='constant')),
            'errors': [raises(lambda: lrs.FactorScheduler(step=0)),
                       raises(lambda: lrs.FactorScheduler(step=2, factor=1.5)),
                       raises(lambda: lrs.FactorScheduler(step=2, base_lr=0.1,
                                                          warmup_begin_lr=0.2, warmup_steps=2)),
                       raises(lambda: lrs.FactorScheduler(step=2, warmup_mode='cubic'))]}


def case_multifactor_scheduler(mx):
    lrs = mx.lr_scheduler
    return {'plain': _lrs(lrs.MultiFactorScheduler(step=[5, 12, 20], factor=0.5, base_lr=1.0)),
            'warmup': _lrs(lrs.MultiFactorScheduler(step=[8, 16], factor=0.1, base_lr=0.4,
                                                    warmup_steps=5, warmup_begin_lr=0.0)),
            'errors': [raises(lambda: lrs.MultiFactorScheduler(step=[5, 3])),
                       raises(lambda: lrs.MultiFactorScheduler(step=[0, 3])),
                       raises(lambda: lrs.MultiFactorScheduler(step=[2], factor=2.0))]}


def case_poly_scheduler(mx):
    lrs = mx.lr_scheduler
    return {'pwr2': _lrs(lrs.PolyScheduler(max_update=20, base_lr=1.0)),
            'pwr1_final': _lrs(lrs.PolyScheduler(max_update=25, base_lr=0.5, pwr=1,
                                                 final_lr=0.1)),
            'warmup': _lrs(lrs.PolyScheduler(max_update=24, base_lr=0.8, pwr=3, final_lr=0.05,
                                             warmup_steps=6, warmup_begin_lr=0.2)),
            'errors': [raises(lambda: lrs.PolyScheduler(max_update=0)),
                       raises(lambda: lrs.PolyScheduler(max_update=2.5))]}


def case_cosine_scheduler(mx):
    lrs = mx.lr_scheduler
    return {'plain': _lrs(lrs.CosineScheduler(max_update=20, base_lr=1.0)),
            'final': _lrs(lrs.CosineScheduler(max_update=25, base_lr=0.5, final_lr=0.1)),
            'warmup_linear': _lrs(lrs.CosineScheduler(max_update=24, base_lr=0.8,
                                                      final_lr=0.05, warmup_steps=6,
                                                      warmup_begin_lr=0.2)),
            'warmup_constant': _lrs(lrs.CosineScheduler(max_update=24, base_lr=0.8,
                                                        warmup_steps=6, warmup_begin_lr=0.2,
                                                        warmup_mode='constant')),
            'errors': [raises(lambda: lrs.CosineScheduler(max_update=0)),
                       raises(lambda: lrs.CosineScheduler(max_update=10, warmup_steps=1.5))]}


def case_scheduler_in_trainer(mx):
    out = {}
    for name, sched in [('factor', mx.lr_scheduler.FactorScheduler(step=2, factor=0.5,
                                                                   base_lr=0.4)),
                        ('cosine', mx.lr_scheduler.CosineScheduler(max_update=6, base_lr=0.4,
                                                                   warmup_steps=2,
                                                                   warmup_begin_lr=0.1))]:
        net = _net(mx)
        trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                                   {'learning_rate': 0.4, 'lr_scheduler': sched})
        lrs = [trainer.learning_rate]
        for step in range(7):
            _backward(mx, net, step)
            trainer.step(4)
            lrs.append(trainer.learning_rate)
        out[name] = {'lrs': lrs, 'params': _snapshot(net),
                     'set_lr': raises(lambda: trainer.set_learning_rate(0.1))}
    # a learning_rate that differs from the scheduler's base_lr overrides it
    sched = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=1.0)
    opt = mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=sched)
    out['override'] = [sched.base_lr, opt.learning_rate]
    return out


# ----------------------------------------------------------------------------- clipping

def case_clip_global_norm(mx):
    clip = mx.gluon.utils.clip_global_norm
    arrays = [mx.nd.array(_uniform(50, (2, 3))), mx.nd.array(_uniform(51, (4,)))]
    norm = clip(arrays, 0.5)
    loose = [mx.nd.array(_uniform(52, (3,)))]
    loose_norm = clip(loose, 100.0)
    nd_arrays = [mx.nd.array(_uniform(53, (2, 2))), mx.nd.array(_uniform(54, (3,)))]
    nd_norm = clip(nd_arrays, 0.1, check_isfinite=False)
    return {'norm': norm, 'type': type(norm).__name__, 'clipped': arrays,
            'clipped_norm': float(sum((a * a).sum().asscalar() for a in arrays)) ** 0.5,
            'loose_norm': loose_norm, 'loose': loose,
            'nd_norm': nd_norm, 'nd_arrays': nd_arrays,
            'empty': raises(lambda: clip([], 1.0))}


def case_clip_global_norm_nan(mx):
    import warnings
    clip = mx.gluon.utils.clip_global_norm
    arrays = [mx.nd.array([1.0, float('nan')]), mx.nd.array([3.0, 4.0])]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        norm = clip(arrays, 1.0)
    inf_arrays = [mx.nd.array([float('inf'), 1.0])]
    inf_norm = clip(inf_arrays, 1.0, check_isfinite=False)
    return {'norm': norm, 'arrays': arrays,
            'warned': sorted({type(w.message).__name__ for w in caught}),
            'inf_norm': inf_norm, 'inf_arrays': inf_arrays}

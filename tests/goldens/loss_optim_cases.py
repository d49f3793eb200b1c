"""Shared tables for tests/test_gluon_loss_optim.py: optimizer runs and loss calls, plain data
so the recorder (real MXNet 1.9.1) and the test (mxnet-compat) read the same cases."""
import numpy as np

# name -> (optimizer kwargs, weight dtype)
OPTIMIZERS = {
    'sgd': ({'learning_rate': 0.1}, 'float32'),
    'sgd_mom_wd_clip': ({'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01,
                         'clip_gradient': 0.5, 'rescale_grad': 2.0}, 'float32'),
    'nag': ({'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01}, 'float32'),
    'adam': ({'learning_rate': 0.01, 'wd': 0.01, 'clip_gradient': 0.4}, 'float32'),
    'adagrad': ({'learning_rate': 0.1, 'wd': 0.01, 'clip_gradient': 0.5}, 'float32'),
    'rmsprop': ({'learning_rate': 0.01, 'wd': 0.01}, 'float32'),
    'rmsprop_centered': ({'learning_rate': 0.01, 'centered': True, 'clip_weights': 0.9},
                         'float32'),
    'adadelta': ({'wd': 0.01, 'rescale_grad': 0.5}, 'float32'),
    'adamax': ({'wd': 0.01, 'clip_gradient': 0.5}, 'float32'),
    'nadam': ({'learning_rate': 0.01, 'wd': 0.01}, 'float32'),
    'signum': ({'learning_rate': 0.01, 'wd_lh': 0.01, 'wd': 0.01}, 'float32'),
    'signum_nomom': ({'learning_rate': 0.01, 'momentum': 0.0}, 'float32'),
    'ftml': ({'learning_rate': 0.05, 'wd': 0.01, 'clip_gradient': 0.5}, 'float32'),
    'ftrl': ({'lamda1': 0.01, 'wd': 0.01}, 'float32'),
    'lamb': ({'learning_rate': 0.01, 'wd': 0.01}, 'float32'),
    'lamb_bounds': ({'learning_rate': 0.01, 'lower_bound': 0.5, 'upper_bound': 1.5,
                     'bias_correction': False}, 'float32'),
    'dcasgd': ({'learning_rate': 0.1, 'wd': 0.01}, 'float32'),
    'sgd_mp': ({'learning_rate': 0.1, 'momentum': 0.9, 'multi_precision': True}, 'float16'),
    'nag_mp': ({'learning_rate': 0.1, 'momentum': 0.9, 'multi_precision': True}, 'float16'),
    'adam_mp': ({'learning_rate': 0.01, 'multi_precision': True}, 'float16'),
    'lamb_mp': ({'learning_rate': 0.01, 'multi_precision': True}, 'float16'),
    'sgd_mp_nomom': ({'learning_rate': 0.1, 'multi_precision': True}, 'float16'),
}
CLASS = {'sgd_mom_wd_clip': 'sgd', 'rmsprop_centered': 'rmsprop', 'signum_nomom': 'signum',
         'lamb_bounds': 'lamb', 'sgd_mp': 'sgd', 'nag_mp': 'nag', 'adam_mp': 'adam',
         'lamb_mp': 'lamb', 'sgd_mp_nomom': 'sgd'}
STEPS = 3
IDX2NAME = {0: 'fc_weight', 1: 'fc_bias'}     # the bias gets wd_mult 0


def optimizer_arrays(seed=0):
    """Initial weights and one gradient per step, for two parameters."""
    rng = np.random.RandomState(seed)
    weights = [rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, (4,))]
    grads = [[rng.uniform(-1, 1, w.shape) for w in weights] for _ in range(STEPS)]
    return weights, grads


def run_optimizer(mx, case):
    """Run STEPS updates through ``mx.optimizer.get_updater``; the weights after each step."""
    kwargs, dtype = OPTIMIZERS[case]
    opt = mx.optimizer.create(CLASS.get(case, case), param_idx2name=IDX2NAME, **kwargs)
    opt.set_lr_mult({'fc_bias': 0.5})
    updater = mx.optimizer.get_updater(opt)
    weights, grads = optimizer_arrays()
    ws = [mx.nd.array(w, dtype=dtype) for w in weights]
    out = []
    for step in grads:
        for i, (w, g) in enumerate(zip(ws, step)):
            updater(i, mx.nd.array(g, dtype=dtype), w)
        out.append([w.asnumpy().astype(np.float64).tolist() for w in ws])
    return out


# name -> (loss class, constructor kwargs, input shapes/kinds); inputs come from _loss_inputs
LOSSES = {
    'l2_weight_sw': ('L2Loss', {'weight': 0.5}, 'reg_sw'),
    'l1_batch_axis1': ('L1Loss', {'batch_axis': 1}, 'reg'),
    'bce': ('SigmoidBCELoss', {}, 'binary'),
    'bce_from_sigmoid_sw': ('SigmoidBCELoss', {'from_sigmoid': True, 'weight': 2.0}, 'prob_sw'),
    'softmax_ce': ('SoftmaxCELoss', {}, 'class'),
    'softmax_ce_dense': ('SoftmaxCELoss', {'sparse_label': False}, 'dense'),
    'kldiv': ('KLDivLoss', {'from_logits': False}, 'dense'),
    'huber': ('HuberLoss', {'rho': 0.5}, 'reg'),
    'hinge': ('HingeLoss', {}, 'signed'),
    'sq_hinge': ('SquaredHingeLoss', {'margin': 0.5}, 'signed'),
    'logistic_binary': ('LogisticLoss', {'label_format': 'binary'}, 'binary'),
    'triplet': ('TripletLoss', {'margin': 0.5}, 'triplet'),
    'triplet_weight': ('TripletLoss', {'weight': 3.0}, 'triplet'),
    'ctc_ntc': ('CTCLoss', {}, 'ctc'),
    'ctc_tnc_tn_lengths': ('CTCLoss', {'layout': 'TNC', 'label_layout': 'TN'}, 'ctc_tn_len'),
    'ctc_weight_sw': ('CTCLoss', {'weight': 0.5}, 'ctc_sw'),
    'poisson': ('PoissonNLLLoss', {}, 'poisson'),
    'poisson_full_nologits': ('PoissonNLLLoss', {'from_logits': False, 'compute_full': True},
                              'poisson_pos'),
    'cosine': ('CosineEmbeddingLoss', {'margin': 0.1}, 'cosine'),
    'cosine_sw': ('CosineEmbeddingLoss', {'weight': 2.0}, 'cosine_sw'),
    'sdml': ('SDMLLoss', {}, 'sdml'),
}


def _loss_inputs(kind, seed=0):
    rng = np.random.RandomState(seed)
    u = lambda *s: rng.uniform(-1, 1, s)   # noqa: E731
    if kind.startswith('ctc'):
        pred = u(3, 6, 4)                   # N, T, C (alphabet 3 + blank last)
        label = np.array([[0, 1, -1], [2, -1, -1], [1, 1, 0]], dtype=np.float64)
        if kind == 'ctc_tn_len':
            lens = [np.array([6, 5, 6.]), np.array([2, 1, 3.])]
            return [pred.transpose(1, 0, 2), label.T, lens[0], lens[1]]
        if kind == 'ctc_sw':
            return [pred, label, None, None, np.array([1., 2., 0.5])]
        return [pred, label]
    if kind == 'reg':
        return [u(4, 3), u(4, 3)]
    if kind == 'reg_sw':
        return [u(4, 3), u(4, 3), rng.uniform(0, 1, (4, 1))]
    if kind == 'binary':
        return [u(4, 3) * 3, (rng.uniform(0, 1, (4, 3)) > 0.5) * 1.0]
    if kind == 'prob_sw':
        return [rng.uniform(0.05, 0.95, (4, 3)), (rng.uniform(0, 1, (4, 3)) > 0.5) * 1.0,
                rng.uniform(0, 1, (4, 1))]
    if kind == 'class':
        return [u(4, 5) * 2, np.array([0, 4, 2, 1.])]
    if kind == 'dense':
        p = rng.uniform(0.1, 1, (4, 5))
        return [u(4, 5) * 2, p / p.sum(1, keepdims=True)]
    if kind == 'signed':
        return [u(4, 3) * 2, np.sign(u(4, 3))]
    if kind == 'triplet':
        return [u(4, 3), u(4, 3), u(4, 3)]
    if kind == 'poisson':
        return [u(4, 3), rng.poisson(2, (4, 3)) * 1.0]
    if kind == 'poisson_pos':
        return [rng.uniform(0.5, 3, (4, 3)), rng.poisson(2, (4, 3)) * 1.0 + 1]
    if kind in ('cosine', 'cosine_sw'):
        out = [u(4, 5), u(4, 5), np.array([1, -1, 1, -1.])]
        return out + [rng.uniform(0, 1, (4, 1))] if kind == 'cosine_sw' else out
    if kind == 'sdml':
        return [u(4, 5), u(4, 5)]
    raise KeyError(kind)


def run_loss(mx, case):
    cls, kwargs, kind = LOSSES[case]
    loss = getattr(mx.gluon.loss, cls)(**kwargs)
    args = [None if a is None else mx.nd.array(a) for a in _loss_inputs(kind)]
    return loss(*args).asnumpy().astype(np.float64).tolist()

"""Shared table of optimizer-update cases (plain data: importable by the recorder under real
MXNet and by the test under this package)."""
import numpy as np

SHAPE = (3, 4)
VARIANTS = [
    {},
    {'wd': 0.1, 'rescale_grad': 0.5},
    {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 2.0},
]
# op name -> (state input names, required params, whether the states start positive)
CASES = {
    'sgd_update': ([], {'lr': 0.1}),
    'sgd_mom_update': (['mom'], {'lr': 0.1, 'momentum': 0.9}),
    'nag_mom_update': (['mom'], {'lr': 0.1, 'momentum': 0.9}),
    'adam_update': (['mean', 'var'], {'lr': 0.01, 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-6}),
    'rmsprop_update': (['n'], {'lr': 0.01, 'gamma1': 0.9, 'epsilon': 1e-6}),
    'rmspropalex_update': (['n', 'g', 'delta'], {'lr': 0.01, 'gamma1': 0.9, 'gamma2': 0.8}),
    'signsgd_update': ([], {'lr': 0.1}),
    'signum_update': (['mom'], {'lr': 0.1, 'momentum': 0.9, 'wd_lh': 0.01}),
    'ftrl_update': (['z', 'n'], {'lr': 0.1, 'lamda1': 0.01, 'beta': 1.0}),
    'ftml_update': (['d', 'v', 'z'], {'lr': 0.1, 'beta1': 0.6, 'beta2': 0.99, 't': 3}),
}


def inputs(op, seed):
    """weight, grad and states for one case (states positive where a sqrt needs it)."""
    rng = np.random.RandomState(seed)
    states, _ = CASES[op]
    arrays = {'weight': rng.uniform(-1, 1, SHAPE), 'grad': rng.uniform(-1, 1, SHAPE)}
    for s in states:
        arrays[s] = rng.uniform(0.1, 1, SHAPE)
    if op == 'rmspropalex_update':
        arrays['g'] = arrays['g'] * 0.1       # keep n - g^2 > 0
    return {k: v.astype(np.float32) for k, v in arrays.items()}


def params(op, variant):
    p = dict(CASES[op][1])
    p.update(VARIANTS[variant])
    if op == 'ftml_update' and 'clip_gradient' in p:
        p['clip_grad'] = p.pop('clip_gradient')
    return p

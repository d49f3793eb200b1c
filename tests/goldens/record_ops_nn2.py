"""Record the goldens of tests/test_ops_nn2.py under real MXNet 1.9.1.

    cd /tmp && /root/.cache/mxnet-oracle/bin/python \\
        /work/main/tests/goldens/record_ops_nn2.py [--check]

Run it from outside the repository, or ``import mxnet`` finds mxnet-compat.  It writes
``ops_nn2.json`` next to itself (``--check`` compares instead and exits 1 on a difference).
``CASES`` and ``run_case`` use numpy and the ``mxnet`` module they are given, nothing
else: the test imports this file and runs the same table under mxnet-compat.

A case: ``name``, ``op`` (an ``mx.nd`` function name), ``inputs`` (input specs, positional;
None for an absent optional input), ``kwargs``, ``train`` and, for gradient goldens,
``grad`` (positions of the inputs to differentiate; the first output is back-propagated
with ``head``, ones by default).  A failing call records ``{'error': class name}``.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, 'ops_nn2.json')


def randn(*shape, seed=0, scale=1.0, dtype='float32'):
    return ('randn', list(shape), seed, scale, dtype)


def arr(values, dtype='float32'):
    return ('array', values, dtype)


def arange(*shape, scale=1.0, offset=0.0, dtype='float32'):
    return ('arange', list(shape), scale, offset, dtype)


def make_input(spec):
    if spec is None:
        return None
    kind = spec[0]
    if kind == 'randn':
        _, shape, seed, scale, dtype = spec
        return (np.random.RandomState(seed).randn(*shape) * scale).astype(dtype)
    if kind == 'array':
        return np.array(spec[1], dtype=spec[2])
    if kind == 'arange':
        _, shape, scale, offset, dtype = spec
        return (np.arange(int(np.prod(shape))).reshape(shape) * scale + offset).astype(dtype)
    raise ValueError(spec)


def C(name, op, inputs, train=False, grad=(), head=None, **kwargs):
    return {'name': name, 'op': op, 'inputs': list(inputs), 'kwargs': kwargs, 'train': train,
            'grad': list(grad), 'head': head}


# ----------------------------------------------------------------------------- ROIPooling

IMG = arange(1, 1, 8, 6)                       # the docstring's example
FEAT = randn(2, 3, 7, 9, seed=1)
ROIS = arr([[0, 0, 0, 4, 4], [1, 1.4, 2.5, 7.6, 6.5], [0, 3, 1, 3, 1], [1, -3, -2, 2, 3],
            [0, 5, 4, 20, 12], [1, 12, 10, 30, 20], [0, 6.5, 2.5, 2, 1], [1, 0, 0, 8, 6]])
FEAT_TIES = arr([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 0, 0]]]])
CASES = [
    C('roi_doc_1', 'ROIPooling', [IMG, arr([[0, 0, 0, 4, 4]])], pooled_size=(2, 2),
      spatial_scale=1.0),
    C('roi_doc_07', 'ROIPooling', [IMG, arr([[0, 0, 0, 4, 4]])], pooled_size=(2, 2),
      spatial_scale=0.7),
    C('roi_many_s1', 'ROIPooling', [FEAT, ROIS], pooled_size=(3, 2), spatial_scale=1.0,
      grad=[0], head=randn(8, 3, 3, 2, seed=5)),
    C('roi_many_s05', 'ROIPooling', [FEAT, ROIS], pooled_size=(2, 4), spatial_scale=0.5,
      grad=[0]),
    C('roi_many_s0625', 'ROIPooling', [FEAT, ROIS], pooled_size=(4, 3), spatial_scale=0.625,
      grad=[0]),
    C('roi_big_bins', 'ROIPooling', [FEAT, ROIS], pooled_size=(7, 7), spatial_scale=1.0),
    C('roi_ties', 'ROIPooling', [FEAT_TIES, arr([[0, 0, 0, 3, 2], [0, 0, 0, 1, 1]])],
      pooled_size=(1, 1), spatial_scale=1.0, grad=[0]),
    C('roi_bad_batch', 'ROIPooling', [FEAT, arr([[-1, 0, 0, 3, 3], [0, 0, 0, 3, 3]])],
      pooled_size=(2, 2), spatial_scale=1.0),
    C('roi_f64', 'ROIPooling', [arange(1, 2, 5, 5, scale=0.5, dtype='float64'),
                                arr([[0, 0.6, 0.4, 3.5, 4.5]], dtype='float64')],
      pooled_size=(2, 3), spatial_scale=1.0),
]

# ----------------------------------------------------------------------------- SVMOutput

SVM_X = arr([[0.5, -2.0, 1.5, -0.3], [2.0, 0.9, -1.2, 0.0], [-0.5, 0.2, 0.7, 3.0]])
SVM_L = arr([0, 2, 3])
CASES += [
    C('svm_l2', 'SVMOutput', [SVM_X, SVM_L], grad=[0]),
    C('svm_l2_margin', 'SVMOutput', [SVM_X, SVM_L], grad=[0], margin=0.5,
      regularization_coefficient=0.3, head=randn(3, 4, seed=2)),
    C('svm_l1', 'SVMOutput', [SVM_X, SVM_L], grad=[0], use_linear=True),
    C('svm_l1_margin', 'SVMOutput', [SVM_X, SVM_L], grad=[0], use_linear=True, margin=2.0,
      regularization_coefficient=2.0),
]


# ----------------------------------------------------------------------------- RNN

def n_params(mode, inp, hid, layers, dirs):
    g = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}[mode] * hid
    return sum(dirs * (g * (inp if l == 0 else dirs * hid) + g * hid + 2 * g)
               for l in range(layers))


def rnn_case(name, mode, layers, bidir, grad=True, T=3, N=2, inp=3, hid=4, **kwargs):
    dirs = 2 if bidir else 1
    inputs = [randn(T, N, inp, seed=10), randn(n_params(mode, inp, hid, layers, dirs),
                                               seed=11, scale=0.4),
              randn(layers * dirs, N, hid, seed=12, scale=0.5)]
    if mode == 'lstm':
        inputs.append(randn(layers * dirs, N, hid, seed=13, scale=0.5))
    return C(name, 'RNN', inputs, grad=list(range(len(inputs))) if grad else (),
             head=randn(T, N, dirs * hid, seed=14), state_size=hid, num_layers=layers,
             bidirectional=bidir, mode=mode, **kwargs)


CASES += [
    rnn_case('rnn_tanh_1', 'rnn_tanh', 1, False),
    rnn_case('rnn_relu_2', 'rnn_relu', 2, False, state_outputs=True),
    rnn_case('rnn_tanh_bi', 'rnn_tanh', 1, True, state_outputs=True),
    rnn_case('lstm_1', 'lstm', 1, False),
    rnn_case('lstm_2_bi', 'lstm', 2, True, state_outputs=True),
    rnn_case('lstm_2_bi_nograd', 'lstm', 2, True, grad=False, state_outputs=True),
    rnn_case('lstm_clip', 'lstm', 1, False, grad=False, state_outputs=True,
             lstm_state_clip_min=-0.2, lstm_state_clip_max=0.3),
    rnn_case('gru_1', 'gru', 1, False, state_outputs=True),
    rnn_case('gru_3_bi', 'gru', 3, True, state_outputs=True, inp=2, hid=3),
    rnn_case('gru_2_bi_nograd', 'gru', 2, True, grad=False, state_outputs=True),
    rnn_case('rnn_bad_params', 'rnn_tanh', 1, False, grad=False, inp=4),
]
CASES[-1]['inputs'][0] = randn(3, 2, 3, seed=10)

CASES += [
    rnn_case('rnn_seq_len_ignored', 'rnn_tanh', 1, False, grad=False,
             use_sequence_length=True),
]
CASES[-1]['inputs'].append(arr([3, 2], dtype='int32'))

# ----------------------------------------------------------------------------- CTCLoss

CTC_X = randn(6, 3, 5, seed=20)
CTC_H = randn(3, seed=21)
CASES += [
    C('ctc_first', 'CTCLoss', [CTC_X, arr([[1, 2, 0], [3, 3, 4], [2, 0, 0]])], grad=[0],
      head=CTC_H),
    C('ctc_first_repeat', 'CTCLoss', [CTC_X, arr([[1, 1, 1], [4, 4, 0], [2, 2, 2]])],
      grad=[0]),
    C('ctc_last', 'CTCLoss', [CTC_X, arr([[0, 1, -1], [3, 3, 2], [1, -1, -1]])], grad=[0],
      blank_label='last'),
    C('ctc_data_lengths', 'CTCLoss', [CTC_X, arr([[1, 2, 0], [3, 3, 4], [2, 0, 0]]),
                                      arr([4, 6, 2])],
      grad=[0], head=CTC_H, use_data_lengths=True),
    C('ctc_label_lengths', 'CTCLoss', [CTC_X, arr([[1, 2, 3], [3, 3, 4], [2, 1, 1]]), None,
                                       arr([2, 3, 1])],
      grad=[0], use_label_lengths=True),
    C('ctc_both_lengths', 'CTCLoss', [CTC_X, arr([[1, 2, 3], [3, 3, 4], [2, 1, 1]]),
                                      arr([5, 6, 3]), arr([2, 3, 0])],
      grad=[0], use_label_lengths=True, use_data_lengths=True, blank_label='first'),
    C('ctc_int_labels', 'CTCLoss', [CTC_X, arr([[1, 2, 0], [3, 3, 4], [2, 1, 0]], 'int32')],
      grad=[0]),
    C('ctc_loss_alias', 'ctc_loss', [CTC_X, arr([[1, 2, 0], [3, 3, 4], [2, 0, 0]])]),
]


def encode(x):
    a = x.asnumpy()
    return {'dtype': np.dtype(a.dtype).name, 'shape': list(a.shape),
            'values': a.astype(np.float64).tolist()}


def _nd(mx, spec):
    if spec is None:
        return None
    value = make_input(spec)
    return mx.nd.array(value, dtype=value.dtype)


def run_case(mx, case, lookup=None):
    """Run one case under the given ``mxnet``: outputs and gradients, or ``{'error': ...}``."""
    nd, ag = mx.nd, mx.autograd
    fn = lookup(case['op']) if lookup else getattr(nd, case['op'])
    inputs = [_nd(mx, s) for s in case['inputs']]
    args = [a for a in inputs if a is not None]      # absent optional inputs are dropped
    try:
        for i in case['grad']:
            inputs[i].attach_grad()
        if case['grad']:
            with ag.record(train_mode=case['train']):
                out = fn(*args, **case['kwargs'])
            first = out[0] if isinstance(out, (list, tuple)) else out
            first.backward(_nd(mx, case['head']))
        elif case['train']:
            with ag.train_mode():
                out = fn(*args, **case['kwargs'])
        else:
            out = fn(*args, **case['kwargs'])
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        result = {'outputs': [encode(o) for o in outs]}
        if case['grad']:
            result['grads'] = [encode(inputs[i].grad) for i in case['grad']]
        return result
    except Exception as e:  # noqa: BLE001 - MXNet raises lazily (at asnumpy), any class
        return {'error': type(e).__name__}


def main():
    import mxnet as mx
    if 'mxnet_compat' in getattr(mx, '__file__', '') or hasattr(mx, 'compat_version'):
        sys.exit('this imported mxnet-compat; run it from outside the repository with the '
                 'reference interpreter')
    assert mx.__version__ == '1.9.1', mx.__version__
    names = [c['name'] for c in CASES]
    assert len(names) == len(set(names)), 'duplicate case names'
    goldens = {}
    for case in CASES:
        mx.random.seed(0)
        goldens[case['name']] = run_case(mx, case)
    text = json.dumps(goldens, indent=0, sort_keys=True)
    if '--check' in sys.argv:
        with open(GOLDEN) as f:
            same = f.read().strip() == text.strip()
        print('goldens up to date' if same else 'goldens differ from a re-recording')
        sys.exit(0 if same else 1)
    with open(GOLDEN, 'w') as f:
        f.write(text + '\n')
    errors = sum('error' in g for g in goldens.values())
    print('recorded {} cases ({} expected errors) to {}'.format(len(goldens), errors, GOLDEN))


if __name__ == '__main__':
    main()

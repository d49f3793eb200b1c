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
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from op_golden import (C, TOLERANCES, arange, arr, assert_encoded_equal,  # noqa: E402,F401
                       randn, record, run_case)

GOLDEN = os.path.join(HERE, 'ops_nn2.json')

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


if __name__ == '__main__':
    record(CASES, GOLDEN)

"""Record the goldens of tests/test_ops_nn_indexing.py under real MXNet 1.9.1.

    cd /tmp && /root/.cache/mxnet-oracle/bin/python \\
        /work/main/tests/goldens/record_ops_nn_indexing.py [--check]

Run it from outside the repository, or ``import mxnet`` finds mxnet-compat.  It writes
``ops_nn_indexing.json`` next to itself (``--check`` compares instead and exits 1 on a
difference).  The case table ``CASES`` and the runner ``run_case`` use numpy and the
``mxnet`` module they are given, nothing else: the test imports this file and runs the
same table under mxnet-compat.

A case: ``name``, ``op`` (an ``mx.nd`` function name), ``inputs`` (input specs, see
:func:`make_input`; positional, in MXNet's order), ``kwargs`` (the operator's parameters),
``train`` (run in training mode) and, for gradient goldens, ``grad`` (positions of the
inputs to differentiate: the call is recorded and its first output back-propagated with
``head``, ones by default) and ``after`` (positions of inputs whose values are recorded
after the call: BatchNorm's in-place updates).  A case whose call raises records
``{'error': class name}``; the test then expects an MXNetError.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, 'ops_nn_indexing.json')


# ----------------------------------------------------------------------------- input specs

def randn(*shape, seed=0, dtype='float32'):
    return ('randn', list(shape), seed, dtype)


def arr(values, dtype='float32'):
    return ('array', values, dtype)


def arange(*shape, scale=1.0, offset=0.0, dtype='float32'):
    return ('arange', list(shape), scale, offset, dtype)


def make_input(spec):
    """The numpy value of an input spec (None stays None: an absent optional input)."""
    if spec is None:
        return None
    kind = spec[0]
    if kind == 'randn':
        _, shape, seed, dtype = spec
        return np.random.RandomState(seed).randn(*shape).astype(dtype)
    if kind == 'array':
        return np.array(spec[1], dtype=spec[2])
    if kind == 'arange':
        _, shape, scale, offset, dtype = spec
        return (np.arange(int(np.prod(shape))).reshape(shape) * scale + offset).astype(dtype)
    raise ValueError(spec)


def C(name, op, inputs, train=False, grad=(), head=None, after=(), **kwargs):
    return {'name': name, 'op': op, 'inputs': list(inputs), 'kwargs': kwargs, 'train': train,
            'grad': list(grad), 'head': head, 'after': list(after)}


X25 = arr([[-2.0, -0.5, 0.0, 0.5, 3.0]])
L24 = arr([[1, 2, 3, 4], [4, 3, 2, 1]])
IMG = arange(2, 4, 5, 5, scale=0.02)                      # NCHW
W_CONV = arange(6, 4, 3, 3, scale=0.01, offset=-0.5)
P55 = arange(1, 1, 5, 5, offset=-12.0)
BN_X = randn(4, 3, seed=0)
BN_X4 = randn(2, 3, 2, 2, seed=1)
BN_G, BN_B = arr([1.0, 2.0, 3.0]), arr([0.1, 0.2, 0.3])
BN_MM, BN_MV = arr([0.5, 0.5, 0.5]), arr([2.0, 2.0, 2.0])
SO_D = arr([[1, 2, 3], [3, 2, 1], [0, 0, 5], [1, 1, 1]])
SO_L = arr([2, 0, 1, -1])
SO_D3 = arange(2, 3, 4, scale=0.1)
SO_L3 = arr([[0, 1, 2, 1], [2, 2, -1, 0]])
SEQ = arange(4, 3, 2)
SEQ_LEN = arr([1, 4, 2])
M34 = arange(3, 4)
T3 = arange(2, 3, 4)
SORTME = arr([[3, 1, 2, 5], [4, 4, 0, -1], [1, 2, 2, 1]])

CASES = [
    # --- activations
    *[C('Activation_' + a, 'Activation', [X25], act_type=a)
      for a in ('relu', 'sigmoid', 'tanh', 'softrelu', 'softsign')],
    C('Activation_float64', 'Activation', [arr([-1.0, 2.0], 'float64')], act_type='sigmoid'),
    C('Activation_int_error', 'Activation', [arr([-1, 2], 'int32')], act_type='relu'),
    C('Activation_bad_type', 'Activation', [X25], act_type='gelu'),
    C('Activation_missing_type', 'Activation', [X25]),
    *[C('LeakyReLU_' + a, 'LeakyReLU', [X25], act_type=a) for a in ('leaky', 'elu', 'selu',
                                                                      'gelu', 'rrelu')],
    C('LeakyReLU_slope', 'LeakyReLU', [X25], slope=0.1),
    C('LeakyReLU_elu_slope', 'LeakyReLU', [X25], act_type='elu', slope=0.3),
    C('LeakyReLU_prelu', 'LeakyReLU', [arange(2, 3, 2, offset=-6.0), arr([0.1, 0.2, 0.3])],
      act_type='prelu', grad=[0, 1]),
    C('LeakyReLU_prelu_scalar_gamma', 'LeakyReLU', [X25, arr([0.1])], act_type='prelu'),
    C('LeakyReLU_prelu_no_gamma', 'LeakyReLU', [X25], act_type='prelu'),
    C('hard_sigmoid', 'hard_sigmoid', [X25]),
    C('hard_sigmoid_params', 'hard_sigmoid', [X25], alpha=0.5, beta=0.1),
    C('smooth_l1', 'smooth_l1', [X25]),
    C('smooth_l1_scalar', 'smooth_l1', [X25], scalar=2.0),
    # --- softmax family
    C('softmax', 'softmax', [X25]),
    C('softmax_temperature', 'softmax', [X25], temperature=2.0),
    C('softmax_dtype64', 'softmax', [X25], dtype='float64'),
    C('softmax_float16', 'softmax', [arr([1.0, 2.0, -1.0], 'float16')]),
    C('softmax_axis0', 'softmax', [arr([[1, 2, 3], [3, 3, 1]])], axis=0),
    C('softmax_float64', 'softmax', [randn(3, 4, dtype='float64')]),
    C('softmax_int_error', 'softmax', [arr([1, 2], 'int32')]),
    C('softmax_length', 'softmax', [L24, arr([2, 3], 'int32')], use_length=True),
    C('softmax_length_zero', 'softmax', [L24, arr([0, 3], 'int32')], use_length=True),
    C('softmax_length_axis0', 'softmax', [L24, arr([1, 2, 1, 2], 'int32')], axis=0,
      use_length=True),
    C('softmax_length_3d', 'softmax', [randn(2, 3, 4), arr([[1, 2, 3], [4, 0, 2]], 'int32')],
      use_length=True),
    C('softmax_length_without_flag', 'softmax', [L24, arr([2, 3], 'int32')]),
    C('log_softmax', 'log_softmax', [L24]),
    C('log_softmax_temperature', 'log_softmax', [L24], temperature=0.5),
    C('log_softmax_axis0', 'log_softmax', [randn(3, 2)], axis=0),
    C('log_softmax_use_length_error', 'log_softmax', [L24], use_length=True),
    C('softmin', 'softmin', [L24]),
    C('softmin_temperature', 'softmin', [L24], temperature=0.5),
    C('SoftmaxActivation', 'SoftmaxActivation', [arange(2, 3, 2, scale=0.2)]),
    C('SoftmaxActivation_channel', 'SoftmaxActivation', [randn(2, 3, 2)], mode='channel'),
    C('SoftmaxActivation_1d', 'SoftmaxActivation', [arr([1, 2, 3])]),
    C('SoftmaxActivation_1d_channel_error', 'SoftmaxActivation', [arr([1, 2, 3])],
      mode='channel'),
    # --- Dropout (deterministic cases only: identity when not training)
    C('Dropout_predict_identity', 'Dropout', [randn(3, 4)]),
    C('Dropout_p0_always', 'Dropout', [randn(3, 4)], mode='always', p=0.0),
    # --- FullyConnected
    C('FullyConnected', 'FullyConnected', [arange(2, 3, 4, scale=0.1),
                                           arange(5, 12, scale=0.01), arange(5)],
      num_hidden=5, grad=[0, 1, 2]),
    C('FullyConnected_no_bias', 'FullyConnected', [arange(2, 3, 4, scale=0.1),
                                                   arange(5, 12, scale=0.01)],
      num_hidden=5, no_bias=True),
    C('FullyConnected_flatten_false', 'FullyConnected',
      [arange(2, 3, 4, scale=0.1), arange(5, 4, scale=0.01), arange(5)], num_hidden=5,
      flatten=False),
    C('FullyConnected_1d_no_flatten', 'FullyConnected', [arr([1, 2, 3, 4]),
                                                         arange(5, 4, scale=0.01), arange(5)],
      num_hidden=5, flatten=False),
    C('FullyConnected_float64', 'FullyConnected',
      [randn(2, 3, dtype='float64'), randn(4, 3, seed=1, dtype='float64'),
       randn(4, seed=2, dtype='float64')], num_hidden=4),
    C('FullyConnected_wrong_num_hidden', 'FullyConnected',
      [randn(2, 3), randn(5, 3), randn(5)], num_hidden=4),
    C('FullyConnected_bias_missing', 'FullyConnected', [randn(2, 3), randn(5, 3)],
      num_hidden=5),
    C('FullyConnected_no_bias_but_bias', 'FullyConnected', [randn(2, 3), randn(5, 3), randn(5)],
      num_hidden=5, no_bias=True),
    C('FullyConnected_mixed_dtype', 'FullyConnected',
      [randn(2, 3, dtype='float64'), randn(5, 3), randn(5)], num_hidden=5),
    # --- Convolution / Deconvolution
    C('Convolution_2d', 'Convolution', [IMG, W_CONV, arange(6)], kernel=(3, 3), num_filter=6),
    C('Convolution_2d_stride_pad_dilate', 'Convolution', [IMG, W_CONV, arange(6)],
      kernel=(3, 3), num_filter=6, stride=(2, 1), pad=(1, 2), dilate=(1, 2), grad=[0, 1, 2],
      head=randn(2, 6, 3, 5, seed=3)),
    C('Convolution_no_bias', 'Convolution', [IMG, W_CONV], kernel=(3, 3), num_filter=6,
      no_bias=True),
    C('Convolution_groups', 'Convolution', [IMG, arange(6, 2, 3, 3, scale=0.01), arange(6)],
      kernel=(3, 3), num_filter=6, num_group=2, grad=[0, 1]),
    C('Convolution_1d', 'Convolution', [arange(2, 3, 7, scale=0.1), arange(4, 3, 2, scale=0.1),
                                        arr([1, 1, 1, 1])],
      kernel=(2,), num_filter=4, stride=(2,), pad=(1,)),
    C('Convolution_3d', 'Convolution', [arange(1, 2, 4, 4, 4, scale=0.01),
                                        arange(3, 2, 2, 2, 2, scale=0.1), arr([1, 2, 3])],
      kernel=(2, 2, 2), num_filter=3, stride=(2, 1, 2), pad=(0, 1, 1)),
    C('Convolution_float64', 'Convolution', [randn(1, 2, 4, 4, dtype='float64'),
                                             randn(3, 2, 2, 2, seed=1, dtype='float64'),
                                             randn(3, seed=2, dtype='float64')],
      kernel=(2, 2), num_filter=3),
    C('Convolution_bad_num_filter', 'Convolution', [IMG, W_CONV, arange(6)], kernel=(3, 3),
      num_filter=5),
    C('Convolution_kernel_rank_error', 'Convolution', [IMG, W_CONV, arange(6)], kernel=(3,),
      num_filter=6),
    C('Deconvolution', 'Deconvolution', [arange(1, 2, 2, 2), arr(np.ones((2, 1, 2, 2)).tolist())],
      kernel=(2, 2), num_filter=1),
    C('Deconvolution_bias', 'Deconvolution', [arange(1, 2, 2, 2),
                                              arr(np.ones((2, 1, 2, 2)).tolist()), arr([5])],
      kernel=(2, 2), num_filter=1, no_bias=False),
    C('Deconvolution_stride_pad_adj', 'Deconvolution',
      [randn(1, 3, 3, 3), randn(3, 2, 3, 3, seed=1)], kernel=(3, 3), num_filter=2,
      stride=(2, 2), pad=(1, 1), adj=(1, 0), grad=[0, 1]),
    # a target_shape that needs padding fails inside MXNet 1.9.1's MKL-DNN kernel
    C('Deconvolution_target_shape', 'Deconvolution', [randn(1, 3, 3, 3),
                                                      randn(3, 2, 4, 4, seed=1)],
      kernel=(4, 4), num_filter=2, stride=(2, 2), target_shape=(8, 8)),
    C('Deconvolution_adj_not_below_stride_error', 'Deconvolution',
      [randn(1, 3, 3, 3), randn(3, 2, 3, 3, seed=1)], kernel=(3, 3), num_filter=2, adj=(1, 1)),
    C('Deconvolution_groups_dilate', 'Deconvolution', [randn(1, 4, 3, 3),
                                                       randn(4, 1, 2, 3, seed=1)],
      kernel=(2, 3), num_filter=2, num_group=2, stride=(2, 1), dilate=(2, 1)),
    C('Deconvolution_1d', 'Deconvolution', [randn(2, 2, 5), randn(2, 3, 3, seed=1), randn(3)],
      kernel=(3,), num_filter=3, stride=(3,), no_bias=False),
    # --- Pooling
    C('Pooling_max', 'Pooling', [P55], kernel=(2, 2)),
    C('Pooling_max_stride', 'Pooling', [P55], kernel=(2, 2), stride=(2, 2)),
    C('Pooling_max_full', 'Pooling', [P55], kernel=(2, 2), stride=(2, 2),
      pooling_convention='full'),
    C('Pooling_max_pad', 'Pooling', [P55], kernel=(3, 3), stride=(2, 2), pad=(1, 1)),
    C('Pooling_max_full_pad', 'Pooling', [P55], kernel=(3, 3), stride=(2, 2), pad=(1, 1),
      pooling_convention='full'),
    C('Pooling_avg_full', 'Pooling', [P55], kernel=(2, 2), stride=(2, 2),
      pooling_convention='full', pool_type='avg'),
    C('Pooling_avg_full_no_pad_count', 'Pooling', [P55], kernel=(2, 2), stride=(2, 2),
      pooling_convention='full', pool_type='avg', count_include_pad=False),
    C('Pooling_avg_pad', 'Pooling', [P55], kernel=(3, 3), stride=(2, 2), pad=(1, 1),
      pool_type='avg'),
    C('Pooling_avg_pad_no_pad_count', 'Pooling', [P55], kernel=(3, 3), stride=(2, 2),
      pad=(1, 1), pool_type='avg', count_include_pad=False),
    C('Pooling_avg_full_pad', 'Pooling', [arr(np.ones((1, 1, 6, 6)).tolist())], kernel=(3, 3),
      stride=(2, 2), pad=(1, 1), pooling_convention='full', pool_type='avg'),
    C('Pooling_avg_full_pad_no_pad_count', 'Pooling', [P55], kernel=(3, 3), stride=(2, 2),
      pad=(1, 1), pooling_convention='full', pool_type='avg', count_include_pad=False),
    C('Pooling_sum', 'Pooling', [P55], kernel=(2, 3), stride=(1, 2), pool_type='sum'),
    C('Pooling_lp1', 'Pooling', [P55], kernel=(2, 2), pool_type='lp', p_value=1),
    C('Pooling_lp2', 'Pooling', [P55], kernel=(2, 2), pool_type='lp', p_value=2),
    C('Pooling_lp3', 'Pooling', [P55], kernel=(2, 2), pool_type='lp', p_value=3),
    C('Pooling_global_avg', 'Pooling', [IMG], global_pool=True, pool_type='avg'),
    C('Pooling_global_ignores_kernel', 'Pooling', [P55], kernel=(2, 2), stride=(2, 2),
      pad=(1, 1), global_pool=True, pool_type='sum'),
    C('Pooling_global_max', 'Pooling', [IMG], global_pool=True, kernel=(1, 1)),
    C('Pooling_1d', 'Pooling', [arange(1, 2, 7)], kernel=(3,), stride=(2,), pool_type='avg'),
    C('Pooling_1d_full', 'Pooling', [arange(1, 2, 7)], kernel=(3,), stride=(3,),
      pooling_convention='full'),
    C('Pooling_3d', 'Pooling', [arange(1, 2, 4, 4, 4, scale=0.01)], kernel=(2, 2, 2),
      stride=(2, 2, 2)),
    C('Pooling_float64_avg', 'Pooling', [randn(1, 2, 4, 4, dtype='float64')], kernel=(2, 2),
      stride=(2, 2), pool_type='avg'),
    C('Pooling_float16_avg', 'Pooling', [arange(1, 1, 4, 4, dtype='float16')], kernel=(2, 2),
      stride=(2, 2), pool_type='avg'),
    # recorded in training mode: MXNet 1.9.1's max-pooling gradient is wrong when the forward
    # ran in prediction mode (MKL-DNN keeps no workspace)
    C('Pooling_max_grad', 'Pooling', [randn(1, 2, 4, 4)], kernel=(2, 2), stride=(1, 1),
      grad=[0], head=randn(1, 2, 3, 3, seed=5), train=True),
    C('Pooling_avg_grad', 'Pooling', [randn(1, 2, 5, 5)], kernel=(3, 3), stride=(2, 2),
      pad=(1, 1), pool_type='avg', pooling_convention='full', grad=[0], train=True),
    C('Pooling_no_kernel_error', 'Pooling', [IMG]),
    C('Pooling_2d_input_error', 'Pooling', [randn(4, 4)], kernel=(2, 2)),
    C('Pooling_pad_too_big_error', 'Pooling', [P55], kernel=(2, 2), pad=(2, 2)),
    C('Pooling_int_error', 'Pooling', [arange(1, 1, 4, 4, dtype='int32')], kernel=(2, 2)),
    # --- BatchNorm (in-place effects in 'after': gamma, moving_mean, moving_var)
    C('BatchNorm_predict', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV], after=[1, 3, 4]),
    C('BatchNorm_predict_no_fix', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV],
      fix_gamma=False, after=[1, 3, 4]),
    C('BatchNorm_predict_mean_var', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV],
      output_mean_var=True, fix_gamma=False),
    C('BatchNorm_train_no_record', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV], train=True,
      fix_gamma=False, after=[3, 4]),
    C('BatchNorm_train_mean_var', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV], train=True,
      fix_gamma=False, output_mean_var=True),
    C('BatchNorm_train_global_stats', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV],
      train=True, fix_gamma=False, use_global_stats=True, output_mean_var=True),
    C('BatchNorm_4d_train', 'BatchNorm', [BN_X4, BN_G, BN_B, BN_MM, BN_MV], train=True,
      fix_gamma=False, output_mean_var=True),
    C('BatchNorm_channel_last', 'BatchNorm', [randn(2, 2, 2, 3, seed=1), BN_G, BN_B, BN_MM,
                                              BN_MV], fix_gamma=False, axis=3),
    C('BatchNorm_axis0', 'BatchNorm', [BN_X, arr([1, 1, 1, 1]), arr([0, 0, 0, 0]),
                                       arr([0, 0, 0, 0]), arr([1, 1, 1, 1])], axis=0),
    C('BatchNorm_float16_data', 'BatchNorm', [randn(4, 3, dtype='float16'), BN_G, BN_B, BN_MM,
                                              BN_MV]),
    C('BatchNorm_float64', 'BatchNorm', [randn(4, 3, dtype='float64'), arr([1, 2, 3], 'float64'),
                                         arr([0, 0, 1], 'float64'), arr([0, 0, 0], 'float64'),
                                         arr([1, 1, 1], 'float64')], train=True),
    C('BatchNorm_1d_error', 'BatchNorm', [arr([1, 2, 3]), BN_G, BN_B, BN_MM, BN_MV]),
    *[C('BatchNorm_grad_{}_{}'.format('fix' if fix else 'nofix', 'train' if train else 'predict'),
        'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV], train=train, fix_gamma=fix,
        grad=[0, 1, 2, 3, 4], head=arange(4, 3), after=[1, 3, 4])
      for fix in (True, False) for train in (True, False)],
    C('BatchNorm_grad_momentum', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV], train=True,
      momentum=0.5, grad=[0], after=[3, 4]),
    C('BatchNorm_grad_global_stats', 'BatchNorm', [BN_X, BN_G, BN_B, BN_MM, BN_MV],
      train=True, use_global_stats=True, grad=[0], after=[3, 4]),
    C('BatchNorm_grad_mean_var', 'BatchNorm', [BN_X4, BN_G, BN_B, BN_MM, BN_MV], train=True,
      fix_gamma=False, output_mean_var=True, grad=[0, 1, 2], head=randn(2, 3, 2, 2, seed=7),
      after=[3, 4]),
    C('BatchNorm_grad_channel_last', 'BatchNorm', [randn(2, 2, 2, 3, seed=1), BN_G, BN_B, BN_MM,
                                                   BN_MV], train=True, fix_gamma=False,
      axis=-1, grad=[0, 1], head=randn(2, 2, 2, 3, seed=2), after=[3, 4]),
    # --- other normalisations
    C('LayerNorm', 'LayerNorm', [randn(2, 3, 4), arr([1, 2, 3, 4]), arr([0, 0, 1, 1])],
      grad=[0, 1, 2], head=randn(2, 3, 4, seed=4)),
    C('LayerNorm_mean_std', 'LayerNorm', [randn(2, 3, 4), arr([1, 2, 3, 4]),
                                          arr([0, 0, 1, 1])], output_mean_var=True),
    C('LayerNorm_axis1', 'LayerNorm', [randn(2, 3, 4), arr([1, 2, 3]), arr([0, 0, 1])], axis=1,
      output_mean_var=True, eps=0.1),
    C('LayerNorm_wrong_gamma', 'LayerNorm', [randn(2, 3, 4), arr([1, 2, 3]), arr([0, 0, 1])]),
    C('InstanceNorm', 'InstanceNorm', [randn(2, 3, 4), arr([1, 2, 3]), arr([0, 0, 1])],
      grad=[0, 1, 2], head=randn(2, 3, 4, seed=4)),
    C('InstanceNorm_4d', 'InstanceNorm', [randn(2, 3, 2, 2), arr([1.5, 2, 3]), arr([0.5, 0, 1])],
      eps=0.01),
    C('InstanceNorm_doc_example', 'InstanceNorm', [arr([[[1.1, 2.2]], [[3.3, 4.4]]]), arr([1.5]),
                                                   arr([0.5])]),
    C('GroupNorm', 'GroupNorm', [randn(2, 4, 3), arr([1, 2]), arr([0, 1])], num_groups=2,
      grad=[0, 1, 2], head=randn(2, 4, 3, seed=4)),
    C('GroupNorm_mean_std', 'GroupNorm', [randn(2, 4, 3), arr([1, 2]), arr([0, 1])],
      num_groups=2, output_mean_var=True),
    C('GroupNorm_per_channel_gamma_error', 'GroupNorm', [randn(2, 4, 3), arr([1, 2, 3, 4]),
                                                         arr([0, 0, 1, 1])], num_groups=2),
    C('LRN', 'LRN', [arange(2, 5, 2, 2, scale=0.1)], nsize=3),
    C('LRN_params', 'LRN', [arange(2, 5, 2, 2, scale=0.1)], nsize=5, alpha=0.1, beta=0.5,
      knorm=1.0, grad=[0]),
    C('LRN_3d_error', 'LRN', [randn(2, 5, 2)], nsize=3),
    C('L2Normalization', 'L2Normalization', [arange(2, 3, 2, offset=1.0)], grad=[0]),
    C('L2Normalization_channel', 'L2Normalization', [arange(2, 3, 2, offset=1.0)],
      mode='channel'),
    C('L2Normalization_spatial', 'L2Normalization', [arange(2, 3, 2, offset=1.0)],
      mode='spatial'),
    C('L2Normalization_2d_zero_row', 'L2Normalization', [arr([[3, 4], [0, 0]])]),
    C('L2Normalization_1d', 'L2Normalization', [arr([3, 4])]),
    C('L2Normalization_eps', 'L2Normalization', [arr([[3, 4], [0, 0]])], eps=1.0),
    C('L2Normalization_2d_channel_error', 'L2Normalization', [arr([[3, 4]])], mode='channel'),
    # --- Embedding
    C('Embedding', 'Embedding', [arr([[0, 4], [2, 1]]), arange(5, 3)], input_dim=5, output_dim=3,
      grad=[1], head=randn(2, 2, 3)),
    C('Embedding_out_of_range', 'Embedding', [arr([-1, 5, 7, 2.7, 2.5]), arange(5, 3)],
      input_dim=5, output_dim=3),
    C('Embedding_int_indices', 'Embedding', [arr([0, 4], 'int32'), arange(5, 3)], input_dim=5,
      output_dim=3),
    C('Embedding_float64_weight', 'Embedding', [arr([0, 4]), arange(5, 3, dtype='float64')],
      input_dim=5, output_dim=3),
    C('Embedding_wrong_input_dim', 'Embedding', [arr([0, 4]), arange(5, 3)], input_dim=4,
      output_dim=3),
    C('Embedding_missing_dims', 'Embedding', [arr([0, 4]), arange(5, 3)]),
    # --- SoftmaxOutput and friends (gradient goldens: the head gradient is ignored)
    C('SoftmaxOutput', 'SoftmaxOutput', [SO_D, SO_L], grad=[0, 1], head=randn(4, 3)),
    C('SoftmaxOutput_alias_Softmax', 'Softmax', [SO_D, SO_L]),
    C('SoftmaxOutput_predict_mode', 'SoftmaxOutput', [SO_D, SO_L], grad=[0]),
    C('SoftmaxOutput_train_mode', 'SoftmaxOutput', [SO_D, SO_L], grad=[0], train=True),
    C('SoftmaxOutput_use_ignore', 'SoftmaxOutput', [SO_D, SO_L], use_ignore=True, grad=[0]),
    C('SoftmaxOutput_ignore_valid', 'SoftmaxOutput', [SO_D, SO_L], use_ignore=True,
      normalization='valid', grad=[0]),
    C('SoftmaxOutput_valid_without_ignore', 'SoftmaxOutput', [SO_D, SO_L],
      normalization='valid', grad=[0]),
    C('SoftmaxOutput_batch', 'SoftmaxOutput', [SO_D, SO_L], normalization='batch', grad=[0]),
    C('SoftmaxOutput_grad_scale', 'SoftmaxOutput', [SO_D, SO_L], grad_scale=2.0, grad=[0]),
    C('SoftmaxOutput_smooth_alpha', 'SoftmaxOutput', [SO_D, SO_L], smooth_alpha=0.1, grad=[0]),
    C('SoftmaxOutput_ignore_label_0', 'SoftmaxOutput', [SO_D, SO_L], use_ignore=True,
      ignore_label=0, grad=[0]),
    C('SoftmaxOutput_fractional_and_big_labels', 'SoftmaxOutput', [SO_D, arr([5, 0, 2.7, 1])],
      grad=[0]),
    C('SoftmaxOutput_valid_all_ignored', 'SoftmaxOutput', [SO_D, arr([-1, -1, -1, -1])],
      use_ignore=True, normalization='valid', grad=[0]),
    C('SoftmaxOutput_multi_output', 'SoftmaxOutput', [SO_D3, SO_L3], multi_output=True,
      grad=[0]),
    C('SoftmaxOutput_multi_ignore_valid', 'SoftmaxOutput', [SO_D3, SO_L3], multi_output=True,
      use_ignore=True, normalization='valid', grad=[0]),
    C('SoftmaxOutput_multi_batch', 'SoftmaxOutput', [SO_D3, SO_L3], multi_output=True,
      normalization='batch', grad=[0]),
    C('SoftmaxOutput_preserve_shape', 'SoftmaxOutput',
      [SO_D3, arr([[0, 1, 2], [2, 2, 0]])], preserve_shape=True, grad=[0]),
    C('SoftmaxOutput_preserve_shape_batch', 'SoftmaxOutput',
      [SO_D3, arr([[0, 1, 2], [2, 2, 0]])], preserve_shape=True, normalization='batch',
      grad=[0]),
    C('SoftmaxOutput_float64', 'SoftmaxOutput', [randn(3, 4, dtype='float64'),
                                                 arr([0, 3, 1], 'float64')], grad=[0]),
    C('SoftmaxOutput_label_shape_error', 'SoftmaxOutput', [SO_D3, arr([0, 1])],
      multi_output=True),
    C('SoftmaxOutput_int_label_error', 'SoftmaxOutput', [SO_D, arr([2, 0, 1, 1], 'int32')]),
    C('softmax_cross_entropy', 'softmax_cross_entropy', [SO_D, arr([2, 0, 1, 1])], grad=[0]),
    C('softmax_cross_entropy_1d_error', 'softmax_cross_entropy', [arr([1, 2, 3]), arr([2])]),
    # --- sequences
    C('SequenceMask_identity', 'SequenceMask', [SEQ]),
    C('SequenceMask', 'SequenceMask', [SEQ, SEQ_LEN], use_sequence_length=True, value=-1.0,
      grad=[0]),
    C('SequenceMask_axis1', 'SequenceMask', [arange(3, 4, 2), SEQ_LEN],
      use_sequence_length=True, axis=1),
    C('SequenceMask_2d', 'SequenceMask', [arr(np.ones((4, 3)).tolist()), SEQ_LEN],
      use_sequence_length=True),
    C('SequenceMask_int_length', 'SequenceMask', [SEQ, arr([1, 4, 2], 'int32')],
      use_sequence_length=True),
    C('SequenceMask_fractional_length', 'SequenceMask', [SEQ, arr([0, 5, 2.5])],
      use_sequence_length=True),
    C('SequenceMask_length_without_flag', 'SequenceMask', [SEQ, SEQ_LEN]),
    C('SequenceMask_axis2_error', 'SequenceMask', [SEQ, SEQ_LEN], use_sequence_length=True,
      axis=2),
    C('SequenceLast', 'SequenceLast', [SEQ]),
    C('SequenceLast_length', 'SequenceLast', [SEQ, SEQ_LEN], use_sequence_length=True,
      grad=[0], head=randn(3, 2)),
    C('SequenceLast_axis1', 'SequenceLast', [arange(3, 4, 2), SEQ_LEN], use_sequence_length=True,
      axis=1),
    C('SequenceLast_2d', 'SequenceLast', [arange(4, 3), SEQ_LEN], use_sequence_length=True),
    C('SequenceReverse', 'SequenceReverse', [SEQ]),
    C('SequenceReverse_length', 'SequenceReverse', [SEQ, SEQ_LEN], use_sequence_length=True,
      grad=[0], head=randn(4, 3, 2)),
    C('SequenceReverse_axis1_error', 'SequenceReverse', [SEQ, SEQ_LEN],
      use_sequence_length=True, axis=1),
    # --- take / pick / batch_take / one_hot / where
    C('take', 'take', [M34, arr([2, 0])]),
    C('take_2d_indices', 'take', [M34, arr([[2, 0], [1, 1]])], grad=[0, 1]),
    C('take_axis1', 'take', [M34, arr([3, 0])], axis=1),
    C('take_negative_axis', 'take', [M34, arr([3, 0, 3])], axis=-1),
    C('take_clip', 'take', [M34, arr([-1, 5, 1.7, 2.5, -0.5])]),
    C('take_wrap', 'take', [M34, arr([-1, 5, 1.7, -4, -0.5])], mode='wrap'),
    C('take_raise_in_range', 'take', [M34, arr([1])], mode='raise'),
    C('take_int_indices', 'take', [M34, arr([1, 2], 'int32')]),
    C('take_int_data', 'take', [arange(3, 4, dtype='int32'), arr([1, 2])]),
    C('take_1d', 'take', [arr([5, 6, 7]), arr([2, 0])]),
    C('take_axis_error', 'take', [M34, arr([1])], axis=2),
    C('pick', 'pick', [M34, arr([0, 3, 1])], grad=[0, 1]),
    C('pick_axis0', 'pick', [M34, arr([0, 2, 1, 1])], axis=0),
    C('pick_keepdims', 'pick', [M34, arr([0, 3, 1])], keepdims=True),
    C('pick_clip', 'pick', [M34, arr([-1, 7, 1.6])]),
    C('pick_wrap', 'pick', [M34, arr([-1, 7, 1.6])], mode='wrap'),
    C('pick_index_with_axis', 'pick', [M34, arr([[0], [3], [1]])]),
    C('pick_3d', 'pick', [T3, arr([[0, 1, 2, 0], [2, 2, 1, 0]])], axis=1),
    C('pick_int_index', 'pick', [M34, arr([0, 3, 1], 'int32')]),
    C('pick_bad_shape', 'pick', [M34, arr([0, 3])]),
    C('pick_axis_none_error', 'pick', [M34, arr([5])], axis=None),
    C('batch_take_int', 'batch_take', [M34, arr([0, 3, 1], 'int32')]),
    C('one_hot', 'one_hot', [arr([1, 0, 2, 5, -1]), ('py', 3)]),
    C('one_hot_values', 'one_hot', [arr([[1, 0], [2, 2]])], depth=3, on_value=5, off_value=-1),
    C('one_hot_int32', 'one_hot', [arr([1, 0])], depth=3, dtype='int32'),
    C('one_hot_int_indices', 'one_hot', [arr([1, 0], 'int32')], depth=3),
    C('one_hot_fractional', 'one_hot', [arr([1.7, 0.2])], depth=3),
    C('one_hot_int_truncates_on_value', 'one_hot', [arr([1, 0])], depth=3, on_value=2.5,
      dtype='int32'),
    C('where', 'where', [arr([[1, 0], [0, 2]]), arr([[1, 2], [3, 4]]), arr([[5, 6], [7, 8]])],
      grad=[1, 2]),
    C('where_row_condition', 'where', [arr([1, 0]), arr([[1, 2], [3, 4]]),
                                       arr([[5, 6], [7, 8]])]),
    C('where_int_condition', 'where', [arr([1, 0], 'int32'), arr([1, 2]), arr([5, 6])]),
    C('where_nan_negative_condition', 'where', [arr([float('nan'), -0.5, 0]), arr([1, 2, 3]),
                                                arr([5, 6, 7])]),
    C('where_broadcast_error', 'where', [arr([[1, 0]]), arr([[1, 2], [3, 4]]),
                                         arr([[5, 6], [7, 8]])]),
    C('where_mixed_dtype_error', 'where', [arr([1, 0]), arr([1, 2]), arr([5, 6], 'float64')]),
    # --- gather_nd / scatter_nd
    C('gather_nd', 'gather_nd', [T3, arr([[0, 1], [2, 0]])], grad=[0]),
    C('gather_nd_full_index', 'gather_nd', [T3, arr([[0, 1], [2, 0], [3, 1]])]),
    C('gather_nd_one_row', 'gather_nd', [T3, arr([[1]])]),
    C('gather_nd_3d_indices', 'gather_nd', [T3, arr([[[0, 1]], [[2, 0]]])]),
    C('gather_nd_int_indices', 'gather_nd', [T3, arr([[0, 1], [2, 0]], 'int32')]),
    C('gather_nd_1d_indices_error', 'gather_nd', [T3, arr([1, 0])]),
    C('scatter_nd', 'scatter_nd', [arr([1, 2]), arr([[0, 1], [2, 0]])], shape=(2, 3),
      grad=[0], head=randn(2, 3)),
    C('scatter_nd_rows', 'scatter_nd', [arr([[1, 2, 3], [4, 5, 6]]), arr([[1, 0]])],
      shape=(2, 3)),
    C('scatter_nd_int_indices', 'scatter_nd', [arr([1, 2]), arr([[0, 1], [2, 0]], 'int32')],
      shape=(2, 3)),
    C('scatter_nd_out_of_range_dropped', 'scatter_nd', [arr([1, 2]), arr([[0, 5], [2, 0]])],
      shape=(2, 3)),
    # --- topk / sort / argsort
    C('topk', 'topk', [SORTME]),
    C('topk_k2', 'topk', [SORTME], k=2),
    C('topk_value', 'topk', [SORTME], k=2, ret_typ='value', grad=[0], head=randn(3, 2)),
    C('topk_both', 'topk', [SORTME], k=2, ret_typ='both'),
    C('topk_mask', 'topk', [SORTME], k=2, ret_typ='mask'),
    C('topk_ascend', 'topk', [SORTME], k=2, ret_typ='both', is_ascend=True),
    C('topk_axis0', 'topk', [SORTME], k=2, axis=0, ret_typ='both'),
    C('topk_axis_none', 'topk', [SORTME], k=3, axis=None, ret_typ='both'),
    C('topk_k0_full_sort', 'topk', [SORTME], k=0, ret_typ='both'),
    C('topk_int32_indices', 'topk', [SORTME], k=2, dtype='int32'),
    C('topk_int_data', 'topk', [arr([[3, 1, 2], [0, 5, 4]], 'int32')], k=2, ret_typ='both'),
    C('topk_float64_data', 'topk', [randn(2, 5, dtype='float64')], k=2, ret_typ='both'),
    C('topk_ties', 'topk', [arr([1, 2, 2, 2, 1])], k=2, ret_typ='both'),
    C('topk_ties_ascend', 'topk', [arr([1, 2, 2, 2, 1])], k=2, ret_typ='both', is_ascend=True),
    C('topk_mask_axis0', 'topk', [SORTME], k=1, axis=0, ret_typ='mask'),
    C('topk_k_too_big', 'topk', [SORTME], k=5),
    C('sort', 'sort', [SORTME]),  # its backward fails in MXNet 1.9.1 (_backward_topk axis='')
    C('sort_descending', 'sort', [SORTME], is_ascend=False),
    C('sort_axis0', 'sort', [SORTME], axis=0),
    C('sort_axis_none', 'sort', [SORTME], axis=None),
    C('sort_int', 'sort', [arr([[3, 1, 2], [0, 5, 4]], 'int32')]),
    C('sort_nan_last', 'sort', [arr([3, float('nan'), 1])]),
    C('argsort', 'argsort', [SORTME]),
    C('argsort_descending', 'argsort', [SORTME], is_ascend=False),
    C('argsort_axis_none', 'argsort', [SORTME], axis=None),
    C('argsort_int32', 'argsort', [SORTME], dtype='int32'),
    C('argsort_int_data', 'argsort', [arr([[3, 1, 2], [0, 5, 4]], 'int32')]),
    C('argsort_ties', 'argsort', [arr([1, 2, 2, 2, 1])]),
    C('argsort_ties_descending', 'argsort', [arr([1, 2, 2, 2, 1])], is_ascend=False),
    # --- slice / slice_like / diag
    C('slice', 'slice', [T3], begin=(0, 1), end=(2, 3)),
    C('slice_none', 'slice', [T3], begin=(None, 1), end=(None, None)),
    C('slice_steps', 'slice', [T3], begin=(None, None, None), end=(None, None, None),
      step=(1, 2, -1)),
    C('slice_negative_steps', 'slice', [T3], begin=(1, 2, 3), end=(None, 0, None),
      step=(-1, -1, -2), grad=[0], head=randn(2, 2, 2)),
    C('slice_negative_bounds', 'slice', [T3], begin=(-1, -2), end=(None, -1)),
    C('slice_clamped', 'slice', [T3], begin=(0, 0), end=(5, 10)),
    C('slice_empty', 'slice', [T3], begin=(1,), end=(1,)),
    C('slice_string_params', 'slice', [T3], begin='(0, None)', end='(1, 2)'),
    C('slice_step_zero_error', 'slice', [T3], begin=(0,), end=(1,), step=(0,)),
    C('slice_too_many_axes_error', 'slice', [T3], begin=(0, 0, 0, 0), end=(1, 1, 1, 1)),
    C('slice_length_mismatch_error', 'slice', [T3], begin=(0, 0), end=(1,)),
    C('crop', 'crop', [T3], begin=(0, 1), end=(1, 2)),
    C('slice_like', 'slice_like', [T3, arr(np.zeros((1, 2, 3)).tolist())], grad=[0]),
    C('slice_like_axes', 'slice_like', [T3, arr(np.zeros((1, 2, 3)).tolist())], axes=(0, -1)),
    C('slice_like_fewer_dims_axes', 'slice_like', [T3, arr(np.zeros((1, 2)).tolist())],
      axes=(1,)),
    C('slice_like_int_like', 'slice_like', [T3, arr(np.zeros((1, 2, 3)).tolist(), 'int32')]),
    C('slice_like_bigger_error', 'slice_like', [T3, arr(np.zeros((3, 2, 3)).tolist())]),
    C('slice_like_rank_error', 'slice_like', [T3, arr(np.zeros((1, 2)).tolist())]),
    C('diag', 'diag', [M34]),
    C('diag_k1', 'diag', [M34], k=1),
    C('diag_k_neg', 'diag', [M34], k=-1),
    C('diag_1d', 'diag', [arr([1, 2, 3])], grad=[0], head=randn(3, 3)),
    C('diag_1d_k', 'diag', [arr([1, 2])], k=-1),
    C('diag_3d', 'diag', [T3]),
    C('diag_3d_axes', 'diag', [T3], k=1, axis1=2, axis2=1),
    C('diag_k_error', 'diag', [M34], k=5),
]


# ----------------------------------------------------------------------------- runner

def encode(x):
    a = x.asnumpy()
    return {'dtype': np.dtype(a.dtype).name, 'shape': list(a.shape),
            'values': a.astype(np.float64).tolist()}


def _nd(mx, spec):
    if spec is None:
        return None
    if spec[0] == 'py':
        return spec[1]
    value = make_input(spec)
    return mx.nd.array(value, dtype=value.dtype)


def run_case(mx, case, lookup=None):
    """Run one case under the given ``mxnet``: its outputs, gradients and in-place effects,
    or ``{'error': class name}``."""
    nd, ag = mx.nd, mx.autograd
    fn = lookup(case['op']) if lookup else getattr(nd, case['op'])
    inputs = [_nd(mx, s) for s in case['inputs']]
    train = case['train']
    try:
        for i in case['grad']:
            inputs[i].attach_grad()
        if case['grad']:
            with ag.record(train_mode=train):
                out = fn(*inputs, **case['kwargs'])
            first = out[0] if isinstance(out, (list, tuple)) else out
            first.backward(_nd(mx, case['head']))
        elif train:
            with ag.train_mode():
                out = fn(*inputs, **case['kwargs'])
        else:
            out = fn(*inputs, **case['kwargs'])
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        result = {'outputs': [encode(o) for o in outs]}
        if case['grad']:
            result['grads'] = [encode(inputs[i].grad) for i in case['grad']]
        if case['after']:
            result['after'] = [encode(inputs[i]) for i in case['after']]
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

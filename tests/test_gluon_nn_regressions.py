"""Regressions found by the gluon_nn conformance cases."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.gluon import nn


def _x(shape, seed=0):
    return mx.nd.array(np.random.RandomState(seed).uniform(-1, 1, shape))


def test_instance_norm_deferred_channels_and_axis():
    layer = nn.InstanceNorm(axis=2, scale=True)
    layer.initialize()
    x = _x((2, 3, 4))
    y = layer(x).asnumpy()
    assert layer.gamma.shape == (4,) and layer.gamma.grad_req == 'write'
    xs = x.asnumpy()
    mean = xs.mean(axis=1, keepdims=True)
    want = (xs - mean) / np.sqrt(xs.var(axis=1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)


def test_instance_norm_defaults_freeze_gamma():
    layer = nn.InstanceNorm()
    assert layer.gamma.grad_req == 'null' and layer.beta.grad_req == 'write'
    assert repr(layer) == ('InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, '
                           'in_channels=0)')


def test_group_norm_per_group_parameters():
    layer = nn.GroupNorm(num_groups=2)
    layer.initialize()
    x = _x((2, 4, 3))
    with mx.autograd.record():
        y = layer(x)
    y.backward()
    assert layer.gamma.shape == (2,) and layer.gamma.grad().shape == (2,)
    groups = x.asnumpy().reshape((2, 2, -1))
    want = (groups - groups.mean(-1, keepdims=True)) / np.sqrt(
        groups.var(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(y.asnumpy(), want.reshape(x.shape), rtol=1e-4, atol=1e-5)
    assert repr(layer) == 'GroupNorm(eps=1e-05, num_groups=2, center=True, scale=True)'


def test_conv1d_rejects_channel_last_layout():
    with pytest.raises(AssertionError):
        nn.Conv1D(2, 3, layout='NWC')


def test_parameter_dict_load_dict_and_extra_names(tmp_path):
    src = nn.Dense(2, in_units=3, prefix='src_')
    src.initialize()
    f = str(tmp_path / 'p.params')
    src.collect_params().save(f, strip_prefix='src_')
    loaded = mx.nd.load(f)
    dst = nn.Dense(2, in_units=3, prefix='dst_')
    pairs = sorted(loaded.items())
    with pytest.raises(AssertionError):      # 'arg:' is only stripped from dict names
        dst.collect_params().load_dict([('arg:' + k, v) for k, v in pairs],
                                       restore_prefix='dst_')
    dst.collect_params().load_dict(pairs, restore_prefix='dst_')
    np.testing.assert_array_equal(dst.weight.data().asnumpy(), src.weight.data().asnumpy())
    loaded['extra'] = mx.nd.ones((1,))
    mx.nd.save(f, loaded)
    with pytest.raises(AssertionError):
        dst.collect_params().load(f, restore_prefix='dst_')

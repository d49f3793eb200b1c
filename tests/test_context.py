"""Contexts on several (forced) CPU devices and the accelerator fallback on a CPU host."""
import jax
import pytest

import mxnet as mx
from mxnet import nd, autograd
from mxnet.base import MXNetError


def test_context_objects():
    c = mx.cpu(1)
    assert (c.device_type, c.device_id, c.device_typeid) == ('cpu', 1, 1)
    assert str(c) == repr(c) == 'cpu(1)'
    assert mx.cpu() == mx.cpu(0) and mx.cpu() != mx.cpu(1) and mx.cpu() != 'cpu(0)'
    assert str(mx.gpu(1)) == 'gpu(1)' and str(mx.cpu_pinned()) == 'cpu_pinned(0)'
    assert mx.Context('gpu', 2) == mx.gpu(2) and mx.Context(mx.cpu(3)) == mx.cpu(3)
    assert hash(mx.cpu(1)) == hash(mx.Context('cpu', 1))
    assert mx.current_context() == mx.cpu(0) == mx.Context.default_ctx


def test_with_context_sets_the_default_and_restores_it():
    with mx.cpu(2):
        assert mx.current_context() == mx.cpu(2)
        assert nd.ones(1).context == mx.cpu(2)
        with mx.cpu(1):
            assert nd.zeros((1,)).context == mx.cpu(1)
        c = mx.cpu(3)
        with c:
            with c:
                assert mx.current_context() == c
            assert mx.current_context() == c
        assert mx.current_context() == mx.cpu(2)
        assert nd.array([1]).context == mx.cpu(2)
    assert mx.current_context() == mx.cpu(0)


def test_cpu_contexts_are_distinct_jax_devices_when_jax_has_several():
    assert len(jax.devices('cpu')) >= 2, 'tests run with 4 forced host devices (conftest)'
    a = nd.ones((2,), ctx=mx.cpu(1))
    assert a._value.devices() == {jax.devices('cpu')[1]}
    assert a.context == mx.cpu(1)


def test_mixed_cpu_operands_land_on_the_first_operands_context():
    a = nd.ones(2, ctx=mx.cpu(1))
    b = nd.ones(2)
    assert (a + b).context == mx.cpu(1)
    assert (b + a).context == mx.cpu(0)
    assert (b + a).asnumpy().tolist() == [2, 2]
    x = nd.array([1., 2.], ctx=mx.cpu(1))
    x.attach_grad()
    with autograd.record():
        y = (x * nd.array([3., 4.])).sum()
    y.backward()
    assert x.grad.context == mx.cpu(1) and x.grad.asnumpy().tolist() == [3, 4]


def test_device_moves():
    x = nd.array([1, 2])
    y = x.as_in_context(mx.cpu(3))
    assert y.context == mx.cpu(3) and y._value.devices() == {jax.devices('cpu')[3]}
    assert y.asnumpy().tolist() == [1, 2]
    z = nd.zeros((2,), ctx=mx.cpu(2))
    x.copyto(z)
    assert z.context == mx.cpu(2) and z.asnumpy().tolist() == [1, 2]
    w = nd.zeros((2,), ctx=mx.cpu(1))
    w[:] = x
    assert w._value.devices() == {jax.devices('cpu')[1]}


def test_string_contexts():
    assert nd.ones(1, ctx='cpu(1)').context == mx.cpu(1)
    with pytest.raises(MXNetError):
        nd.ones(1, ctx='cpu')


def test_gpu_on_a_host_without_one():
    if mx.context.num_gpus():
        pytest.fail('this test describes a CPU-only host; run it with JAX_PLATFORMS=cpu')
    g = mx.gpu(0)                     # constructing works ...
    with pytest.raises(MXNetError):   # ... allocating does not
        nd.zeros((2,), ctx=g)

    def try_gpu():                    # the idiom of the d2l book
        try:
            ctx = mx.gpu()
            _ = nd.zeros((1,), ctx=ctx)
        except mx.base.MXNetError:
            ctx = mx.cpu()
        return ctx
    assert try_gpu() == mx.cpu()
    assert mx.test_utils.list_gpus() == []

"""Matrix products: dot and batch_dot."""
import jax.numpy as jnp

from .registry import Param, register

_T = (Param('transpose_a', False, 'bool'), Param('transpose_b', False, 'bool'),
      Param('forward_stype', None, 'str'))


def _t(x):
    return jnp.transpose(x) if x.ndim > 1 else x


@register('dot', inputs=('lhs', 'rhs'), params=_T, method='dot', family='linalg')
def _dot(lhs, rhs, transpose_a, transpose_b, forward_stype):
    """Sum product over the last axis of ``lhs`` and the first axis of ``rhs`` (1-D . 1-D
    gives shape (1,)); ``transpose_a``/``transpose_b`` transpose the operands first."""
    if not jnp.issubdtype(lhs.dtype, jnp.floating):
        raise ValueError('dot: MXNet 1.9.1 implements dot for floating-point dtypes only, got '
                         '{}'.format(lhs.dtype))
    a = _t(lhs) if transpose_a else lhs
    b = _t(rhs) if transpose_b else rhs
    if a.shape[-1] != b.shape[0]:
        raise ValueError('dot shape error: {} X {}'.format(list(lhs.shape), list(rhs.shape)))
    out = jnp.tensordot(a, b, axes=1)
    return out.reshape(1) if out.ndim == 0 else out


@register('batch_dot', inputs=('lhs', 'rhs'), params=_T, family='linalg')
def _batch_dot(lhs, rhs, transpose_a, transpose_b, forward_stype):
    """Batched matrix product of (B, N, M) and (B, M, K) arrays."""
    a = jnp.swapaxes(lhs, -1, -2) if transpose_a else lhs
    b = jnp.swapaxes(rhs, -1, -2) if transpose_b else rhs
    if a.shape[-1] != b.shape[-2] or a.shape[0] != b.shape[0]:
        raise ValueError('batch_dot shape error: {} X {}'.format(list(lhs.shape),
                                                                 list(rhs.shape)))
    return jnp.matmul(a, b)

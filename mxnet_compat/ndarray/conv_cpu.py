"""Convolutions with few channels on the CPU backend.

XLA's CPU convolution runs convolutions with few input/output channels at a small fraction
of its matmul speed (a 1-channel MNIST layer, 28x28 5x5 to 6 channels at batch 128: 4 ms
forward).  :func:`cpu_conv` picks, per shape, cheaper formulations of the same
cross-correlation (NC* layouts, one group):

* one input channel, 2-D, stride and dilation 1, at most 32 filters (``'s2d'``): the
  input rearranged 2x2 space-to-depth (four channels of half the size) and the kernel
  into the equivalent ``ceil((k+1)/2)``-tap kernel from four channels to the four output
  phases of every filter; patches (channel-last) times that kernel is one matmul, and
  JAX's own derivative of it gives both gradients.  The patch matrix is 0.36x the size
  of the direct one for a 5x5 kernel at 1.44x the multiplies (LeNet's first layer at
  batch 128, whole hybridized training step: 0.63-1.13x the time of ``'cols'`` in 14
  pairs of processes, median 0.84x);
* other one-channel convolutions (``'cols'``): the filters times each sample's patches --
  matmuls for the forward and the weight gradient, several times faster than XLA's
  convolution; the forward keeps the patches for the weight gradient;
* ``'patches'`` (2-D/3-D, <= 8 input and <= 32 output channels, patches of at most
  2**21 elements): XLA's forward; the backward rebuilds the patches channel-last, both
  gradients are matmuls, the input gradient summed back with in-place adds (LeNet's
  6 -> 16 channels 5x5 layer at batch 128, forward+backward: 5.6 -> 3.1 ms; 3 -> 32
  channels 3x3 on 32x32 at batch 64: 8.2 -> 5.4 ms; with 16 channels on 32x32 at batch 64
  patches were 3x slower, hence the limits; 1-D convolutions gained nothing);
* otherwise XLA's convolution (and its gradient), outside this module.

All paths compute XLA's values up to float rounding (tests/test_conv_paths.py compares
values, both gradients and second-order gradients in float64)."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

_HIGHEST = lax.Precision.HIGHEST


def out_sizes(spatial, kernel, stride, dilate, pad):
    return [(size + 2 * p - d * (k - 1) - 1) // st + 1
            for size, k, st, d, p in zip(spatial, kernel, stride, dilate, pad)]


def offset_windows(padded, kernel, stride, dilate):
    """For each kernel offset (row-major), the strided window of a padded input's spatial
    dims (``padded`` sizes) that the output positions see at that offset."""
    outs = out_sizes(padded, kernel, stride, dilate, (0,) * len(kernel))
    return [tuple(slice(o * d, o * d + st * (m - 1) + 1, st)
                  for o, d, st, m in zip(offsets, dilate, stride, outs))
            for offsets in np.ndindex(*kernel)]


def xla_conv(data, weight, stride, dilate, pad):
    n = data.ndim - 2
    spatial = 'DHW'[3 - n:]
    return lax.conv_general_dilated(data, weight, stride, [(p, p) for p in pad],
                                    rhs_dilation=dilate, precision=_HIGHEST,
                                    dimension_numbers=('NC' + spatial, 'OI' + spatial,
                                                       'NC' + spatial))


def _pad_spatial(x, pad, channel_last=False):
    spatial = [(p, p) for p in pad]
    return jnp.pad(x, [(0, 0)] + spatial + [(0, 0)] if channel_last
                   else [(0, 0), (0, 0)] + spatial)


def _cols_one_channel(data, kernel, stride, dilate, pad):
    """Patches of a one-channel input: (N, K, prod(out))."""
    x = _pad_spatial(data, pad)[:, 0]
    cols = jnp.stack([x[(slice(None),) + w]
                      for w in offset_windows(x.shape[1:], kernel, stride, dilate)], axis=1)
    return cols.reshape(cols.shape[:2] + (-1,))


def _contract_cols(cols, weight, out_shape):
    """The filters (O, K) times each sample's patches (K, out): a batched matmul whose
    result is already (N, O, out) (one matmul over all samples wrote (O, N*out) and cost a
    transposition in every consumer: 1.3 -> 0.8 ms for LeNet's first layer)."""
    w = jnp.broadcast_to(weight.reshape(1, weight.shape[0], -1),
                         (cols.shape[0], weight.shape[0], cols.shape[1]))
    return jnp.matmul(w, cols, precision=_HIGHEST).reshape(out_shape)


def _col2im(term, shape, kernel, stride, dilate, pad):
    """Sum the patch gradients back into the input's gradient (N, C, *spatial): ``term(k)``
    is offset k's (N, *out, C).  In-place adds: written as the transpose of the slicing,
    XLA materialised every padded term and summed them in the consumer's fusion (a 2x
    slower LeNet backward)."""
    padded = tuple(s + 2 * p for s, p in zip(shape[2:], pad))
    dx = None
    for k, window in enumerate(offset_windows(padded, kernel, stride, dilate)):
        t = term(k)
        if dx is None:
            dx = jnp.zeros((shape[0],) + padded + (shape[1],), t.dtype)
        dx = dx.at[(slice(None),) + window].add(t)
    crop = (slice(None),) + tuple(slice(p, p + s) for p, s in zip(pad, shape[2:]))
    return jnp.moveaxis(dx[crop], -1, 1)


def _patch_grads(data, weight, dy, stride, dilate, pad):
    num_filter, kernel = weight.shape[0], weight.shape[2:]
    x = _pad_spatial(jnp.moveaxis(data, 1, -1), pad, channel_last=True)
    cols = jnp.stack([x[(slice(None),) + w]
                      for w in offset_windows(x.shape[1:-1], kernel, stride, dilate)],
                     axis=-2)                                               # (N, *out, K, C)
    dy = jnp.moveaxis(dy, 1, -1).reshape(-1, num_filter)                  # (N*out, O)
    w = jnp.moveaxis(weight, 1, -1).reshape(num_filter, -1)                # (O, K*C)
    dw = jnp.matmul(dy.T, cols.reshape(dy.shape[0], -1), precision=_HIGHEST)
    dw = jnp.moveaxis(dw.reshape((num_filter,) + tuple(kernel) + (weight.shape[1],)), -1, 1)
    dcols = jnp.matmul(dy, w, precision=_HIGHEST).reshape(cols.shape)
    return _col2im(lambda k: dcols[..., k, :], data.shape, kernel, stride, dilate, pad), dw


@functools.lru_cache(maxsize=64)
def _phase_taps(kernel, num_filter, channels):
    """The space-to-depth form of a stride-1 2-D kernel: indices into the flattened
    kernel (its size meaning zero) of a (taps * 4 * channels, 4 * num_filter) matrix whose
    rows are (tap row, tap column, channel, input phase row, column) and columns (filter,
    output phase row, column); and the taps (kbh, kbw).  Output phase P at tap row d reads
    input phase u of kernel row 2d + u - P."""
    kh, kw = kernel
    taps = ((kh + 2) // 2, (kw + 2) // 2)
    d_i, d_j, c, u, v, o, p, q = np.ix_(range(taps[0]), range(taps[1]), range(channels),
                                        range(2), range(2), range(num_filter), range(2),
                                        range(2))
    i, j = 2 * d_i + u - p, 2 * d_j + v - q
    flat = ((o * channels + c) * kh + i) * kw + j
    idx = np.where((i >= 0) & (i < kh) & (j >= 0) & (j < kw), flat,
                   num_filter * channels * kh * kw)
    return idx.reshape(taps[0] * taps[1] * 4 * channels, 4 * num_filter), taps


def _s2d_conv(data, weight, pad):
    """A stride-1 2-D convolution as a matmul of space-to-depth patches (kind ``'s2d'``)."""
    n, c, h, w = data.shape
    num_filter, kernel = weight.shape[0], weight.shape[2:]
    out = out_sizes((h, w), kernel, (1, 1), (1, 1), pad)
    blocks = [(size + 1) // 2 for size in out]                  # output positions / 2
    idx, taps = _phase_taps(tuple(kernel), num_filter, c)
    padded = [2 * (b + t - 1) for b, t in zip(blocks, taps)]    # >= size + 2 * pad
    x = jnp.pad(data, [(0, 0), (0, 0)] + [(p, e - size - p)
                                          for p, e, size in zip(pad, padded, (h, w))])
    x = x.reshape(n, c, padded[0] // 2, 2, padded[1] // 2, 2).transpose(0, 2, 4, 1, 3, 5)
    x = x.reshape(n, padded[0] // 2, padded[1] // 2, 4 * c)
    patches = jnp.stack([x[:, a:a + blocks[0], b:b + blocks[1]]
                         for a in range(taps[0]) for b in range(taps[1])], axis=-2)
    kernel_s2d = jnp.take(jnp.concatenate([weight.reshape(-1), jnp.zeros((1,), weight.dtype)]),
                          idx)
    y = jnp.matmul(patches.reshape(n * blocks[0] * blocks[1], -1), kernel_s2d,
                   precision=_HIGHEST)
    y = y.reshape(n, blocks[0], blocks[1], num_filter, 2, 2).transpose(0, 3, 1, 4, 2, 5)
    return y.reshape(n, num_filter, 2 * blocks[0], 2 * blocks[1])[:, :, :out[0], :out[1]]


def _out_shape(shape, weight, stride, dilate, pad):
    return (shape[0], weight.shape[0]) + tuple(out_sizes(shape[2:], weight.shape[2:], stride,
                                                         dilate, pad))


def _forward(data, weight, stride, dilate, pad, kind):
    """The output and the residuals the backward of ``kind`` needs."""
    if kind == 'cols':
        cols = _cols_one_channel(data, weight.shape[2:], stride, dilate, pad)
        out = _contract_cols(cols, weight, _out_shape(data.shape, weight, stride, dilate, pad))
        return out, (cols, weight)
    return xla_conv(data, weight, stride, dilate, pad), (data, weight)


@functools.partial(jax.custom_vjp, nondiff_argnums=(2, 3, 4, 5, 6))
def _conv(data, weight, stride, dilate, pad, shape, kind):
    return _forward(data, weight, stride, dilate, pad, kind)[0]


def _conv_fwd(data, weight, stride, dilate, pad, shape, kind):
    return _forward(data, weight, stride, dilate, pad, kind)


def _conv_bwd(stride, dilate, pad, shape, kind, residuals, dy):
    if kind == 'patches':
        return _patch_grads(*residuals, dy, stride, dilate, pad)
    cols, weight = residuals                                              # (N, K, out)
    num_filter, kernel = weight.shape[0], weight.shape[2:]
    dy = dy.reshape(dy.shape[:2] + (-1,))                                 # (N, O, out)
    # The weight gradient as one matmul over all samples, (K, N*out) @ (N*out, O), then
    # (O, K) by a gather: XLA folds a transpose into the matmul, and its CPU matmul takes
    # 2.3x longer for the (O, K) orientation of this skinny product.
    cols_k = jnp.moveaxis(cols, 1, 0).reshape(cols.shape[1], -1)
    dw_t = jnp.matmul(cols_k, jnp.moveaxis(dy, 1, 0).reshape(num_filter, -1).T,
                      precision=_HIGHEST)
    order = np.arange(dw_t.size).reshape(dw_t.shape).T.reshape(-1)
    dw = jnp.take(dw_t.reshape(-1), order)
    w = jnp.broadcast_to(weight.reshape(1, num_filter, -1).transpose(0, 2, 1),
                         (dy.shape[0], cols.shape[1], num_filter))
    dcols = jnp.matmul(w, dy, precision=_HIGHEST)                         # (N, K, out)
    out = _out_shape(shape, weight, stride, dilate, pad)[2:]
    return (_col2im(lambda k: dcols[:, k].reshape((dy.shape[0],) + out + (1,)), shape,
                    kernel, stride, dilate, pad),
            dw.reshape(weight.shape))


_conv.defvjp(_conv_fwd, _conv_bwd)


def plan(shape, num_filter, kernel, stride, dilate, pad):
    """The formulation for a CPU convolution of an NC* input of ``shape``: ``'s2d'``,
    ``'cols'`` or ``'patches'``, or None where XLA's convolution is the better choice."""
    channels, size = shape[1], int(np.prod(kernel))
    if channels == 1:
        if (len(kernel) == 2 and min(kernel) > 1 and num_filter <= 32
                and tuple(stride) == (1, 1) and tuple(dilate) == (1, 1)):
            return 's2d'
        return 'cols'
    patch_elements = shape[0] * int(np.prod(out_sizes(shape[2:], kernel, stride, dilate, pad)))
    patches = (len(kernel) > 1 and channels <= 8 and num_filter <= 32
               and patch_elements * size * channels <= 1 << 21)
    return 'patches' if patches else None


def cpu_conv(data, weight, stride, dilate, pad, kind):
    """The convolution in the formulation ``kind`` = plan(...)."""
    if kind == 's2d':
        return _s2d_conv(data, weight, tuple(pad))
    return _conv(data, weight, tuple(stride), tuple(dilate), tuple(pad), data.shape, kind)

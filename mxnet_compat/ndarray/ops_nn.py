"""Neural-network operators: activations, softmax family, Dropout, FullyConnected,
Convolution/Deconvolution, Pooling, normalisations, Embedding, loss outputs and the
sequence operators.

Conventions that hold for the whole family, as in MXNet 1.9.1:

* integer inputs are rejected (MXNet's kernels exist for floating types only);
* ``bias`` (FullyConnected, Convolution, Deconvolution), ``gamma`` (LeakyReLU prelu),
  ``length`` (softmax) and ``sequence_length`` (Sequence*) are *optional inputs*: the
  records list them in ``inputs`` and the implementations take them as ``None`` when
  absent; ``Op.optional_inputs`` names them, so that ``registry.bind`` can drop an explicit
  ``None`` (``FullyConnected(x, w, None, no_bias=True)``) as MXNet's frontend does;
* matrix products and convolutions run at ``Precision.HIGHEST`` so float32 results
  match MXNet's float32 arithmetic on every backend (no TF32 on GPUs);
* ``BatchNorm`` is a record plus the thin function :func:`BatchNorm` below, which
  adds MXNet's in-place side effects (running statistics updated in the backward pass,
  ``gamma`` overwritten with ones when ``fix_gamma``).
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy import special as jsp

from . import conv_cpu
from .ops_elemwise import relu
from .registry import OPS, PARSERS, REQUIRED, Param, bind, invoke, register
from .. import autograd
from .._rng import make_key

_HIGHEST = lax.Precision.HIGHEST

PARSERS.setdefault('bool_or_none', lambda v, n: None if v is None else PARSERS['bool'](v, n))


def _optional(op, *names):
    """Mark inputs an op accepts as absent (MXNet drops ``None`` inputs before the call)."""
    op.optional_inputs = names
    return op


def _require_float(op_name, *arrays):
    for a in arrays:
        if a is not None and not jnp.issubdtype(a.dtype, jnp.floating):
            raise TypeError('{}: only floating point inputs are supported, got {}'.format(
                op_name, jnp.dtype(a.dtype).name))


def _compute_dtype(dtype):
    """float16 is computed in float32 (as MXNet accumulates), other floats in themselves."""
    return jnp.float32 if dtype == jnp.float16 else dtype


def _channel_shape(ndim, axis, size):
    shape = [1] * ndim
    shape[axis] = size
    return tuple(shape)


# ----------------------------------------------------------------------------- activations

_ACTIVATIONS = {'relu': relu, 'sigmoid': jax.nn.sigmoid, 'tanh': jnp.tanh,
                'softrelu': jax.nn.softplus, 'softsign': jax.nn.soft_sign}


@register('Activation', params=(Param('act_type', REQUIRED, 'str',
                                      choices=('relu', 'sigmoid', 'softrelu', 'softsign',
                                               'tanh')),),
          sample={'params': {'act_type': 'softrelu'}},
          family='nn')
def _activation(data, act_type):
    """Element-wise activation: relu, sigmoid, tanh, softrelu (log(1 + exp(x))) or softsign."""
    _require_float('Activation', data)
    return _ACTIVATIONS[act_type](data)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA = 1.0507009873554804934193349852946
_SQRT_HALF = 0.7071067811865476


@register('LeakyReLU', inputs=('data', 'gamma'),
          params=(Param('act_type', 'leaky', 'str',
                        choices=('elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu')),
                  Param('slope', 0.25, 'float'), Param('lower_bound', 0.125, 'float'),
                  Param('upper_bound', 0.334, 'float')),
          sample={'shapes': [(2, 3), (3,)], 'params': {'act_type': 'prelu'},
                  'range': (-1, 1)},
          family='nn')
def _leaky_relu(data, gamma=None, *, act_type, slope, lower_bound, upper_bound):
    """Leaky rectifiers: ``leaky`` (slope * x below 0), ``elu`` (slope * (exp(x) - 1)),
    ``selu``, ``gelu`` (the exact erf form), ``prelu`` (a learned slope ``gamma`` per channel,
    axis 1) and ``rrelu``.

    ``rrelu`` returns two arrays (output and a zero mask) as MXNet does in prediction; its
    slope is always the mean of the bounds here (MXNet samples a random slope in training
    mode, and 1.9.1 crashes doing so on CPU)."""
    _require_float('LeakyReLU', data, gamma)
    if (gamma is None) == (act_type == 'prelu'):
        raise ValueError('LeakyReLU: the gamma input is required for act_type=prelu and only '
                         'for it')
    if act_type == 'leaky':
        return jnp.where(data > 0, data, data * slope)
    if act_type == 'elu':
        return jnp.where(data > 0, data, slope * jnp.expm1(data))
    if act_type == 'selu':
        return _SELU_LAMBDA * jnp.where(data > 0, data, _SELU_ALPHA * jnp.expm1(data))
    if act_type == 'gelu':
        return 0.5 * data * (1 + jsp.erf(data * _SQRT_HALF))
    if act_type == 'prelu':
        g = gamma.reshape(_channel_shape(data.ndim, 1, gamma.size)) if data.ndim > 1 else gamma
        return jnp.where(data > 0, data, g * data)
    out = jnp.where(data > 0, data, data * ((lower_bound + upper_bound) / 2))
    return out, jnp.zeros_like(out)


_optional(_leaky_relu, 'gamma')


@register('hard_sigmoid', params=(Param('alpha', 0.2, 'float'), Param('beta', 0.5, 'float')),
          family='nn')
def _hard_sigmoid(data, alpha, beta):
    """``clip(alpha * x + beta, 0, 1)``."""
    _require_float('hard_sigmoid', data)
    return jnp.clip(alpha * data + beta, 0, 1)


@register('smooth_l1', params=(Param('scalar', 1.0, 'scalar', dynamic=True),), family='nn')
def _smooth_l1(data, scalar):
    """Smooth L1 with sigma = ``scalar``: 0.5 (sigma x)^2 where |x| < 1/sigma^2, else
    |x| - 0.5/sigma^2."""
    s2 = jnp.asarray(scalar, data.dtype) ** 2
    return jnp.where(jnp.abs(data) < 1 / s2, 0.5 * s2 * data * data, jnp.abs(data) - 0.5 / s2)


# ----------------------------------------------------------------------------- softmax family

_SOFTMAX_PARAMS = (Param('axis', -1, 'int'), Param('temperature', None, 'float_or_none'),
                   Param('dtype', None, 'dtype'), Param('use_length', False, 'bool_or_none'))


def _softmax_common(kind, data, length, axis, temperature, dtype, use_length):
    _require_float(kind, data)
    if bool(use_length) != (length is not None):
        raise ValueError('{}: the length input is needed exactly when use_length=True'
                         .format(kind))
    x = data
    if temperature is not None:
        x = x / temperature
    if kind == 'softmin':
        x = -x
    axis = axis % data.ndim
    if length is None:
        out = (jax.nn.log_softmax if kind == 'log_softmax' else jax.nn.softmax)(x, axis=axis)
    else:
        pos = lax.broadcasted_iota(jnp.int32, data.shape, axis)
        mask = pos < jnp.expand_dims(length.astype(jnp.int32), axis)
        x = jnp.where(mask, x, jnp.finfo(x.dtype).min)
        out = jnp.where(mask, jax.nn.softmax(x, axis=axis), 0)
    return out.astype(dtype or data.dtype)


@register('softmax', inputs=('data', 'length'), params=_SOFTMAX_PARAMS, method='softmax',
          dtype=None, same_dtype_inputs=False, sample={'shapes': [(2, 3)]},
          family='nn')
def _softmax(data, length=None, *, axis, temperature, dtype, use_length):
    """Softmax along ``axis`` of ``data / temperature``.  ``use_length=True`` with an integer
    ``length`` array (data's shape without ``axis``) softmaxes only the first ``length``
    entries and writes 0 elsewhere (MXNet reads out of bounds for lengths past the axis size;
    they are clamped here).  ``dtype`` sets the output type; the computation stays in the
    input's type (float16 accumulates in float16, as MXNet does by default)."""
    return _softmax_common('softmax', data, length, axis, temperature, dtype, use_length)


_optional(_softmax, 'length')


@register('log_softmax', params=_SOFTMAX_PARAMS, method='log_softmax', dtype=None, family='nn')
def _log_softmax(data, axis, temperature, dtype, use_length):
    """Log of softmax along ``axis``; MXNet's Python function has no ``length`` input, so
    ``use_length=True`` is an error."""
    return _softmax_common('log_softmax', data, None, axis, temperature, dtype, use_length)


@register('softmin', params=_SOFTMAX_PARAMS, method='softmin', dtype=None, family='nn')
def _softmin(data, axis, temperature, dtype, use_length):
    """Softmax of ``-data`` along ``axis``."""
    return _softmax_common('softmin', data, None, axis, temperature, dtype, use_length)


@register('SoftmaxActivation', params=(Param('mode', 'instance', 'str',
                                             choices=('channel', 'instance')),), family='nn')
def _softmax_activation(data, mode):
    """Deprecated softmax: ``instance`` over the last axis (MXNet flattens the input to 2-D
    keeping the last axis), ``channel`` over axis 1 (input of at least 3 dimensions)."""
    _require_float('SoftmaxActivation', data)
    if mode == 'channel':
        if data.ndim < 3:
            raise ValueError('SoftmaxActivation: mode=channel needs an input of at least 3 '
                             'dimensions, got {}'.format(data.shape))
        return jax.nn.softmax(data, axis=1)
    return jax.nn.softmax(data, axis=-1)


# ----------------------------------------------------------------------------- Dropout

@register('Dropout', params=(Param('p', 0.5, 'float'),
                             Param('mode', 'training', 'str', choices=('always', 'training')),
                             Param('axes', (), 'shape'), Param('cudnn_off', False, 'bool_or_none')),
          random=True, train_aware=True, family='nn')
def _dropout(key, counter, data, p, mode, axes, cudnn_off, training):
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p), only in
    training mode (``autograd.record()``/``train_mode()``) or with ``mode='always'``;
    otherwise the identity.  ``axes`` share one mask value along those axes (variational
    dropout).  ``p=1`` gives NaN, as in MXNet (0 * inf)."""
    if not (training or mode == 'always'):
        return data
    _require_float('Dropout', data)
    axes = {a % data.ndim for a in axes}
    shape = tuple(1 if i in axes else d for i, d in enumerate(data.shape))
    keep = jax.random.bernoulli(make_key(key, counter), 1.0 - p, shape)
    scale = jnp.asarray(1.0, data.dtype) / jnp.asarray(1.0 - p, data.dtype)
    return data * keep.astype(data.dtype) * scale


# ----------------------------------------------------------------------------- FullyConnected

def _check_bias(op_name, bias, no_bias, size):
    if no_bias and bias is not None:
        raise ValueError('{}: a bias input was given with no_bias=True'.format(op_name))
    if not no_bias and bias is None:
        raise ValueError('{}: the bias input is required unless no_bias=True'.format(op_name))
    if bias is not None and bias.shape != (size,):
        raise ValueError('{}: unexpected shape for bias {}, expected ({},)'.format(
            op_name, bias.shape, size))


@register('FullyConnected', inputs=('data', 'weight', 'bias'),
          params=(Param('num_hidden', REQUIRED, 'int'), Param('no_bias', False, 'bool'),
                  Param('flatten', True, 'bool')),
          sample={'shapes': [(2, 3), (4, 3), (4,)], 'params': {'num_hidden': 4}},
          family='nn', save_residuals=True)
def _fully_connected(data, weight, bias=None, *, num_hidden, no_bias, flatten):
    """``data . weight^T + bias`` with weight of shape (num_hidden, in_units).  ``flatten``
    (default) first collapses all axes but the first; otherwise the product applies to the
    last axis."""
    _require_float('FullyConnected', data)
    x = data.reshape(data.shape[0], -1) if flatten else data
    if weight.shape != (num_hidden, x.shape[-1]):
        raise ValueError('FullyConnected: Shape inconsistent, provided weight {}, inferred {}'
                         .format(weight.shape, (num_hidden, x.shape[-1])))
    _check_bias('FullyConnected', bias, no_bias, num_hidden)
    out = lax.dot_general(x, weight, (((x.ndim - 1,), (1,)), ((), ())), precision=_HIGHEST)
    return out if bias is None else out + bias


_optional(_fully_connected, 'bias')


# ----------------------------------------------------------------------------- convolution

_LAYOUTS = (None, 'NCDHW', 'NCHW', 'NCW', 'NDHWC', 'NHWC', 'NWC')
_CONV_COMMON = (Param('kernel', REQUIRED, 'shape'), Param('stride', (), 'shape'),
                Param('dilate', (), 'shape'), Param('pad', (), 'shape'))
_CUDNN = (Param('cudnn_tune', None, 'str', choices=(None, 'fastest', 'limited_workspace', 'off')),
          Param('cudnn_off', False, 'bool'), Param('layout', None, 'str', choices=_LAYOUTS))


def _spatial_params(op_name, data, kernel, **tuples):
    """Check ranks and fill MXNet's defaults (stride/dilate 1, pad 0) for each spatial dim."""
    n = len(kernel)
    if not 1 <= n <= 3 or data.ndim != n + 2:
        raise ValueError('{}: a kernel of {} dims needs input data of {} dims, got shape {}'
                         .format(op_name, n, n + 2, data.shape))
    out = []
    for name, (value, default) in tuples.items():
        value = value or (default,) * n
        if len(value) != n:
            raise ValueError('{}: {} must have {} elements like kernel, got {}'.format(
                op_name, name, n, value))
        out.append(tuple(value))
    return out


def _dimension_numbers(layout, n):
    spatial = 'DHW'[3 - n:]
    layout = layout or 'NC' + spatial
    if layout not in ('NC' + spatial, 'N' + spatial + 'C'):
        raise ValueError('layout {} does not fit a {}-D convolution'.format(layout, n))
    channel_last = layout.endswith('C')
    kernel = 'O' + spatial + 'I' if channel_last else 'OI' + spatial
    return (layout, kernel, layout), channel_last


@register('Convolution', inputs=('data', 'weight', 'bias'),
          params=_CONV_COMMON + (Param('num_filter', REQUIRED, 'int'), Param('num_group', 1, 'int'),
                                 Param('workspace', 1024, 'int'), Param('no_bias', False, 'bool'))
          + _CUDNN,
          sample={'shapes': [(1, 2, 4, 4), (3, 2, 2, 2), (3,)],
                  'params': {'kernel': (2, 2), 'num_filter': 3, 'stride': (2, 1),
                             'pad': (1, 0)}},
          family='nn', save_residuals=True)
def _convolution(data, weight, bias=None, *, kernel, stride, dilate, pad, num_filter, num_group,
                 workspace, no_bias, cudnn_tune, cudnn_off, layout):
    """1-D, 2-D or 3-D convolution (cross-correlation, as MXNet) with zero padding ``pad``,
    ``stride``, ``dilate`` and ``num_group`` channel groups.  Weight shape (num_filter,
    channels / num_group, *kernel) for NCW/NCHW/NCDHW; channel-last layouts (GPU-only in
    MXNet) take weight (num_filter, *kernel, channels / num_group)."""
    _require_float('Convolution', data)
    stride, dilate, pad = _spatial_params('Convolution', data, kernel, stride=(stride, 1),
                                          dilate=(dilate, 1), pad=(pad, 0))
    dn, channel_last = _dimension_numbers(layout, len(kernel))
    channels = data.shape[-1] if channel_last else data.shape[1]
    if channels % num_group or num_filter % num_group:
        raise ValueError('Convolution: channels {} and num_filter {} must be divisible by '
                         'num_group {}'.format(channels, num_filter, num_group))
    expect = ((num_filter,) + tuple(kernel) + (channels // num_group,) if channel_last
              else (num_filter, channels // num_group) + tuple(kernel))
    if weight.shape != expect:
        raise ValueError('Convolution: Shape inconsistent, provided weight {}, inferred {}'
                         .format(weight.shape, expect))
    _check_bias('Convolution', bias, no_bias, num_filter)
    kind = None
    if not channel_last and num_group == 1 and jax.default_backend() == 'cpu':
        kind = conv_cpu.plan(data.shape, num_filter, kernel, stride, dilate, pad)
    if kind is not None:
        out = conv_cpu.cpu_conv(data, weight, stride, dilate, pad, kind)
    else:
        out = lax.conv_general_dilated(data, weight, stride, [(p, p) for p in pad],
                                       rhs_dilation=dilate, dimension_numbers=dn,
                                       feature_group_count=num_group, precision=_HIGHEST)
    if bias is not None:
        out = out + bias.reshape(_channel_shape(out.ndim, out.ndim - 1 if channel_last else 1,
                                                num_filter))
    return out


_optional(_convolution, 'bias')


@register('Deconvolution', inputs=('data', 'weight', 'bias'),
          params=_CONV_COMMON + (Param('adj', (), 'shape'), Param('target_shape', (), 'shape'),
                                 Param('num_filter', REQUIRED, 'int'), Param('num_group', 1, 'int'),
                                 Param('workspace', 512, 'int'), Param('no_bias', True, 'bool'))
          + _CUDNN,
          sample={'shapes': [(1, 2, 3, 3), (2, 3, 2, 2)],
                  'params': {'kernel': (2, 2), 'num_filter': 3, 'stride': (2, 2)}},
          family='nn', save_residuals=True)
def _deconvolution(data, weight, bias=None, *, kernel, stride, dilate, pad, adj, target_shape,
                   num_filter, num_group, workspace, no_bias, cudnn_tune, cudnn_off, layout):
    """Transposed convolution (the gradient of Convolution w.r.t. its input).  Weight shape
    (channels, num_filter / num_group, *kernel); output size (in - 1) * stride - 2 * pad +
    dilate * (kernel - 1) + 1 + adj, adj < stride.  ``target_shape`` chooses pad and adj
    itself, as MXNet (whose 1.9.1 CPU kernel then fails whenever padding is needed).  Note
    MXNet's default ``no_bias=True`` here.  Channel-first layouts only."""
    _require_float('Deconvolution', data)
    stride, dilate, pad, adj = _spatial_params('Deconvolution', data, kernel, stride=(stride, 1),
                                               dilate=(dilate, 1), pad=(pad, 0), adj=(adj, 0))
    n = len(kernel)
    dn, channel_last = _dimension_numbers(layout, n)
    if channel_last:
        raise ValueError('Deconvolution: only channel-first layouts are supported')
    dk = tuple(d * (k - 1) + 1 for d, k in zip(dilate, kernel))
    if target_shape:
        if len(target_shape) != n:
            raise ValueError('Deconvolution: target_shape must have {} elements'.format(n))
        total = [s * (i - 1) + d - t for s, i, d, t in zip(stride, data.shape[2:], dk,
                                                             target_shape)]
        if min(total) < 0:
            raise ValueError('Deconvolution: target_shape {} is too big'.format(target_shape))
        adj, pad = tuple(t % 2 for t in total), tuple((t + 1) // 2 for t in total)
    if any(a >= s for a, s in zip(adj, stride)):
        raise ValueError('Deconvolution: adj {} must be smaller than stride {}'.format(adj, stride))
    channels, g = data.shape[1], num_group
    expect = (channels, num_filter // g) + tuple(kernel)
    if channels % g or num_filter % g or weight.shape != expect:
        raise ValueError('Deconvolution: Shape inconsistent, provided weight {}, inferred {}'
                         .format(weight.shape, expect))
    _check_bias('Deconvolution', bias, no_bias, num_filter)
    # As a convolution of the stride-dilated input with the flipped, group-transposed kernel.
    w = weight.reshape((g, channels // g, num_filter // g) + tuple(kernel))
    w = jnp.swapaxes(w, 1, 2).reshape((num_filter, channels // g) + tuple(kernel))
    w = jnp.flip(w, axis=tuple(range(2, 2 + n)))
    padding = [(d - 1 - p, d - 1 - p + a) for d, p, a in zip(dk, pad, adj)]
    out = lax.conv_general_dilated(data, w, (1,) * n, padding, lhs_dilation=stride,
                                   rhs_dilation=dilate, dimension_numbers=dn,
                                   feature_group_count=g, precision=_HIGHEST)
    if bias is not None:
        out = out + bias.reshape(_channel_shape(out.ndim, 1, num_filter))
    return out


_optional(_deconvolution, 'bias')


# ----------------------------------------------------------------------------- pooling

def _pool_geometry(size, k, s, p, convention):
    """(output size, extra padding on the high side) for one spatial dimension."""
    span = size + 2 * p - k
    if span < 0:
        raise ValueError('Pooling: kernel size ({}) exceeds input ({} padded to {})'.format(
            k, size, size + 2 * p))
    out = (-(-span // s) if convention == 'full' else span // s) + 1
    return out, (out - 1) * s + k - (size + 2 * p)


def _pool_tiles(x, kernel, padding):
    """The padded input as (N, C, m1, k1, m2, k2, ...): one axis pair per spatial dim,
    windows of ``kernel`` (stride == kernel); a remainder that fills no window is cut."""
    xp = jnp.pad(x, padding, constant_values=-jnp.inf)
    out_shape = [size // k for size, k in zip(xp.shape[2:], kernel)]
    xp = xp[(slice(None), slice(None)) + tuple(slice(0, m * k)
                                               for m, k in zip(out_shape, kernel))]
    tiles = xp.reshape(xp.shape[:2] + sum(((m, k) for m, k in zip(out_shape, kernel)), ()))
    return tiles, _window_axes(kernel)


def _window_axes(kernel):
    """The window axes (k1, k2, ...) of :func:`_pool_tiles`' layout."""
    return tuple(3 + 2 * i for i in range(len(kernel)))


def _max_pool_tiles(x, kernel, padding):
    """Max pooling over non-overlapping windows (stride == kernel) as a reduction over
    reshaped tiles.

    The gradient goes to the first maximal element of each window in row-major order (the
    element MXNet's backward routes it to; none for a NaN window), kept as a boolean mask:
    XLA CPU's ``select_and_scatter`` (the gradient of ``reduce_window``) is several times
    slower."""
    return _max_pool_tiles_vjp(x, kernel, padding, x.shape)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3))
def _max_pool_tiles_vjp(x, kernel, padding, shape):
    tiles, axes = _pool_tiles(x, kernel, padding)
    return jnp.max(tiles, axis=axes)


def _max_pool_tiles_fwd(x, kernel, padding, shape):
    tiles, axes = _pool_tiles(x, kernel, padding)
    best = jnp.max(tiles, axis=axes, keepdims=True)
    hits = jnp.moveaxis(tiles == best, axes, range(-len(axes), 0))
    flat = hits.reshape(hits.shape[:-len(axes)] + (-1,))
    first, taken = [], None                # elementwise: a cumsum costs a reduce-window
    for k in range(flat.shape[-1]):
        hit = flat[..., k]
        first.append(hit if taken is None else hit & ~taken)
        taken = hit if taken is None else taken | hit
    first = jnp.moveaxis(jnp.stack(first, axis=-1).reshape(hits.shape),
                         range(-len(axes), 0), axes)
    return jnp.squeeze(best, axes), first


def _max_pool_tiles_bwd(kernel, padding, shape, first, g):
    axes = _window_axes(kernel)
    grad = jnp.where(first, jnp.expand_dims(g, axes), jnp.zeros((), g.dtype))
    grad = grad.reshape(shape[:2] + tuple(m * k for m, k in zip(grad.shape[2::2], kernel)))
    padded = [size + lo + hi for size, (lo, hi) in zip(shape[2:], padding[2:])]
    grad = jnp.pad(grad, [(0, 0), (0, 0)] + [(0, full - have) for full, have
                                              in zip(padded, grad.shape[2:])])
    return (grad[(slice(None), slice(None)) + tuple(slice(lo, lo + size) for size, (lo, _)
                                                     in zip(shape[2:], padding[2:]))],)


_max_pool_tiles_vjp.defvjp(_max_pool_tiles_fwd, _max_pool_tiles_bwd)


@register('Pooling',
          params=(Param('kernel', (), 'shape'),
                  Param('pool_type', 'max', 'str', choices=('avg', 'lp', 'max', 'sum')),
                  Param('global_pool', False, 'bool'), Param('cudnn_off', False, 'bool'),
                  Param('pooling_convention', 'valid', 'str', choices=('full', 'same', 'valid')),
                  Param('stride', (), 'shape'), Param('pad', (), 'shape'),
                  Param('p_value', None, 'int_or_none'),
                  Param('count_include_pad', None, 'bool_or_none'),
                  Param('layout', None, 'str', choices=_LAYOUTS)),
          sample={'shapes': [(1, 2, 4, 4)],
                  'params': {'kernel': (2, 2), 'stride': (2, 2), 'pool_type': 'avg'}},
          family='nn', save_residuals=True)
def _pooling(data, kernel, pool_type, global_pool, cudnn_off, pooling_convention, stride, pad,
             p_value, count_include_pad, layout):
    """Max, average, sum or Lp pooling over 1-3 spatial dims (input of 3-5 dims).

    ``pooling_convention='valid'`` floors the output size, ``'full'`` ceils it (the last
    window may run past the padded input; those positions are not counted by ``avg``).
    ``count_include_pad`` (default True) counts the explicit ``pad`` in ``avg``'s divisor.
    ``global_pool`` pools each whole feature map (kernel, stride and pad ignored).  Lp uses
    signed powers as MXNet (p=1 is the plain sum).  ``pooling_convention='same'`` is
    rejected, as by MXNet 1.9.1 on CPU."""
    _require_float('Pooling', data)
    n = data.ndim - 2
    if not 1 <= n <= 3:
        raise ValueError('Pooling: input must have 3, 4 or 5 dimensions, got shape {}'.format(
            data.shape))
    if pooling_convention == 'same':
        raise ValueError("Pooling: pooling_convention='same' is not supported")
    channel_last = bool(layout) and layout.endswith('C')
    x = jnp.moveaxis(data, -1, 1) if channel_last else data
    sizes = x.shape[2:]
    if global_pool:
        kernel, stride, pad = sizes, (1,) * n, (0,) * n
    else:
        if len(kernel) != n:
            raise ValueError('Pooling: kernel {} does not fit an input of {} spatial dims'
                             .format(kernel, n))
        stride, pad = stride or (1,) * n, pad or (0,) * n
        if len(stride) != n or len(pad) != n:
            raise ValueError('Pooling: stride and pad need {} elements'.format(n))
        if any(p >= k for p, k in zip(pad, kernel)):
            raise ValueError('Pooling: pad {} must be smaller than kernel {}'.format(pad, kernel))
    geometry = [_pool_geometry(s, k, st, p, pooling_convention)
                for s, k, st, p in zip(sizes, kernel, stride, pad)]
    # A negative trailing pad ('valid' windows that leave a remainder) becomes a crop:
    # jax cannot differentiate reduce_window with negative padding.
    crop = tuple(slice(0, size + min(p + extra, 0)) for size, p, (_, extra)
                 in zip(sizes, pad, geometry))
    padding = ((0, 0), (0, 0)) + tuple((p, max(p + extra, 0))
                                       for p, (_, extra) in zip(pad, geometry))
    window, strides = (1, 1) + tuple(kernel), (1, 1) + tuple(stride)
    xc = x[(slice(None), slice(None)) + crop].astype(_compute_dtype(x.dtype))

    # Init values stay Python scalars: jax differentiates reduce_window only for the monoids
    # it recognises (add from 0, max from -inf).
    def window_sum(v):
        return lax.reduce_window(v, 0.0, lax.add, window, strides, padding)

    if pool_type == 'max' and tuple(stride) == tuple(kernel) and np.prod(kernel) <= 16:
        out = _max_pool_tiles(xc, tuple(kernel), padding)
    elif pool_type == 'max':
        out = lax.reduce_window(xc, -jnp.inf, lax.max, window, strides, padding)
    elif pool_type == 'sum':
        out = window_sum(xc)
    elif pool_type == 'lp':
        p = p_value
        if p is None:
            raise ValueError('Pooling: pool_type=lp needs p_value')
        if p == 1:
            out = window_sum(xc)
        elif p == 2:
            out = jnp.sqrt(window_sum(xc * xc))
        else:
            s = window_sum(xc ** p)
            out = jnp.sign(s) * jnp.abs(s) ** (1.0 / p)
    else:
        # The divisor depends on shapes only: count in numpy (a constant of the primitive).
        inside = np.ones(sizes, np.float32)
        if count_include_pad is None or count_include_pad:
            inside = np.pad(inside, [(p, p) for p in pad], constant_values=1.0)
            count_pad = tuple((0, extra) for _, extra in geometry)
        else:
            count_pad = tuple((p, p + extra) for p, (_, extra) in zip(pad, geometry))
        count = lax.reduce_window(jnp.asarray(inside), 0.0, lax.add, tuple(kernel),
                                  tuple(stride), count_pad)
        out = window_sum(xc) / count.astype(xc.dtype)
    out = out.astype(data.dtype)
    return jnp.moveaxis(out, 1, -1) if channel_last else out


# ----------------------------------------------------------------------------- normalisation

_BN_PARAMS = (Param('eps', 1e-3, 'float'), Param('momentum', 0.9, 'float'),
              Param('fix_gamma', True, 'bool'), Param('use_global_stats', False, 'bool'),
              Param('output_mean_var', False, 'bool'), Param('axis', 1, 'int'),
              Param('cudnn_off', False, 'bool'),
              Param('min_calib_range', None, 'float_or_none'),
              Param('max_calib_range', None, 'float_or_none'))


def _bn_reduce_axes(ndim, axis):
    return tuple(i for i in range(ndim) if i != axis % ndim)


@register('BatchNorm', inputs=('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
          params=_BN_PARAMS, train_aware=True, dtype=None, same_dtype_inputs=False, family='nn')
def _batch_norm(data, gamma, beta, moving_mean, moving_var, *, eps, momentum, fix_gamma,
                use_global_stats, output_mean_var, axis, cudnn_off, min_calib_range,
                max_calib_range, training):
    """Batch normalisation over every axis but ``axis`` (the channel axis, default 1).

    In training mode (and not ``use_global_stats``) the batch mean and biased variance are
    used; otherwise ``moving_mean``/``moving_var``.  ``fix_gamma`` (default True) uses a
    gamma of ones (and gives gamma a zero gradient).  ``output_mean_var`` also returns the
    mean and the *inverse* standard deviation 1/sqrt(var + eps) that were used.

    The gradient is MXNet's for a backward pass in training mode (``backward()``'s default),
    whatever the forward's mode: the batch-statistics formula evaluated with the statistics
    the forward used, so a forward in prediction mode gets that formula with the running
    statistics (not the derivative of its output).  MXNet's ``backward(train_mode=False)``
    gives dy * gamma / sqrt(moving_var + eps) instead; that mode is not seen here (the
    replayed primitive cannot know it).  With ``use_global_stats`` the gradient is that
    plain one.  The running statistics get no gradient, nor do the mean/invstd outputs.
    This record is pure: the running-average update (done by MXNet 1.9.1 in the backward
    pass) lives in :func:`BatchNorm`."""
    _require_float('BatchNorm', data)
    if data.ndim < 2:
        raise ValueError('BatchNorm: input must have at least 2 dimensions, got shape {}'
                         .format(data.shape))
    axis = axis % data.ndim
    red = _bn_reduce_axes(data.ndim, axis)
    cshape = _channel_shape(data.ndim, axis, data.shape[axis])
    count = data.size // data.shape[axis]
    cdt = _compute_dtype(data.dtype)

    def channel(v):
        return v.astype(cdt).reshape(cshape)

    def forward(x, g, b, mm, mv):
        x = x.astype(cdt)
        if training and not use_global_stats:
            mean = jnp.mean(x, axis=red)
            var = jnp.mean(jnp.square(x - mean.reshape(cshape)), axis=red)
        else:
            mean, var = mm.astype(cdt), mv.astype(cdt)
        w = jnp.ones_like(mean) if fix_gamma else g.astype(cdt)
        invstd = lax.rsqrt(var + eps)
        out = (x - mean.reshape(cshape)) * (w * invstd).reshape(cshape) + channel(b)
        return out.astype(data.dtype), mean.astype(g.dtype), invstd.astype(g.dtype)

    @jax.custom_vjp
    def batch_norm(x, g, b, mm, mv):
        return forward(x, g, b, mm, mv)

    def fwd(x, g, b, mm, mv):
        out = forward(x, g, b, mm, mv)
        return out, (x, g, b, mm, mv, out[1], out[2])

    def bwd(res, cts):
        x, g, b, mm, mv, saved_mean, saved_invstd = res
        dy = cts[0].astype(cdt)
        if not use_global_stats:
            mean, invstd = channel(saved_mean), channel(saved_invstd)
        else:
            mean, invstd = channel(mm), lax.rsqrt(channel(mv) + eps)
        w = jnp.ones_like(mean) if fix_gamma else channel(g)
        centered = x.astype(cdt) - mean
        sum_dy = jnp.sum(dy, axis=red, keepdims=True)
        dotp = jnp.sum(centered * dy, axis=red, keepdims=True)
        if not use_global_stats:
            dx = (dy - sum_dy / count - centered * (dotp * invstd * invstd / count)) * invstd * w
        else:
            dx = dy * invstd * w
        dg = jnp.zeros_like(g) if fix_gamma else (dotp * invstd).reshape(g.shape).astype(g.dtype)
        return (dx.astype(x.dtype), dg, sum_dy.reshape(b.shape).astype(b.dtype),
                jnp.zeros_like(mm), jnp.zeros_like(mv))

    batch_norm.defvjp(fwd, bwd)
    out, mean, invstd = batch_norm(data, gamma, beta, moving_mean, moving_var)
    return (out, mean, invstd) if output_mean_var else out


@functools.partial(jax.jit, static_argnames=('axis',))
def _moving_average(moving_mean, moving_var, data, momentum, axis):
    """MXNet's running statistics: m * momentum + batch * (1 - momentum), biased variance."""
    red = _bn_reduce_axes(data.ndim, axis)
    x = data.astype(_compute_dtype(data.dtype))
    mean, var = jnp.mean(x, axis=red), jnp.var(x, axis=red)
    return ((moving_mean * momentum + mean * (1 - momentum)).astype(moving_mean.dtype),
            (moving_var * momentum + var * (1 - momentum)).astype(moving_var.dtype))


_BN_OP = OPS['BatchNorm']
_BN_NAMES = [p.name for p in _BN_OP._static]


def BatchNorm(*args, **kwargs):
    """Batch normalisation with MXNet 1.9.1's side effects on its input arrays.

    Computes the ``BatchNorm`` record (see its description), then, as MXNet does:

    * with ``fix_gamma=True`` (the default) writes ones into ``gamma``;
    * when recorded in training mode without ``use_global_stats``, updates
      ``moving_mean``/``moving_var`` in place during the *backward* pass
      (``moving = moving * momentum + batch_stat * (1 - momentum)``, biased variance, read
      at backward time, once per backward that goes through this node).  A forward in
      ``train_mode()`` without recording, or in prediction mode, leaves them unchanged.
    """
    arrays, static, dynamic, out, ctx = bind(_BN_OP, args, kwargs)
    res = invoke(_BN_OP, arrays, static, dynamic, out, ctx)
    params = dict(zip(_BN_NAMES, static))
    training = static[-1]
    data, gamma, moving_mean, moving_var = arrays[0], arrays[1], arrays[3], arrays[4]
    if params['fix_gamma']:
        gamma._set_value(jnp.ones_like(gamma._value))
    head = res[0] if isinstance(res, (list, tuple)) else res
    if training and not params['use_global_stats'] and head._node is not None:
        data_value, momentum = data._value, params['momentum']
        axis = params['axis'] % data.ndim

        def update_running_stats():
            mm, mv = _moving_average(moving_mean._value, moving_var._value, data_value,
                                     momentum, axis)
            moving_mean._set_value(mm)
            moving_var._set_value(mv)
        autograd.add_backward_hook(head, update_running_stats)
    return res


BatchNorm.__doc__ = BatchNorm.__doc__.rstrip() + '\n\n    The operator: ' + _BN_OP.doc
BatchNorm.__signature__ = _BN_OP.signature
BatchNorm.__module__ = 'mxnet.ndarray'
BatchNorm.op = _BN_OP


@register('LayerNorm', inputs=('data', 'gamma', 'beta'),
          params=(Param('axis', -1, 'int'), Param('eps', 1e-5, 'float'),
                  Param('output_mean_var', False, 'bool')),
          sample={'shapes': [(2, 3), (3,), (3,)]},
          family='nn')
def _layer_norm(data, gamma, beta, axis, eps, output_mean_var):
    """Normalise along ``axis`` (default the last): (x - mean) / sqrt(var + eps) * gamma +
    beta, with gamma/beta of shape (data.shape[axis],).  ``output_mean_var`` also returns the
    mean and the standard deviation sqrt(var + eps), keeping ``axis`` as size 1; no gradient
    flows through those two, as in MXNet."""
    _require_float('LayerNorm', data)
    axis = axis % data.ndim
    if gamma.shape != (data.shape[axis],) or beta.shape != gamma.shape:
        raise ValueError('LayerNorm: Shape inconsistent, gamma/beta {} {}, expected ({},)'
                         .format(gamma.shape, beta.shape, data.shape[axis]))
    x = data.astype(_compute_dtype(data.dtype))
    mean = jnp.mean(x, axis=axis, keepdims=True)
    var = jnp.mean(jnp.square(x - mean), axis=axis, keepdims=True)
    std = jnp.sqrt(var + eps)
    cshape = _channel_shape(data.ndim, axis, data.shape[axis])
    out = (x - mean) / std * gamma.reshape(cshape) + beta.reshape(cshape)
    if output_mean_var:
        return out, lax.stop_gradient(mean), lax.stop_gradient(std)
    return out


@register('InstanceNorm', inputs=('data', 'gamma', 'beta'), params=(Param('eps', 1e-3, 'float'),),
          sample={'shapes': [(2, 3, 4), (3,), (3,)]},
          family='nn')
def _instance_norm(data, gamma, beta, eps):
    """Normalise each (instance, channel) over the spatial axes 2...: (x - mean) /
    sqrt(var + eps) * gamma + beta, gamma/beta of shape (channels,)."""
    _require_float('InstanceNorm', data)
    if data.ndim < 3:
        raise ValueError('InstanceNorm: input must have more than 2 dimensions, got shape {}'
                         .format(data.shape))
    x = data.astype(_compute_dtype(data.dtype))
    red = tuple(range(2, data.ndim))
    mean = jnp.mean(x, axis=red, keepdims=True)
    var = jnp.mean(jnp.square(x - mean), axis=red, keepdims=True)
    cshape = _channel_shape(data.ndim, 1, data.shape[1])
    return (x - mean) * lax.rsqrt(var + eps) * gamma.reshape(cshape) + beta.reshape(cshape)


@register('GroupNorm', inputs=('data', 'gamma', 'beta'),
          params=(Param('num_groups', 1, 'int'), Param('eps', 1e-5, 'float'),
                  Param('output_mean_var', False, 'bool')),
          sample={'shapes': [(2, 4, 3), (2,), (2,)], 'params': {'num_groups': 2}},
          family='nn')
def _group_norm(data, gamma, beta, num_groups, eps, output_mean_var):
    """Split the channels (axis 1) into ``num_groups`` groups and normalise each group of
    each instance.  In MXNet 1.9.1 ``gamma`` and ``beta`` have one value *per group*
    (shape (num_groups,)), not per channel.  ``output_mean_var`` adds mean and std of shape
    (N, num_groups)."""
    _require_float('GroupNorm', data)
    n, c, g = data.shape[0], data.shape[1], num_groups
    if c % g or gamma.shape != (g,) or beta.shape != (g,):
        raise ValueError('GroupNorm: Shape inconsistent, {} channels in {} groups with gamma {}'
                         .format(c, g, gamma.shape))
    x = data.astype(_compute_dtype(data.dtype)).reshape((n, g, -1))
    mean = jnp.mean(x, axis=2, keepdims=True)
    std = jnp.sqrt(jnp.mean(jnp.square(x - mean), axis=2, keepdims=True) + eps)
    out = ((x - mean) / std * gamma.reshape(1, g, 1) + beta.reshape(1, g, 1)).reshape(data.shape)
    if output_mean_var:
        return out, lax.stop_gradient(mean[..., 0]), lax.stop_gradient(std[..., 0])
    return out


@register('LRN', params=(Param('alpha', 1e-4, 'float'), Param('beta', 0.75, 'float'),
                         Param('knorm', 2.0, 'float'), Param('nsize', REQUIRED, 'int')),
          sample={'shapes': [(1, 4, 2, 2)], 'params': {'nsize': 3}},
          family='nn')
def _lrn(data, alpha, beta, knorm, nsize):
    """Local response normalisation across channels of an NCHW input:
    x / (knorm + alpha / nsize * sum of x^2 over channels c - nsize//2 .. c + nsize//2)^beta."""
    _require_float('LRN', data)
    if data.ndim != 4:
        raise ValueError('LRN: input must be 4-D (NCHW), got shape {}'.format(data.shape))
    half = nsize // 2
    sq = lax.reduce_window(jnp.square(data), 0.0, lax.add,
                           (1, 2 * half + 1, 1, 1), (1, 1, 1, 1),
                           ((0, 0), (half, half), (0, 0), (0, 0)))
    return data / (knorm + alpha / nsize * sq) ** beta


@register('L2Normalization', params=(Param('eps', 1e-10, 'float'),
                                     Param('mode', 'instance', 'str',
                                           choices=('channel', 'instance', 'spatial'))),
          family='nn')
def _l2_normalization(data, eps, mode):
    """x / sqrt(sum(x^2) + eps), the sum over all axes but the first (``instance``), over
    axis 1 (``channel``) or over axes 2... (``spatial``; both need 3+ dimensions)."""
    _require_float('L2Normalization', data)
    if mode != 'instance' and data.ndim < 3:
        raise ValueError('L2Normalization: mode={} needs an input of at least 3 dimensions'
                         .format(mode))
    red = {'instance': tuple(range(1, data.ndim)), 'channel': (1,),
           'spatial': tuple(range(2, data.ndim))}[mode]
    return data * lax.rsqrt(jnp.sum(jnp.square(data), axis=red, keepdims=True) + eps)


# ----------------------------------------------------------------------------- Embedding

@register('Embedding', inputs=('data', 'weight'),
          params=(Param('input_dim', REQUIRED, 'int'), Param('output_dim', REQUIRED, 'int'),
                  Param('dtype', 'float32', 'dtype'), Param('sparse_grad', False, 'bool')),
          dtype=None, same_dtype_inputs=False,
          sample={'shapes': [(2, 2), (5, 3)], 'inputs': [[[0, 4], [2, 1]], None],
                  'wrt': (1,), 'params': {'input_dim': 5, 'output_dim': 3}},
          family='nn')
def _embedding(data, weight, input_dim, output_dim, dtype, sparse_grad):
    """Rows of ``weight`` (input_dim, output_dim) at the indices in ``data`` (any dtype,
    truncated to int and clipped into range): output shape data.shape + (output_dim,), in
    the weight's dtype.  ``sparse_grad`` is accepted; the gradient is always dense here."""
    if weight.shape != (input_dim, output_dim):
        raise ValueError('Embedding: Shape inconsistent, provided weight {}, inferred {}'
                         .format(weight.shape, (input_dim, output_dim)))
    idx = jnp.clip(data.astype(jnp.int32), 0, input_dim - 1)
    return jnp.take(weight, idx, axis=0)


# ----------------------------------------------------------------------------- loss outputs

def _softmax_output_shape(data, multi_output, preserve_shape):
    """The working shape MXNet reshapes the input to; the softmax runs over its axis 1."""
    if multi_output:
        return data.shape[0], data.shape[1], -1
    if preserve_shape:
        return -1, data.shape[-1]
    return data.shape[0], -1


@register('SoftmaxOutput', inputs=('data', 'label'), aliases=('Softmax',),
          params=(Param('grad_scale', 1.0, 'float'), Param('ignore_label', -1.0, 'float'),
                  Param('multi_output', False, 'bool'), Param('use_ignore', False, 'bool'),
                  Param('preserve_shape', False, 'bool'),
                  Param('normalization', 'null', 'str', choices=('batch', 'null', 'valid')),
                  Param('out_grad', False, 'bool'), Param('smooth_alpha', 0.0, 'float')),
          sample={'shapes': [(2, 3), (2,)], 'inputs': [None, [0, 2]], 'wrt': (0,)},
          family='nn')
def _softmax_output(data, label, grad_scale, ignore_label, multi_output, use_ignore,
                    preserve_shape, normalization, out_grad, smooth_alpha):
    """Softmax forward with the cross-entropy gradient as its backward: d data =
    (softmax - one_hot(label)) * grad_scale / norm, ignoring the head gradient.

    The softmax runs over axis 1 of (N, C, ...) with ``multi_output`` (label shape (N, ...)),
    over the last axis with ``preserve_shape``, else over all axes but the first flattened.
    ``use_ignore`` zeroes rows whose label is ``ignore_label``; ``normalization`` divides by
    1 (``null``; with multi_output by the spatial size), the batch size (``batch``) or the
    number of labels != ignore_label (``valid``).  ``smooth_alpha`` smooths the target.
    Labels out of range give a zero target row.  ``out_grad=True`` multiplies by the head
    gradient (MXNet 1.9.1's imperative mode multiplies by the output instead).  The label
    gets a zero gradient."""
    _require_float('SoftmaxOutput', data)
    axis, work = 1, _softmax_output_shape(data, multi_output, preserve_shape)
    x = data.reshape(work)
    lab = label.reshape(x.shape[:1] + x.shape[2:]) if multi_output else label.reshape(-1)
    if lab.size != x.size // x.shape[axis]:
        raise ValueError('SoftmaxOutput: label shape {} does not match data shape {}'.format(
            label.shape, data.shape))

    def forward(d):
        return jax.nn.softmax(d.reshape(work), axis=axis).reshape(data.shape)

    @jax.custom_vjp
    def softmax_output(d, l):
        return forward(d)

    def fwd(d, l):
        p = forward(d)
        return p, (p, l)

    def bwd(res, g):
        p, l = res
        p = p.reshape(work)
        k = p.shape[axis]
        li = l.reshape(lab.shape)
        target = jax.nn.one_hot(li.astype(jnp.int32), k, axis=axis, dtype=p.dtype)
        if smooth_alpha:
            target = target * (1 - smooth_alpha) + (1 - target) * (smooth_alpha / (k - 1))
        grad = p - target
        valid = li != ignore_label
        if use_ignore:
            grad = grad * jnp.expand_dims(valid, axis).astype(p.dtype)
        scale = grad_scale
        if normalization == 'valid':
            norm = jnp.maximum(jnp.sum(valid), 1).astype(p.dtype)
        else:
            spatial = p.shape[2] if multi_output else 1
            norm = spatial * (p.shape[0] if normalization == 'batch' else 1)
        grad = (grad * scale / norm).reshape(data.shape)
        if out_grad:
            grad = grad * g
        return grad, jnp.zeros_like(l)

    softmax_output.defvjp(fwd, bwd)
    return softmax_output(data, label)


@register('softmax_cross_entropy', inputs=('data', 'label'),
          sample={'shapes': [(2, 3), (2,)], 'inputs': [None, [0, 2]], 'wrt': (0,)},
          family='nn')
def _softmax_cross_entropy(data, label):
    """Sum over the batch of -log softmax(data)[label] for 2-D data (batch, classes): a
    (1,)-shaped result."""
    _require_float('softmax_cross_entropy', data)
    if data.ndim != 2 or label.shape != data.shape[:1]:
        raise ValueError('softmax_cross_entropy: data must be (batch, classes) and label '
                         '(batch,), got {} and {}'.format(data.shape, label.shape))
    logp = jax.nn.log_softmax(data, axis=1)
    picked = jnp.take_along_axis(logp, label.astype(jnp.int32)[:, None], axis=1)
    return -jnp.sum(picked).reshape(1)


# ----------------------------------------------------------------------------- sequences

_SEQ_PARAMS = (Param('use_sequence_length', False, 'bool'), Param('axis', 0, 'int'))
_SEQ_SAMPLE = {'shapes': [(3, 2, 2), (2,)], 'inputs': [None, [1, 3]], 'wrt': (0,),
           'params': {'use_sequence_length': True}}


def _sequence_lengths(op_name, data, sequence_length, use_sequence_length, axis, axes=(0, 1)):
    if axis not in axes:
        raise ValueError('{}: axis must be {}, got {}'.format(
            op_name, ' or '.join(map(str, axes)), axis))
    if use_sequence_length != (sequence_length is not None):
        raise ValueError('{}: the sequence_length input is needed exactly when '
                         'use_sequence_length=True'.format(op_name))
    if sequence_length is None:
        return None
    return sequence_length.astype(jnp.int32)


def _time_index(data, axis):
    """Per element of data: its position along the time axis, and the batch axis."""
    return lax.broadcasted_iota(jnp.int32, data.shape, axis), 1 - axis


def _per_batch(lengths, data, batch_axis):
    return lengths.reshape(_channel_shape(data.ndim, batch_axis, data.shape[batch_axis]))


@register('SequenceMask', inputs=('data', 'sequence_length'),
          params=_SEQ_PARAMS[:1] + (Param('value', 0.0, 'float'),) + _SEQ_PARAMS[1:],
          same_dtype_inputs=False, sample=_SEQ_SAMPLE, family='nn')
def _sequence_mask(data, sequence_length=None, *, use_sequence_length, value, axis):
    """Set the steps at and past each sequence's length (time axis ``axis``, 0 or 1; batch
    on the other) to ``value``; the identity without ``use_sequence_length``."""
    lengths = _sequence_lengths('SequenceMask', data, sequence_length, use_sequence_length, axis)
    if lengths is None:
        return data
    t, batch_axis = _time_index(data, axis)
    return jnp.where(t < _per_batch(lengths, data, batch_axis), data,
                     jnp.asarray(value, data.dtype))


_optional(_sequence_mask, 'sequence_length')


@register('SequenceLast', inputs=('data', 'sequence_length'), params=_SEQ_PARAMS,
          same_dtype_inputs=False, sample=_SEQ_SAMPLE, family='nn')
def _sequence_last(data, sequence_length=None, *, use_sequence_length, axis):
    """The last valid step of each sequence (step ``length - 1``, or the last step without
    ``use_sequence_length``): the time axis is removed.  Lengths are clamped into
    [1, max length] (MXNet reads out of bounds otherwise)."""
    lengths = _sequence_lengths('SequenceLast', data, sequence_length, use_sequence_length, axis)
    if lengths is None:
        return jnp.take(data, data.shape[axis] - 1, axis=axis)
    last = jnp.clip(lengths, 1, data.shape[axis]) - 1
    batch_axis = 1 - axis
    idx = _per_batch(last, data, batch_axis)
    idx = jnp.broadcast_to(idx, data.shape[:axis] + (1,) + data.shape[axis + 1:])
    return jnp.squeeze(jnp.take_along_axis(data, idx, axis=axis), axis)


_optional(_sequence_last, 'sequence_length')


@register('SequenceReverse', inputs=('data', 'sequence_length'), params=_SEQ_PARAMS,
          same_dtype_inputs=False, sample=_SEQ_SAMPLE, family='nn')
def _sequence_reverse(data, sequence_length=None, *, use_sequence_length, axis):
    """Reverse the first ``length`` steps of each sequence along axis 0 (the only axis MXNet
    supports), leaving the padding steps in place; all steps without
    ``use_sequence_length``."""
    lengths = _sequence_lengths('SequenceReverse', data, sequence_length, use_sequence_length,
                                axis, axes=(0,))
    if lengths is None:
        return jnp.flip(data, axis=0)
    t, batch_axis = _time_index(data, 0)
    n = _per_batch(jnp.clip(lengths, 0, data.shape[0]), data, batch_axis)
    return jnp.take_along_axis(data, jnp.where(t < n, n - 1 - t, t), axis=0)


_optional(_sequence_reverse, 'sequence_length')

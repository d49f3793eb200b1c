"""Miscellaneous operators: scans and statistics, layout moves, padding, index arithmetic,
mixed-precision helpers, and MXNet's legacy "output" layers whose gradient is defined by
the loss they stand for rather than by their forward function."""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from .registry import Param, register


def _misc(name, **spec):
    spec.setdefault('family', 'misc')
    return register(name, **spec)


@_misc('cumsum', inputs=('a',), params=(Param('axis', None, 'int_or_none'),
                                         Param('dtype', None, 'dtype')), dtype=None)
def _cumsum(a, axis, dtype):
    """Cumulative sum along ``axis`` (of the flattened array when None)."""
    out = jnp.cumsum(a.reshape(-1) if axis is None else a, axis=0 if axis is None else axis)
    return out.astype(dtype or a.dtype)


@_misc('moments', params=(Param('axes', None, 'axis'), Param('keepdims', False, 'bool')),
       num_outputs=2)
def _moments(data, axes, keepdims):
    """(mean, variance) over ``axes`` (all axes by default)."""
    mean = jnp.mean(data, axis=axes, keepdims=keepdims)
    var = jnp.mean(jnp.square(data - jnp.mean(data, axis=axes, keepdims=True)), axis=axes,
                   keepdims=keepdims)
    return mean.reshape(1) if mean.ndim == 0 else mean, var.reshape(1) if var.ndim == 0 else var


@_misc('depth_to_space', params=(Param('block_size', kind='int'),), method='depth_to_space',
       sample={'shapes': [(1, 4, 1, 2)], 'params': {'block_size': 2}})
def _depth_to_space(data, block_size):
    """(N, C*b*b, H, W) -> (N, C, H*b, W*b), moving depth blocks into space."""
    n, c, h, w = data.shape
    b = block_size
    x = data.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    return x.reshape(n, c // (b * b), h * b, w * b)


@_misc('space_to_depth', params=(Param('block_size', kind='int'),), method='space_to_depth',
       sample={'shapes': [(1, 1, 2, 4)], 'params': {'block_size': 2}})
def _space_to_depth(data, block_size):
    """(N, C, H*b, W*b) -> (N, C*b*b, H, W), the inverse of depth_to_space."""
    n, c, h, w = data.shape
    b = block_size
    x = data.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


@_misc('Pad', aliases=('pad',), method='pad',
       sample={'shapes': [(1, 1, 2, 3)], 'params': {'mode': 'reflect',
                                                     'pad_width': (0, 0, 0, 0, 1, 1, 1, 1)}},
       params=(Param('mode', kind='str', choices=('constant', 'edge', 'reflect')),
               Param('pad_width', kind='shape'), Param('constant_value', 0.0, 'float')))
def _pad(data, mode, pad_width, constant_value):
    """Pad a 4-D or 5-D array; ``pad_width`` lists (before, after) for every axis, and the
    first two axes (batch, channel) must not be padded."""
    widths = [(pad_width[2 * i], pad_width[2 * i + 1]) for i in range(data.ndim)]
    if mode == 'constant':
        return jnp.pad(data, widths, constant_values=constant_value)
    return jnp.pad(data, widths, mode=mode)


@_misc('ravel_multi_index', params=(Param('shape', kind='shape'),), differentiable=False)
def _ravel(data, shape):
    """Flat indices of the coordinates in the rows of ``data`` for an array of ``shape``."""
    idx = data.astype(jnp.int64)
    strides = np.cumprod((1,) + tuple(shape[::-1]))[:-1][::-1]
    flat = sum(idx[i] * int(s) for i, s in enumerate(strides))
    return flat.astype(data.dtype)


@_misc('unravel_index', params=(Param('shape', kind='shape'),), differentiable=False)
def _unravel(data, shape):
    """Coordinates (one row per axis) of flat indices in an array of ``shape``."""
    return jnp.stack(jnp.unravel_index(data.astype(jnp.int64), shape)).astype(data.dtype)


@_misc('all_finite', params=(Param('init_output', True, 'bool'),), dtype=None,
       differentiable=False)
def _all_finite(data, init_output):
    """[1.] if every element is finite, else [0.] (float32)."""
    return jnp.all(jnp.isfinite(data)).astype(jnp.float32).reshape(1)


@_misc('multi_all_finite', inputs=('data',), variadic=True, dtype=None, differentiable=False,
       same_dtype_inputs=False,
       params=(Param('num_arrays', 1, 'int'), Param('init_output', True, 'bool')))
def _multi_all_finite(*data, num_arrays, init_output):
    """[1.] if every element of every array is finite, else [0.]."""
    ok = functools.reduce(jnp.logical_and, [jnp.all(jnp.isfinite(d)) for d in data])
    return ok.astype(jnp.float32).reshape(1)


@_misc('amp_cast', params=(Param('dtype', kind='dtype'),), dtype=None,
       sample={'params': {'dtype': 'float64'}})
def _amp_cast(data, dtype):
    """Cast for automatic mixed precision (a plain cast)."""
    return data.astype(dtype)


@_misc('amp_multicast', inputs=('data',), variadic=True, dtype=None, same_dtype_inputs=False,
       sample={'params': {'num_outputs': 2}},
       params=(Param('num_outputs', kind='int'), Param('cast_narrow', False, 'bool')))
def _amp_multicast(*data, num_outputs, cast_narrow):
    """Cast every input to the widest (or, with cast_narrow, the narrowest) float dtype."""
    dts = [d.dtype for d in data]
    pick = min if cast_narrow else max
    target = pick(dts, key=lambda t: jnp.dtype(t).itemsize)
    out = tuple(d.astype(target) for d in data)
    return out if len(out) > 1 else out[0]


@_misc('khatri_rao', inputs=('args',), variadic=True)
def _khatri_rao(*args):
    """Column-wise Kronecker product of matrices with equal column counts."""
    out = args[0]
    for m in args[1:]:
        out = (out[:, None, :] * m[None, :, :]).reshape(-1, out.shape[1])
    return out


@_misc('choose_element_0index', inputs=('data', 'index'), same_dtype_inputs=False,
       sample={'inputs': [None, [2, 0]], 'wrt': (0,)},
       params=(Param('axis', -1, 'int'), Param('keepdims', False, 'bool'),
               Param('mode', 'clip', 'str')))
def _choose0(data, index, axis, keepdims, mode):
    """data[i, index[i]] for each row (legacy ``pick`` on axis 1)."""
    idx = jnp.clip(index.astype(jnp.int64), 0, data.shape[1] - 1)
    return jnp.take_along_axis(data, idx[:, None], axis=1)[:, 0]


@_misc('fill_element_0index', inputs=('lhs', 'mhs', 'rhs'),
       sample={'shapes': [(2, 3), (2,), (2,)], 'inputs': [None, None, [2, 0]], 'wrt': (0, 1)})
def _fill0(lhs, mhs, rhs):
    """A copy of lhs with lhs[i, rhs[i]] = mhs[i]."""
    idx = rhs.astype(jnp.int64)
    return lhs.at[jnp.arange(lhs.shape[0]), idx].set(mhs)


def _output_layer(forward, grad_of):
    """A layer whose backward ignores the head gradient and returns grad_of(out, label)."""
    @jax.custom_vjp
    def f(data, label, grad_scale):
        return forward(data)

    def fwd(data, label, grad_scale):
        out = forward(data)
        return out, (out, label, grad_scale)

    def bwd(res, g):
        out, label, grad_scale = res
        label = label.reshape(out.shape).astype(out.dtype)
        num_output = max(label.size // max(label.shape[0], 1), 1)
        return (grad_of(out, label) * (grad_scale / num_output)).astype(out.dtype), \
            jnp.zeros_like(label), jnp.zeros_like(grad_scale)

    f.defvjp(fwd, bwd)
    return f


_LINEAR = _output_layer(lambda x: x, lambda o, y: o - y)
_LOGISTIC = _output_layer(jax.nn.sigmoid, lambda o, y: o - y)
_MAE = _output_layer(lambda x: x, lambda o, y: jnp.sign(o - y))


def _regression(name, fn, what):
    def impl(data, label, grad_scale):
        return fn(data, label, jnp.asarray(grad_scale, data.dtype))
    impl.__doc__ = ('{}: forward {}; backward gives grad_scale * d(loss)/d(out) divided by the '
                    'number of outputs per sample, ignoring the head gradient.'.format(name, what))
    register(name, inputs=('data', 'label'), same_dtype_inputs=False, family='misc',
             params=(Param('grad_scale', 1.0, 'float', dynamic=True),))(impl)


_regression('LinearRegressionOutput', _LINEAR, 'identity, loss (out - label)^2 / 2')
_regression('LogisticRegressionOutput', _LOGISTIC, 'sigmoid, logistic loss')
_regression('MAERegressionOutput', _MAE, 'identity, loss |out - label|')


@jax.custom_vjp
def _make_loss_fn(data, grad_scale):
    return data


def _make_loss_fwd(data, grad_scale):
    return data, (data, grad_scale)


def _make_loss_bwd(res, g):
    data, grad_scale = res
    return jnp.full_like(data, grad_scale), jnp.zeros_like(grad_scale)


_make_loss_fn.defvjp(_make_loss_fwd, _make_loss_bwd)


@_misc('MakeLoss', aliases=('make_loss',),
       params=(Param('grad_scale', 1.0, 'float', dynamic=True),
               Param('valid_thresh', 0.0, 'float'),
               Param('normalization', 'null', 'str', choices=('null', 'batch', 'valid'))))
def _make_loss(data, grad_scale, valid_thresh, normalization):
    """Mark ``data`` as a loss: forward identity; its gradient is ``grad_scale`` for every
    element (normalised by the batch size with normalization='batch')."""
    if normalization == 'batch':
        grad_scale = grad_scale / data.shape[0]
    return _make_loss_fn(data, jnp.asarray(grad_scale, data.dtype))


@_misc('IdentityAttachKLSparseReg',
       params=(Param('sparseness_target', 0.1, 'float'), Param('penalty', 0.001, 'float'),
               Param('momentum', 0.9, 'float')))
def _identity_kl(data, sparseness_target, penalty, momentum):
    """Identity in the forward pass (the KL sparsity penalty on the gradient is not
    reproduced: it needs MXNet's hidden moving-average state)."""
    return data


@_misc('UpSampling', inputs=('data',), variadic=True,
       sample={'shapes': [(1, 1, 2, 2)], 'params': {'scale': 2}},
       params=(Param('scale', kind='int'), Param('num_filter', 0, 'int'),
               Param('sample_type', 'nearest', 'str', choices=('nearest', 'bilinear')),
               Param('multi_input_mode', 'concat', 'str'), Param('num_args', 1, 'int'),
               Param('workspace', 512, 'int')))
def _upsampling(*data, scale, num_filter, sample_type, multi_input_mode, num_args, workspace):
    """Nearest-neighbour upsampling of NCHW inputs by an integer ``scale`` (bilinear upsampling
    is a learned deconvolution in MXNet and is not supported here)."""
    if sample_type != 'nearest':
        raise ValueError('UpSampling: only sample_type="nearest" is supported')
    outs = [jnp.repeat(jnp.repeat(d, scale, axis=2), scale, axis=3) for d in data]
    return outs[0] if len(outs) == 1 else (
        jnp.concatenate(outs, axis=1) if multi_input_mode == 'concat' else sum(outs))


def _patches(data, kernel, stride, dilate, pad):
    nd_ = len(kernel)
    stride = stride or (1,) * nd_
    dilate = dilate or (1,) * nd_
    pad = pad or (0,) * nd_
    return jax.lax.conv_general_dilated_patches(
        data, kernel, stride, [(p, p) for p in pad], rhs_dilation=dilate)


@_misc('im2col', params=(Param('kernel', kind='shape'), Param('stride', (), 'shape'),
                         Param('dilate', (), 'shape'), Param('pad', (), 'shape')),
       sample={'shapes': [(1, 2, 3, 3)], 'params': {'kernel': (2, 2), 'pad': (1, 1)}})
def _im2col(data, kernel, stride, dilate, pad):
    """Sliding-window patches: (N, C, H, W) -> (N, C*kh*kw, L) in MXNet's channel-major order."""
    p = _patches(data, kernel, stride, dilate, pad)
    return p.reshape(p.shape[0], p.shape[1], -1)


@_misc('col2im', params=(Param('output_size', kind='shape'), Param('kernel', kind='shape'),
                         Param('stride', (), 'shape'), Param('dilate', (), 'shape'),
                         Param('pad', (), 'shape')),
       sample={'shapes': [(1, 8, 4)], 'params': {'output_size': (3, 3), 'kernel': (2, 2)}})
def _col2im(data, output_size, kernel, stride, dilate, pad):
    """The adjoint of im2col: patches summed back into an (N, C, *output_size) image."""
    c = data.shape[1] // int(np.prod(kernel))
    zeros = jnp.zeros((data.shape[0], c) + tuple(output_size), data.dtype)
    _, pullback = jax.vjp(lambda x: _im2col.impl(x, kernel, stride, dilate, pad), zeros)
    return pullback(data)[0]

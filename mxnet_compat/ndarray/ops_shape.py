"""Shape operators: reshape (with MXNet's special codes), transpose, concat, stack,
broadcasting, axes insertion/removal, tiling and splitting."""
import jax.numpy as jnp

from .registry import Param, register


def infer_reshape(src, target, reverse=False, floor_infer=False):
    """The output shape of MXNet's Reshape.

    Codes in ``target``: ``0`` copies the input dimension, ``-1`` infers one dimension,
    ``-2`` copies all remaining input dimensions, ``-3`` merges two consecutive input
    dimensions, ``-4 d1 d2`` splits one input dimension into two (one may be -1).
    ``reverse=True`` matches the codes from the right instead of the left.
    ``floor_infer=True`` floors a ``-1`` that does not divide the size (``NDArray.reshape``
    does, and then reports the size mismatch) instead of raising."""
    src, target = tuple(src), tuple(int(t) for t in target)
    if reverse:
        src, target = src[::-1], target[::-1]
    out, s, i = [], 0, 0
    try:
        while i < len(target):
            t = target[i]
            if t > 0:
                out.append(t)
                s += 1
            elif t == 0:
                out.append(src[s])
                s += 1
            elif t == -1:
                out.append(-1)
                s += 1
            elif t == -2:
                out.extend(src[s:])
                s = len(src)
            elif t == -3:
                out.append(src[s] * src[s + 1])
                s += 2
            elif t == -4:
                d1, d2 = target[i + 1], target[i + 2]
                if d1 == -1:
                    d1 = src[s] // d2
                if d2 == -1:
                    d2 = src[s] // d1
                if d1 * d2 != src[s]:
                    raise ValueError('Reshape: -4 split {} x {} does not match input dimension {}'
                                     .format(d1, d2, src[s]))
                out.extend([d1, d2])
                s += 1
                i += 2
            else:
                raise ValueError('Reshape: invalid code {} in shape {}'.format(t, target))
            i += 1
    except IndexError:
        raise ValueError('Reshape: shape {} does not fit input shape {}'.format(
            target[::-1] if reverse else target, src[::-1] if reverse else src)) from None
    total = 1
    for d in src:
        total *= d
    if out.count(-1) > 1:
        raise ValueError('Reshape: only one dimension can be inferred (-1), got {}'.format(target))
    if -1 in out:
        known = 1
        for d in out:
            if d != -1:
                known *= d
        if known == 0 or (total % known and not floor_infer):
            raise ValueError('Reshape: cannot infer -1 in {} for input shape {}'.format(
                target, src))
        out[out.index(-1)] = total // known
    if reverse:
        out = out[::-1]
    return tuple(out)


def _check_size(shape, new_shape):
    n, m = 1, 1
    for d in shape:
        n *= d
    for d in new_shape:
        m *= d
    if n != m:
        raise ValueError('Reshape: target shape {} has {} elements but the input of shape {} has '
                         '{}'.format(new_shape, m, shape, n))


@register('Reshape', aliases=('reshape',),
          params=(Param('shape', (), 'shape'), Param('reverse', False, 'bool'),
                  Param('target_shape', (), 'shape'), Param('keep_highest', False, 'bool')),
          family='shape', sample={'params': {'shape': (3, -1)}})
def _reshape(data, shape, reverse, target_shape, keep_highest):
    """A copy with a new shape (MXNet codes 0, -1, -2, -3, -4; see NDArray.reshape for views)."""
    new_shape = infer_reshape(data.shape, shape or target_shape, reverse)
    _check_size(data.shape, new_shape)
    return data.reshape(new_shape)


@register('reshape_like', inputs=('lhs', 'rhs'), same_dtype_inputs=False, family='shape',
          method='reshape_like', sample={'shapes': [(2, 3), (3, 2)], 'wrt': (0,)})
def _reshape_like(lhs, rhs):
    """``lhs`` reshaped to the shape of ``rhs``."""
    _check_size(lhs.shape, rhs.shape)
    return lhs.reshape(rhs.shape)


@register('transpose', params=(Param('axes', (), 'shape'),), method='transpose', family='shape')
def _transpose(data, axes):
    """Permute axes (reverse them when ``axes`` is empty)."""
    return jnp.transpose(data, axes or None)


@register('Flatten', aliases=('flatten',), method='flatten', family='shape')
def _flatten(data):
    """Collapse all axes but the first: shape (N, prod(rest))."""
    n = data.shape[0] if data.ndim else 1
    return data.reshape((n, -1) if n else (0, int(jnp.prod(jnp.array(data.shape[1:])))))


@register('expand_dims', params=(Param('axis', kind='int'),), method='expand_dims',
          family='shape', sample={'params': {'axis': 1}})
def _expand_dims(data, axis):
    """Insert a size-1 axis at ``axis``."""
    return jnp.expand_dims(data, axis)


@register('squeeze', params=(Param('axis', None, 'axis'),), method='squeeze', family='shape')
def _squeeze(data, axis):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    out = jnp.squeeze(data, axis)
    return out.reshape(1) if out.ndim == 0 else out


@register('SwapAxis', aliases=('swapaxes',), params=(Param('dim1', 0, 'int'),
                                                     Param('dim2', 0, 'int')),
          method='swapaxes', family='shape')
def _swapaxes(data, dim1, dim2):
    """Exchange two axes."""
    return jnp.swapaxes(data, dim1, dim2)


@register('Concat', aliases=('concat',), variadic=True, params=(Param('dim', 1, 'int'),
                                                                Param('num_args', None, 'any')),
          family='shape')
def _concat(*data, dim, num_args):
    """Join arrays along axis ``dim`` (default 1)."""
    return jnp.concatenate(data, axis=dim)


@register('stack', variadic=True, params=(Param('axis', 0, 'int'), Param('num_args', None, 'any')),
          family='shape')
def _stack(*data, axis, num_args):
    """Join arrays along a new axis."""
    return jnp.stack(data, axis=axis)


@register('broadcast_to', params=(Param('shape', (), 'shape'),), method='broadcast_to',
          family='shape', sample={'shapes': [(1, 3)], 'params': {'shape': (2, 3)}})
def _broadcast_to(data, shape):
    """Broadcast size-1 axes to ``shape`` (0 keeps the input dimension); the number of
    dimensions cannot change, as in MXNet."""
    if len(shape) != data.ndim:
        raise ValueError('broadcast_to: shape {} must have as many dimensions as the input {}'
                         .format(shape, data.shape))
    shape = tuple(d if t == 0 else t for t, d in zip(shape, data.shape))
    return jnp.broadcast_to(data, shape)


@register('broadcast_like', inputs=('lhs', 'rhs'), same_dtype_inputs=False,
          params=(Param('lhs_axes', None, 'axis'), Param('rhs_axes', None, 'axis')),
          method='broadcast_like', family='shape', sample={'shapes': [(1, 3), (2, 3)],
                                                           'wrt': (0,)})
def _broadcast_like(lhs, rhs, lhs_axes, rhs_axes):
    """Broadcast ``lhs`` to the shape of ``rhs``, or only its ``lhs_axes`` to the sizes of
    ``rhs``'s ``rhs_axes``."""
    if lhs_axes is None:
        return jnp.broadcast_to(lhs, rhs.shape)
    lhs_axes = (lhs_axes,) if isinstance(lhs_axes, int) else lhs_axes
    rhs_axes = (rhs_axes,) if isinstance(rhs_axes, int) else rhs_axes
    shape = list(lhs.shape)
    for a, b in zip(lhs_axes, rhs_axes):
        shape[a] = rhs.shape[b]
    return jnp.broadcast_to(lhs, tuple(shape))


@register('broadcast_axis', aliases=('broadcast_axes',),
          params=(Param('axis', (), 'shape'), Param('size', (), 'shape')),
          method=('broadcast_axes', 'broadcast_axis'), family='shape')
def _broadcast_axis(data, axis, size):
    """Broadcast the size-1 axes ``axis`` to sizes ``size``."""
    shape = list(data.shape)
    for a, s in zip(axis, size):
        shape[a] = s
    return jnp.broadcast_to(data, tuple(shape))


@register('tile', params=(Param('reps', kind='shape'),), method='tile', family='shape',
          sample={'params': {'reps': (2, 1)}})
def _tile(data, reps):
    """Repeat the whole array ``reps`` times along each axis."""
    return jnp.tile(data, reps)


@register('repeat', params=(Param('repeats', kind='int'), Param('axis', None, 'int_or_none')),
          method='repeat', family='shape', sample={'params': {'repeats': 2, 'axis': 1}})
def _repeat(data, repeats, axis):
    """Repeat each element ``repeats`` times (of the flattened array if ``axis`` is None)."""
    return jnp.repeat(data, repeats, axis=axis)


@register('reverse', aliases=('flip',), params=(Param('axis', kind='axis'),), method='flip',
          family='shape', sample={'params': {'axis': 1}})
def _flip(data, axis):
    """Reverse the order of elements along ``axis``."""
    return jnp.flip(data, axis)


@register('SliceChannel', aliases=('split',),
          params=(Param('num_outputs', kind='int'), Param('axis', 1, 'int'),
                  Param('squeeze_axis', False, 'bool')),
          method='split', family='shape', sample={'params': {'num_outputs': 3, 'axis': 1}})
def _split(data, num_outputs, axis, squeeze_axis):
    """Split into ``num_outputs`` equal parts along ``axis`` (a list of arrays)."""
    if data.shape[axis] % num_outputs:
        raise ValueError('split: axis {} of size {} is not divisible by num_outputs={}'.format(
            axis, data.shape[axis], num_outputs))
    parts = jnp.split(data, num_outputs, axis=axis)
    if squeeze_axis:
        parts = [jnp.squeeze(p, axis) for p in parts]
    return tuple(parts) if num_outputs > 1 else parts[0]


@register('slice_axis', params=(Param('axis', kind='int'), Param('begin', kind='int'),
                                Param('end', kind='int_or_none')),
          method='slice_axis', family='shape',
          sample={'params': {'axis': 1, 'begin': 1, 'end': 3}})
def _slice_axis(data, axis, begin, end):
    """Elements ``begin:end`` along ``axis``."""
    idx = [slice(None)] * data.ndim
    idx[axis] = slice(begin, end)
    return data[tuple(idx)]


@register('shape_array', dtype=None, differentiable=False, method='shape_array', family='shape')
def _shape_array(data):
    """The shape as a 1-D int64 array."""
    return jnp.array(data.shape, dtype=jnp.int64)


@register('size_array', dtype=None, differentiable=False, method='size_array', family='shape')
def _size_array(data):
    """The number of elements as a 1-element int64 array."""
    return jnp.array([data.size], dtype=jnp.int64)

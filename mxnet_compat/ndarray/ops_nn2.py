"""Further neural-network operators: ROIPooling, SVMOutput, the fused RNN and CTCLoss.

Each is a registry record (see ``registry.py``); behaviour follows MXNet 1.9.1's CPU
kernels, checked against the reference by ``tests/goldens/record_ops_nn2.py``:

* ``ROIPooling`` rounds the scaled box corners half away from zero, splits the box into
  ``pooled_size`` bins with floor/ceil edges clipped to the image, max-pools each bin (an
  empty bin gives 0) and sends the gradient to the first maximum in row-major order;
* ``SVMOutput`` is the identity forward; its gradient is the L1/L2-SVM hinge gradient,
  independent of the head gradient, as for MXNet's other ``*Output`` loss layers;
* ``RNN`` reads the flat ``parameters`` vector in MXNet's packing order (every weight,
  layer by layer and direction by direction, input-to-hidden before hidden-to-hidden,
  then every bias in the same order) and runs each layer as a ``lax.scan``;
* ``CTCLoss`` is the log-space forward algorithm of Graves et al. as a ``lax.scan``; its
  gradient is jax's derivative of that (softmax minus the label posteriors).
"""
import jax
import jax.numpy as jnp
from jax import lax

from .registry import REQUIRED, Param, register
from .ops_elemwise import relu
from .ops_nn import _HIGHEST, _optional, _require_float, _compute_dtype  # noqa: F401
from .._rng import make_key


# ----------------------------------------------------------------------------- ROIPooling

def _round_half_away(x):
    return jnp.sign(x) * jnp.floor(jnp.abs(x) + 0.5)


def _masked_first_max(x, mask, axis):
    """The maximum of ``x`` over ``axis`` where ``mask``; the gradient goes to the first
    maximum only (MXNet's argmax), and a fully masked slice gives 0 (and is flagged)."""
    neg = jnp.asarray(-jnp.inf, x.dtype)
    masked = jnp.where(mask, x, neg)
    idx = jnp.argmax(masked, axis=axis)
    val = jnp.take_along_axis(x, jnp.expand_dims(idx, axis), axis=axis)
    val = jnp.squeeze(val, axis)
    empty = ~jnp.any(mask, axis=axis)
    return val, empty


@register('ROIPooling', inputs=('data', 'rois'),
          params=(Param('pooled_size', REQUIRED, 'shape'),
                  Param('spatial_scale', REQUIRED, 'float')),
          sample={'shapes': [(1, 2, 4, 5), (2, 5)],
                  'inputs': [None, [[0, 0, 0, 3, 2], [0, 1, 1, 4, 3]]],
                  'params': {'pooled_size': (2, 2), 'spatial_scale': 1.0}, 'wrt': [0]},
          family='nn')
def _roi_pooling(data, rois, pooled_size, spatial_scale):
    """Max-pool each region of interest ``[batch_index, x1, y1, x2, y2]`` (input image
    coordinates, scaled by ``spatial_scale``) of the NCHW ``data`` into ``pooled_size``
    (h, w) bins; the output has shape (num_rois, C, h, w).  Corners are rounded half away
    from zero and the box is at least one pixel; bin ``i`` of a box of height ``H'`` covers
    rows ``floor(i H'/h)`` to ``ceil((i+1) H'/h)`` (exclusive) from its top, clipped to the
    image; an empty bin (outside the image) or a box with a negative batch index gives 0.
    The gradient flows to ``data`` only (to the first maximum of each bin)."""
    _require_float('ROIPooling', data, rois)
    if data.ndim != 4 or rois.ndim != 2 or rois.shape[1] != 5:
        raise ValueError('ROIPooling: data must be 4D (NCHW) and rois (num_rois, 5), got {} '
                         'and {}'.format(data.shape, rois.shape))
    if len(pooled_size) != 2:
        raise ValueError('ROIPooling: pooled_size must have two elements')
    ph, pw = pooled_size
    n, c, height, width = data.shape
    r = lax.stop_gradient(rois).astype(data.dtype)
    batch = r[:, 0].astype(jnp.int32)
    scaled = r[:, 1:] * jnp.asarray(spatial_scale, data.dtype)
    corners = _round_half_away(scaled).astype(jnp.int32)
    x1, y1, x2, y2 = corners[:, 0], corners[:, 1], corners[:, 2], corners[:, 3]
    roi_h = jnp.maximum(y2 - y1 + 1, 1)
    roi_w = jnp.maximum(x2 - x1 + 1, 1)

    def edges(start, size, bins, limit):
        # floor(k * size / bins) and ceil((k + 1) * size / bins) in exact integer arithmetic
        # (MXNet's float bin size agrees with it; XLA's reciprocal rewrite would not)
        k = jnp.arange(bins, dtype=jnp.int32)[None]
        lo = (k * size[:, None]) // bins + start[:, None]
        hi = -((-(k + 1) * size[:, None]) // bins) + start[:, None]
        return jnp.clip(lo, 0, limit), jnp.clip(hi, 0, limit)      # (R, bins)

    hs, he = edges(y1, roi_h, ph, height)
    ws, we = edges(x1, roi_w, pw, width)
    feat = data[jnp.clip(batch, 0, n - 1)]                            # (R, C, H, W)
    cols = jnp.arange(width)
    wmask = (cols[None, None] >= ws[:, :, None]) & (cols[None, None] < we[:, :, None])  # R,PW,W
    rows = jnp.arange(height)
    hmask = (rows[None, None] >= hs[:, :, None]) & (rows[None, None] < he[:, :, None])  # R,PH,H
    # max over the columns of each bin: (R, C, H, PW)
    v, _ = _masked_first_max(feat[:, :, :, None, :], wmask[:, None, None, :, :], axis=-1)
    # then over the rows: (R, C, PH, PW)
    v = jnp.moveaxis(v, 2, -1)                                         # R, C, PW, H
    out, _ = _masked_first_max(v[:, :, None, :, :], hmask[:, None, :, None, :], axis=-1)
    empty = (he <= hs)[:, :, None] | (we <= ws)[:, None, :]            # R, PH, PW
    empty = empty | (batch < 0)[:, None, None]
    return jnp.where(empty[:, None], jnp.zeros((), data.dtype), out)


# ----------------------------------------------------------------------------- SVMOutput

@register('SVMOutput', inputs=('data', 'label'),
          params=(Param('margin', 1.0, 'float'), Param('regularization_coefficient', 1.0, 'float'),
                  Param('use_linear', False, 'bool')),
          # not the derivative of its forward: the generated finite-difference test skips it
          sample={'shapes': [(2, 3), (2,)], 'inputs': [None, [0, 2]], 'wrt': []},
          family='nn')
def _svm_output(data, label, margin, regularization_coefficient, use_linear):
    """The identity forward; the backward pass ignores the head gradient and gives the
    gradient of the one-vs-all SVM objective for ``label`` (class indices, one per row of
    the (N, K) ``data``).  With ``use_linear`` (L1-SVM) it is ``-c`` at the label where
    ``x < margin`` and ``c`` elsewhere where ``-x < margin``; otherwise (L2-SVM)
    ``-2 c (margin - x)`` at the label where ``x < margin`` and ``2 c (margin + x)``
    elsewhere where ``-x < margin``, with ``c = regularization_coefficient``.  The label
    gets a zero gradient."""
    _require_float('SVMOutput', data)
    k = data.shape[-1] if data.ndim > 1 else 1
    work = (-1, k)

    @jax.custom_vjp
    def svm(d, l):
        return d

    def fwd(d, l):
        return d, (d, l)

    def bwd(res, g):
        d, l = res
        x = d.reshape(work)
        lab = l.reshape(-1).astype(jnp.int32)
        is_label = jax.nn.one_hot(lab, k, dtype=jnp.bool_)
        m = jnp.asarray(margin, x.dtype)
        coef = jnp.asarray(regularization_coefficient, x.dtype)
        zero = jnp.zeros((), x.dtype)
        if use_linear:
            at = jnp.where(m > x, -coef, zero)
            other = jnp.where(m > -x, coef, zero)
        else:
            at = jnp.where(m > x, -2 * coef * (m - x), zero)
            other = jnp.where(m > -x, 2 * coef * (m + x), zero)
        grad = jnp.where(is_label, at, other)
        return grad.reshape(d.shape).astype(d.dtype), jnp.zeros_like(l)

    svm.defvjp(fwd, bwd)
    return svm(data, label)


# ----------------------------------------------------------------------------- RNN

_GATES = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}


def _rnn_param_count(mode, input_size, state_size, num_layers, directions):
    g = _GATES[mode] * state_size
    total = 0
    for layer in range(num_layers):
        in_size = input_size if layer == 0 else directions * state_size
        total += directions * (g * in_size + g * state_size + 2 * g)
    return total


def _rnn_unpack(params, mode, input_size, state_size, num_layers, directions):
    """Split the flat vector: all weights (per layer, per direction: i2h then h2h), then all
    biases in the same order.  Returns [[(wx, wh, bx, bh) per direction] per layer]."""
    g = _GATES[mode] * state_size
    weights, pos = [], 0
    for layer in range(num_layers):
        in_size = input_size if layer == 0 else directions * state_size
        per_dir = []
        for _ in range(directions):
            wx = params[pos:pos + g * in_size].reshape(g, in_size)
            pos += g * in_size
            wh = params[pos:pos + g * state_size].reshape(g, state_size)
            pos += g * state_size
            per_dir.append([wx, wh])
        weights.append(per_dir)
    for layer in range(num_layers):
        for d in range(directions):
            bx = params[pos:pos + g]
            bh = params[pos + g:pos + 2 * g]
            pos += 2 * g
            weights[layer][d] += [bx, bh]
    return weights


def _rnn_direction(x, h0, c0, wx, wh, bx, bh, mode, clip):
    """One layer in one direction over (T, N, C) ``x``: outputs (T, N, H), last h and c."""
    xw = jnp.einsum('tnc,gc->tng', x, wx, precision=_HIGHEST) + bx
    hsz = wh.shape[1]

    def step(carry, xt):
        h, c = carry
        hw = jnp.dot(h, wh.T, precision=_HIGHEST) + bh
        if mode == 'rnn_relu':
            h = relu(xt + hw)
        elif mode == 'rnn_tanh':
            h = jnp.tanh(xt + hw)
        elif mode == 'lstm':
            z = xt + hw
            i = jax.nn.sigmoid(z[:, :hsz])
            f = jax.nn.sigmoid(z[:, hsz:2 * hsz])
            gg = jnp.tanh(z[:, 2 * hsz:3 * hsz])
            o = jax.nn.sigmoid(z[:, 3 * hsz:])
            c = f * c + i * gg
            if clip is not None:
                c = jnp.clip(c, clip[0], clip[1])
            h = o * jnp.tanh(c)
        else:   # gru
            r = jax.nn.sigmoid(xt[:, :hsz] + hw[:, :hsz])
            zg = jax.nn.sigmoid(xt[:, hsz:2 * hsz] + hw[:, hsz:2 * hsz])
            n = jnp.tanh(xt[:, 2 * hsz:] + r * hw[:, 2 * hsz:])
            h = (1 - zg) * n + zg * h
        return (h, c), h

    (h, c), out = lax.scan(step, (h0, c0), xw)
    return out, h, c


@register('RNN', inputs=('data', 'parameters', 'state', 'state_cell', 'sequence_length'),
          params=(Param('state_size', REQUIRED, 'int'), Param('num_layers', REQUIRED, 'int'),
                  Param('bidirectional', False, 'bool'),
                  Param('mode', REQUIRED, 'str', choices=('gru', 'lstm', 'rnn_relu', 'rnn_tanh')),
                  Param('p', 0.0, 'float'), Param('state_outputs', False, 'bool'),
                  Param('projection_size', None, 'int_or_none'),
                  Param('lstm_state_clip_min', None, 'float_or_none'),
                  Param('lstm_state_clip_max', None, 'float_or_none'),
                  Param('lstm_state_clip_nan', False, 'bool'),
                  Param('use_sequence_length', False, 'bool')),
          random=True, train_aware=True, same_dtype_inputs=False, family='nn', save_residuals=True)
def _rnn(key, counter, data, parameters, state, state_cell=None, sequence_length=None, *,
         state_size, num_layers, bidirectional, mode, p, state_outputs, projection_size,
         lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, use_sequence_length,
         training):
    """The fused recurrent layer stack of ``gluon.rnn``: ``data`` (T, N, C), the flat
    ``parameters`` vector (every layer's and direction's i2h then h2h weight, of shapes
    (G*H, in) and (G*H, H), followed by the i2h and h2h biases in the same order; G is 1, 4
    (gates i, f, g, o) or 3 (r, z, n) for rnn_*, lstm and gru), the initial ``state``
    (layers * directions, N, H) and, for lstm, ``state_cell``.  Returns the (T, N,
    directions * H) output of the last layer and, with ``state_outputs``, the final hidden
    state (and cell state for lstm).  In training mode the outputs of every layer but the
    last go through dropout with rate ``p``.  ``lstm_state_clip_min/max/nan`` are accepted
    and ignored, as by MXNet 1.9.1's CPU kernel (only its cuDNN kernel clips).
    Likewise ``use_sequence_length`` takes the ``sequence_length`` input but, as on
    MXNet's CPU, every sequence runs over all T steps.  ``projection_size`` is not
    supported."""
    if mode != 'lstm' and state_cell is not None and sequence_length is None:
        state_cell, sequence_length = None, state_cell
    _require_float('RNN', data, parameters, state, state_cell)
    for a in (parameters, state, state_cell):
        if a is not None and a.dtype != data.dtype:
            raise TypeError('RNN: data, parameters, state and state_cell must have the same '
                            'dtype, got {} and {}'.format(jnp.dtype(data.dtype).name,
                                                          jnp.dtype(a.dtype).name))
    if projection_size is not None:
        raise ValueError('RNN: projection_size is not supported')
    if use_sequence_length != (sequence_length is not None):
        raise ValueError('RNN: the sequence_length input is needed exactly when '
                         'use_sequence_length=True')
    if (mode == 'lstm') != (state_cell is not None):
        raise ValueError('RNN: the state_cell input is needed exactly for mode=lstm')
    if data.ndim != 3:
        raise ValueError('RNN: data must be (seq_len, batch, input_size), got {}'
                         .format(data.shape))
    dirs = 2 if bidirectional else 1
    t_len, batch, in_size = data.shape
    want = _rnn_param_count(mode, in_size, state_size, num_layers, dirs)
    if parameters.shape != (want,):
        raise ValueError('RNN: parameters must have shape ({},), got {}'.format(
            want, parameters.shape))
    if state.shape != (num_layers * dirs, batch, state_size):
        raise ValueError('RNN: state must have shape {}, got {}'.format(
            (num_layers * dirs, batch, state_size), state.shape))
    cdt = _compute_dtype(data.dtype)
    params = parameters.astype(cdt)
    layers = _rnn_unpack(params, mode, in_size, state_size, num_layers, dirs)
    clip = None     # MXNet 1.9.1's CPU kernel accepts but ignores lstm_state_clip_min/max
    x = data.astype(cdt)
    h0s = state.astype(cdt)
    c0s = state_cell.astype(cdt) if state_cell is not None else jnp.zeros_like(h0s)
    hys, cys = [], []
    for layer, per_dir in enumerate(layers):
        outs = []
        for d, (wx, wh, bx, bh) in enumerate(per_dir):
            idx = layer * dirs + d
            xin = x if d == 0 else x[::-1]
            out, h, c = _rnn_direction(xin, h0s[idx], c0s[idx], wx, wh, bx, bh, mode, clip)
            outs.append(out if d == 0 else out[::-1])
            hys.append(h)
            cys.append(c)
        x = outs[0] if dirs == 1 else jnp.concatenate(outs, axis=-1)
        if training and p > 0 and layer < num_layers - 1:
            keep = jax.random.bernoulli(jax.random.fold_in(make_key(key, counter), layer),
                                        1.0 - p, x.shape)
            x = x * keep.astype(cdt) / (1.0 - p)
    out = x.astype(data.dtype)
    if not state_outputs:
        return out
    hy = jnp.stack(hys).astype(data.dtype)
    if mode == 'lstm':
        return out, hy, jnp.stack(cys).astype(data.dtype)
    return out, hy


_optional(_rnn, 'state_cell', 'sequence_length')


# ----------------------------------------------------------------------------- CTCLoss

def _logaddexp3(a, b, c):
    m = jnp.maximum(jnp.maximum(a, b), c)
    m_safe = lax.stop_gradient(m)
    return m_safe + jnp.log(jnp.exp(a - m_safe) + jnp.exp(b - m_safe) + jnp.exp(c - m_safe))


@register('CTCLoss', inputs=('data', 'label', 'data_lengths', 'label_lengths'),
          params=(Param('use_data_lengths', False, 'bool'),
                  Param('use_label_lengths', False, 'bool'),
                  Param('blank_label', 'first', 'str', choices=('first', 'last'))),
          aliases=('ctc_loss',),
          sample={'shapes': [(4, 2, 3), (2, 2)], 'inputs': [None, [[1, 2], [2, 0]]],
                  'range': (-1, 1), 'wrt': [0]},
          same_dtype_inputs=False, family='nn')
def _ctc_loss(data, label, data_lengths=None, label_lengths=None, *, use_data_lengths,
              use_label_lengths, blank_label):
    """Connectionist temporal classification loss, one value per sequence: ``data`` (T, N,
    alphabet) holds unnormalised activations (a softmax over the last axis is applied
    inside), ``label`` (N, L) the label indices.  With ``blank_label='first'`` channel 0 is
    the blank, labels are 1 .. alphabet-1 and 0 pads; with ``'last'`` the last channel is
    the blank and -1 pads.  Without ``use_label_lengths`` a sequence's labels end at its
    first padding value; without ``use_data_lengths`` every sequence uses all T frames.
    The loss is ``-log p(label | data)`` from the forward algorithm in log space; the
    gradient flows to ``data`` only.  (MXNet 1.9.1's CPU kernel fails for data types
    other than float32; here float16 and float64 work too.)"""
    _require_float('CTCLoss', data)
    if not use_data_lengths and data_lengths is not None and label_lengths is None:
        data_lengths, label_lengths = None, data_lengths
    if use_data_lengths != (data_lengths is not None):
        raise ValueError('CTCLoss: the data_lengths input is needed exactly when '
                         'use_data_lengths=True')
    if use_label_lengths != (label_lengths is not None):
        raise ValueError('CTCLoss: the label_lengths input is needed exactly when '
                         'use_label_lengths=True')
    if data.ndim != 3 or label.ndim != 2 or label.shape[0] != data.shape[1]:
        raise ValueError('CTCLoss: data must be (T, N, C) and label (N, L), got {} and {}'
                         .format(data.shape, label.shape))
    t_len, batch, alphabet = data.shape
    n_lab = label.shape[1]
    cdt = _compute_dtype(data.dtype)
    logp = jax.nn.log_softmax(data.astype(cdt), axis=-1)              # T, N, C
    blank = 0 if blank_label == 'first' else alphabet - 1
    pad = 0 if blank_label == 'first' else -1
    lab = lax.stop_gradient(label).astype(jnp.int32)
    if use_label_lengths:
        lab_len = lax.stop_gradient(label_lengths).astype(jnp.int32).reshape(batch)
    else:
        is_pad = lab == pad
        lab_len = jnp.where(jnp.any(is_pad, axis=1), jnp.argmax(is_pad, axis=1), n_lab)
    if use_data_lengths:
        dat_len = lax.stop_gradient(data_lengths).astype(jnp.int32).reshape(batch)
    else:
        dat_len = jnp.full((batch,), t_len, jnp.int32)
    s_len = 2 * n_lab + 1
    # the extended label sequence: blank, l1, blank, l2, ..., blank
    ext = jnp.full((batch, s_len), blank, jnp.int32)
    ext = ext.at[:, 1::2].set(jnp.clip(lab, 0, alphabet - 1))
    pos = jnp.arange(s_len)
    valid = pos[None] < (2 * lab_len + 1)[:, None]                       # N, S
    prev2 = jnp.concatenate([jnp.full((batch, 2), -1, jnp.int32), ext[:, :-2]], axis=1)
    skip = (ext != blank) & (ext != prev2) & (pos[None] >= 2)
    neg = jnp.asarray(-1e30, cdt)

    def emit(lp_t):                                                      # N, C -> N, S
        return jnp.where(valid, jnp.take_along_axis(lp_t, ext, axis=1), neg)

    alpha0 = jnp.where(pos[None] < 2, emit(logp[0]), neg)

    def step(alpha, inputs):
        lp_t, t = inputs
        a1 = jnp.concatenate([jnp.full((batch, 1), neg), alpha[:, :-1]], axis=1)
        a2 = jnp.concatenate([jnp.full((batch, 2), neg), alpha[:, :-2]], axis=1)
        a2 = jnp.where(skip, a2, neg)
        new = jnp.maximum(_logaddexp3(alpha, a1, a2) + emit(lp_t), neg)
        return jnp.where((t < dat_len)[:, None], new, alpha), None

    alpha, _ = lax.scan(step, alpha0, (logp[1:], jnp.arange(1, t_len)))
    end = 2 * lab_len
    last = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    before = jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None], axis=1)[:, 0]
    before = jnp.where(lab_len > 0, before, neg)
    loss = -jnp.logaddexp(last, before)
    return loss.astype(data.dtype)


_optional(_ctc_loss, 'data_lengths', 'label_lengths')

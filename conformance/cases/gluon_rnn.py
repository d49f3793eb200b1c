"""gluon.rnn: the fused layers (RNN, LSTM, GRU) and the recurrent cells.

Weights come from a fixed numpy seed through ``set_data`` so both runtimes compute on the
same numbers; outputs, returned states and every gradient are compared.  Parameter names
are compared with the auto-numbered prefix (``lstm0_``...) stripped."""
import numpy as np

from harness import raises, stat

AREA = 'gluon_rnn'


def _data(mx, shape, seed=0):
    return mx.nd.array(np.random.RandomState(seed).uniform(-1, 1, shape))


def _strip(name):
    return name.split('_', 1)[1]


def _set_params(block, seed=1):
    rng = np.random.RandomState(seed)
    params = block.collect_params()
    for name in sorted(params.keys(), key=_strip):
        params[name].set_data(rng.uniform(-0.5, 0.5, params[name].shape).astype('float32'))


def _names_shapes(block):
    return [[_strip(k), list(v.shape)] for k, v in block.collect_params().items()]


def _grads(block):
    return {_strip(k): v.grad() for k, v in block.collect_params().items()}


def _run_layer(mx, layer, x, states=None):
    """Forward and backward of ``(out * out).sum()`` (plus the states' squares when
    states are passed); returns output, new states and the input/parameter gradients."""
    ag = mx.autograd
    x = x.copy()
    x.attach_grad()
    with ag.record():
        if states is None:
            out = layer(x)
            loss = (out * out).sum()
            new_states = None
        else:
            out, new_states = layer(x, states)
            loss = (out * out).sum() + sum((s * s).sum() for s in new_states)
    loss.backward()
    return {'out': out, 'states': new_states, 'x_grad': x.grad, 'grads': _grads(layer)}


def _block(mx, kind, seed=1, **kwargs):
    """An initialised ``gluon.rnn.<kind>`` (layer or cell) with deterministic weights."""
    block = getattr(mx.gluon.rnn, kind)(**kwargs)
    block.initialize()
    _set_params(block, seed)
    return block


# ---------------------------------------------------------------------- fused layers
def case_rnn_relu_and_tanh_layers(mx):
    x = _data(mx, (4, 2, 3))
    out = {}
    for act in ('relu', 'tanh'):
        layer = _block(mx, 'RNN', hidden_size=5, activation=act, input_size=3)
        out[act] = _run_layer(mx, layer, x)
    return out


def case_rnn_two_layers_bidirectional_with_states(mx):
    layer = _block(mx, 'RNN', seed=2, hidden_size=3, num_layers=2, activation='tanh',
                   bidirectional=True, input_size=4)
    h0 = _data(mx, (4, 2, 3), seed=3)
    return _run_layer(mx, layer, _data(mx, (5, 2, 4), seed=4), [h0])


def case_lstm_layer_single(mx):
    layer = _block(mx, 'LSTM', seed=5, hidden_size=4, input_size=3)
    return _run_layer(mx, layer, _data(mx, (3, 2, 3), seed=6))


def case_lstm_two_layers_bidirectional_with_states(mx):
    layer = _block(mx, 'LSTM', seed=7, hidden_size=3, num_layers=2, bidirectional=True,
                   input_size=2)
    states = [_data(mx, (4, 3, 3), seed=8), _data(mx, (4, 3, 3), seed=9)]
    return _run_layer(mx, layer, _data(mx, (4, 3, 2), seed=10), states)


def case_gru_layers_tnc_and_ntc(mx):
    out = {}
    for layout, shape in (('TNC', (4, 2, 3)), ('NTC', (2, 4, 3))):
        layer = _block(mx, 'GRU', seed=11, hidden_size=4, num_layers=2, layout=layout,
                       input_size=3)
        h0 = _data(mx, (2, 2, 4), seed=12)
        out[layout] = _run_layer(mx, layer, _data(mx, shape, seed=13), [h0])
    return out


def case_gru_bidirectional_ntc_no_states(mx):
    layer = _block(mx, 'GRU', seed=14, hidden_size=3, bidirectional=True, layout='NTC',
                   input_size=2)
    x = _data(mx, (3, 5, 2), seed=15)
    res = _run_layer(mx, layer, x)
    res['array_state'] = layer(x, mx.nd.ones((2, 3, 3)))     # one NDArray, not a list
    return res


def case_lstm_ntc_state_gradients(mx):
    ag = mx.autograd
    layer = _block(mx, 'LSTM', seed=16, hidden_size=3, layout='NTC', input_size=2)
    h0, c0 = _data(mx, (1, 2, 3), seed=17), _data(mx, (1, 2, 3), seed=18)
    h0.attach_grad()
    c0.attach_grad()
    x = _data(mx, (2, 4, 2), seed=19)
    with ag.record():
        out, (h, c) = layer(x, [h0, c0])
        loss = out.sum() + (h * c).sum()
    loss.backward()
    # in NTC the states stay (layers*dirs, N, C); the last output step equals h
    return {'out': out, 'h': h, 'c': c, 'h0_grad': h0.grad, 'c0_grad': c0.grad,
            'last_step_is_h': bool(np.allclose(out[:, -1].asnumpy(), h[0].asnumpy()))}


def case_layer_param_names_and_deferred_shapes(mx):
    rnn = mx.gluon.rnn
    out = {}
    for kind in ('RNN', 'LSTM', 'GRU'):
        layer = getattr(rnn, kind)(2, num_layers=2, bidirectional=True)
        layer.initialize()
        before = _names_shapes(layer)
        layer(mx.nd.ones((3, 1, 5)))
        out[kind] = {'before': before, 'after': _names_shapes(layer)}
    return out


def case_layer_deferred_input_size_matches_given(mx):
    rnn = mx.gluon.rnn
    x = _data(mx, (3, 2, 4), seed=20)
    given = _block(mx, 'LSTM', seed=21, hidden_size=3, input_size=4)
    deferred = rnn.LSTM(3)
    deferred.initialize()
    deferred(x)                        # completes the shapes, then the same weights
    _set_params(deferred, seed=21)
    return {'given': _run_layer(mx, given, x), 'deferred': _run_layer(mx, deferred, x)}


def case_layer_begin_state(mx):
    rnn = mx.gluon.rnn
    lstm = rnn.LSTM(4, num_layers=2, bidirectional=True)
    gru = rnn.GRU(3, num_layers=3)
    default = lstm.begin_state(2)
    ones = gru.begin_state(batch_size=5, func=mx.nd.ones)
    # func gets name= and __layout__=: nd.full does not take them
    full = raises(lambda: lstm.begin_state(batch_size=1, func=mx.nd.full, val=0.5))
    return {'default': default, 'ones': ones, 'full': full,
            'state_info': [sorted(d.items()) for d in lstm.state_info(7)],
            'rnn_state_info': [sorted(d.items()) for d in rnn.RNN(2).state_info()]}


def case_layer_hybridized(mx):
    x = _data(mx, (4, 3, 2), seed=22)
    out = {}
    for kind in ('RNN', 'LSTM', 'GRU'):
        plain = _block(mx, kind, seed=23, hidden_size=3, num_layers=2, input_size=2)
        # one layer per call form: a hybridized layer keeps the form of its first call
        no_states, with_states = [_block(mx, kind, seed=23, hidden_size=3, num_layers=2,
                                         input_size=2) for _ in range(2)]
        no_states.hybridize()
        with_states.hybridize()
        states = plain.begin_state(3, func=mx.nd.ones)
        out[kind] = {'plain': plain(x), 'hybrid': _run_layer(mx, no_states, x),
                     'hybrid_again': no_states(x * 0.5),
                     'hybrid_states': _run_layer(mx, with_states, x, states)}
    return out


def case_layer_hybridized_keeps_first_call_form(mx):
    x = _data(mx, (4, 3, 2), seed=25)
    out = {}
    for first in ('no_states', 'states'):
        layer = _block(mx, 'GRU', seed=24, hidden_size=3, input_size=2)
        layer.hybridize()
        ones = layer.begin_state(3, func=mx.nd.ones)
        calls = [lambda: layer(x), lambda: layer(x, ones)]
        if first == 'states':
            calls.reverse()
        # MXNet's compiled graph keeps the outputs of the call that built it: the second
        # call answers in the first one's form, until hybridize() clears the graph
        res = [calls[0](), calls[1]()]
        layer.hybridize()
        out[first] = res + [calls[1]()]
    return out


def case_layer_dropout_train_vs_predict(mx):
    ag = mx.autograd
    layer = _block(mx, 'LSTM', seed=24, hidden_size=8, num_layers=2, dropout=0.5,
                   input_size=4)
    x = _data(mx, (5, 2, 4), seed=25)
    predict = layer(x)
    with ag.record():
        train = layer(x)
    diff = np.abs(train.asnumpy() - predict.asnumpy())
    # MXNet 1.9.1's default CPU kernel (oneDNN) ignores dropout even in training mode
    return {'predict_is_deterministic': bool(np.allclose(layer(x).asnumpy(),
                                                        predict.asnumpy())),
            'train_differs': bool(diff.max() > 1e-4), 'shape': train.shape,
            'predict': predict}


def case_layer_errors(mx):
    rnn = mx.gluon.rnn
    layer = _block(mx, 'GRU', hidden_size=3, input_size=2)
    x = _data(mx, (4, 2, 2))
    return {'bad_layout': raises(lambda: rnn.LSTM(3, layout='CTN')),
            'bad_state_shape': raises(lambda: layer(x, [mx.nd.zeros((1, 3, 3))])),
            'lstm_one_state': raises(
                lambda: _block(mx, 'LSTM', hidden_size=3, input_size=2)(
                    x, [mx.nd.zeros((1, 2, 3))]))}


def case_layer_repr(mx):
    rnn = mx.gluon.rnn
    return [repr(rnn.RNN(5)), repr(rnn.RNN(5, activation='tanh', input_size=3)),
            repr(rnn.LSTM(4, num_layers=2, dropout=0.3, bidirectional=True, input_size=2)),
            repr(rnn.GRU(6, layout='NTC', num_layers=3))]


# ---------------------------------------------------------------------- cells
def _step_cell(mx, cell, inputs, states):
    """Step ``cell`` over ``inputs`` (a list), recording; loss = sum of outputs' squares."""
    ag = mx.autograd
    for x in inputs:
        x.attach_grad()
    outputs = []
    with ag.record():
        for x in inputs:
            o, states = cell(x, states)
            outputs.append(o)
        loss = sum((o * o).sum() for o in outputs)
    loss.backward()
    return {'outputs': outputs, 'states': states, 'x_grads': [x.grad for x in inputs],
            'grads': _grads(cell)}


def case_rnn_cell_steps(mx):
    out = {}
    for act in ('tanh', 'relu'):
        cell = _block(mx, 'RNNCell', seed=30, hidden_size=4, activation=act, input_size=3)
        states = cell.begin_state(batch_size=2)
        xs = [_data(mx, (2, 3), seed=31 + t) for t in range(3)]
        out[act] = _step_cell(mx, cell, xs, states)
    out['names'] = _names_shapes(cell)
    return out


def case_lstm_cell_steps(mx):
    cell = _block(mx, 'LSTMCell', seed=34, hidden_size=3, input_size=2)
    states = [_data(mx, (2, 3), seed=35), _data(mx, (2, 3), seed=36)]
    xs = [_data(mx, (2, 2), seed=37 + t) for t in range(3)]
    res = _step_cell(mx, cell, xs, states)
    res['names'] = _names_shapes(cell)
    res['state_info'] = [sorted(d.items()) for d in cell.state_info(2)]
    return res


def case_gru_cell_deferred_and_hybridized(mx):
    cell = mx.gluon.rnn.GRUCell(3)
    cell.initialize()
    x = _data(mx, (2, 4), seed=40)
    states = cell.begin_state(2)
    cell(x, states)
    before = _names_shapes(cell)
    _set_params(cell, seed=41)
    plain = _step_cell(mx, cell, [x.copy(), x * 0.5], states)
    cell.hybridize()
    hybrid = _step_cell(mx, cell, [x.copy(), x * 0.5], states)
    return {'names': before, 'plain': plain, 'hybrid': hybrid}


def case_cell_unroll_layouts_and_merge(mx):
    cell = _block(mx, 'GRUCell', seed=42, hidden_size=3, input_size=2)
    ntc = _data(mx, (2, 4, 2), seed=43)
    tnc = mx.nd.swapaxes(ntc, 0, 1)
    steps = [ntc[:, t] for t in range(4)]
    out = {}
    for merge in (True, False, None):
        key = str(merge)
        out['ntc_' + key] = cell.unroll(4, ntc, layout='NTC', merge_outputs=merge)
        out['tnc_' + key] = cell.unroll(4, tnc, layout='TNC', merge_outputs=merge)
        out['list_' + key] = cell.unroll(4, steps, merge_outputs=merge)
    h0 = [_data(mx, (2, 3), seed=44)]
    out['begin_state'] = cell.unroll(4, ntc, begin_state=h0, merge_outputs=True)
    out['wrong_length'] = raises(lambda: cell.unroll(3, steps))
    return out


def case_cell_unroll_valid_length(mx):
    cell = _block(mx, 'LSTMCell', seed=45, hidden_size=3, input_size=2)
    x = _data(mx, (3, 4, 2), seed=46)
    valid = mx.nd.array([4, 2, 1])
    # outputs past each valid length are zero; the states are those of the last valid step
    return {'merged': cell.unroll(4, x, valid_length=valid, merge_outputs=True),
            'split': cell.unroll(4, x, valid_length=valid, merge_outputs=False)}


def case_cell_unroll_gradients(mx):
    ag = mx.autograd
    cell = _block(mx, 'LSTMCell', seed=47, hidden_size=3, input_size=2)
    x = _data(mx, (4, 2, 2), seed=48)
    x.attach_grad()
    with ag.record():
        outputs, states = cell.unroll(4, x, layout='TNC', merge_outputs=True)
        loss = (outputs * outputs).sum() + states[1].sum()
    loss.backward()
    return {'outputs': outputs, 'states': states, 'x_grad': x.grad, 'grads': _grads(cell)}


def case_layer_matches_unrolled_cells(mx):
    rnn = mx.gluon.rnn
    layer = _block(mx, 'GRU', seed=49, hidden_size=3, input_size=2)
    cell = rnn.GRUCell(3, input_size=2)
    cell.initialize()
    for name in ('i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias'):
        getattr(cell, name).set_data(getattr(layer, 'l0_' + name).data())
    x = _data(mx, (5, 2, 2), seed=50)
    outputs, states = cell.unroll(5, x, layout='TNC', merge_outputs=True)
    return {'layer': layer(x), 'cells': outputs, 'state': states,
            'same': bool(np.allclose(layer(x).asnumpy(), outputs.asnumpy(), atol=1e-5))}


def case_sequential_rnn_cell(mx):
    rnn = mx.gluon.rnn
    seq = rnn.SequentialRNNCell()
    with seq.name_scope():
        seq.add(rnn.LSTMCell(3, input_size=2))
        seq.add(rnn.RNNCell(2, input_size=3, activation='relu'))
    seq.initialize()
    _set_params(seq, seed=51)
    x = _data(mx, (2, 3, 2), seed=52)
    begin = seq.begin_state(batch_size=2)
    steps = [x[:, t] for t in range(3)]
    return {'names': _names_shapes(seq), 'len': len(seq),
            'state_info': [sorted(d.items()) for d in seq.state_info(2)],
            'begin_state': begin,
            'begin_ones': seq.begin_state(batch_size=1, func=mx.nd.ones),
            'unroll_merged': seq.unroll(3, x, merge_outputs=True),
            'unroll_split_tnc': seq.unroll(3, mx.nd.swapaxes(x, 0, 1), layout='TNC',
                                           merge_outputs=False),
            'steps': _step_cell(mx, seq, steps, begin)}


def case_hybrid_sequential_rnn_cell(mx):
    rnn = mx.gluon.rnn
    seq = rnn.HybridSequentialRNNCell()
    with seq.name_scope():
        seq.add(rnn.GRUCell(3, input_size=2))
        seq.add(rnn.ResidualCell(rnn.GRUCell(3, input_size=3)))
        seq.add(rnn.DropoutCell(0.0))
    seq.initialize()
    _set_params(seq, seed=53)
    x = _data(mx, (2, 3, 2), seed=54)
    unrolled = seq.unroll(3, x, merge_outputs=True)
    begin = seq.begin_state(batch_size=2, func=mx.nd.zeros)  # see modifier_cell_begin_state
    steps = _step_cell(mx, seq, [x[:, t] for t in range(3)], begin)
    seq.hybridize()
    hybrid, states = [], begin
    for t in range(3):       # not recorded: MXNet cannot differentiate a hybridized identity
        o, states = seq(x[:, t], states)
        hybrid.append(o)
    return {'names': _names_shapes(seq), 'unrolled': unrolled, 'steps': steps,
            'hybrid_steps': hybrid, 'n_states': len(seq.state_info())}


def case_residual_cell(mx):
    rnn = mx.gluon.rnn
    base = rnn.RNNCell(2, input_size=2)
    cell = rnn.ResidualCell(base)
    cell.initialize()
    _set_params(cell, seed=55)
    x = _data(mx, (2, 3, 2), seed=56)
    begin = cell.begin_state(batch_size=2, func=mx.nd.zeros)
    steps = _step_cell(mx, cell, [x[:, t] for t in range(3)], begin)
    return {'unroll_merged': cell.unroll(3, x, merge_outputs=True),
            'unroll_split': cell.unroll(3, x, merge_outputs=False),
            'steps': steps, 'names': _names_shapes(cell),
            'base_call': raises(lambda: base.begin_state(batch_size=2)),
            'modify_twice': raises(lambda: rnn.ResidualCell(base))}


def case_modifier_cell_begin_state_is_symbolic(mx):
    rnn = mx.gluon.rnn
    residual = rnn.ResidualCell(rnn.GRUCell(2, input_size=2))
    zoneout = rnn.ZoneoutCell(rnn.LSTMCell(2, input_size=2), 0.5)
    # modifier cells' begin_state defaults to func=symbol.zeros (the other cells: nd.zeros)
    return {'residual': [type(s).__name__ for s in residual.begin_state(batch_size=2)],
            'zoneout': [type(s).__name__ for s in zoneout.begin_state(batch_size=2)],
            'gru': [type(s).__name__ for s in rnn.GRUCell(2).begin_state(batch_size=2)]}


def case_bidirectional_cell(mx):
    rnn = mx.gluon.rnn
    cell = rnn.BidirectionalCell(rnn.LSTMCell(3, input_size=2), rnn.GRUCell(2, input_size=2))
    cell.initialize()
    _set_params(cell, seed=57)
    x = _data(mx, (2, 4, 2), seed=58)
    begin = [_data(mx, (2, 3), seed=59), _data(mx, (2, 3), seed=60), _data(mx, (2, 2), seed=61)]
    return {'names': _names_shapes(cell),
            'state_info': [sorted(d.items()) for d in cell.state_info(2)],
            'merged': cell.unroll(4, x, merge_outputs=True),
            'split_tnc': cell.unroll(4, mx.nd.swapaxes(x, 0, 1), layout='TNC',
                                     begin_state=begin, merge_outputs=False),
            'step': raises(lambda: cell(x[:, 0], begin))}


def case_dropout_cell(mx):
    ag = mx.autograd
    cell = mx.gluon.rnn.DropoutCell(0.5)
    x = mx.nd.ones((200, 50))
    predict = cell(x, [])
    with ag.record():
        train, states = cell(x, [])
    a = train.asnumpy()
    seq, _ = mx.gluon.rnn.DropoutCell(0.0).unroll(3, _data(mx, (2, 3, 4)), merge_outputs=True)
    return {'predict': predict[0], 'predict_states': predict[1], 'states': states,
            'zero_fraction': stat(float((a == 0).mean()), atol=0.02),
            'kept_values': sorted(set(np.unique(a).tolist())),
            'identity_unroll': seq, 'repr': repr(cell),
            'bad_rate': raises(lambda: mx.gluon.rnn.DropoutCell('0.5'))}


def case_zoneout_cell(mx):
    ag = mx.autograd
    rnn = mx.gluon.rnn
    base = rnn.RNNCell(100, input_size=20)
    cell = rnn.ZoneoutCell(base, zoneout_outputs=0.5, zoneout_states=0.3)
    cell.initialize()
    _set_params(cell, seed=62)
    x = _data(mx, (50, 20), seed=63)
    states = cell.begin_state(batch_size=50, func=mx.nd.ones)
    predict, predict_states = cell(x, states)
    cell.reset()
    with ag.record():
        out, new_states = cell(x, states)
    plain = predict.asnumpy()
    o, s = out.asnumpy(), new_states[0].asnumpy()
    # zoned-out outputs take the previous output (zeros at the first step), states the old ones
    return {'predict': predict, 'predict_states': predict_states,
            'out_zoned': stat(float((o == 0).mean()), atol=0.02),
            'out_kept_exact': bool(np.all((o == 0) | (o == plain))),
            'state_kept_old': stat(float((s == 1).mean()), atol=0.02),
            'unroll_predict': cell.unroll(2, mx.nd.stack(x, x, axis=1), begin_state=states,
                                          merge_outputs=True),
            'repr': repr(cell)}


def case_cell_repr(mx):
    rnn = mx.gluon.rnn
    seq = rnn.SequentialRNNCell()
    with seq.name_scope():
        seq.add(rnn.LSTMCell(4, input_size=3))
        seq.add(rnn.GRUCell(2))
    return {'rnn': repr(rnn.RNNCell(3, activation='relu', input_size=2)),
            'lstm_deferred': repr(rnn.LSTMCell(5)), 'gru': repr(rnn.GRUCell(2, input_size=7)),
            'seq': repr(seq),
            'bi': repr(rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2))),
            'residual': repr(rnn.ResidualCell(rnn.GRUCell(2)))}

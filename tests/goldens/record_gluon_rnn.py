"""Scenarios for tests/test_gluon_rnn.py, and the recorder of their MXNet 1.9.1 results.

Every function below is plain MXNet user code returning plain Python values.  The recorder
runs them under real MXNet and writes ``gluon_rnn.json``; the test imports this file and
runs the *same* functions under mxnet-compat, then compares.  Every parameter is
overwritten with ``set_data`` from a numpy generator (or fixed with ``init.Constant``),
so both runtimes start from the same numbers.

Record (from /tmp, so that the real ``mxnet`` is imported, not this checkout's alias):

    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_gluon_rnn.py
"""
import json
import os

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import nn, rnn

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, 'gluon_rnn.json')


def _f(x):
    """An NDArray (or a nested list of them) as nested Python floats."""
    if isinstance(x, (list, tuple)):
        return [_f(e) for e in x]
    if isinstance(x, nd.NDArray):
        x = x.asnumpy()
    return np.asarray(x, dtype=np.float64).tolist()


def _fix(block, seed, scale=0.5):
    """Overwrite every parameter (sorted by name) with uniform(-scale, scale) numbers."""
    rng = np.random.RandomState(seed)
    for name, p in sorted(block.collect_params().items()):
        p.set_data(nd.array(rng.uniform(-scale, scale, p.shape).astype('float32')))


def _arr(rng, shape):
    return nd.array(rng.uniform(-1, 1, shape).astype('float32'))


def _loss_and_grads(run, inputs, block, seed, train_mode=True):
    """Run ``run(*inputs) -> (outputs list)`` under record, backward a fixed weighted sum
    of all outputs; return the outputs and the gradients of the inputs and parameters."""
    rng = np.random.RandomState(seed)
    for a in inputs:
        a.attach_grad()
    with autograd.record(train_mode=train_mode):
        outs = run(*inputs)
        weights = [_arr(rng, o.shape) for o in outs]
        loss = sum((o * w).sum() for o, w in zip(outs, weights))
    loss.backward()
    params = sorted(block.collect_params().items())
    return {'outputs': _f(outs), 'input_grads': _f([a.grad for a in inputs]),
            'param_grads': {k[len(block.prefix):]: _f(p.grad()) for k, p in params}}


# ----------------------------------------------------------------------------- fused layers

def layer(kind, num_layers=1, bidirectional=False, layout='TNC', states=True,
          hybridize=False, **kwargs):
    """A fused layer on fixed parameters: outputs, final states and gradients."""
    cls = {'rnn': rnn.RNN, 'lstm': rnn.LSTM, 'gru': rnn.GRU}[kind]
    net = cls(4, num_layers=num_layers, bidirectional=bidirectional, layout=layout,
              input_size=5, **kwargs)
    net.initialize()
    _fix(net, 1)
    if hybridize:
        net.hybridize()
    rng = np.random.RandomState(2)
    t, n = 6, 3
    x = _arr(rng, (t, n, 5) if layout == 'TNC' else (n, t, 5))
    if states:
        begin = [_arr(rng, info['shape']) for info in net.state_info(n)]

        def run(x, *begin):
            out, new = net(x, list(begin))
            return [out] + list(new)
        res = _loss_and_grads(run, [x] + begin, net, 3)
    else:
        res = _loss_and_grads(lambda x: [net(x)], [x], net, 3)
    return res


def deferred_layer():
    """input_size=0: the first layer's i2h weights are completed at the first call."""
    net = rnn.GRU(3, num_layers=2, bidirectional=True, prefix='gru_')
    net.initialize()
    before = {k: list(v.shape) for k, v in sorted(net.collect_params().items())}
    x = nd.ones((2, 4, 7))
    net(x)
    after = {k: list(v.shape) for k, v in sorted(net.collect_params().items())}
    _fix(net, 4)
    return {'before': before, 'after': after, 'out': _f(net(x)), 'repr': repr(net)}


def layer_api():
    """Names, repr, begin_state and the (output, states) structure."""
    res = {}
    for kind, cls in [('rnn', rnn.RNN), ('lstm', rnn.LSTM), ('gru', rnn.GRU)]:
        net = cls(6, num_layers=2, bidirectional=True, layout='NTC', input_size=3,
                  prefix=kind + '_')
        net.initialize()
        begin = net.begin_state(batch_size=5)
        out = net(nd.ones((5, 7, 3)))
        out2, states = net(nd.ones((5, 7, 3)), begin)
        res[kind] = {'params': list(net.collect_params().keys()),
                     'shapes': [list(p.shape) for p in net.collect_params().values()],
                     'repr': repr(net),
                     'begin': [list(s.shape) for s in begin],
                     'state_info': [list(i['shape']) for i in net.state_info(5)],
                     'out': list(out.shape), 'out2': list(out2.shape),
                     'states': [list(s.shape) for s in states],
                     'ones_state': _f(net.begin_state(2, func=nd.ones)[0].sum())}
    plain = rnn.RNN(4, activation='tanh', input_size=2, prefix='plain_')
    res['plain_repr'] = repr(plain)
    res['plain_params'] = list(plain.collect_params().keys())
    try:
        plain.initialize()
        plain(nd.ones((3, 2, 2)), nd.ones((1, 3, 4)))
        res['bad_state'] = 'no error'
    except ValueError as e:
        res['bad_state'] = 'ValueError'
        res['bad_state_msg'] = str(e)
    return res


def initializers():
    """i2h/h2h weight and bias initializers apply to every layer and direction."""
    net = rnn.LSTM(3, num_layers=2, bidirectional=True, input_size=2,
                   i2h_weight_initializer=init.Constant(0.1),
                   h2h_weight_initializer=init.Constant(-0.2),
                   i2h_bias_initializer=init.Constant(0.3),
                   h2h_bias_initializer='ones', prefix='lstm_')
    net.initialize()
    vals = {k: float(v.data().asnumpy().mean()) for k, v in net.collect_params().items()}
    out = net(nd.array(np.linspace(-1, 1, 2 * 3 * 2).reshape(2, 3, 2)))
    return {'means': vals, 'out': _f(out)}


# ----------------------------------------------------------------------------- cells

def cell(kind, merge_outputs=True, layout='NTC', states=True, hybridize=False):
    """A cell unrolled over 5 steps on fixed parameters: outputs, states, gradients."""
    make = {'rnn_tanh': lambda: rnn.RNNCell(4, input_size=3, prefix='c_'),
            'rnn_relu': lambda: rnn.RNNCell(4, activation='relu', input_size=3, prefix='c_'),
            'lstm': lambda: rnn.LSTMCell(4, input_size=3, prefix='c_'),
            'gru': lambda: rnn.GRUCell(4, input_size=3, prefix='c_')}
    net = make[kind]()
    net.initialize()
    _fix(net, 5)
    if hybridize:
        net.hybridize()
    rng = np.random.RandomState(6)
    t, n = 5, 2
    x = _arr(rng, (n, t, 3) if layout == 'NTC' else (t, n, 3))
    begin = [_arr(rng, info['shape']) for info in net.state_info(n)] if states else []

    def run(x, *begin):
        outs, new = net.unroll(t, x, begin_state=list(begin) if states else None,
                               layout=layout, merge_outputs=merge_outputs)
        outs = [outs] if merge_outputs else list(outs)
        return outs + list(new)
    res = _loss_and_grads(run, [x] + begin, net, 7)
    res['n_outputs'] = len(res['outputs'])
    return res


def cell_step():
    """Calling a cell for one step, and its counters and begin_state names."""
    net = rnn.LSTMCell(3, input_size=2, prefix='step_')
    net.initialize()
    _fix(net, 8)
    states = net.begin_state(batch_size=2)
    x = nd.array([[0.5, -1.0], [2.0, 0.25]])
    out, states = net(x, states)
    out, states = net(x, states)
    return {'out': _f(out), 'states': _f(states), 'counter': net._counter,
            'init_counter': net._init_counter, 'state_info': net.state_info(2),
            'repr': repr(net)}


def stacked_cells(merge_outputs=True):
    """SequentialRNNCell(LSTMCell, DropoutCell, ResidualCell(GRUCell)) unrolled."""
    net = rnn.SequentialRNNCell(prefix='stack_')
    with net.name_scope():
        net.add(rnn.LSTMCell(4, input_size=3))
        net.add(rnn.DropoutCell(0.5))
        net.add(rnn.ResidualCell(rnn.GRUCell(4, input_size=4)))
    net.initialize()
    _fix(net, 9)
    rng = np.random.RandomState(10)
    x = _arr(rng, (2, 4, 3))

    def run(x):
        outs, new = net.unroll(4, x, layout='NTC', merge_outputs=merge_outputs)
        outs = [outs] if merge_outputs else list(outs)
        return outs + list(new)
    res = _loss_and_grads(run, [x], net, 11, train_mode=False)     # DropoutCell: identity
    res['params'] = list(net.collect_params().keys())
    res['state_info'] = [list(i['shape']) for i in net.state_info(2)]
    res['repr'] = repr(net)
    return res


def bidirectional_cell(merge_outputs=True):
    net = rnn.BidirectionalCell(rnn.GRUCell(3, input_size=2, prefix='l_'),
                                rnn.LSTMCell(3, input_size=2, prefix='r_'))
    net.initialize()
    _fix(net, 12)
    rng = np.random.RandomState(13)
    x = _arr(rng, (4, 2, 2))

    def run(x):
        outs, new = net.unroll(4, x, layout='TNC', merge_outputs=merge_outputs)
        outs = [outs] if merge_outputs else list(outs)
        return outs + list(new)
    res = _loss_and_grads(run, [x], net, 14)
    res['params'] = list(net.collect_params().keys())
    res['repr'] = repr(net)
    return res


def deferred_cell():
    net = rnn.GRUCell(3, prefix='g_')
    net.initialize()
    before = list(net.i2h_weight.shape)
    outs, states = net.unroll(3, nd.ones((2, 3, 6)), merge_outputs=True)
    return {'before': before, 'after': list(net.i2h_weight.shape), 'out': list(outs.shape),
            'states': [list(s.shape) for s in states]}


def layer_vs_cells():
    """A fused 2-layer bidirectional LSTM and the same network unrolled from its cells."""
    net = rnn.LSTM(3, num_layers=2, bidirectional=True, input_size=2, prefix='fused_')
    net.initialize()
    _fix(net, 15)
    x = _arr(np.random.RandomState(16), (5, 2, 2))
    fused = net(x)
    cells = net._unfuse()
    unrolled, _ = cells.unroll(5, x, layout='TNC', merge_outputs=True)
    return {'fused': _f(fused), 'cells': _f(unrolled),
            'cell_params': list(cells.collect_params().keys())}


# ----------------------------------------------------------------------------- training

def language_model(hybridize=False, steps=12):
    """Embedding -> 2-layer LSTM -> Dense on a synthetic corpus; SGD with truncated BPTT
    (states carried across batches, detached)."""
    vocab, embed, hidden, batch, bptt = 16, 8, 12, 4, 6
    rng = np.random.RandomState(17)
    # A corpus with structure: token t is mostly followed by (3 * t + 1) mod vocab.
    tokens = [0]
    for _ in range(batch * (bptt * steps + 1)):
        tokens.append((3 * tokens[-1] + 1) % vocab if rng.rand() < 0.8
                      else rng.randint(vocab))
    data = np.array(tokens[:batch * (bptt * steps + 1)], dtype='float32')
    data = data.reshape(batch, -1).T                                   # (T_total, N)

    class LM(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.embedding = nn.Embedding(vocab, embed)
                self.lstm = rnn.LSTM(hidden, num_layers=2, input_size=embed)
                self.decoder = nn.Dense(vocab, flatten=False, in_units=hidden)

        def hybrid_forward(self, F, x, h, c):
            out, (h, c) = self.lstm(self.embedding(x), [h, c])
            return self.decoder(out), h, c

    net = LM(prefix='lm_')
    net.initialize(init.Uniform(0.1))
    _fix(net, 18, scale=0.3)
    if hybridize:
        net.hybridize()
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 8.0})
    h, c = net.lstm.begin_state(batch_size=batch)
    losses = []
    for i in range(steps):
        x = nd.array(data[i * bptt:(i + 1) * bptt])
        y = nd.array(data[i * bptt + 1:(i + 1) * bptt + 1])
        h, c = h.detach(), c.detach()
        with autograd.record():
            logits, h, c = net(x, h, c)
            loss = loss_fn(logits, y)
        loss.backward()
        trainer.step(batch * bptt)
        losses.append(float(loss.mean().asscalar()))
    return {'losses': losses,
            'decoder_bias': _f(net.decoder.bias.data())}


SCENARIOS = {
    'rnn_relu': lambda: layer('rnn'),
    'rnn_tanh_2layer': lambda: layer('rnn', num_layers=2, activation='tanh'),
    'lstm': lambda: layer('lstm'),
    'lstm_no_states': lambda: layer('lstm', states=False),
    'lstm_bi_2layer': lambda: layer('lstm', num_layers=2, bidirectional=True),
    'lstm_ntc': lambda: layer('lstm', layout='NTC'),
    'lstm_hybrid': lambda: layer('lstm', num_layers=2, bidirectional=True, hybridize=True),
    'gru': lambda: layer('gru'),
    'gru_bi_2layer_ntc': lambda: layer('gru', num_layers=2, bidirectional=True,
                                       layout='NTC'),
    'gru_hybrid_no_states': lambda: layer('gru', states=False, hybridize=True),
    'deferred_layer': deferred_layer,
    'layer_api': layer_api,
    'initializers': initializers,
    'cell_rnn_tanh': lambda: cell('rnn_tanh'),
    'cell_rnn_relu_list': lambda: cell('rnn_relu', merge_outputs=False, layout='TNC'),
    'cell_lstm': lambda: cell('lstm'),
    'cell_lstm_list_tnc': lambda: cell('lstm', merge_outputs=False, layout='TNC'),
    'cell_lstm_hybrid': lambda: cell('lstm', hybridize=True),
    'cell_gru': lambda: cell('gru', states=False),
    'cell_gru_list': lambda: cell('gru', merge_outputs=False),
    'cell_step': cell_step,
    'stacked_cells': stacked_cells,
    'stacked_cells_list': lambda: stacked_cells(merge_outputs=False),
    'bidirectional_cell': bidirectional_cell,
    'bidirectional_cell_list': lambda: bidirectional_cell(merge_outputs=False),
    'deferred_cell': deferred_cell,
    'layer_vs_cells': layer_vs_cells,
    'language_model': language_model,
    'language_model_hybrid': lambda: language_model(hybridize=True),
}


def main():
    assert not hasattr(mx, 'compat_version'), 'record with real MXNet, from /tmp'
    results = {}
    for name, fn in SCENARIOS.items():
        results[name] = fn()
        print('recorded', name)
    results['_meta'] = {'mxnet': mx.__version__, 'numpy': np.__version__}
    with open(GOLDEN, 'w') as f:
        json.dump(results, f, indent=1, sort_keys=True)
    print('wrote', GOLDEN)


if __name__ == '__main__':
    main()

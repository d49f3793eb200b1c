"""Fused recurrent layers: ``RNN``, ``LSTM``, ``GRU`` (MXNet 1.9.1's ``gluon.rnn``).

Each layer owns, per layer ``i`` and direction ``d`` (``l`` forward, ``r`` backward), the
parameters ``{d}{i}_i2h_weight`` (G*H, in), ``{d}{i}_h2h_weight`` (G*H, H),
``{d}{i}_i2h_bias`` and ``{d}{i}_h2h_bias`` (G*H,), with G = 1, 4 (gates i, f, g, o) or 3
(r, z, n).  A forward pass flattens them into one vector in the fused operator's packing
order (every weight - per layer, per direction, i2h then h2h - then every bias in the
same order) and runs ``nd.RNN`` once over the whole sequence.

Without ``input_size`` the first layer's i2h weights are completed at the first call from
the input's last axis (MXNet infers it from the symbolic graph).
"""
import re

from ... import ndarray
from ..block import HybridBlock

__all__ = ['RNN', 'LSTM', 'GRU']

_GATES = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}
_PARAM_NAME = re.compile(r'(l|r)(\d+)_(i2h|h2h)_(weight|bias)\Z')


class _RNNLayer(HybridBlock):
    """What the three fused layers share; ``mode`` is the ``nd.RNN`` mode."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, projection_size=None, h2r_weight_initializer=None,
                 lstm_state_clip_min=None, lstm_state_clip_max=None,
                 lstm_state_clip_nan=False, dtype='float32', use_sequence_length=False,
                 **kwargs):
        super().__init__(**kwargs)
        if layout not in ('TNC', 'NTC'):
            raise AssertionError("Invalid layout %s; must be one of ['TNC' or 'NTC']" % layout)
        if projection_size:
            raise NotImplementedError('projection_size is not supported by mxnet-compat '
                                      '(nd.RNN has no LSTMP kernel)')
        self._hidden_size = hidden_size
        self._projection_size = None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._i2h_weight_initializer = i2h_weight_initializer
        self._h2h_weight_initializer = h2h_weight_initializer
        self._i2h_bias_initializer = i2h_bias_initializer
        self._h2h_bias_initializer = h2h_bias_initializer
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self._gates = _GATES[mode]

        rows, n_in = self._gates * hidden_size, input_size
        for i in range(num_layers):
            for d in ['l', 'r'][:self._dir]:
                self._register_param('%s%d_i2h_weight' % (d, i), (rows, n_in),
                                     i2h_weight_initializer, dtype)
                self._register_param('%s%d_h2h_weight' % (d, i), (rows, hidden_size),
                                     h2h_weight_initializer, dtype)
                self._register_param('%s%d_i2h_bias' % (d, i), (rows,),
                                     i2h_bias_initializer, dtype)
                self._register_param('%s%d_h2h_bias' % (d, i), (rows,),
                                     h2h_bias_initializer, dtype)
            n_in = hidden_size * self._dir

    def _register_param(self, name, shape, init, dtype):
        param = self.params.get(name, shape=shape, init=init, allow_deferred_init=True,
                                dtype=dtype)
        setattr(self, name, param)
        return param

    def __repr__(self):
        s = '{name}({mapping}, {_layout}'
        if self._num_layers != 1:
            s += ', num_layers={_num_layers}'
        if self._dropout != 0:
            s += ', dropout={_dropout}'
        if self._dir == 2:
            s += ', bidirectional'
        s += ')'
        shape = self.l0_i2h_weight.shape
        mapping = '{0} -> {1}'.format(shape[1] if shape[1] else None, shape[0] // self._gates)
        return s.format(name=self.__class__.__name__, mapping=mapping, **self.__dict__)

    def _collect_params_with_prefix(self, prefix=''):
        """``save_parameters`` names, in the old unfused-cell format MXNet keeps for
        compatibility: ``_unfused.0.i2h_weight`` or, bidirectional,
        ``_unfused.0.l_cell.i2h_weight``."""
        if prefix:
            prefix += '.'
        bidirectional = self._dir == 2
        ret = {}
        for key, val in self._reg_params.items():
            d, layer, g, t = _PARAM_NAME.match(key).groups()
            name = ('_unfused.{}.{}_cell.{}_{}'.format(layer, d, g, t) if bidirectional
                    else '_unfused.{}.{}_{}'.format(layer, g, t))
            ret[prefix + name] = val
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def state_info(self, batch_size=0):
        raise NotImplementedError

    def _unfuse(self):
        """The same network as a stack of cells sharing this layer's parameters."""
        from . import rnn_cell
        make = {'rnn_relu': lambda **kw: rnn_cell.RNNCell(self._hidden_size, activation='relu',
                                                          **kw),
                'rnn_tanh': lambda **kw: rnn_cell.RNNCell(self._hidden_size, activation='tanh',
                                                          **kw),
                'lstm': lambda **kw: rnn_cell.LSTMCell(self._hidden_size, **kw),
                'gru': lambda **kw: rnn_cell.GRUCell(self._hidden_size, **kw)}[self._mode]
        stack = rnn_cell.HybridSequentialRNNCell(prefix=self.prefix, params=self.params)
        with stack.name_scope():
            n_in = self._input_size
            for i in range(self._num_layers):
                kwargs = {'input_size': n_in,
                          'i2h_weight_initializer': self._i2h_weight_initializer,
                          'h2h_weight_initializer': self._h2h_weight_initializer,
                          'i2h_bias_initializer': self._i2h_bias_initializer,
                          'h2h_bias_initializer': self._h2h_bias_initializer}
                if self._dir == 2:
                    stack.add(rnn_cell.BidirectionalCell(make(prefix='l%d_' % i, **kwargs),
                                                         make(prefix='r%d_' % i, **kwargs)))
                else:
                    stack.add(make(prefix='l%d_' % i, **kwargs))
                if self._dropout > 0 and i != self._num_layers - 1:
                    stack.add(rnn_cell.DropoutCell(self._dropout))
                n_in = self._hidden_size * self._dir
        return stack

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """The initial states: one array per ``state_info`` entry, made by
        ``func(name=..., shape=..., dtype=..., **kwargs)`` (``nd.zeros`` by default)."""
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            if info is not None:
                info.update(kwargs)
            else:
                info = kwargs
            states.append(func(name='%sh0_%d' % (self.prefix, i), **info))
        return states

    def __call__(self, inputs, states=None, sequence_length=None, **kwargs):
        """``layer(x)`` returns the output; ``layer(x, states)`` returns
        ``(output, new_states)``."""
        skip_states = states is None
        if states is None:
            batch_size = inputs.shape[self._layout.find('N')]
            states = self.begin_state(batch_size, ctx=inputs.context, dtype=inputs.dtype)
        if isinstance(states, ndarray.NDArray):
            states = [states]
        if self._use_sequence_length:
            out = super().__call__(inputs, states, sequence_length, **kwargs)
        else:
            out = super().__call__(inputs, states, **kwargs)
        # MXNet drops the states inside hybrid_forward; doing it here keeps one compiled
        # graph (always returning the states) for both call forms.
        return out[0] if skip_states else out

    def infer_shape(self, inputs, *args):
        n_in = inputs.shape[-1]
        for d in ['l', 'r'][:self._dir]:
            getattr(self, '%s0_i2h_weight' % d).shape = (self._gates * self._hidden_size, n_in)

    def hybrid_forward(self, F, inputs, states, sequence_length=None, **kwargs):
        batch_size = inputs.shape[self._layout.find('N')]
        for state, info in zip(states, self.state_info(batch_size)):
            if state.shape != info['shape']:
                raise ValueError('Invalid recurrent state shape. Expecting %s, got %s.' % (
                    str(info['shape']), str(state.shape)))
        return self._forward_kernel(F, inputs, states, sequence_length, **kwargs)

    def _forward_kernel(self, F, inputs, states, sequence_length, **kwargs):
        if self._layout == 'NTC':
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        flat = [kwargs['{}{}_{}_{}'.format(d, layer, g, t)].reshape(-1)
                for t in ['weight', 'bias']
                for layer in range(self._num_layers)
                for d in ['l', 'r'][:self._dir]
                for g in ['i2h', 'h2h']]
        params = F.concat(*flat, dim=0)
        args = list(states) + ([sequence_length] if self._use_sequence_length else [])
        rnn = F.RNN(inputs, params, *args, use_sequence_length=self._use_sequence_length,
                    state_size=self._hidden_size, num_layers=self._num_layers,
                    bidirectional=self._dir == 2, p=self._dropout, state_outputs=True,
                    mode=self._mode, lstm_state_clip_min=self._lstm_state_clip_min,
                    lstm_state_clip_max=self._lstm_state_clip_max,
                    lstm_state_clip_nan=self._lstm_state_clip_nan)
        if self._mode == 'lstm':
            outputs, states = rnn[0], [rnn[1], rnn[2]]
        else:
            outputs, states = rnn[0], [rnn[1]]
        if self._layout == 'NTC':
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return outputs, states


class RNN(_RNNLayer):
    """Multi-layer Elman RNN: ``h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`` with
    ``activation`` 'relu' (the default) or 'tanh'.

    Input (T, N, C) for layout 'TNC' ((N, T, C) for 'NTC'); states one array of shape
    (num_layers * directions, N, hidden_size).  Output (T, N, directions * hidden_size).
    ``dropout`` applies to the outputs of every layer but the last, in training mode."""

    def __init__(self, hidden_size, num_layers=1, activation='relu', layout='TNC', dropout=0,
                 bidirectional=False, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', input_size=0,
                 dtype='float32', **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, 'rnn_' + activation, dtype=dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [{'shape': (self._num_layers * self._dir, batch_size, self._hidden_size),
                 '__layout__': 'LNC', 'dtype': self._dtype}]


class LSTM(_RNNLayer):
    """Multi-layer LSTM (gates in MXNet's order i, f, g, o; ``c_t = f*c + i*g``,
    ``h_t = o * tanh(c_t)``).  States: [h, c], each (num_layers * directions, N,
    hidden_size).  ``projection_size`` is not supported; the state clipping arguments are
    accepted and, as by MXNet's CPU kernel, ignored."""

    def __init__(self, hidden_size, num_layers=1, layout='TNC', dropout=0,
                 bidirectional=False, input_size=0, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer='zeros',
                 h2h_bias_initializer='zeros', projection_size=None,
                 h2r_weight_initializer=None, state_clip_min=None, state_clip_max=None,
                 state_clip_nan=False, dtype='float32', **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, 'lstm', projection_size, h2r_weight_initializer,
                         state_clip_min, state_clip_max, state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0):
        shape = (self._num_layers * self._dir, batch_size, self._hidden_size)
        return [{'shape': shape, '__layout__': 'LNC', 'dtype': self._dtype},
                {'shape': shape, '__layout__': 'LNC', 'dtype': self._dtype}]


class GRU(_RNNLayer):
    """Multi-layer GRU (gates r, z, n).  As in MXNet (and cuDNN), the reset gate multiplies
    the *whole* recurrent term including its bias: ``n = tanh(W_in x + b_in + r * (W_hn h +
    b_hn))``, ``h_t = (1 - z) * n + z * h``.  States: one array (num_layers * directions,
    N, hidden_size)."""

    def __init__(self, hidden_size, num_layers=1, layout='TNC', dropout=0,
                 bidirectional=False, input_size=0, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer='zeros',
                 h2h_bias_initializer='zeros', dtype='float32', **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, 'gru', dtype=dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [{'shape': (self._num_layers * self._dir, batch_size, self._hidden_size),
                 '__layout__': 'LNC', 'dtype': self._dtype}]

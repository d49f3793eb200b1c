"""``gluon.rnn``: the fused recurrent layers (``RNN``, ``LSTM``, ``GRU``, on ``nd.RNN``)
and the step-by-step recurrent cells, as in MXNet 1.9.1."""
from .rnn_cell import *  # noqa: F401,F403
from .rnn_layer import *  # noqa: F401,F403
from . import rnn_cell, rnn_layer  # noqa: F401

__all__ = rnn_cell.__all__ + rnn_layer.__all__

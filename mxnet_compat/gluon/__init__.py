"""``mxnet.gluon``: the imperative neural-network API (Blocks, Parameters, Trainer, losses,
data loading) on mxnet-compat's NDArray and autograd."""
from .parameter import (DeferredInitializationError, Parameter, Constant,  # noqa: F401
                        ParameterDict, tensor_types)
from .block import Block, HybridBlock, SymbolBlock  # noqa: F401
from . import nn  # noqa: F401
from .trainer import Trainer  # noqa: F401
from . import loss  # noqa: F401
from . import utils  # noqa: F401
from . import data  # noqa: F401
from . import rnn  # noqa: F401

__all__ = ['DeferredInitializationError', 'Parameter', 'Constant', 'ParameterDict',
           'tensor_types', 'Block', 'HybridBlock', 'SymbolBlock', 'nn', 'Trainer', 'loss',
           'utils', 'data', 'rnn']

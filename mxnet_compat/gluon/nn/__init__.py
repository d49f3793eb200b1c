"""``gluon.nn``: neural network layers."""
from .activations import Activation, LeakyReLU, PReLU, ELU, SELU, GELU, Swish  # noqa: F401
from .basic_layers import (Sequential, HybridSequential, Dense, Dropout, Embedding,  # noqa: F401
                           BatchNorm, InstanceNorm, LayerNorm, GroupNorm, Flatten, Lambda,
                           HybridLambda)
from .conv_layers import (Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose,  # noqa
                          Conv3DTranspose, MaxPool1D, MaxPool2D, MaxPool3D, AvgPool1D,
                          AvgPool2D, AvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D,
                          GlobalMaxPool3D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D,
                          ReflectionPad2D)
from ..block import Block, HybridBlock, SymbolBlock  # noqa: F401

__all__ = ['Activation', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'GELU', 'Swish', 'Sequential',
           'HybridSequential', 'Dense', 'Dropout', 'Embedding', 'BatchNorm', 'InstanceNorm',
           'LayerNorm', 'GroupNorm', 'Flatten', 'Lambda', 'HybridLambda', 'Conv1D', 'Conv2D',
           'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'MaxPool1D',
           'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D', 'AvgPool3D', 'GlobalMaxPool1D',
           'GlobalMaxPool2D', 'GlobalMaxPool3D', 'GlobalAvgPool1D', 'GlobalAvgPool2D',
           'GlobalAvgPool3D', 'ReflectionPad2D', 'Block', 'HybridBlock', 'SymbolBlock']

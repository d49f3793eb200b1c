"""``mx.random``: the global seed and the samplers (same functions as ``mx.nd.random``)."""
from ._rng import seed  # noqa: F401
from .ndarray.random import uniform, normal, randn  # noqa: F401

__all__ = ['seed', 'uniform', 'normal', 'randn']

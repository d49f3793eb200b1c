"""``mx.random``: the global seed and the samplers (same functions as ``mx.nd.random``)."""
from .ndarray.random import (seed, uniform, normal, randn, poisson, exponential, gamma,  # noqa: F401
                             multinomial, negative_binomial, generalized_negative_binomial,
                             shuffle, randint)

__all__ = ['seed', 'uniform', 'normal', 'randn', 'poisson', 'exponential', 'gamma',
           'multinomial', 'negative_binomial', 'generalized_negative_binomial', 'shuffle',
           'randint']

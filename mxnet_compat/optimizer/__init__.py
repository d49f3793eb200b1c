"""``mx.optimizer``: weight update rules (``Optimizer`` and its registry, ``Updater``)."""
from .optimizer import (Optimizer, Updater, SGD, NAG, Adam, AdaGrad, RMSProp, register,  # noqa
                        create, get_updater)

__all__ = ['Optimizer', 'Updater', 'SGD', 'NAG', 'Adam', 'AdaGrad', 'RMSProp', 'register',
           'create', 'get_updater']

"""``mx.optimizer``: weight update rules (``Optimizer`` and its registry, ``Updater``)."""
from .optimizer import (Optimizer, Updater, SGD, NAG, Adam, AdaGrad, RMSProp, AdaDelta,  # noqa
                        Adamax, Nadam, Signum, FTML, Ftrl, LAMB, SGLD, DCASGD, ccSGD, register,
                        create, get_updater)
from .optimizer import __all__  # noqa

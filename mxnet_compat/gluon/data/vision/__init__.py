"""``gluon.data.vision``: image datasets (MNIST, Fashion-MNIST, CIFAR-10) and transforms."""
from .datasets import MNIST, FashionMNIST, CIFAR10  # noqa: F401
from . import transforms  # noqa: F401

__all__ = ['MNIST', 'FashionMNIST', 'CIFAR10', 'transforms']

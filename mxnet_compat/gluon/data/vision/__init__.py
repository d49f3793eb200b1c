"""``gluon.data.vision``: image datasets and transforms."""
from .datasets import (MNIST, FashionMNIST, CIFAR10, CIFAR100, ImageFolderDataset,  # noqa: F401
                       ImageRecordDataset)
from . import transforms  # noqa: F401

__all__ = ['MNIST', 'FashionMNIST', 'CIFAR10', 'CIFAR100', 'ImageFolderDataset',
           'ImageRecordDataset', 'transforms']

"""Image datasets, downloaded from MXNet's Gluon repository on first use.

Files go to ``$MXNET_HOME/datasets/<name>`` (default ``~/.mxnet``) and are checked by
sha1, as MXNet does; samples are ``(image, label)`` with the image an NDArray of shape
(H, W, C), dtype uint8, and the label a numpy int32."""
import gzip
import os
import struct
import tarfile

import numpy as np

from .... import ndarray as nd
from ...utils import download
from ..dataset import Dataset

__all__ = ['MNIST', 'FashionMNIST', 'CIFAR10']


def _data_dir():
    return os.getenv('MXNET_HOME', os.path.join(os.path.expanduser('~'), '.mxnet'))


def _repo_file_url(namespace, filename):
    repo = os.environ.get('MXNET_GLUON_REPO',
                          'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/')
    if not repo.endswith('/'):
        repo += '/'
    return '{}{}/{}'.format(repo, namespace, filename)


class _DownloadedDataset(Dataset):
    """Loads everything into memory at construction (``_get_data``)."""

    def __init__(self, root, transform):
        self._transform = transform
        self._data = None
        self._label = None
        self._root = os.path.expanduser(root)
        os.makedirs(self._root, exist_ok=True)
        self._get_data()

    def __getitem__(self, idx):
        if self._transform is not None:
            return self._transform(self._data[idx], self._label[idx])
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)

    def _fetch(self, name_and_sha1):
        name, sha1 = name_and_sha1
        return download(_repo_file_url('gluon/dataset/' + self._namespace, name),
                        path=self._root, sha1_hash=sha1)

    def _get_data(self):
        raise NotImplementedError


class MNIST(_DownloadedDataset):
    """MNIST handwritten digits: 60,000 training / 10,000 test images of 28x28x1."""
    _files = {
        True: (('train-images-idx3-ubyte.gz', '6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d'),
               ('train-labels-idx1-ubyte.gz', '2a80914081dc54586dbdf242f9805a6b8d2a15fc')),
        False: (('t10k-images-idx3-ubyte.gz', 'c3a25af1f52dad7f726cce8cacb138654b760d48'),
                ('t10k-labels-idx1-ubyte.gz', '763e7fa3757d93b0cdec073cef058b2004252c17')),
    }
    _namespace = 'mnist'

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'mnist'), train=True,
                 transform=None):
        self._train = train
        super().__init__(root, transform)

    def _get_data(self):
        data, label = self._files[self._train]
        with gzip.open(self._fetch(label), 'rb') as f:
            struct.unpack('>II', f.read(8))
            labels = np.frombuffer(f.read(), dtype=np.uint8).astype(np.int32)
        with gzip.open(self._fetch(data), 'rb') as f:
            struct.unpack('>IIII', f.read(16))
            images = np.frombuffer(f.read(), dtype=np.uint8).reshape(len(labels), 28, 28, 1)
        self._data = nd.array(images, dtype=images.dtype)
        self._label = labels


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: a drop-in replacement of MNIST with clothing images."""
    _files = {
        True: (('train-images-idx3-ubyte.gz', '0cf37b0d40ed5169c6b3aba31069a9770ac9043d'),
               ('train-labels-idx1-ubyte.gz', '236021d52f1e40852b06a4c3008d8de8aef1e40b')),
        False: (('t10k-images-idx3-ubyte.gz', '626ed6a7c06dd17c0eec72fa3be1740f146a2863'),
                ('t10k-labels-idx1-ubyte.gz', '17f9ab60e7257a1620f4ad76bbbaf857c3920701')),
    }
    _namespace = 'fashion-mnist'

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'fashion-mnist'),
                 train=True, transform=None):
        super().__init__(root, train, transform)


class CIFAR10(_DownloadedDataset):
    """CIFAR-10: 50,000 training / 10,000 test colour images of 32x32x3, 10 classes."""
    _archive = ('cifar-10-binary.tar.gz', 'fab780a1e191a7eda0f345501ccd62d20f7ed891')
    _namespace = 'cifar10'

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'cifar10'), train=True,
                 transform=None):
        self._train = train
        super().__init__(root, transform)

    def _get_data(self):
        names = (['data_batch_%d.bin' % i for i in range(1, 6)] if self._train
                 else ['test_batch.bin'])
        paths = [os.path.join(self._root, n) for n in names]
        if not all(os.path.exists(p) for p in paths):
            with tarfile.open(self._fetch(self._archive)) as tar:
                tar.extractall(self._root)
        records = np.concatenate([np.fromfile(p, dtype=np.uint8).reshape(-1, 3072 + 1)
                                  for p in paths])
        images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        self._data = nd.array(np.ascontiguousarray(images), dtype=np.uint8)
        self._label = records[:, 0].astype(np.int32)

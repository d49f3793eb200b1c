"""Image datasets: MNIST, Fashion-MNIST, CIFAR-10/100 (downloaded from MXNet's Gluon
repository on first use), and images on disk (``ImageFolderDataset``,
``ImageRecordDataset``).

Downloads go to ``$MXNET_HOME/datasets/<name>`` (default ``~/.mxnet``) and are checked by
sha1, as MXNet does; without network access, place the file named in the error there.
Samples are ``(image, label)`` with the image an NDArray of shape (H, W, C), dtype uint8,
and the label a numpy int32.  Decoding image files needs Pillow (MXNet uses OpenCV)."""
import gzip
import os
import struct
import tarfile
import warnings

import numpy as np

from .... import ndarray as nd
from ...utils import download
from .... import recordio
from ..dataset import Dataset, RecordFileDataset

__all__ = ['MNIST', 'FashionMNIST', 'CIFAR10', 'CIFAR100', 'ImageFolderDataset',
           'ImageRecordDataset']


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
        url = _repo_file_url('gluon/dataset/' + self._namespace, name)
        try:
            return download(url, path=self._root, sha1_hash=sha1)
        except ConnectionError as e:   # the class MXNet raises offline, with a hint
            raise ConnectionError(
                '{}. Without network access, place that file (sha1 {}) at {}'.format(
                    e, sha1, os.path.join(self._root, name))) from e

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


class CIFAR100(CIFAR10):
    """CIFAR-100: 50,000 training / 10,000 test colour images of 32x32x3.  The label is
    the coarse one (20 super-classes) unless ``fine_label`` (100 classes).  MXNet's files:
    ``root/train.bin`` and ``root/test.bin``, from ``cifar-100-binary.tar.gz``."""
    _archive = ('cifar-100-binary.tar.gz', 'a0bb982c76b83111308126cc779a992fa506b90b')
    _namespace = 'cifar100'

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'cifar100'),
                 fine_label=False, train=True, transform=None):
        self._fine_label = fine_label
        super().__init__(root, train, transform)

    def _get_data(self):
        path = os.path.join(self._root, 'train.bin' if self._train else 'test.bin')
        if not os.path.exists(path):
            with tarfile.open(self._fetch(self._archive)) as tar:
                tar.extractall(self._root)
        if not os.path.exists(path):
            raise RuntimeError('{} is missing after extracting {}'.format(path,
                                                                          self._archive[0]))
        records = np.fromfile(path, dtype=np.uint8).reshape(-1, 3072 + 2)
        images = records[:, 2:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        self._data = nd.array(np.ascontiguousarray(images), dtype=np.uint8)
        self._label = records[:, int(bool(self._fine_label))].astype(np.int32)


def _imdecode(buf, flag):
    """Encoded image bytes -> (H, W, C) uint8 NDArray, RGB (``flag`` 1) or gray (0)."""
    return nd.array(recordio._decode_image(buf, flag=flag, to_rgb=True), dtype=np.uint8)


class ImageFolderDataset(Dataset):
    """Images in one sub-folder per class: ``root/<class>/<image>``.  Classes are the
    sorted folder names (``synsets``; label = index), and ``items`` lists
    ``(path, label)``.  Only .jpg, .jpeg and .png files are used (others are skipped with
    a warning).  ``flag`` 1 decodes to 3 RGB channels, 0 to one gray channel."""

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._transform = transform
        self._exts = ['.jpg', '.jpeg', '.png']
        self._list_images(self._root)

    def _list_images(self, root):
        self.synsets = []
        self.items = []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn('Ignoring %s, which is not a directory.' % path, stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn('Ignoring %s of type %s. Only support %s'
                                  % (filename, ext, ', '.join(self._exts)))
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        path, label = self.items[idx]
        with open(path, 'rb') as f:
            img = _imdecode(f.read(), self._flag)
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self):
        return len(self.items)


class ImageRecordDataset(RecordFileDataset):
    """Images in a RecordIO file (``recordio.pack_img`` records, with a ``.idx`` file next
    to it): samples are ``(image, header.label)``."""

    def __init__(self, filename, flag=1, transform=None):
        super().__init__(filename)
        self._flag = flag
        self._transform = transform

    def __getitem__(self, idx):
        header, img = recordio.unpack(super().__getitem__(idx))
        img = _imdecode(img, self._flag)
        if self._transform is not None:
            return self._transform(img, header.label)
        return img, header.label

"""gluon.data (datasets, samplers, DataLoader, batchify), vision datasets written to
temporary folders, vision transforms, gluon.utils, mx.metric and mx.io.NDArrayIter.

Dataset files (MNIST idx, CIFAR binary batches, images, RecordIO) are written by the case
itself; the built-in datasets' sha1 check is bypassed (``gluon.utils.check_sha1``
patched to accept the synthetic files), so nothing is downloaded."""
import base64
import contextlib
import gzip
import os
import shutil
import struct
import tempfile
import zlib

import numpy as np

from harness import raises, stat

AREA = 'gluon_data'


def _kind(x):
    """Type name and dtype of a sample item (numpy scalars and arrays, NDArrays, ints)."""
    dtype = getattr(x, 'dtype', None)
    return [type(x).__name__, None if dtype is None else np.dtype(dtype).name]


def _bytes(b):
    return [type(b).__name__, b.hex()]


def _batches(loader):
    """A loader's batches as lists of numpy arrays (comparable with ==)."""
    return [[_np(x).tolist() for x in b] for b in loader]


def _np(x):
    return x.asnumpy() if hasattr(x, 'asnumpy') else np.asarray(x)


@contextlib.contextmanager
def _tempdir():
    path = tempfile.mkdtemp()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _accept_any_sha1(mx):
    """Let the built-in datasets use synthetic files whose sha1 cannot match."""
    modules = [m for m in (mx.gluon.utils, mx.gluon.data.vision.datasets)
               if hasattr(m, 'check_sha1')]
    saved = [m.check_sha1 for m in modules]
    for m in modules:
        m.check_sha1 = lambda filename, sha1_hash: True
    try:
        yield
    finally:
        for m, fn in zip(modules, saved):
            m.check_sha1 = fn


class _Squares:
    """A Dataset subclass defined by __getitem__ and __len__ only (built per case)."""

    @staticmethod
    def make(mx):
        class Squares(mx.gluon.data.Dataset):
            def __getitem__(self, idx):
                if not -7 <= idx < 7:
                    raise IndexError(idx)   # filter() iterates until IndexError
                return idx % 7 * (idx % 7), float(idx % 7)

            def __len__(self):
                return 7
        return Squares()


# ----------------------------------------------------------------------------- datasets

def case_dataset_subclass_and_views(mx):
    ds = _Squares.make(mx)
    sampler = mx.gluon.data.SequentialSampler(3, start=2)
    return {'len': len(ds), 'items': [ds[i] for i in range(len(ds))],
            'filter': [s for s in ds.filter(lambda s: s[0] % 2 == 0)],
            'shard': [[s[0] for s in ds.shard(3, i)] for i in range(3)],
            'take': [s[0] for s in ds.take(2)], 'take_none': len(ds.take(None)),
            'sample': [s[0] for s in ds.sample(sampler)],
            'sample_bad': raises(lambda: ds.sample([0, 1])),
            'shard_bad': raises(lambda: ds.shard(2, 2))}


def case_array_dataset_mixed_inputs(mx):
    # a 1-D NDArray gives numpy float32 scalars; a 2-D NDArray gives NDArray rows
    ds = mx.gluon.data.ArrayDataset(np.arange(6, dtype='int64').reshape(3, 2),
                                    mx.nd.arange(3), [7, 8, 9], mx.nd.ones((3, 2)),
                                    np.array([0.5, 1.5, 2.5]))
    single = mx.gluon.data.ArrayDataset(mx.nd.array([[1, 2], [3, 4]]))
    items = ds[1]
    return {'len': len(ds), 'kinds': [_kind(x) for x in items],
            'values': [_np(x) for x in items], 'single': [_kind(single[0]), single[1]],
            'mismatch': raises(lambda: mx.gluon.data.ArrayDataset(np.zeros(3), [1, 2])),
            'slices': [_np(x) for x in ds[-1]]}


def case_simple_dataset_and_transforms(mx):
    calls = []

    def double(x, y=None):
        calls.append(1)
        return (x * 2, y) if y is not None else x * 2

    simple = mx.gluon.data.SimpleDataset([1, 2, 3])
    pairs = mx.gluon.data.ArrayDataset(np.array([1, 2, 3]), np.array([10, 20, 30]))
    out = {'simple': [len(simple), simple[0], simple[-1]]}
    lazy = simple.transform(double)
    out['lazy_calls_before'] = len(calls)
    out['lazy'] = [lazy[i] for i in range(3)]
    calls.clear()
    eager = pairs.transform(double, lazy=False)
    out['eager_calls'] = len(calls)
    out['eager'] = [[int(a), int(b)] for a, b in [eager[i] for i in range(3)]]
    out['eager_type'] = type(eager).__name__
    first = pairs.transform_first(lambda x: x + 100)
    first_eager = pairs.transform_first(lambda x: -x, lazy=False)
    out['first'] = [[int(a), int(b)] for a, b in first]
    out['first_eager'] = [[int(a), int(b)] for a, b in first_eager]
    out['first_single'] = [int(v) for v in simple.transform_first(lambda x: x * 3)]
    return out


def case_record_file_dataset(mx):
    with _tempdir() as d:
        rec, idx = os.path.join(d, 'data.rec'), os.path.join(d, 'data.idx')
        writer = mx.recordio.MXIndexedRecordIO(idx, rec, 'w')
        payloads = [b'alpha', b'', b'\x00\x01\x02' * 5, b'x' * 13]
        for i, p in enumerate(payloads):
            writer.write_idx(i * 10, p)
        writer.close()
        ds = mx.gluon.data.RecordFileDataset(rec)
        header = mx.recordio.IRHeader(0, 3.5, 7, 0)
        packed = mx.recordio.pack(header, b'body')
        back = mx.recordio.unpack(packed)
        with open(idx) as f:
            index_lines = f.read().split('\n')
        return {'len': len(ds), 'items': [_bytes(ds[i]) for i in range(len(ds))],
                'last': _bytes(ds[-1]), 'index_keys': [line.split('\t')[0] for line in index_lines],
                'unpack': [float(back[0].label), back[0].id, _bytes(back[1])]}


# ----------------------------------------------------------------------------- samplers

def case_samplers(mx):
    data = mx.gluon.data
    seq = data.SequentialSampler(5)
    rand = data.RandomSampler(10)
    epochs = [list(rand) for _ in range(2)]
    out = {'seq': list(seq), 'seq_len': len(seq),
           'rand_len': len(rand),
           'rand_is_perm': [sorted(int(i) for i in e) == list(range(10)) for e in epochs],
           'rand_epochs_differ': epochs[0] != epochs[1]}
    for last in ('keep', 'discard', 'rollover'):
        bs = data.BatchSampler(data.SequentialSampler(7), 3, last)
        out[last] = [[len(bs), [list(map(int, b)) for b in bs]] for _ in range(3)]
    out['bad_last'] = raises(lambda: list(data.BatchSampler(seq, 2, 'nope')))
    return out


# ----------------------------------------------------------------------------- DataLoader

def _xy(n=10):
    return (np.arange(2 * n, dtype='float32').reshape(n, 2), np.arange(n, dtype='int32'))


def case_dataloader_batching(mx):
    data = mx.gluon.data
    ds = data.ArrayDataset(*_xy())
    out = {}
    for last in ('keep', 'discard', 'rollover'):
        loader = data.DataLoader(ds, batch_size=3, last_batch=last)
        out[last] = [[len(loader), [[b[0], b[1]] for b in loader]] for _ in range(2)]
    shuffled = data.DataLoader(ds, batch_size=4, shuffle=True)
    batches = list(shuffled)
    out['shuffle_shapes'] = [b[0].shape for b in batches]
    out['shuffle_labels_sorted'] = sorted(int(v) for b in batches for v in b[1].asnumpy())
    out['shuffle_rows_match'] = all(
        (b[0].asnumpy()[:, 0] == 2 * b[1].asnumpy()).all() for b in batches)
    return out


def case_dataloader_samplers_and_batchify(mx):
    data = mx.gluon.data
    ds = data.ArrayDataset(*_xy(6))
    by_sampler = data.DataLoader(ds, batch_size=2, sampler=data.SequentialSampler(4, 2))
    by_batch_sampler = data.DataLoader(
        ds, batch_sampler=data.BatchSampler(data.SequentialSampler(6), 4, 'discard'))

    def batchify(samples):
        return [len(samples), mx.nd.array([s[1] for s in samples]).sum()]

    custom = data.DataLoader(ds, batch_size=4, batchify_fn=batchify)
    return {'sampler': [[b[0], b[1]] for b in by_sampler],
            'batch_sampler': [[b[0], b[1]] for b in by_batch_sampler],
            'len_batch_sampler': len(by_batch_sampler),
            'custom': list(custom),
            'plain_list': [b for b in data.DataLoader([1.5, 2.5, 3.5], batch_size=2)]}


def case_dataloader_errors(mx):
    data = mx.gluon.data
    ds = data.ArrayDataset(*_xy(4))
    bs = data.BatchSampler(data.SequentialSampler(4), 2)
    return {'batch_size_and_batch_sampler': raises(
                lambda: data.DataLoader(ds, batch_size=2, batch_sampler=bs)),
            'shuffle_and_batch_sampler': raises(
                lambda: data.DataLoader(ds, shuffle=True, batch_sampler=bs)),
            'last_batch_and_batch_sampler': raises(
                lambda: data.DataLoader(ds, last_batch='keep', batch_sampler=bs)),
            'shuffle_and_sampler': raises(
                lambda: data.DataLoader(ds, batch_size=2, shuffle=True,
                                        sampler=data.SequentialSampler(4))),
            'no_batch_size': raises(lambda: data.DataLoader(ds)),
            'bad_last_batch': raises(lambda: list(data.DataLoader(ds, batch_size=3,
                                                                  last_batch='bad')))}


def case_dataloader_workers_and_pin_memory(mx):
    data = mx.gluon.data
    ds = data.ArrayDataset(*_xy(9))
    serial = list(data.DataLoader(ds, batch_size=4))
    workers = data.DataLoader(ds, batch_size=4, num_workers=2)
    parallel, again = list(workers), list(workers)
    threads = data.DataLoader(ds, batch_size=4, num_workers=2, thread_pool=True)
    pinned = list(data.DataLoader(ds, batch_size=4, pin_memory=True))
    return {'serial': serial, 'len': len(workers),
            'same': [_batches(b) == _batches(serial) for b in (parallel, again, threads)],
            'parallel_kinds': [[_kind(x) for x in b] for b in parallel],
            'pinned_values': [[_np(b[0]), _np(b[1])] for b in pinned],
            'pinned_ctx': [str(b[0].context) for b in pinned]}


def case_default_batchify_dtypes(mx):
    # Python ints become int64 and floats float64 (numpy's conversion), not float32
    fn = mx.gluon.data.dataloader.default_batchify_fn
    samples = {'ints': [1, 2], 'floats': [1.5, 2.0], 'np_int32': [np.int32(1), np.int32(2)],
               'np_float64': [np.float64(1)], 'uint8': [np.uint8(3)] * 2,
               'bools': [True, False],
               'np_arrays': [np.array([1, 2], dtype='int32'), np.array([3, 4], dtype='int32')],
               'nd_f16': [mx.nd.ones(2, dtype='float16'), mx.nd.zeros(2, dtype='float16')],
               'tuples': [(1, 2.0, np.array([1.0], dtype='float32')),
                          (3, 4.0, np.array([2.0], dtype='float32'))],
               'nested': [((1, 2), mx.nd.ones(1)), ((3, 4), mx.nd.zeros(1))]}
    return {k: fn(v) for k, v in samples.items()}


# ----------------------------------------------------------------------------- vision datasets

def _write_idx(path, magic, array):
    with gzip.open(path, 'wb') as f:
        f.write(struct.pack('>I', magic) + b''.join(struct.pack('>I', n) for n in array.shape))
        f.write(array.astype(np.uint8).tobytes())


def _mnist_files(root, train, n, seed):
    rng = np.random.RandomState(seed)
    images = rng.randint(0, 256, (n, 28, 28)).astype(np.uint8)
    labels = rng.randint(0, 10, n).astype(np.uint8)
    prefix = 'train' if train else 't10k'
    _write_idx(os.path.join(root, prefix + '-images-idx3-ubyte.gz'), 2051, images)
    _write_idx(os.path.join(root, prefix + '-labels-idx1-ubyte.gz'), 2049, labels)


def case_mnist_and_fashion_mnist_from_files(mx):
    vision = mx.gluon.data.vision
    out = {}
    with _tempdir() as d, _accept_any_sha1(mx):
        _mnist_files(d, True, 5, seed=1)
        _mnist_files(d, False, 3, seed=2)
        for cls in (vision.MNIST, vision.FashionMNIST):
            train, test = cls(root=d), cls(root=d, train=False)
            img, label = train[4]
            out[cls.__name__] = {
                'len': [len(train), len(test)], 'img': img, 'label': [_kind(label), label],
                'test_labels': [int(test[i][1]) for i in range(3)],
                'test_sum': int(sum(int(test[i][0].sum().asscalar()) for i in range(3)))}
        t = vision.MNIST(root=d, transform=lambda x, y: (x.astype('float32') / 255, y + 1))
        out['transform'] = [t[0][0].dtype.__name__, t[0][0].shape, int(t[0][1])]
    return out


def _cifar_records(n, label_bytes, seed):
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 100, (n, label_bytes)).astype(np.uint8)
    pixels = rng.randint(0, 256, (n, 3072)).astype(np.uint8)
    return np.concatenate([labels, pixels], axis=1), pixels.reshape(n, 3, 32, 32)


def case_cifar10_and_cifar100_from_files(mx):
    vision = mx.gluon.data.vision
    out = {}
    with _tempdir() as d, _accept_any_sha1(mx):
        expected = []
        for i in range(1, 6):
            rec, pix = _cifar_records(2, 1, seed=i)
            rec[:, 0] %= 10
            rec.tofile(os.path.join(d, 'data_batch_%d.bin' % i))
            expected.append(pix)
        _cifar_records(3, 1, seed=9)[0].tofile(os.path.join(d, 'test_batch.bin'))
        train = vision.CIFAR10(root=d)
        test = vision.CIFAR10(root=d, train=False)
        img, label = train[9]
        out['cifar10'] = {'len': [len(train), len(test)], 'img_kind': _kind(img),
                          'shape': img.shape, 'label': [_kind(label), label],
                          'hwc_layout': bool((img.asnumpy() ==
                                              expected[4][1].transpose(1, 2, 0)).all()),
                          'labels': [int(train[i][1]) for i in range(10)],
                          'test_labels': [int(test[i][1]) for i in range(3)]}
    with _tempdir() as d, _accept_any_sha1(mx):
        _cifar_records(4, 2, seed=11)[0].tofile(os.path.join(d, 'train.bin'))
        _cifar_records(2, 2, seed=12)[0].tofile(os.path.join(d, 'test.bin'))
        coarse = vision.CIFAR100(root=d)
        fine = vision.CIFAR100(root=d, fine_label=True)
        test = vision.CIFAR100(root=d, train=False, fine_label=True)
        out['cifar100'] = {'coarse': [int(coarse[i][1]) for i in range(4)],
                           'fine': [int(fine[i][1]) for i in range(4)],
                           'test': [int(test[i][1]) for i in range(2)],
                           'img': fine[3][0], 'label_kind': _kind(fine[0][1])}
    return out


def _png(rgb):
    """An 8-bit RGB PNG file's bytes (no encoder library in the reference's environment)."""
    def chunk(kind, body):
        return (struct.pack('>I', len(body)) + kind + body +
                struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff))
    h, w, _ = rgb.shape
    rows = b''.join(b'\x00' + rgb[y].tobytes() for y in range(h))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


# a 16x16 RGB JPEG (quality 90) of smooth gradients, made once with Pillow
_JPEG = base64.b64decode(
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4R'
    'DgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU'
    'FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAQABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAA'
    'AAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAk'
    'M2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKT'
    'lJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QA'
    'HwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdh'
    'cRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hp'
    'anN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk'
    '5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDlfCet8p81e0+E9b4T5q+VvCet8p81e0+E9b4T5qOG+G/h90K3'
    'g9/06/A//9k=')


def _write_images(root, rng):
    os.makedirs(os.path.join(root, 'cat'))
    os.makedirs(os.path.join(root, 'ant'))
    images = {}
    for folder, name, size in (('cat', 'b.png', (5, 4)), ('cat', 'a.png', (3, 6)),
                               ('ant', 'z.png', (4, 4))):
        arr = rng.randint(0, 256, (size[1], size[0], 3)).astype(np.uint8)
        with open(os.path.join(root, folder, name), 'wb') as f:
            f.write(_png(arr))
        images[folder + '/' + name] = arr
    with open(os.path.join(root, 'ant', 'photo.jpg'), 'wb') as f:
        f.write(_JPEG)
    with open(os.path.join(root, 'ant', 'notes.txt'), 'w') as f:
        f.write('not an image')
    return images


def case_image_folder_dataset(mx):
    import warnings
    with _tempdir() as d:
        images = _write_images(d, np.random.RandomState(3))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            ds = mx.gluon.data.vision.ImageFolderDataset(d)
            gray = mx.gluon.data.vision.ImageFolderDataset(d, flag=0)
        items = [[os.path.relpath(p, d), label] for p, label in ds.items]
        out = {'synsets': ds.synsets, 'items': items, 'len': len(ds)}
        pngs = {}
        for i, (rel, _) in enumerate(items):
            img, label = ds[i]
            if rel.endswith('.png'):
                pngs[rel] = [_kind(img), _kind(label), bool((img.asnumpy() ==
                                                              images[rel]).all())]
            else:   # JPEG decoders may differ by a level or two
                out['jpeg'] = [_kind(img), stat(img.asnumpy().astype('float32'), atol=2)]
        out['png'] = pngs
        out['gray'] = [gray[1][0].shape, _kind(gray[1][0])]
        t = mx.gluon.data.vision.ImageFolderDataset(
            d, transform=lambda x, y: (x.shape, y * 10))
        out['transform'] = [t[i] for i in range(len(t))]
    return out


def case_dataset_missing_files_offline(mx):
    # no network here: MXNet's download fails with requests' ConnectionError
    def error_class(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            return [type(e).__name__, isinstance(e, OSError)]
        return None

    with _tempdir() as d:
        return {'mnist': error_class(lambda: mx.gluon.data.vision.MNIST(root=d)),
                'download': error_class(lambda: mx.gluon.utils.download(
                    'http://example.invalid/x.bin', path=d, retries=1)),
                'image_folder': error_class(lambda: mx.gluon.data.vision.ImageFolderDataset(
                    os.path.join(d, 'missing')))}


# ----------------------------------------------------------------------------- transforms

def _image(mx, h=6, w=8, seed=0, dtype='uint8'):
    return mx.nd.array(np.random.RandomState(seed).randint(0, 256, (h, w, 3)), dtype=dtype)


def case_to_tensor_normalize_cast_compose(mx):
    T = mx.gluon.data.vision.transforms
    img = _image(mx)
    tensor = T.ToTensor()(img)
    pipeline = T.Compose([T.Cast('float32'), T.ToTensor(),
                          T.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3))])
    return {'tensor': tensor, 'batch': T.ToTensor()(mx.nd.stack(img, img)).shape,
            'from_float': T.ToTensor()(img.astype('float32')),
            'normalize_scalar': T.Normalize(0.5, 0.25)(tensor),
            'normalize_batch': T.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3))(
                mx.nd.stack(tensor, tensor * 0.5)),
            'compose': pipeline(img), 'cast': [T.Cast('float16')(img), _kind(T.Cast()(img))],
            'compose_len': len(pipeline), 'normalize_hwc_error': raises(
                lambda: T.Normalize((1, 2, 3), (1, 1, 1))(img.astype('float32')))}


def case_resize_and_center_crop(mx):
    # bilinear uint8 results may round differently from OpenCV by one level
    T = mx.gluon.data.vision.transforms
    img = _image(mx, 6, 8)
    smooth = mx.nd.array(np.add.outer(np.arange(6) * 20, np.arange(8) * 10)[..., None]
                         .repeat(3, axis=2), dtype='uint8')
    out = {}
    for name, t in (('square', T.Resize(4)), ('wh', T.Resize((5, 3))),
                    ('keep_ratio', T.Resize(4, keep_ratio=True)),
                    ('keep_ratio_up', T.Resize(12, keep_ratio=True)),
                    ('nearest', T.Resize((4, 3), interpolation=0))):
        r = t(img)
        out[name] = [r.shape, _kind(r)]
    out['smooth_up'] = stat(T.Resize((16, 12))(smooth).asnumpy().astype('float32'), atol=1)
    out['smooth_down'] = stat(T.Resize((4, 3))(smooth).asnumpy().astype('float32'), atol=1)
    out['float_down'] = stat(T.Resize((4, 3))(smooth.astype('float32')), atol=1e-3)
    out['identity'] = T.Resize((8, 6))(img)
    out['center'] = T.CenterCrop(4)(img)
    out['center_wh'] = T.CenterCrop((5, 3))(img)
    big = T.CenterCrop((10, 4))(smooth)
    out['center_upscale'] = [big.shape, stat(big.asnumpy().astype('float32'), atol=1)]
    return out



def case_resize_interpolations(mx):
    # OpenCV's modes 0-4; uint8 may round differently by one level.  Resize passes the
    # mode to OpenCV as is (9 fails there), the crops resolve 9 (auto) like mx.image
    T = mx.gluon.data.vision.transforms
    img = _image(mx, 6, 8, seed=4)
    out = {}
    for interp in range(5):
        for size in ((5, 4), (3, 2), (11, 9), (4, 12)):
            key = 'interp%d_%dx%d' % ((interp,) + size)
            r = T.Resize(size, interpolation=interp)(img)
            f = T.Resize(size, interpolation=interp)(img.astype('float32'))
            out[key] = [_kind(r), stat(r.asnumpy().astype('float32'), atol=1),
                        stat(f, atol=1e-3)]
    out['nearest_exact'] = T.Resize((5, 3), interpolation=0)(img)
    out['crop_auto_up'] = stat(T.CenterCrop((12, 10), interpolation=9)(img).asnumpy()
                               .astype('float32'), atol=1)
    out['crop_area'] = stat(T.CenterCrop(4, interpolation=3)(img).asnumpy()
                            .astype('float32'), atol=1)
    out['resize_9'] = raises(lambda: T.Resize(4, interpolation=9)(img))
    out['crop_bad'] = raises(lambda: T.CenterCrop(12, interpolation=7)(img))
    return out

def case_random_resized_crop_and_flips(mx):
    T = mx.gluon.data.vision.transforms
    img = _image(mx, 10, 12)
    crops = [T.RandomResizedCrop((6, 4))(img) for _ in range(5)]
    full = T.RandomResizedCrop(5, scale=(1.0, 1.0), ratio=(1.2, 1.2))(img)
    flips = {}
    for name, t, axis in (('lr', T.RandomFlipLeftRight(), 1), ('tb', T.RandomFlipTopBottom(), 0)):
        outs = [t(img) for _ in range(40)]
        same = [bool((o == img).asnumpy().all()) for o in outs]
        flipped = [bool((o == img.flip(axis=axis)).asnumpy().all()) for o in outs]
        flips[name] = {'each_is_either': all(a or b for a, b in zip(same, flipped)),
                       'flip_rate': stat(sum(flipped) / 40.0, atol=0.3),
                       'dtype': _kind(outs[0]), 'shape': outs[0].shape}
    return {'crop_shapes': [c.shape for c in crops], 'crop_kind': _kind(crops[0]),
            'crop_bounds': [bool(c.min().asscalar() >= 0) for c in crops],
            'full_shape': full.shape, 'flips': flips}


def _factor_stats(values, lo, hi):
    values = np.asarray(values)
    return {'in_range': bool(((values >= lo - 1e-4) & (values <= hi + 1e-4)).all()),
            'mean': stat(float(values.mean()), atol=0.15)}


def case_random_color_transforms(mx):
    T = mx.gluon.data.vision.transforms
    img = _image(mx, 4, 5, dtype='float32') / 255
    gray = (img * mx.nd.array([0.299, 0.587, 0.114])).sum(axis=2).mean().asscalar()
    # (RandomColorJitter() with all amounts 0 returns uninitialised memory in MXNet 1.9.1)
    out = {'identity': [T.RandomBrightness(0)(img), T.RandomContrast(0)(img),
                        T.RandomSaturation(0)(img)]}
    bright, contrast = [], []
    for _ in range(30):
        b = T.RandomBrightness(0.4)(img)
        bright.append((b / img).asnumpy().mean())
        c = T.RandomContrast(0.4)(img)
        # c = img * f + gray * (1 - f)  =>  f = (c - gray) / (img - gray)
        contrast.append(float(((c - gray)[0, 0, 0] / (img - gray)[0, 0, 0]).asscalar()))
    out['brightness'] = _factor_stats(bright, 0.6, 1.4)
    out['contrast'] = _factor_stats(contrast, 0.6, 1.4)
    u8 = _image(mx)
    for name, t in (('saturation', T.RandomSaturation(0.5)), ('hue', T.RandomHue(0.2)),
                    ('jitter', T.RandomColorJitter(0.3, 0.3, 0.3, 0.1)),
                    ('lighting', T.RandomLighting(0.1))):
        r, r8 = t(img), t(u8)
        out[name] = {'float': [r.shape, _kind(r)], 'uint8': [r8.shape, _kind(r8)],
                     'uint8_bounds': [int(r8.min().asscalar()) >= 0,
                                      int(r8.max().asscalar()) <= 255]}
    light = [(T.RandomLighting(0.1)(img) - img).asnumpy() for _ in range(20)]
    # PCA noise adds the same RGB offset to every pixel
    out['lighting_uniform'] = all(np.allclose(d, d[0, 0], atol=1e-5) for d in light)
    out['lighting_offset_std'] = stat(float(np.std([d[0, 0] for d in light])), rtol=0.5)
    out['lighting_zero'] = T.RandomLighting(0)(img)
    out['hue'] = _hue_shift_stats(mx, img)
    return out


def _hue_shift_stats(mx, img):
    """RandomHue(0.3) turns every pixel's hue by the same draw in [-0.3, 0.3] turns,
    keeping each pixel's max and min channel."""
    import colorsys

    def hues(a):
        return np.array([colorsys.rgb_to_hsv(*p)[0] for p in a.reshape(-1, 3)])

    src = img.asnumpy()
    shifts, spreads, extremes = [], [], []
    for _ in range(60):
        r = mx.gluon.data.vision.transforms.RandomHue(0.3)(img).asnumpy()
        d = (hues(r) - hues(src) + 0.5) % 1 - 0.5
        shifts.append(float(np.median(d)))
        spreads.append(float(np.abs(d - np.median(d)).max()))
        extremes.append(float(max(np.abs(r.max(-1) - src.max(-1)).max(),
                                  np.abs(r.min(-1) - src.min(-1)).max())))
    return {'same_shift_everywhere': max(spreads) < 1e-3, 'keeps_max_min': max(extremes) < 1e-5,
            'in_range': bool(max(np.abs(shifts)) <= 0.3 + 1e-4),
            'mean_abs_shift': stat(float(np.mean(np.abs(shifts))), atol=0.05)}


# ----------------------------------------------------------------------------- gluon.utils

def case_split_and_load_and_split_data(mx):
    utils = mx.gluon.utils
    x = mx.nd.arange(24).reshape((6, 4))
    ctxs = [mx.cpu(0), mx.cpu(1)]
    loaded = utils.split_and_load(x, ctxs)
    uneven = utils.split_and_load(np.arange(10).reshape(5, 2), ctxs + [mx.cpu(2)],
                                  even_split=False)
    return {'loaded': loaded, 'ctx': [str(a.context) for a in loaded],
            'numpy_input': [[a.shape, _kind(a), str(a.context)] for a in uneven],
            'numpy_values': uneven,
            'axis1': utils.split_and_load(x, ctxs, batch_axis=1),
            'one_ctx': utils.split_and_load(x, [mx.cpu(1)]),
            'uneven_error': raises(lambda: utils.split_and_load(x, [mx.cpu(0)] * 4)),
            'split_data': utils.split_data(x, 3),
            'split_uneven': utils.split_data(x, 4, even_split=False),
            'split_axis1_uneven': utils.split_data(x, 3, batch_axis=1, even_split=False),
            'split_one': utils.split_data(x, 1),
            'split_error': raises(lambda: utils.split_data(x, 5)),
            'too_many_slices': raises(lambda: utils.split_data(x, 7, even_split=False))}


def case_check_sha1_and_download_cached(mx):
    import hashlib
    utils = mx.gluon.utils
    with _tempdir() as d:
        path = os.path.join(d, 'file.bin')
        with open(path, 'wb') as f:
            f.write(b'mxnet-compat' * 100)
        digest = hashlib.sha1(b'mxnet-compat' * 100).hexdigest()
        # an existing file with the right sha1 is not downloaded again
        cached = utils.download('http://example.invalid/file.bin', path=d, sha1_hash=digest)
        named = utils.download('http://example.invalid/other.bin', path=path)
        return {'match': utils.check_sha1(path, digest),
                'mismatch': utils.check_sha1(path, '0' * 40),
                'cached': os.path.relpath(cached, d), 'named': os.path.relpath(named, d),
                'negative_retries': raises(lambda: utils.download(
                    'http://example.invalid/x.bin', path=d, retries=-1))}


# ----------------------------------------------------------------------------- mx.metric

def _probs(mx, n, k, seed):
    p = np.random.RandomState(seed).uniform(0.05, 1, (n, k))
    return mx.nd.array(p / p.sum(axis=1, keepdims=True))


def _metric_state(m):
    return {'get': m.get(), 'name_value': m.get_name_value(), 'global': m.get_global(),
            'num_inst': m.num_inst, 'str': str(m)}


def case_metric_accuracy_and_top_k(mx):
    pred = _probs(mx, 6, 4, seed=1)
    label = mx.nd.array([0, 1, 2, 3, 1, 2])
    acc = mx.metric.Accuracy()
    acc.update([label], [pred])
    first = _metric_state(acc)
    acc.update(label, pred.argmax(axis=1))   # class indices, and NDArrays without lists
    second = _metric_state(acc)
    acc.reset_local()
    after_local = [acc.get(), acc.get_global()]
    acc.reset()
    axis0 = mx.metric.Accuracy(axis=0)
    axis0.update([mx.nd.array([0, 2, 1])], [_probs(mx, 4, 3, seed=2)])
    top = {1: raises(lambda: mx.metric.TopKAccuracy(top_k=1))}
    for k in (2, 3):
        m = mx.metric.TopKAccuracy(top_k=k)
        m.update([label], [pred])
        top[k] = [m.get(), m.name]
    return {'first': first, 'second': second, 'after_local': after_local,
            'after_reset': acc.get(), 'axis0': axis0.get(), 'top_k': [top[k] for k in (1, 2, 3)],
            'shape_error': raises(lambda: mx.metric.Accuracy().update(
                [mx.nd.array([0, 1])], [pred]))}


def case_metric_f1_and_regression(mx):
    label = mx.nd.array([0, 1, 1, 0, 1, 1, 0])
    pred = mx.nd.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7], [0.1, 0.9],
                        [0.45, 0.55], [0.9, 0.1]])
    out = {}
    for average in ('macro', 'micro'):
        f1 = mx.metric.F1(average=average)
        f1.update([label], [pred])
        f1.update([label[:3]], [pred[:3]])
        out['f1_' + average] = [f1.get(), f1.get_global()]
    y = mx.nd.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]])
    p = mx.nd.array([[1.5, 1.0], [2.0, -2.0], [0.0, 1.0]])
    for cls in (mx.metric.MAE, mx.metric.MSE, mx.metric.RMSE):
        m = cls()
        m.update([y], [p])
        step1 = m.get()
        m.update([y[0]], [p[0]])   # a 1-D label and prediction
        out[m.name] = [step1, m.get(), m.num_inst]
    return out


def case_metric_cross_entropy_perplexity_loss(mx):
    pred = _probs(mx, 5, 3, seed=3)
    label = mx.nd.array([0, 2, 1, 1, 2])
    ce = mx.metric.CrossEntropy()
    ce.update([label], [pred])
    nll = mx.metric.NegativeLogLikelihood()
    nll.update([label], [pred])
    out = {'ce': [ce.get(), ce.num_inst], 'nll': nll.get()}
    for ignore in (None, 1):
        ppl = mx.metric.Perplexity(ignore_label=ignore)
        ppl.update([label], [pred])
        ppl.update([label[:2]], [pred[:2]])
        out['ppl_%s' % ignore] = [ppl.get(), ppl.num_inst]   # num_inst: float64 if ignoring
    loss = mx.metric.Loss()
    loss.update(None, [mx.nd.array([1.0, 2.0, 3.0]), mx.nd.array([[4.0], [5.0]])])
    loss.update(None, mx.nd.array([0.5]))
    out['loss'] = [loss.get(), loss.num_inst, loss.name]
    return out


def case_metric_custom_create_composite(mx):
    def mean_abs(label, pred):
        return np.abs(label - pred).mean()

    def with_count(label, pred):
        return float(np.abs(label - pred).sum()), label.size

    label, pred = mx.nd.array([1.0, 2.0, 3.0]), mx.nd.array([1.5, 2.0, 2.0])
    custom = mx.metric.CustomMetric(mean_abs)
    custom.update([label], [pred])
    counted = mx.metric.CustomMetric(with_count, name='counted')
    counted.update([label, label], [pred, pred])
    wrapped = mx.metric.np(mean_abs)
    wrapped.update([label], [pred])
    composite = mx.metric.create(['acc', 'mse', mean_abs])
    composite.update([mx.nd.array([0, 1])], [mx.nd.array([[0.9, 0.1], [0.8, 0.2]])])
    created = {'acc': mx.metric.create('acc'), 'top_k': mx.metric.create('top_k_accuracy',
                                                                         top_k=2),
               'ce': mx.metric.create('ce'), 'rmse': mx.metric.create('rmse'),
               'f1': mx.metric.create('f1'), 'callable': mx.metric.create(mean_abs)}
    manual = mx.metric.CompositeEvalMetric()
    manual.add(mx.metric.MAE())
    manual.add(mx.metric.Accuracy())
    manual.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.6, 0.4]])])
    return {'custom': [custom.get(), custom.name, custom.num_inst],
            'counted': [counted.get(), counted.num_inst], 'np': [wrapped.get(), wrapped.name],
            'composite': [composite.get(), composite.get_name_value(), len(composite.metrics)],
            'created': {k: [type(m).__name__, m.name] for k, m in created.items()},
            'manual': [manual.get(), type(manual.get_metric(1)).__name__],
            # get_metric returns (does not raise) a ValueError for a bad index
            'manual_index_error': type(raises(lambda: manual.get_metric(5))).__name__,
            'unknown': raises(lambda: mx.metric.create('no-such-metric')),
            'bad_type': raises(lambda: mx.metric.create(3))}


# ----------------------------------------------------------------------------- mx.io

def _epoch(it):
    """Each batch of an iterator as (data, label, pad, index) for one epoch."""
    return [[b.data, b.label, b.pad, None if b.index is None else list(map(int, b.index))]
            for b in it]


def case_ndarray_iter_last_batch_handles(mx):
    data = np.arange(14, dtype='float32').reshape(7, 2)
    label = np.arange(7, dtype='float32')
    out = {}
    for handle in ('pad', 'discard', 'roll_over'):
        it = mx.io.NDArrayIter(data, label, batch_size=3, last_batch_handle=handle)
        first = _epoch(it)
        it.reset()
        second = _epoch(it)
        out[handle] = {'first': first, 'second': second, 'num_data': it.num_data,
                       'batch_size': it.batch_size}
    it = mx.io.NDArrayIter(data, label, batch_size=3)
    it.next(), it.next()
    third = it.next()
    out['getpad'] = [it.getpad(), third.pad, it.getindex()]
    out['iter_next'] = [it.iter_next(), raises(lambda: it.next())]
    return out


def case_ndarray_iter_inputs_and_descs(mx):
    x = mx.nd.arange(12).reshape((6, 2))
    it = mx.io.NDArrayIter({'b_img': x, 'a_aux': np.ones((6, 3), dtype='int32')},
                           {'softmax_label': np.arange(6)}, batch_size=4)
    lists = mx.io.NDArrayIter([x, x * 2], batch_size=2, label_name='lbl')
    nolabel = mx.io.NDArrayIter(x, batch_size=6)
    descs = [[d.name, d.shape, np.dtype(d.dtype).name, d.layout] for d in it.provide_data]
    batch = next(iter(it))
    shuffled = mx.io.NDArrayIter(x, mx.nd.arange(6), batch_size=6, shuffle=True)
    sb = shuffled.next()
    return {'provide_data': descs,
            'provide_label': [[d.name, d.shape] for d in it.provide_label],
            'batch': [batch.data, batch.label],
            'list_names': [d.name for d in lists.provide_data], 'list_label': lists.provide_label,
            'list_batches': [b.data for b in lists],
            'nolabel': [nolabel.provide_label, next(iter(nolabel)).label],
            'shuffle_rows_match': bool((sb.data[0][:, 0].asnumpy() ==
                                        2 * sb.label[0].asnumpy()).all()),
            'shuffle_sorted': sorted(sb.label[0].asnumpy().tolist()),
            # an unknown last_batch_handle is accepted, and drops the incomplete batch
            'bad_handle': _shapes_and_pads(mx.io.NDArrayIter(x, batch_size=4,
                                                             last_batch_handle='x')),
            'batch_over_size': [_shapes_and_pads(mx.io.NDArrayIter(
                x, batch_size=8, last_batch_handle=h)) for h in ('pad', 'discard', 'roll_over')]}


def _shapes_and_pads(it):
    return [[b.data[0].shape, b.pad] for b in it]


def case_data_batch_and_desc(mx):
    data = [mx.nd.ones((2, 3))]
    batch = mx.io.DataBatch(data, [mx.nd.zeros((2,))], pad=1, index=np.array([4, 5]),
                            provide_data=[mx.io.DataDesc('data', (2, 3))])
    bare = mx.io.DataBatch(data)
    desc = mx.io.DataDesc('x', (4, 5), dtype='float16', layout='NTC')
    return {'fields': [batch.pad, batch.index.tolist(), batch.bucket_key,
                       [d.name for d in batch.provide_data], batch.provide_label],
            'str': str(batch), 'bare': [bare.label, bare.pad, bare.index, str(bare)],
            'desc': [repr(desc), desc.name, desc.shape, np.dtype(desc.dtype).name, desc.layout,
                     list(desc), mx.io.DataDesc.get_batch_axis('NTC'),
                     mx.io.DataDesc.get_batch_axis(None)],
            'get_list': [[d.name, d.shape, np.dtype(d.dtype).name] for d in mx.io.DataDesc.get_list(
                [('a', (1, 2)), ('b', (3,))], [('a', np.int32), ('b', np.float64)])],
            'bad_data': raises(lambda: mx.io.DataBatch(mx.nd.ones(2)))}


# ----------------------------------------------------------------------------- more I/O

def case_recordio_files_and_headers(mx):
    rio = mx.recordio
    magic = struct.pack('<I', 0xced7230a)
    records = [b'abc', magic + b'tail', b'12345678' + magic, b'']
    with _tempdir() as d:
        path = os.path.join(d, 'seq.rec')
        writer = rio.MXRecordIO(path, 'w')
        for r in records:
            writer.write(r)
        writer.close()
        with open(path, 'rb') as f:
            raw = f.read()
        reader = rio.MXRecordIO(path, 'r')
        first_pass = [reader.read() for _ in range(len(records) + 1)]
        reader.reset()
        again = reader.read()
        reader.close()
        idx_path = os.path.join(d, 'i.idx')
        indexed = rio.MXIndexedRecordIO(idx_path, os.path.join(d, 'i.rec'), 'w')
        tells = []
        for key in (5, 1, 3):
            indexed.write_idx(key, b'rec%d' % key)
            tells.append(indexed.tell())
        indexed.close()
        indexed = rio.MXIndexedRecordIO(idx_path, os.path.join(d, 'i.rec'), 'r')
        indexed.seek(3)
        by_seek = indexed.read()
        out = {'tells': tells, 'raw': _bytes(raw),
               'read': [None if r is None else _bytes(r) for r in first_pass],
               'after_reset': _bytes(again), 'keys': list(indexed.keys),
               'read_idx': _bytes(indexed.read_idx(1)), 'seek_read': _bytes(by_seek)}
        indexed.close()
    multi = rio.pack(rio.IRHeader(0, [1.5, 2.5, 3.0], 9, 4), b'img')
    header, body = rio.unpack(multi)
    single = rio.unpack(rio.pack(rio.IRHeader(0, 7, 1, 0), b''))
    out.update({'multi': [_bytes(multi), header.flag, np.asarray(header.label), header.id,
                          header.id2, _bytes(body)],
                'single': [single[0].flag, float(single[0].label), _bytes(single[1])]})
    return out


def case_image_record_dataset(mx):
    rio = mx.recordio
    rng = np.random.RandomState(5)
    images = [rng.randint(0, 256, (3, 4, 3)).astype(np.uint8) for _ in range(3)]
    with _tempdir() as d:
        rec, idx = os.path.join(d, 'img.rec'), os.path.join(d, 'img.idx')
        writer = rio.MXIndexedRecordIO(idx, rec, 'w')
        for i, img in enumerate(images):
            label = [i, 10.0 * i] if i == 2 else float(i) + 0.5
            writer.write_idx(i, rio.pack(rio.IRHeader(0, label, i, 0), _png(img)))
        writer.close()
        ds = mx.gluon.data.vision.ImageRecordDataset(rec)
        gray = mx.gluon.data.vision.ImageRecordDataset(rec, flag=0)
        t = mx.gluon.data.vision.ImageRecordDataset(
            rec, transform=lambda x, y: (x.astype('float32').mean(), y))
        items = [ds[i] for i in range(len(ds))]
        return {'len': len(ds), 'same_pixels': [bool((img.asnumpy() == images[i]).all())
                                                for i, (img, _) in enumerate(items)],
                'kinds': [[_kind(img), _kind(label)] for img, label in items],
                'labels': [label for _, label in items],
                'gray': [gray[0][0].shape, _kind(gray[0][0]),
                         stat(gray[0][0].asnumpy().astype('float32'), atol=1)],
                'transform': [t[1][0], t[1][1]]}


def case_dataloader_vision_pipeline(mx):
    T = mx.gluon.data.vision.transforms
    rng = np.random.RandomState(6)
    images = mx.nd.array(rng.randint(0, 256, (5, 4, 4, 3)), dtype='uint8')
    labels = np.arange(5, dtype='int32')
    ds = mx.gluon.data.ArrayDataset(images, labels).transform_first(
        T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.25, 0.5, 1.0))]))
    loader = mx.gluon.data.DataLoader(ds, batch_size=2, last_batch='discard')
    batches = [[x, y] for x, y in loader]
    resized = mx.gluon.data.ArrayDataset(images, labels).transform_first(
        T.Compose([T.Resize(2), T.CenterCrop(2), T.ToTensor()]))
    shapes = [[x.shape, _kind(x), _kind(y)] for x, y in
              mx.gluon.data.DataLoader(resized, batch_size=3)]
    return {'batches': batches, 'len': len(loader), 'resized_shapes': shapes}


def case_metric_update_dict_and_config(mx):
    acc = mx.metric.Accuracy(output_names=['out1'], label_names=['lab1'])
    acc.update_dict({'lab1': mx.nd.array([1, 0]), 'lab2': mx.nd.array([0, 0])},
                    {'out0': mx.nd.array([[0.9, 0.1], [0.9, 0.1]]),
                     'out1': mx.nd.array([[0.1, 0.9], [0.9, 0.1]])})
    plain = mx.metric.MAE()
    plain.update_dict({'a': mx.nd.array([1.0])}, {'b': mx.nd.array([3.0])})
    label = mx.nd.array([0, 1, 1, 0, 1, 0])
    pred = mx.nd.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.4, 0.6], [0.2, 0.8],
                        [0.7, 0.3]])
    mcc = mx.metric.MCC()
    mcc.update([label], [pred])
    pcc = mx.metric.PearsonCorrelation()
    pcc.update([mx.nd.array([1.0, 2.0, 3.0, 5.0])], [mx.nd.array([1.5, 1.8, 3.5, 4.0])])
    config = mx.metric.Accuracy(axis=0, name='a0').get_config()
    return {'update_dict': acc.get(), 'plain_dict': plain.get(), 'mcc': mcc.get(),
            'pcc': pcc.get(), 'config': sorted(config.items()),
            'top_k_config': sorted(mx.metric.TopKAccuracy(top_k=3).get_config().items())}


def case_ndarray_iter_roll_over_and_hard_reset(mx):
    data = np.arange(10, dtype='float32').reshape(5, 2)
    it = mx.io.NDArrayIter(data, np.arange(5), batch_size=2, last_batch_handle='roll_over')
    epochs = []
    for _ in range(3):
        epochs.append([[b.data[0], b.label[0], b.pad] for b in it])
        it.reset()
    hard = mx.io.NDArrayIter(data, batch_size=2, last_batch_handle='roll_over')
    list(hard)
    hard.hard_reset()
    shuffled = mx.io.NDArrayIter(data, np.arange(5), batch_size=2, shuffle=True,
                                 last_batch_handle='pad')
    seen = [[b.data[0].shape, b.pad] for b in shuffled]
    return {'epochs': epochs, 'after_hard_reset': [b.data[0] for b in hard],
            'shuffled': seen, 'cursor_after': shuffled.cursor}

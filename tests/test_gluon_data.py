"""``mx.recordio`` and ``gluon.data``: RecordIO files byte-compatible with MXNet 1.9.1,
RecordFileDataset, the vision datasets and transforms, and DataLoader worker processes.

Fixtures under ``tests/fixtures/gluon/`` come from real MXNet
(``tests/goldens/record_gluon_data.py``)."""
import os
import pickle
import random
import subprocess
import sys
import warnings

import numpy as np
import pytest

import mxnet as mx
from golden_support import load_recorder
from mxnet import recordio
from mxnet.gluon import data as gdata
from mxnet.gluon.data.vision import transforms as T

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures', 'gluon')
ORACLE = '/root/.cache/mxnet-oracle/bin/python'

scenario = load_recorder('record_gluon_data')
RECORDS = scenario.records(recordio.pack)


def _fixture(name):
    return os.path.join(FIXTURES, name)


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


# ----------------------------------------------------------------------------- recordio

def test_read_reference_file_sequentially():
    r = recordio.MXRecordIO(_fixture('ref_plain.rec'), 'r')
    got = [r.read() for _ in RECORDS]
    assert got == RECORDS
    assert r.read() is None
    r.reset()
    assert r.read() == RECORDS[0]
    r.close()
    assert not r.is_open


def test_read_reference_file_by_index():
    r = recordio.MXIndexedRecordIO(_fixture('ref.idx'), _fixture('ref.rec'), 'r')
    assert r.keys == list(range(len(RECORDS)))
    for i in reversed(range(len(RECORDS))):
        assert r.read_idx(i) == RECORDS[i]
    r.seek(3)
    assert r.read() == RECORDS[3] and r.read() == RECORDS[4]
    r.close()


def test_written_files_are_byte_identical(tmp_path):
    w = recordio.MXIndexedRecordIO(str(tmp_path / 'a.idx'), str(tmp_path / 'a.rec'), 'w')
    for i, rec in enumerate(RECORDS):
        w.write_idx(i, rec)
    w.close()
    p = recordio.MXRecordIO(str(tmp_path / 'b.rec'), 'w')
    for rec in RECORDS:
        p.write(rec)
    assert p.tell() == os.path.getsize(_fixture('ref_plain.rec'))
    p.close()
    assert _read(tmp_path / 'a.rec') == _read(_fixture('ref.rec'))
    assert _read(tmp_path / 'a.idx') == _read(_fixture('ref.idx'))
    assert _read(tmp_path / 'b.rec') == _read(_fixture('ref_plain.rec'))


_ORACLE_READ = r'''
import sys, importlib.util
import mxnet as mx
spec = importlib.util.spec_from_file_location('s', sys.argv[1])
s = importlib.util.module_from_spec(spec); spec.loader.exec_module(s)
recs = s.records(mx.recordio.pack)
r = mx.recordio.MXIndexedRecordIO(sys.argv[2] + '.idx', sys.argv[2] + '.rec', 'r')
assert [r.read_idx(k) for k in r.keys] == recs[::-1]
h, payload = mx.recordio.unpack(r.read_idx(1))
print('ok', list(h.label), payload)
'''


@pytest.mark.skipif(not os.path.exists(ORACLE), reason='reference MXNet not installed')
def test_reference_reads_our_file(tmp_path):
    w = recordio.MXIndexedRecordIO(str(tmp_path / 'o.idx'), str(tmp_path / 'o.rec'), 'w')
    for i, rec in enumerate(RECORDS[::-1]):   # reversed, so that the file is not the fixture
        w.write_idx(i, rec)
    w.close()
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'XLA_FLAGS')}
    out = subprocess.run([ORACLE, '-c', _ORACLE_READ,
                          os.path.join(HERE, 'goldens', 'record_gluon_data.py'),
                          str(tmp_path / 'o')], cwd=str(tmp_path), env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "ok [1.0, 2.5, -3.0] b'with array label'" in out.stdout


def test_pack_unpack():
    header, payload = recordio.unpack(RECORDS[-3])
    assert (header.flag, header.label, header.id, header.id2) == (0, 3.5, 7, 0)
    assert payload == b'payload'
    header, payload = recordio.unpack(RECORDS[-2])
    assert header.flag == 3 and header.label.dtype == np.float32
    np.testing.assert_array_equal(header.label, [1.0, 2.5, -3.0])
    assert (header.id, header.id2, payload) == (8, 9, b'with array label')
    header, payload = recordio.unpack(RECORDS[-1])
    assert (header.id, header.id2) == (2 ** 40, 2 ** 63)
    assert isinstance(recordio.IRHeader(0, 1.0, 2, 3), tuple)


def test_modes_and_errors(tmp_path):
    path = str(tmp_path / 'x.rec')
    w = recordio.MXRecordIO(path, 'w')
    with pytest.raises(AssertionError):
        w.read()
    w.write(b'abc')
    w.close()
    r = recordio.MXRecordIO(path, 'r')
    with pytest.raises(AssertionError):
        r.write(b'x')
    with pytest.raises(ValueError):
        recordio.MXRecordIO(path, 'a')
    with open(path, 'r+b') as f:
        f.write(b'\0')
    with pytest.raises(ValueError, match='Invalid RecordIO'):
        recordio.MXRecordIO(path, 'r').read()


def test_pickled_reader_reopens():
    r = recordio.MXIndexedRecordIO(_fixture('ref.idx'), _fixture('ref.rec'), 'r')
    r.read_idx(5)
    copy = pickle.loads(pickle.dumps(r))
    assert copy.is_open and copy.read_idx(6) == RECORDS[6]
    assert r.read_idx(7) == RECORDS[7]   # pickling reopened the original too


def test_record_file_dataset():
    ds = gdata.RecordFileDataset(_fixture('ref.rec'))
    assert len(ds) == len(RECORDS)
    assert [ds[i] for i in range(len(ds))] == RECORDS


def _image_bgr():
    return np.random.RandomState(0).randint(0, 256, (6, 7, 3)).astype(np.uint8)


def test_pack_img_png_round_trip_keeps_bgr():
    pytest.importorskip('PIL')
    img = _image_bgr()
    s = recordio.pack_img(recordio.IRHeader(0, 2.0, 1, 0), img, quality=3, img_fmt='.png')
    header, out = recordio.unpack_img(s, 1)
    assert header.label == 2.0
    np.testing.assert_array_equal(out, img)
    gray = recordio.unpack_img(s, 0)[1]
    assert gray.shape == (6, 7)
    smooth = np.broadcast_to(np.linspace(0, 250, 16, dtype=np.uint8)[:, None, None],
                             (16, 16, 3)).copy()
    smooth[..., 0] //= 2   # B, G, R differ
    _, jpg = recordio.unpack_img(recordio.pack_img((0, 0, 0, 0), smooth, quality=100), 1)
    assert jpg.shape == smooth.shape and np.abs(jpg.astype(int) - smooth).max() < 8


def test_image_functions_without_pillow(monkeypatch):
    monkeypatch.setitem(sys.modules, 'PIL', None)
    with pytest.raises(ImportError, match='Pillow'):
        recordio.pack_img((0, 0, 0, 0), _image_bgr())
    with pytest.raises(ImportError, match=r'mxnet-compat\[vision\]'):
        recordio.unpack_img(recordio.pack((0, 0, 0, 0), b'xx'))


# ----------------------------------------------------------------------------- datasets

def _write_png(path, rgb):
    from PIL import Image
    Image.fromarray(rgb).save(path)


def test_image_folder_dataset(tmp_path):
    pytest.importorskip('PIL')
    rng = np.random.RandomState(1)
    images = {}
    for cls in ('dog', 'cat'):
        (tmp_path / cls).mkdir()
        for name in ('b.png', 'a.PNG'):
            images[(cls, name)] = rng.randint(0, 256, (4, 5, 3)).astype(np.uint8)
            _write_png(str(tmp_path / cls / name), images[(cls, name)])
    (tmp_path / 'cat' / 'notes.txt').write_text('x')
    (tmp_path / 'README').write_text('x')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        ds = gdata.vision.ImageFolderDataset(str(tmp_path))
        gray = gdata.vision.ImageFolderDataset(str(tmp_path), flag=0)[0][0]
    assert len(caught) == 4
    assert ds.synsets == ['cat', 'dog']
    assert [(os.path.basename(p), label) for p, label in ds.items] == \
        [('a.PNG', 0), ('b.png', 0), ('a.PNG', 1), ('b.png', 1)]
    img, label = ds[2]
    assert isinstance(img, mx.nd.NDArray) and img.dtype == np.uint8 and label == 1
    np.testing.assert_array_equal(img.asnumpy(), images[('dog', 'a.PNG')])
    assert gray.shape == (4, 5, 1)
    (tmp_path / 'README').unlink()
    (tmp_path / 'cat' / 'notes.txt').unlink()
    ds = gdata.vision.ImageFolderDataset(str(tmp_path),
                                         transform=lambda x, y: (x.astype('float32'), y + 10))
    assert ds[0][0].dtype == np.float32 and ds[0][1] == 10


def test_image_record_dataset(tmp_path):
    pytest.importorskip('PIL')
    img = _image_bgr()
    w = recordio.MXIndexedRecordIO(str(tmp_path / 'i.idx'), str(tmp_path / 'i.rec'), 'w')
    w.write_idx(0, recordio.pack_img((0, 4.0, 0, 0), img, img_fmt='.png'))
    w.close()
    ds = gdata.vision.ImageRecordDataset(str(tmp_path / 'i.rec'))
    out, label = ds[0]
    assert label == 4.0
    np.testing.assert_array_equal(out.asnumpy(), img[:, :, ::-1])   # decoded as RGB


def test_cifar100_layout_and_labels(tmp_path):
    rng = np.random.RandomState(2)
    rows = rng.randint(0, 256, (3, 3074)).astype(np.uint8)
    rows[:, 0], rows[:, 1] = [1, 2, 3], [40, 50, 60]
    rows.tofile(str(tmp_path / 'train.bin'))
    rows[:1].tofile(str(tmp_path / 'test.bin'))
    coarse = gdata.vision.CIFAR100(root=str(tmp_path))
    fine = gdata.vision.CIFAR100(root=str(tmp_path), fine_label=True)
    test = gdata.vision.CIFAR100(root=str(tmp_path), train=False)
    assert len(coarse) == 3 and len(test) == 1
    assert [coarse[i][1] for i in range(3)] == [1, 2, 3]
    assert [fine[i][1] for i in range(3)] == [40, 50, 60]
    img = coarse[1][0]
    assert img.shape == (32, 32, 3) and img.dtype == np.uint8
    np.testing.assert_array_equal(img.asnumpy(),
                                  rows[1, 2:].reshape(3, 32, 32).transpose(1, 2, 0))


def test_cifar100_offline_message(tmp_path, monkeypatch):
    monkeypatch.setenv('MXNET_GLUON_REPO', 'http://127.0.0.1:9/')
    with pytest.raises(ConnectionError) as info:     # requests' class in MXNet 1.9.1
        gdata.vision.CIFAR100(root=str(tmp_path))
    message = str(info.value)
    assert 'cifar-100-binary.tar.gz' in message
    assert os.path.join(str(tmp_path), 'cifar-100-binary.tar.gz') in message


# ----------------------------------------------------------------------------- transforms

def _ref():
    return {k: v.asnumpy() for k, v in mx.nd.load(_fixture('transforms.nd')).items()}


@pytest.mark.parametrize('op,factor', scenario.COLOR_CASES)
def test_color_ops_match_reference(op, factor):
    ref = _ref()
    got = T._COLOR_OPS[op[len('random_'):]](ref['image'], np.float32(factor))
    np.testing.assert_allclose(np.asarray(got), ref['%s_%g' % (op, factor)], atol=1e-3)


@pytest.mark.parametrize('alpha', scenario.LIGHTING_ALPHAS)
def test_lighting_matches_reference(alpha):
    ref = _ref()
    got = T._adjust_lighting(ref['image'], np.asarray(alpha, np.float32))
    np.testing.assert_allclose(np.asarray(got), ref['lighting_%g_%g_%g' % alpha], atol=1e-4)


@pytest.mark.parametrize('size', scenario.CROP_CASES)
def test_center_crop_matches_reference(size):
    ref = _ref()
    out = T.CenterCrop(size)(mx.nd.array(ref['image_uint8'], dtype=np.uint8))
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out.asnumpy(), ref['center_crop_%d_%d' % size])


def test_center_crop_upsamples_small_images():
    x = mx.nd.array(np.arange(2 * 3 * 3).reshape(2, 3, 3), dtype=np.uint8)
    assert T.CenterCrop(4)(x).shape == (4, 4, 3)
    assert T.CenterCrop((6, 2))(x).shape == (2, 6, 3)


def test_random_resized_crop():
    x = mx.nd.array(np.random.RandomState(0).randint(0, 256, (20, 30, 3)), dtype=np.uint8)
    crop = T.RandomResizedCrop((8, 6))
    random.seed(4)
    a = crop(x)
    random.seed(4)
    b = crop(x)
    assert a.shape == (6, 8, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    whole = T.RandomResizedCrop((30, 20), scale=(1, 1), ratio=(1.5, 1.5))(x)
    np.testing.assert_array_equal(whole.asnumpy(), x.asnumpy())
    # Impossible ratios fall back to the centre crop.
    fallback = T.RandomResizedCrop((4, 4), scale=(1, 1), ratio=(50, 60))(x)
    np.testing.assert_array_equal(fallback.asnumpy(), T.CenterCrop(4)(x).asnumpy())


def _image():
    return mx.nd.array(scenario.image())


def _ratio(out, base):
    r = out / base
    assert np.ptp(r) < 1e-4
    return r.mean()


def test_random_brightness_contrast_saturation_families():
    x = scenario.image()
    mx.random.seed(0)
    factors = [_ratio(T.RandomBrightness(0.5)(_image()).asnumpy(), x) for _ in range(20)]
    assert 0.5 <= min(factors) and max(factors) <= 1.5 and np.ptp(factors) > 0.1
    m = (x[..., 0] * 0.299 + x[..., 1] * 0.587 + x[..., 2] * 0.114).mean()
    for _ in range(5):
        f = _ratio(T.RandomContrast(0.4)(_image()).asnumpy() - m, x - m)
        assert 0.6 - 1e-5 <= f <= 1.4 + 1e-5
        g = (0.114 * x[..., 2:3])
        f = _ratio(T.RandomSaturation(0.4)(_image()).asnumpy() - g, x - g)
        assert 0.6 - 1e-5 <= f <= 1.4 + 1e-5


def test_random_hue_keeps_value_and_chroma():
    x = scenario.image()
    out = T.RandomHue(0.5)(_image()).asnumpy()
    np.testing.assert_allclose(out.max(-1), x.max(-1), rtol=1e-4)
    np.testing.assert_allclose(out.min(-1), x.min(-1), rtol=1e-4, atol=1e-3)
    assert np.abs(out - x).max() > 1


def test_random_lighting_is_a_per_channel_shift():
    x = scenario.image()
    shifts = []
    for _ in range(30):
        d = T.RandomLighting(0.1)(_image()).asnumpy() - x
        assert np.ptp(d.reshape(-1, 3), axis=0).max() < 1e-3
        shifts.append(d[0, 0])
    shifts = np.array(shifts)
    assert np.abs(shifts).max() > 0.1 and np.abs(shifts.mean(0)).max() < 5


def test_random_color_jitter():
    mx.random.seed(7)
    a = T.RandomColorJitter(0.3, 0.3, 0.3, 0.1)(_image())
    mx.random.seed(7)
    b = T.RandomColorJitter(0.3, 0.3, 0.3, 0.1)(_image())
    assert a.shape == (5, 6, 3) and a.dtype == np.float32
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    assert np.abs(a.asnumpy() - scenario.image()).max() > 0.1
    only_brightness = T.RandomColorJitter(brightness=0.5)(_image()).asnumpy()
    _ratio(only_brightness, scenario.image())
    np.testing.assert_array_equal(T.RandomColorJitter()(_image()).asnumpy(), scenario.image())


def test_compose_hybridizes_random_transforms():
    pipeline = T.Compose([T.RandomBrightness(0.2), T.RandomLighting(0.1), T.ToTensor()])
    outs = [pipeline(_image()).asnumpy() for _ in range(3)]
    assert outs[0].shape == (3, 5, 6)
    assert np.abs(outs[0] - outs[1]).max() > 0   # fresh draws on each compiled call


# ----------------------------------------------------------------------------- DataLoader

def _pid_sample(x):
    return x, os.getpid()


def _batches(loader):
    return [[b.asnumpy() if isinstance(b, mx.nd.NDArray) else b for b in batch]
            for batch in loader]


def _double(x):
    return x * 2


def _as_list(samples):
    return list(samples)


def test_dataloader_workers_match_single_process():
    data = np.arange(23 * 2, dtype=np.float32).reshape(23, 2)
    ds = gdata.ArrayDataset(mx.nd.array(data), np.arange(23)).transform_first(_double)
    ref = _batches(gdata.DataLoader(ds, batch_size=4, last_batch='keep'))
    for kwargs in ({'num_workers': 2}, {'num_workers': 3, 'prefetch': 1},
                   {'num_workers': 2, 'thread_pool': True}):
        got = _batches(gdata.DataLoader(ds, batch_size=4, last_batch='keep', **kwargs))
        assert len(got) == len(ref) == 6
        for g, r in zip(got, ref):
            np.testing.assert_array_equal(g[0], r[0])
            np.testing.assert_array_equal(g[1], r[1])
            assert g[0].dtype == r[0].dtype and g[1].dtype == r[1].dtype


def test_dataloader_uses_worker_processes():
    ds = gdata.SimpleDataset(list(range(12))).transform(_pid_sample)
    loader = gdata.DataLoader(ds, batch_size=3, num_workers=2)
    batches = list(loader)
    assert [b[0].asnumpy().tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6, 7, 8],
                                                          [9, 10, 11]]
    pids = {int(p) for b in batches for p in b[1].asnumpy()}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert len(list(loader)) == 4   # the pool is reused across epochs


def test_dataloader_workers_read_recordio():
    ds = gdata.RecordFileDataset(_fixture('ref.rec'))
    ds[0]   # opened (and used) in the parent before the workers start
    loader = gdata.DataLoader(ds, batch_size=2, num_workers=2, batchify_fn=_as_list)
    assert [r for batch in loader for r in batch] == RECORDS


def test_dataloader_workers_run_hybridized_transforms_after_parent_used_jax():
    # A forked worker of a process that has run JAX can deadlock; spawned ones do not.
    x = mx.nd.array(np.random.RandomState(0).randint(0, 256, (6, 4, 4, 3)), dtype=np.uint8)
    pipeline = T.Compose([T.ToTensor(), T.Normalize(0.5, 0.25)])
    pipeline(x[0])   # compiled in the parent
    ds = gdata.ArrayDataset(x, np.arange(6)).transform_first(pipeline)
    ref = _batches(gdata.DataLoader(ds, batch_size=4))
    got = _batches(gdata.DataLoader(ds, batch_size=4, num_workers=2, timeout=60))
    for g, r in zip(got, ref):
        np.testing.assert_allclose(g[0], r[0], rtol=1e-6)
        np.testing.assert_array_equal(g[1], r[1])


def test_dataloader_unpicklable_dataset_falls_back_to_threads():
    ds = gdata.SimpleDataset(list(range(8))).transform(lambda v: (v, os.getpid()))
    with pytest.warns(UserWarning, match='threads instead'):
        loader = gdata.DataLoader(ds, batch_size=3, num_workers=2)
    batches = list(loader)
    assert [b[0].asnumpy().tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert {int(p) for b in batches for p in b[1].asnumpy()} == {os.getpid()}

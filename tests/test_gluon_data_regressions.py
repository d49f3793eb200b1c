"""Regressions found by the gluon_data conformance cases."""
import numpy as np
import pytest

import mxnet_compat as mx
from mxnet_compat.base import MXNetError

T = mx.gluon.data.vision.transforms


def _image(h=6, w=8, seed=0):
    return np.random.RandomState(seed).randint(0, 256, (h, w, 3)).astype('uint8')


def test_resize_nearest_uses_opencv_index_mapping():
    src = _image()
    out = T.Resize((5, 3), interpolation=0)(mx.nd.array(src, dtype='uint8')).asnumpy()
    rows = np.floor(np.arange(3) * 6 / 3).astype(int)
    cols = np.minimum(np.floor(np.arange(5) * 8 / 5).astype(int), 7)
    np.testing.assert_array_equal(out, src[rows][:, cols])


def test_resize_area_integer_shrink_is_box_mean():
    src = _image().astype('float32')
    out = T.Resize((4, 3), interpolation=3)(mx.nd.array(src)).asnumpy()
    np.testing.assert_allclose(out, src.reshape(3, 2, 4, 2, 3).mean(axis=(1, 3)), rtol=1e-5)


def test_resize_modes_keep_constant_images_and_reject_unknown():
    flat = mx.nd.full((5, 7, 3), 77, dtype='uint8')
    for interp in range(5):
        out = T.Resize((9, 4), interpolation=interp)(flat).asnumpy()
        assert out.shape == (4, 9, 3) and (out == 77).all()
    with pytest.raises(MXNetError):
        T.Resize(4, interpolation=9)(flat)
    with pytest.raises(ValueError):
        T.CenterCrop(12, interpolation=7)(flat)
    assert T.CenterCrop(12, interpolation=9)(flat).shape == (12, 12, 3)


def test_random_lighting_zero_is_identity():
    img = mx.nd.array(_image()).astype('float32')
    assert (T.RandomLighting(0)(img) == img).asnumpy().all()


def test_metric_sums_are_float64_and_print_plainly():
    mae = mx.metric.MAE()
    mae.update([mx.nd.array([1.0, 2.0])], [mx.nd.array([1.5, 2.0])])
    assert type(mae.get()[1]) is np.float64
    ppl = mx.metric.Perplexity(ignore_label=1)
    ppl.update([mx.nd.array([0, 1])], [mx.nd.array([[0.5, 0.5], [0.2, 0.8]])])
    assert type(ppl.num_inst) is np.float64
    acc = mx.metric.Accuracy()
    acc.update([mx.nd.array([0, 1])], [mx.nd.array([[0.9, 0.1], [0.9, 0.1]])])
    assert str(acc) == "EvalMetric: {'accuracy': 0.5}"


def test_metric_create_errors_are_assertions():
    with pytest.raises(AssertionError):
        mx.metric.create('no-such-metric')
    with pytest.raises(AssertionError):
        mx.metric.create(3)


def test_download_offline_raises_connection_error(tmp_path):
    with pytest.raises(ConnectionError):
        mx.gluon.utils.download('http://127.0.0.1:9/x.bin', path=str(tmp_path), retries=1)
    with pytest.raises(AssertionError):
        mx.gluon.utils.download('http://127.0.0.1:9/x.bin', path=str(tmp_path), retries=-1)
    assert not list(tmp_path.iterdir())   # no partial file left behind


def test_download_keeps_existing_file_with_right_sha1(tmp_path):
    import hashlib
    path = tmp_path / 'f.bin'
    path.write_bytes(b'payload')
    digest = hashlib.sha1(b'payload').hexdigest()
    got = mx.gluon.utils.download('http://127.0.0.1:9/f.bin', path=str(tmp_path),
                                  sha1_hash=digest)
    assert got == str(path)


def test_dataset_download_failure_keeps_class_and_hints_path(tmp_path, monkeypatch):
    monkeypatch.setenv('MXNET_GLUON_REPO', 'http://127.0.0.1:9/')
    with pytest.raises(ConnectionError) as info:
        mx.gluon.data.vision.MNIST(root=str(tmp_path))
    assert str(tmp_path) in str(info.value)

"""mx.metric and mx.io against runs recorded from real MXNet 1.9.1
(tests/goldens/record_metric_io.py; cases in tests/goldens/metric_cases.py)."""
import json
import os
import sys

import numpy as np
import pytest

import mxnet as mx
from mxnet import nd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'goldens'))
import metric_cases as C  # noqa: E402

with open(os.path.join(HERE, 'goldens', 'metric_io.json')) as f:
    GOLDEN = json.load(f)


def _close(got, want, where):
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _close(g, w, '{}[{}]'.format(where, i))
    elif isinstance(want, str):
        assert got == want, where
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7, err_msg=where)


@pytest.mark.parametrize('case', sorted(C.METRICS))
def test_metric_matches_mxnet(case):
    _close(C.run_metric(mx, case), GOLDEN['metric/' + case], case)


@pytest.mark.parametrize('case', sorted(C.ITERS))
def test_ndarrayiter_matches_mxnet(case):
    got, want = C.run_iter(mx, case), GOLDEN['iter/' + case]
    assert sorted(got) == sorted(want)
    for k in want:
        _close(got[k], want[k], '{}/{}'.format(case, k))


def test_metric_basics():
    m = mx.metric.Accuracy()
    assert np.isnan(m.get()[1])
    m.update(nd.array([0, 1, 1]), nd.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]]))
    assert m.get() == ('accuracy', 2 / 3) and m.num_inst == 3 and m.sum_metric == 2
    assert m.get_name_value() == [('accuracy', 2 / 3)]
    m.reset()
    assert m.num_inst == 0 and m.global_num_inst == 0
    with pytest.raises(ValueError):
        m.update([nd.array([0])], [])
    custom = mx.metric.create(lambda label, pred: (np.abs(label - pred).sum(), label.size))
    custom.update([nd.array([1, 2])], [nd.array([1, 4])])
    assert custom.name == 'custom(<lambda>)' and custom.get()[1] == 1.0
    wrapped = mx.metric.np(lambda label, pred: 0.5, name='half')
    wrapped.update([nd.array([1])], [nd.array([1])])
    assert wrapped.get() == ('half', 0.5)
    assert isinstance(mx.metric.create('torch'), mx.metric.Loss)
    with pytest.raises(AssertionError):                # 'nosuch is not registered'
        mx.metric.create('nosuch')


def test_iter_shuffle_matches_numpy_order_and_databatch():
    data = np.arange(20, dtype=np.float32).reshape(10, 2)
    np.random.seed(3)
    it = mx.io.NDArrayIter(data, np.arange(10), batch_size=5, shuffle=True)
    np.random.seed(3)
    order = np.arange(10)
    np.random.shuffle(order)
    first = next(iter(it))
    np.testing.assert_array_equal(first.data[0].asnumpy(), data[order[:5]])
    np.testing.assert_array_equal(first.label[0].asnumpy(), order[:5])
    assert 'data shapes: [(5, 2)]' in str(first)
    resized = mx.io.ResizeIter(mx.io.NDArrayIter(data, batch_size=4), 5)
    assert [b.pad for b in resized] == [0, 0, 2, 0, 0]
    both = mx.io.PrefetchingIter([mx.io.NDArrayIter(data, batch_size=5),
                                  mx.io.NDArrayIter(data * 2, batch_size=5)])
    batches = list(both)
    assert len(batches) == 2 and len(batches[0].data) == 2
    assert mx.io.DataDesc('x', (1, 2)).layout == 'NCHW'

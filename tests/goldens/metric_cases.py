"""Shared table for tests/test_metric_io.py: metric update sequences and NDArrayIter runs,
plain data for the recorder (real MXNet 1.9.1) and the test (mxnet-compat)."""
import numpy as np


def _batches(kind, seed):
    rng = np.random.RandomState(seed)
    if kind == 'class':
        p = rng.uniform(0, 1, (6, 4))
        return [rng.randint(0, 4, (6,)) * 1.0], [p / p.sum(1, keepdims=True)]
    if kind == 'binary':
        p = rng.uniform(0, 1, (8, 2))
        return [rng.randint(0, 2, (8,)) * 1.0], [p / p.sum(1, keepdims=True)]
    if kind == 'reg':
        return [rng.uniform(-1, 1, (5,)), rng.uniform(-1, 1, (5, 2))], \
            [rng.uniform(-1, 1, (5,)), rng.uniform(-1, 1, (5, 2))]
    if kind == 'seq':       # (tokens, vocab) probabilities (MXNet's Perplexity fails on 3-d)
        p = rng.uniform(0, 1, (6, 5))
        return [rng.randint(0, 5, (6,)) * 1.0], [p / p.sum(-1, keepdims=True)]
    if kind == 'loss':
        return [], [rng.uniform(0, 2, (4,)), rng.uniform(0, 2, (2, 3))]
    if kind == 'multiclass_labels':
        return [rng.randint(0, 5, (7,)) * 1.0], [rng.randint(0, 5, (7,)) * 1.0]
    raise KeyError(kind)


# name -> (create() argument, kwargs, batch kind)
METRICS = {
    'acc': ('acc', {}, 'class'),
    'acc_axis0': ('Accuracy', {'axis': 0}, 'class_t'),
    'top3': ('top_k_accuracy', {'top_k': 3}, 'class'),
    'f1_macro': ('f1', {}, 'binary'),
    'f1_micro': ('F1', {'average': 'micro'}, 'binary'),
    'mcc_macro': ('mcc', {}, 'binary'),
    'mcc_micro': ('MCC', {'average': 'micro'}, 'binary'),
    'mae': ('mae', {}, 'reg'),
    'mse': ('mse', {}, 'reg'),
    'rmse': ('rmse', {}, 'reg'),
    'ce': ('ce', {}, 'class'),
    'nll': ('nll_loss', {}, 'class'),
    'perplexity': ('perplexity', {'ignore_label': None}, 'seq'),
    'perplexity_ignore': ('Perplexity', {'ignore_label': 2}, 'seq'),
    'pearsonr': ('pearsonr', {}, 'reg'),
    'pearsonr_micro': ('pearsonr', {'average': 'micro'}, 'reg'),
    'pcc': ('pcc', {}, 'multiclass_labels'),
    'loss': ('loss', {}, 'loss'),
    'composite': (['acc', 'ce'], {}, 'class'),
}


def run_metric(mx, case):
    """Three updates, reset_local, one more; (get, get_global) after the 3rd and the 4th."""
    name, kwargs, kind = METRICS[case]
    metric = mx.metric.create(name, **kwargs)
    out = []
    for seed in range(4):
        if seed == 3:
            metric.reset_local()
        labels, preds = _batches('class' if kind == 'class_t' else kind, seed)
        if kind == 'class_t':
            preds = [p.T for p in preds]
        metric.update([mx.nd.array(a) for a in labels], [mx.nd.array(a) for a in preds])
        if seed >= 2:
            out.append([_plain(metric.get()), _plain(metric.get_global()),
                        _plain(metric.get_name_value())])
    return out


def _plain(x):
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, str):
        return x
    v = float(x)
    return 'nan' if v != v else v


# NDArrayIter: name -> kwargs (data built by iter_data)
ITERS = {
    'pad': {'batch_size': 4},
    'discard': {'batch_size': 4, 'last_batch_handle': 'discard'},
    'roll_over': {'batch_size': 4, 'last_batch_handle': 'roll_over'},
    'exact': {'batch_size': 5},
    'dict_data': {'batch_size': 3, 'dict': True},
    'no_label': {'batch_size': 4, 'no_label': True},
    'label_name': {'batch_size': 6, 'label_name': 'lab', 'data_name': 'x'},
}


def iter_data():
    data = np.arange(30, dtype=np.float32).reshape(10, 3)
    label = np.arange(10, dtype=np.float32)
    return data, label


def run_iter(mx, case):
    """Two epochs of batches: (data, label, pad, index is not None) plus provide_*."""
    kwargs = dict(ITERS[case])
    data, label = iter_data()
    if kwargs.pop('dict', False):
        kwargs['data'] = {'a': data, 'b': data[:, :1] * 2}
        kwargs['label'] = {'l': label}
    else:
        kwargs['data'] = data
        kwargs['label'] = None if kwargs.pop('no_label', False) else label
    it = mx.io.NDArrayIter(**kwargs)
    out = {'provide_data': [[d.name, list(d.shape)] for d in it.provide_data],
           'provide_label': [[d.name, list(d.shape)] for d in it.provide_label]}
    for epoch in range(2):
        batches = []
        for batch in it:
            batches.append([[d.asnumpy().tolist() for d in batch.data],
                            [lab.asnumpy().tolist() for lab in (batch.label or [])],
                            batch.pad])
        out['epoch%d' % epoch] = batches
        it.reset()
    return out

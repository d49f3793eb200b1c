"""``mx.metric``: evaluation metrics, as in MXNet 1.9.1.

A metric accumulates ``sum_metric`` and ``num_inst`` over ``update(labels, preds)`` calls
(lists of NDArrays, or single NDArrays) and reports ``sum_metric / num_inst``.  Metrics with
``has_global_stats`` also keep ``global_sum_metric``/``global_num_inst``, which
``reset_local`` leaves alone.  The arithmetic runs in numpy on ``asnumpy()`` copies, as in
MXNet (so values are float64 sums of float32 data).

MXNet quirks kept on purpose: F1/MCC ``average='macro'`` average per *update call*, not per
sample; TopKAccuracy on 1-d predictions does not add to the global sum; Perplexity's
``ignore_label`` is a required argument.
"""
import math
from collections import OrderedDict

import numpy

from .base import numeric_types, string_types
from .ndarray import NDArray

__all__ = ['EvalMetric', 'CompositeEvalMetric', 'Accuracy', 'TopKAccuracy', 'F1', 'MCC',
           'Perplexity', 'MAE', 'MSE', 'RMSE', 'CrossEntropy', 'NegativeLogLikelihood',
           'PearsonCorrelation', 'PCC', 'Loss', 'Torch', 'Caffe', 'CustomMetric', 'np',
           'create', 'register', 'alias', 'check_label_shapes']

_REGISTRY = {}


def register(klass):
    """Class decorator: make ``klass`` creatable by its lower-case name."""
    _REGISTRY[klass.__name__.lower()] = klass
    return klass


def alias(*names):
    """Class decorator: extra (lower-case) names for ``create``."""
    def deco(klass):
        for n in names:
            _REGISTRY[n.lower()] = klass
        return klass
    return deco


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Raise ValueError unless the lengths (or ``shape=True``: shapes) agree; ``wrap`` turns
    single NDArrays into one-element lists."""
    a, b = (labels.shape, preds.shape) if shape else (len(labels), len(preds))
    if a != b:
        raise ValueError('Shape of labels {} does not match shape of predictions {}'
                         .format(a, b))
    if wrap:
        labels = [labels] if isinstance(labels, NDArray) else labels
        preds = [preds] if isinstance(preds, NDArray) else preds
    return labels, preds


def _legacy_sum_type(value):
    """``0.0 + value`` as MXNet's numpy (< 2) computed it: a numpy float scalar becomes
    float64 (numpy 2 keeps float32 next to a Python float)."""
    return numpy.float64(value) if isinstance(value, numpy.floating) else value


def _legacy_repr(value):
    """A value as MXNet 1.9.1's numpy (< 2) printed it inside a dict: numpy scalars
    without the ``np.float64(...)`` wrapper of numpy 2."""
    return str(value) if isinstance(value, numpy.generic) else repr(value)


class EvalMetric:
    """Base class: ``update``, ``get`` -> (name, value), ``reset``, ``get_name_value``."""

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop('has_global_stats', False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        values = dict(self.get_name_value())
        return 'EvalMetric: {%s}' % ', '.join('{!r}: {}'.format(k, _legacy_repr(v))
                                              for k, v in values.items())

    def get_config(self):
        config = dict(self._kwargs)
        config.update(metric=type(self).__name__, name=self.name,
                      output_names=self.output_names, label_names=self.label_names)
        return config

    def update_dict(self, label, pred):
        """Update from dicts name -> NDArray, picking ``output_names``/``label_names``."""
        pred = [pred[n] for n in self.output_names] if self.output_names is not None \
            else list(pred.values())
        label = [label[n] for n in self.label_names] if self.label_names is not None \
            else list(label.values())
        self.update(label, pred)

    def update(self, labels, preds):
        raise NotImplementedError()

    def _add(self, value, count):
        value = _legacy_sum_type(value)
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def reset(self):
        self.reset_local()
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        self.num_inst = 0
        self.sum_metric = 0.0

    def _value(self, total, count):
        return float('nan') if count == 0 else total / count

    def get(self):
        return self.name, self._value(self.sum_metric, self.num_inst)

    def get_global(self):
        if not self._has_global_stats:
            return self.get()
        return self.name, self._value(self.global_sum_metric, self.global_num_inst)

    @staticmethod
    def _pairs(name_value):
        name, value = name_value
        return list(zip(name if isinstance(name, list) else [name],
                        value if isinstance(value, list) else [value]))

    def get_name_value(self):
        return self._pairs(self.get())

    def get_global_name_value(self):
        return self._pairs(self.get_global()) if self._has_global_stats \
            else self.get_name_value()


def create(metric, *args, **kwargs):
    """A metric from a name (or alias), an instance, a callable ``feval(label, pred)``
    (a :class:`CustomMetric`) or a list of those (a :class:`CompositeEvalMetric`)."""
    if callable(metric) and not isinstance(metric, EvalMetric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for m in metric:
            composite.add(create(m, *args, **kwargs))
        return composite
    if isinstance(metric, EvalMetric):
        if args or kwargs:
            raise AssertionError('metric is already an EvalMetric instance; no arguments '
                                 'allowed')
        return metric
    if not isinstance(metric, string_types):
        raise AssertionError('metric must be of string type')
    klass = _REGISTRY.get(metric.lower())
    if klass is None:
        raise AssertionError('{} is not registered. Please register with metric.register '
                             'first'.format(metric))
    return klass(*args, **kwargs)


@register
@alias('composite')
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; ``get`` returns lists of names and values."""

    def __init__(self, metrics=None, name='composite', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(m) for m in (metrics or [])]

    def add(self, metric):
        self.metrics.append(create(metric))

    def get_metric(self, index):
        try:
            return self.metrics[index]
        except IndexError:   # MXNet returns (does not raise) the error
            return ValueError('Metric index {} is out of range 0 and {}'.format(
                index, len(self.metrics)))

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict(i for i in labels.items() if i[0] in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict(i for i in preds.items() if i[0] in self.output_names)
        for m in self.metrics:
            m.update_dict(labels, preds)

    def update(self, labels, preds):
        for m in self.metrics:
            m.update(labels, preds)

    def reset(self):
        for m in getattr(self, 'metrics', []):
            m.reset()

    def reset_local(self):
        for m in getattr(self, 'metrics', []):
            m.reset_local()

    def _collect(self, getter):
        names, values = [], []
        for m in self.metrics:
            name, value = getter(m)
            names.extend([name] if isinstance(name, string_types) else name)
            values.extend([value] if isinstance(value, numeric_types) else value)
        return names, values

    def get(self):
        return self._collect(lambda m: m.get())

    def get_global(self):
        return self._collect(lambda m: m.get_global())

    def get_config(self):
        config = super().get_config()
        config['metrics'] = [m.get_config() for m in self.metrics]
        return config


@register
@alias('acc')
class Accuracy(EvalMetric):
    """Fraction of correct predictions; predictions of another shape than the label are
    arg-maxed along ``axis`` first."""

    def __init__(self, axis=1, name='accuracy', output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            if pred.shape != label.shape:
                pred = pred.argmax(axis=self.axis)
            p = pred.asnumpy().astype('int32').ravel()
            lab = label.asnumpy().astype('int32').ravel()
            check_label_shapes(lab, p)
            self._add((p == lab).sum(), len(p))


@register
@alias('top_k_accuracy', 'top_k_acc')
class TopKAccuracy(EvalMetric):
    """A prediction is correct when the label is among the ``top_k`` largest scores."""

    def __init__(self, top_k=1, name='top_k_accuracy', output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.top_k = top_k
        if self.top_k <= 1:
            raise AssertionError('Please use Accuracy if top_k is no more than 1')
        self.name += '_%d' % self.top_k

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            if len(pred.shape) > 2:
                raise AssertionError('Predictions should be no more than 2 dims')
            order = numpy.argpartition(pred.asnumpy().astype('float32'), -self.top_k)
            lab = label.asnumpy().astype('int32')
            check_label_shapes(lab, order)
            if order.ndim == 1:
                self.sum_metric += (order.ravel() == lab.ravel()).sum()
            else:
                classes = order.shape[1]
                hits = sum((order[:, classes - 1 - j] == lab.ravel()).sum()
                           for j in range(min(classes, self.top_k)))
                self.sum_metric += hits
                self.global_sum_metric += hits
            self.num_inst += order.shape[0]
            self.global_num_inst += order.shape[0]


class _BinaryCounts:
    """True/false positive/negative counts (local and global) of a binary classifier whose
    prediction is ``argmax(pred, axis=1)``."""
    KEYS = ('tp', 'fp', 'fn', 'tn')

    def __init__(self):
        self.local = dict.fromkeys(self.KEYS, 0)
        self.glob = dict.fromkeys(self.KEYS, 0)

    def update(self, label, pred, owner):
        pred = pred.asnumpy()
        label = label.asnumpy().astype('int32')
        check_label_shapes(label, pred)
        if len(numpy.unique(label)) > 2:
            raise ValueError('%s currently only supports binary classification.' % owner)
        p = numpy.argmax(pred, axis=1) == 1
        t = label == 1
        counts = {'tp': (p & t).sum(), 'fp': (p & ~t).sum(), 'fn': (~p & t).sum(),
                  'tn': (~p & ~t).sum()}
        for k, v in counts.items():
            self.local[k] += v
            self.glob[k] += v

    def reset_local(self):
        self.local = dict.fromkeys(self.KEYS, 0)

    def reset(self):
        self.reset_local()
        self.glob = dict.fromkeys(self.KEYS, 0)

    @staticmethod
    def total(c):
        return c['tp'] + c['fp'] + c['fn'] + c['tn']

    @staticmethod
    def fscore(c):
        prec = float(c['tp']) / (c['tp'] + c['fp']) if c['tp'] + c['fp'] > 0 else 0.0
        rec = float(c['tp']) / (c['tp'] + c['fn']) if c['tp'] + c['fn'] > 0 else 0.0
        return 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0

    @staticmethod
    def mcc(c):
        if not _BinaryCounts.total(c):
            return 0.0
        tp, fp, fn, tn = (float(c[k]) for k in _BinaryCounts.KEYS)
        denom = 1.0
        for term in (tp + fp, tp + fn, tn + fp, tn + fn):   # zero terms are left out
            if term != 0.0:
                denom *= term
        return (tp * tn - fp * fn) / math.sqrt(denom)


class _BinaryMetric(EvalMetric):
    """F1 and MCC: 'macro' averages the score of each update call; 'micro' scores all the
    counts so far (weighted by the number of examples)."""
    _score = None

    def __init__(self, name, output_names, label_names, average):
        self.average = average
        self._counts = _BinaryCounts()
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            self._counts.update(label, pred, type(self).__name__)
        c = self._counts
        if self.average == 'macro':
            self._add(self._score(c.local), 1)
            self.global_sum_metric += self._score(c.glob) - self._score(c.local)
            c.reset()
        else:
            self.sum_metric = self._score(c.local) * c.total(c.local)
            self.global_sum_metric = self._score(c.glob) * c.total(c.glob)
            self.num_inst = c.total(c.local)
            self.global_num_inst = c.total(c.glob)

    def reset(self):
        super().reset()
        self._counts.reset()

    def reset_local(self):
        super().reset_local()
        if hasattr(self, '_counts'):
            self._counts.reset_local()


@register
class F1(_BinaryMetric):
    """Binary F1 score of ``argmax(pred, axis=1)`` against 0/1 labels."""
    _score = staticmethod(_BinaryCounts.fscore)

    def __init__(self, name='f1', output_names=None, label_names=None, average='macro'):
        super().__init__(name, output_names, label_names, average)


@register
class MCC(_BinaryMetric):
    """Binary Matthews correlation coefficient of ``argmax(pred, axis=1)``."""
    _score = staticmethod(_BinaryCounts.mcc)

    def __init__(self, name='mcc', output_names=None, label_names=None, average='macro'):
        super().__init__(name, output_names, label_names, average)


@register
class Perplexity(EvalMetric):
    """``exp(mean(-log p[label]))`` over the labels, leaving out ``ignore_label`` ones."""

    def __init__(self, ignore_label, axis=-1, name='perplexity', output_names=None,
                 label_names=None):
        super().__init__(name, ignore_label=ignore_label, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        if len(labels) != len(preds):
            raise AssertionError('labels and preds must have the same length')
        loss, num = 0.0, 0
        for label, pred in zip(labels, preds):
            p = pred.asnumpy()
            lab = label.asnumpy().reshape(-1)
            if lab.size != p.size / p.shape[-1]:
                raise AssertionError('shape mismatch: %s vs. %s' % (label.shape, pred.shape))
            axis = self.axis % p.ndim
            idx = lab.astype('int32').reshape(p.shape[:axis] + (1,) + p.shape[axis + 1:])
            idx = numpy.clip(idx, 0, p.shape[axis] - 1)      # pick's default mode='clip'
            picked = numpy.take_along_axis(p, idx, axis).reshape(-1)
            if self.ignore_label is not None:
                ignore = (lab == self.ignore_label).astype(p.dtype)
                num -= numpy.float64(ignore.sum())   # float64, as with numpy < 2
                picked = picked * (1 - ignore) + ignore
            loss -= numpy.log(numpy.maximum(1e-10, picked)).astype(p.dtype).sum()
            num += picked.size
        self._add(float(loss), num)

    def get(self):
        return self.name, math.exp(self._value(self.sum_metric, self.num_inst))

    def get_global(self):
        return self.name, math.exp(self._value(self.global_sum_metric, self.global_num_inst))


class _Regression(EvalMetric):
    """Mean over update calls of a per-batch error of (label, pred), 1-d arrays as columns."""

    def __init__(self, name, output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            lab, p = label.asnumpy(), pred.asnumpy()
            lab = lab.reshape(lab.shape[0], 1) if lab.ndim == 1 else lab
            p = p.reshape(p.shape[0], 1) if p.ndim == 1 else p
            self._add(self._error(lab - p), 1)


@register
class MAE(_Regression):
    """Mean absolute error."""
    def __init__(self, name='mae', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    _error = staticmethod(lambda d: numpy.abs(d).mean())


@register
class MSE(_Regression):
    """Mean squared error."""
    def __init__(self, name='mse', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    _error = staticmethod(lambda d: (d ** 2.0).mean())


@register
class RMSE(_Regression):
    """Root mean squared error (of each batch, then averaged over batches)."""
    def __init__(self, name='rmse', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    _error = staticmethod(lambda d: numpy.sqrt((d ** 2.0).mean()))


class _PickedLogLoss(EvalMetric):
    def __init__(self, eps, name, output_names, label_names):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            lab, p = label.asnumpy().ravel(), pred.asnumpy()
            if lab.shape[0] != p.shape[0]:
                raise AssertionError((lab.shape[0], p.shape[0]))
            prob = p[numpy.arange(lab.shape[0], dtype=numpy.int64), numpy.int64(lab)]
            self._add((-numpy.log(prob + self.eps)).sum(), lab.shape[0])


@register
@alias('ce')
class CrossEntropy(_PickedLogLoss):
    """Mean of ``-log(p[label] + eps)`` over samples; ``pred`` holds probabilities."""

    def __init__(self, eps=1e-12, name='cross-entropy', output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias('nll_loss')
class NegativeLogLikelihood(_PickedLogLoss):
    """The same number as CrossEntropy under another name."""

    def __init__(self, eps=1e-12, name='nll-loss', output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias('pearsonr')
class PearsonCorrelation(EvalMetric):
    """Pearson correlation of flattened label and pred: 'macro' averages ``corrcoef`` per
    update; 'micro' keeps running moments (Welford) over everything seen."""

    def __init__(self, name='pearsonr', output_names=None, label_names=None, average='macro'):
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def reset(self):
        super().reset()
        if self.average == 'micro':
            self._moments = {'label': [0, 0.0, 0.0], 'pred': [0, 0.0, 0.0]}
            self._cov = 0.0

    @staticmethod
    def _welford(m, values):
        m[0] += len(values)
        delta = values - m[1]
        m[1] += numpy.sum(delta / m[0])
        m[2] += numpy.sum(delta * (values - m[1]))

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            lab = label.asnumpy().ravel().astype(numpy.float64)
            p = pred.asnumpy().ravel().astype(numpy.float64)
            if self.average == 'macro':
                self._add(numpy.corrcoef(p, lab)[0, 1], 1)
            else:
                self.num_inst += 1
                self.global_num_inst += 1
                self._welford(self._moments['label'], lab)
                # the covariance uses the new label mean and the old pred mean, as MXNet does
                self._cov += numpy.sum((lab - self._moments['label'][1]) *
                                       (p - self._moments['pred'][1]))
                self._welford(self._moments['pred'], p)

    def get(self):
        if self.num_inst == 0:
            return self.name, float('nan')
        if self.average == 'macro':
            return self.name, self.sum_metric / self.num_inst
        n, _, sse_l = self._moments['label']
        sse_p = self._moments['pred'][2]
        return self.name, self._cov / ((n - 1) * numpy.sqrt(sse_p / (n - 1)) *
                                       numpy.sqrt(sse_l / (n - 1)))


@register
class PCC(EvalMetric):
    """Multi-class Matthews correlation (Gorodkin's R_K) from a confusion matrix that grows
    with the largest class seen."""

    def __init__(self, name='pcc', output_names=None, label_names=None, has_global_stats=True):
        self.k = 2
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=has_global_stats)

    def _grow(self, inc):
        self.lcm = numpy.pad(self.lcm, ((0, inc), (0, inc)), 'constant')
        self.gcm = numpy.pad(self.gcm, ((0, inc), (0, inc)), 'constant')
        self.k += inc

    @staticmethod
    def _rk(cmat):
        n = cmat.sum()
        x, y = cmat.sum(axis=1), cmat.sum(axis=0)
        cov_xx, cov_yy = numpy.sum(x * (n - x)), numpy.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float('nan')
        return numpy.sum(cmat.diagonal() * n - x * y) / (cov_xx * cov_yy) ** 0.5

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            lab = label.asnumpy().astype('int32')
            p = pred.asnumpy()
            p = p.argmax(axis=1) if p.shape != lab.shape else p.astype('int32')
            n = max(p.max(), lab.max())
            if n >= self.k:
                self._grow(n + 1 - self.k)
            cm = numpy.zeros((self.k, self.k))
            numpy.add.at(cm, (p, lab), 1)
            self.lcm += cm
            self.gcm += cm
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        return self._rk(self.lcm) * self.num_inst

    @sum_metric.setter
    def sum_metric(self, value):
        pass

    @property
    def global_sum_metric(self):
        return self._rk(self.gcm) * self.global_num_inst

    @global_sum_metric.setter
    def global_sum_metric(self, value):
        pass

    def reset(self):
        self.global_num_inst = 0.0
        self.gcm = numpy.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        self.num_inst = 0.0
        self.lcm = numpy.zeros((self.k, self.k))


@register
class Loss(EvalMetric):
    """Mean of the given loss values (the labels are ignored)."""

    def __init__(self, name='loss', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        for pred in [preds] if isinstance(preds, NDArray) else preds:
            self._add(pred.sum().asscalar(), pred.size)


@register
class Torch(Loss):
    """Dummy metric for torch criterions (a :class:`Loss`)."""

    def __init__(self, name='torch', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class Caffe(Loss):
    """Dummy metric for caffe criterions (a :class:`Loss`)."""

    def __init__(self, name='caffe', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class CustomMetric(EvalMetric):
    """A metric from ``feval(label, pred)`` on numpy arrays, returning a value (one
    instance) or a ``(sum_metric, num_inst)`` pair."""

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if '<' in name:
                name = 'custom(%s)' % name
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            result = self._feval(label.asnumpy(), pred.asnumpy())
            if isinstance(result, tuple):
                self._add(*result)
            else:
                self._add(result, 1)

    def get_config(self):
        raise NotImplementedError('CustomMetric cannot be serialized')


def np(numpy_feval, name=None, allow_extra_outputs=False):   # noqa: shadows numpy by design
    """A :class:`CustomMetric` from a function of numpy (label, pred)."""
    def feval(label, pred):
        return numpy_feval(label, pred)
    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)

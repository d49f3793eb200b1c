"""``mx.io``: data batches and iterators (``DataDesc``, ``DataBatch``, ``DataIter``,
``NDArrayIter``, ``ResizeIter``, ``PrefetchingIter``), as in MXNet 1.9.1.

``NDArrayIter`` keeps MXNet's batch semantics: ``last_batch_handle='pad'`` fills the last
batch from the start of the data (``pad`` says how many rows are filler), ``'discard'``
drops it, ``'roll_over'`` carries it into the first batch of the next epoch.  Shuffling uses
numpy's global generator (``np.random.shuffle``) as MXNet does, so ``np.random.seed`` gives
MXNet's order; each reset shuffles the already-shuffled data again.
``PrefetchingIter`` here fetches synchronously (no background threads)."""
from collections import OrderedDict, namedtuple

import numpy as np

from .ndarray import NDArray, array, concat

__all__ = ['DataDesc', 'DataBatch', 'DataIter', 'NDArrayIter', 'ResizeIter', 'PrefetchingIter']


class DataDesc(namedtuple('DataDesc', ['name', 'shape'])):
    """(name, shape) of one input, with ``dtype`` and ``layout`` attributes."""

    def __new__(cls, name, shape, dtype=np.float32, layout='NCHW'):
        desc = super().__new__(cls, name, shape)
        desc.dtype = dtype
        desc.layout = layout
        return desc

    def __repr__(self):
        return 'DataDesc[%s,%s,%s,%s]' % (self.name, self.shape, self.dtype, self.layout)

    @staticmethod
    def get_batch_axis(layout):
        return 0 if layout is None else layout.find('N')

    @staticmethod
    def get_list(shapes, types):
        types = dict(types) if types is not None else None
        return [DataDesc(n, s, types[n]) if types else DataDesc(n, s) for n, s in shapes]


class DataBatch:
    """One batch: lists of ``data`` and ``label`` NDArrays, ``pad`` (filler rows at the
    end), ``index``, ``bucket_key``, ``provide_data``/``provide_label``."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        if data is not None and not isinstance(data, (list, tuple)):
            raise AssertionError('Data must be list of NDArrays')
        if label is not None and not isinstance(label, (list, tuple)):
            raise AssertionError('Label must be list of NDArrays')
        self.data, self.label, self.pad, self.index = data, label, pad, index
        self.bucket_key = bucket_key
        self.provide_data, self.provide_label = provide_data, provide_label

    def __str__(self):
        labels = [x.shape for x in self.label] if self.label else None
        return '{}: data shapes: {} label shapes: {}'.format(
            type(self).__name__, [d.shape for d in self.data], labels)


class DataIter:
    """Base iterator: ``next()`` builds a DataBatch from ``iter_next``, ``getdata``,
    ``getlabel``, ``getpad`` and ``getindex``."""

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def reset(self):
        pass

    def next(self):
        if not self.iter_next():
            raise StopIteration
        return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(),
                         index=self.getindex())

    def __next__(self):
        return self.next()

    def iter_next(self):
        pass

    def getdata(self):
        pass

    def getlabel(self):
        pass

    def getindex(self):
        return None

    def getpad(self):
        pass


class _BatchIter(DataIter):
    """An iterator that keeps its current DataBatch in ``current_batch``: the getters read it."""

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class ResizeIter(_BatchIter):
    """Exactly ``size`` batches per epoch from ``data_iter``, restarting it as needed."""

    def __init__(self, data_iter, size, reset_internal=True):
        super().__init__()
        self.data_iter, self.size, self.reset_internal = data_iter, size, reset_internal
        self.cur = 0
        self.current_batch = None
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label
        self.batch_size = data_iter.batch_size
        if hasattr(data_iter, 'default_bucket_key'):
            self.default_bucket_key = data_iter.default_bucket_key

    def reset(self):
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self):
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True



class PrefetchingIter(_BatchIter):
    """Joins several iterators' batches (data and labels concatenated as lists), with
    optional renaming dicts.  Fetches synchronously."""

    def __init__(self, iters, rename_data=None, rename_label=None):
        super().__init__()
        self.iters = iters if isinstance(iters, list) else [iters]
        if not self.iters:
            raise AssertionError('PrefetchingIter needs at least one iterator')
        self.n_iter = len(self.iters)
        self.rename_data, self.rename_label = rename_data, rename_label
        self.batch_size = self.provide_data[0][1][0]
        self.current_batch = None

    def _renamed(self, attr, renames):
        if renames is None:
            return sum([getattr(i, attr) for i in self.iters], [])
        return sum([[DataDesc(r[x.name], x.shape, x.dtype) if isinstance(x, DataDesc)
                     else DataDesc(*x) for x in getattr(i, attr)]
                    for r, i in zip(renames, self.iters)], [])

    @property
    def provide_data(self):
        return self._renamed('provide_data', self.rename_data)

    @property
    def provide_label(self):
        return self._renamed('provide_label', self.rename_label)

    def reset(self):
        for i in self.iters:
            i.reset()

    def iter_next(self):
        batches = []
        for i in self.iters:
            try:
                batches.append(i.next())
            except StopIteration:
                batches.append(None)
        if batches[0] is None:
            if any(b is not None for b in batches):
                raise AssertionError('Number of entry mismatches between iterators')
            return False
        if any(b is None or b.pad != batches[0].pad for b in batches):
            raise AssertionError('Number of entry mismatches between iterators')
        self.current_batch = DataBatch(sum([b.data for b in batches], []),
                                       sum([b.label for b in batches], []), batches[0].pad,
                                       batches[0].index, provide_data=self.provide_data,
                                       provide_label=self.provide_label)
        return True

    def next(self):
        if not self.iter_next():
            raise StopIteration
        return self.current_batch



def _init_data(data, allow_empty, default_name):
    """Normalise data/label to a sorted list of (name, NDArray): one array is named
    ``default_name``; a list gets ``_0_<name>``, ``_1_<name>``...; a dict keeps its keys."""
    if data is None:
        if not allow_empty:
            raise AssertionError('data must not be None')
        data = []
    if isinstance(data, (np.ndarray, NDArray)):
        data = [data]
    if isinstance(data, list):
        if not allow_empty and not data:
            raise AssertionError('data must not be empty')
        if len(data) == 1:
            data = OrderedDict([(default_name, data[0])])
        else:
            data = OrderedDict(('_%d_%s' % (i, default_name), d) for i, d in enumerate(data))
    if not isinstance(data, dict):
        raise TypeError('Input must be NDArray, numpy.ndarray, h5py.Dataset a list of them or '
                        'dict with them as values')
    out = {}
    for k, v in data.items():
        if not isinstance(v, NDArray):
            try:
                v = array(v)
            except Exception:
                raise TypeError("Invalid type '%s' for %s, should be NDArray, numpy.ndarray or "
                                "h5py.Dataset" % (type(v), k)) from None
        out[k] = v
    return sorted(out.items())


class NDArrayIter(DataIter):
    """Batches of in-memory arrays (NDArray, numpy, or lists/dicts of them) along the
    ``layout``'s N axis; see the module docstring for ``last_batch_handle``."""

    def __init__(self, data, label=None, batch_size=1, shuffle=False, last_batch_handle='pad',
                 data_name='data', label_name='softmax_label', layout='NCHW'):
        super().__init__(batch_size)
        self.data = _init_data(data, allow_empty=False, default_name=data_name)
        self.label = _init_data(label, allow_empty=True, default_name=label_name)
        self.idx = np.arange(self.data[0][1].shape[0])
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.batch_size = batch_size
        self.cursor = -self.batch_size
        self.num_data = self.idx.shape[0]
        self.layout = layout
        self.reset()
        self.data_list = [x[1] for x in self.data] + [x[1] for x in self.label]
        self.num_source = len(self.data_list)
        self._cache_data = None
        self._cache_label = None

    def _descs(self, source):
        axis = self.layout.find('N')
        return [DataDesc(k, tuple(v.shape[:axis]) + (self.batch_size,) + tuple(v.shape[axis + 1:]),
                         v.dtype, layout=self.layout) for k, v in source]

    @property
    def provide_data(self):
        return self._descs(self.data)

    @property
    def provide_label(self):
        return self._descs(self.label)

    def hard_reset(self):
        """Reset, dropping any rolled-over rows."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None

    def reset(self):
        if self.shuffle:
            self._shuffle_data()
        if self.last_batch_handle == 'roll_over' and \
                self.num_data - self.batch_size < self.cursor < self.num_data:
            # the rows left over from this epoch start the next one
            self.cursor = self.cursor - self.num_data - self.batch_size
        else:
            self.cursor = -self.batch_size

    def iter_next(self):
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self):
        if not self.iter_next():
            raise StopIteration
        data, label = self.getdata(), self.getlabel()
        if data[0].shape[self.layout.find('N')] != self.batch_size:
            # a short last batch ('discard'/'roll_over'): kept for a roll-over, not returned
            self._cache_data, self._cache_label = data, label
            raise StopIteration
        return DataBatch(data=data, label=label, pad=self.getpad(), index=None)

    def _slice(self, source, start=0, end=None):
        axis = self.layout.find('N')
        out = []
        for _, v in source:
            stop = v.shape[axis] if end is None else end
            out.append(v.slice_axis(axis=axis, begin=start, end=stop))
        return out

    def _concat(self, first, second):
        if not first or not second:
            return first if first else second
        return [concat(a, b, dim=self.layout.find('N')) for a, b in zip(first, second)]

    def _batchify(self, source):
        if self.cursor >= self.num_data:
            raise AssertionError('DataIter needs reset.')
        n, bs = self.num_data, self.batch_size
        if self.last_batch_handle == 'roll_over' and -bs < self.cursor < 0:
            cached = self._cache_data if self._cache_data is not None else self._cache_label
            if cached is None:
                raise AssertionError('next epoch should have cached data')
            if self._cache_data is not None:
                self._cache_data = None
            else:
                self._cache_label = None
            return self._concat(cached, self._slice(source, end=self.cursor + bs))
        if self.last_batch_handle == 'pad' and self.cursor + bs > n:
            pad = bs - n + self.cursor
            filler = []
            if pad > n:
                whole = self._slice(source, end=n)
                filler = [x.tile(reps=(pad // n,) + (1,) * (x.ndim - 1)) for x in whole]
                if pad % n:
                    filler = self._concat(filler, self._slice(source, end=pad % n))
            else:
                filler = self._slice(source, end=pad)
            return self._concat(self._slice(source, start=self.cursor), filler)
        return self._slice(source, self.cursor, min(self.cursor + bs, n))

    def getdata(self):
        return self._batchify(self.data)

    def getlabel(self):
        return self._batchify(self.label)

    def getpad(self):
        if self.last_batch_handle == 'pad' and self.cursor + self.batch_size > self.num_data:
            return self.cursor + self.batch_size - self.num_data
        if self.last_batch_handle == 'roll_over' and -self.batch_size < self.cursor < 0:
            return -self.cursor
        return 0

    def _shuffle_data(self):
        np.random.shuffle(self.idx)
        self.data = [(k, array(v.asnumpy()[self.idx], v.context, dtype=v.dtype))
                     for k, v in self.data]
        self.label = [(k, array(v.asnumpy()[self.idx], v.context, dtype=v.dtype))
                      for k, v in self.label]

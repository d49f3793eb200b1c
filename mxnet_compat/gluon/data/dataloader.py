"""``DataLoader``: batches of samples from a Dataset."""
import numpy as np

from ... import ndarray as nd
from ...context import cpu_pinned
from . import sampler as _sampler

__all__ = ['DataLoader', 'default_batchify_fn', 'default_mp_batchify_fn']


def default_batchify_fn(data):
    """Stack a list of samples: NDArrays with ``nd.stack``, tuples element-wise (a list
    per field), anything else through ``numpy.asarray`` (keeping its dtype)."""
    if isinstance(data[0], nd.NDArray):
        return nd.stack(*data)
    if isinstance(data[0], tuple):
        return [default_batchify_fn(list(field)) for field in zip(*data)]
    data = np.asarray(data)
    return nd.array(data, dtype=data.dtype)


default_mp_batchify_fn = default_batchify_fn


def _as_in_context(data, ctx):
    if isinstance(data, nd.NDArray):
        return data.as_in_context(ctx)
    if isinstance(data, (list, tuple)):
        return [_as_in_context(d, ctx) for d in data]
    return data


class DataLoader:
    """Iterates over ``dataset`` in mini-batches.

    batch_size, shuffle (numpy's global generator), sampler, last_batch ('keep', 'discard'
    or 'rollover'), batch_sampler and batchify_fn behave as in MXNet.  ``num_workers``,
    ``thread_pool``, ``prefetch`` and ``timeout`` are accepted, but batches are always made
    in the calling process (JAX arrays need no shared-memory transport); the order and
    contents of the batches are the same."""

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None,
                 batch_sampler=None, batchify_fn=None, num_workers=0, pin_memory=False,
                 pin_device_id=0, prefetch=None, thread_pool=False, timeout=120,
                 try_nopython=None):
        self._dataset = dataset
        self._pin_memory = pin_memory
        self._pin_device_id = pin_device_id
        if batch_sampler is None:
            if batch_size is None:
                raise ValueError('batch_size must be specified unless batch_sampler is '
                                 'specified')
            if sampler is None:
                sampler = (_sampler.RandomSampler(len(dataset)) if shuffle
                           else _sampler.SequentialSampler(len(dataset)))
            elif shuffle:
                raise ValueError('shuffle must not be specified if sampler is specified')
            batch_sampler = _sampler.BatchSampler(sampler, batch_size,
                                                  last_batch if last_batch else 'keep')
        elif batch_size is not None or shuffle or sampler is not None or \
                last_batch is not None:
            raise ValueError('batch_size, shuffle, sampler and last_batch must not be specified '
                             'if batch_sampler is specified.')
        self._batch_sampler = batch_sampler
        self._num_workers = max(num_workers, 0)
        self._batchify_fn = batchify_fn if batchify_fn is not None else default_batchify_fn

    def __iter__(self):
        for batch in self._batch_sampler:
            ret = self._batchify_fn([self._dataset[idx] for idx in batch])
            if self._pin_memory:
                ret = _as_in_context(ret, cpu_pinned(self._pin_device_id))
            yield ret

    def __len__(self):
        return len(self._batch_sampler)

"""``DataLoader``: batches of samples from a Dataset, made in the calling process or in
worker processes (``num_workers > 0``, as in MXNet) or threads (``thread_pool=True``)."""
import io
import multiprocessing
import multiprocessing.pool
import os
import pickle
import warnings

import numpy as np

from ... import ndarray as nd
from ...context import Context, cpu_pinned
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


# ----------------------------------------------------------------------------- workers
# Worker processes are *spawned* fresh, not forked: a forked copy of a process in which
# JAX has started its thread pools can deadlock on its first JAX operation (MXNet forks;
# its engine is fork-aware, JAX is not).  So the dataset and batchify_fn travel pickled,
# once per worker (pool initializer), with hybridized blocks' compiled graphs left out
# (rebuilt in the worker).  Workers run JAX on the CPU only.  Batches come back as numpy
# arrays and are rebuilt as NDArrays in the parent: a child's JAX arrays never leave it.
# What cannot be pickled (a lambda, a local function) makes the loader use threads
# instead, with a warning.  MXNET_COMPAT_MP_START_METHOD=fork forks anyway.

_worker_dataset = None
_worker_batchify_fn = None


class _Shipped:
    """An NDArray as a numpy array, for the trip from a worker to the parent."""

    def __init__(self, array):
        self.value = array.asnumpy()


def _ship(data):
    if isinstance(data, nd.NDArray):
        return _Shipped(data)
    if isinstance(data, (list, tuple)):
        return type(data)(_ship(d) for d in data)
    return data


def _unship(data):
    if isinstance(data, _Shipped):
        return nd.array(data.value, dtype=data.value.dtype)
    if isinstance(data, (list, tuple)):
        return type(data)(_unship(d) for d in data)
    return data


class _WorkerPickler(pickle.Pickler):
    """Sends NDArrays as numpy arrays (rebuilt on the worker's CPU) and leaves compiled
    graphs (jitted functions) out of hybridized blocks."""

    def persistent_id(self, obj):
        from ..block import _CachedGraph
        if isinstance(obj, _CachedGraph):
            return ('graph',)
        if isinstance(obj, nd.NDArray):
            return ('ndarray', obj.asnumpy())
        return None

    def reducer_override(self, obj):
        if isinstance(obj, Context):
            return Context, (obj.device_type, obj.device_id)
        return NotImplemented


class _WorkerUnpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        if pid[0] == 'ndarray':
            return nd.array(pid[1], dtype=pid[1].dtype)
        return None


def _dumps_for_worker(obj):
    buf = io.BytesIO()
    _WorkerPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def _worker_initializer(payload, pickled):
    global _worker_dataset, _worker_batchify_fn  # noqa: PLW0603 - per-process state
    if pickled:
        payload = _WorkerUnpickler(io.BytesIO(payload)).load()
    _worker_dataset, _worker_batchify_fn = payload


def _worker_fn(samples):
    batch = _worker_batchify_fn([_worker_dataset[i] for i in samples])
    return _ship(batch)


def _thread_worker_fn(samples, batchify_fn, dataset):
    return batchify_fn([dataset[i] for i in samples])


def _process_pool(num_workers, dataset, batchify_fn):
    """A Pool of worker processes, or None if the dataset cannot be sent to one."""
    method = os.environ.get('MXNET_COMPAT_MP_START_METHOD', 'spawn')
    context = multiprocessing.get_context(method)
    if method == 'fork':
        initargs = ((dataset, batchify_fn), False)
    else:
        try:
            initargs = (_dumps_for_worker((dataset, batchify_fn)), True)
        except (pickle.PicklingError, AttributeError, TypeError) as e:
            warnings.warn('DataLoader: the dataset or batchify_fn cannot be pickled for '
                          'worker processes ({}); using {} threads instead.'
                          .format(e, num_workers))
            return None
    saved = os.environ.get('JAX_PLATFORMS')
    os.environ['JAX_PLATFORMS'] = 'cpu'   # inherited by the workers started now
    try:
        return context.Pool(num_workers, initializer=_worker_initializer, initargs=initargs)
    finally:
        if saved is None:
            del os.environ['JAX_PLATFORMS']
        else:
            os.environ['JAX_PLATFORMS'] = saved


class DataLoader:
    """Iterates over ``dataset`` in mini-batches.

    batch_size, shuffle (numpy's global generator), sampler, last_batch ('keep', 'discard'
    or 'rollover'), batch_sampler and batchify_fn behave as in MXNet.  With
    ``num_workers > 0`` a pool of that many worker processes (threads with
    ``thread_pool=True``) makes the batches, up to ``prefetch`` (default
    ``2 * num_workers``) ahead; batches still come in sampler order, with the same
    contents as with ``num_workers=0``.  ``timeout`` is the seconds to wait for one batch.
    Worker processes are spawned, not forked (see the comment on worker processes in this module); a
    dataset that cannot be pickled falls back to threads.  Random draws inside a worker
    come from that process's own generators."""

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
        self._thread_pool = thread_pool
        self._timeout = timeout
        self._prefetch = max(0, int(prefetch) if prefetch is not None
                             else 2 * self._num_workers)
        self._worker_pool = None
        if self._num_workers > 0:
            if not thread_pool:
                self._worker_pool = _process_pool(self._num_workers, self._dataset,
                                                  self._batchify_fn)
                self._thread_pool = self._worker_pool is None
            if self._thread_pool:
                self._worker_pool = multiprocessing.pool.ThreadPool(self._num_workers)

    def _submit(self, samples):
        if self._thread_pool:
            return self._worker_pool.apply_async(
                _thread_worker_fn, (samples, self._batchify_fn, self._dataset))
        return self._worker_pool.apply_async(_worker_fn, (samples,))

    def _fetch(self, pending):
        ret = pending.get(self._timeout)
        return ret if self._thread_pool else _unship(ret)

    def __iter__(self):
        if self._worker_pool is None:
            for batch in self._batch_sampler:
                yield self._pin(self._batchify_fn([self._dataset[idx] for idx in batch]))
            return
        batches = iter(self._batch_sampler)
        pending = []   # AsyncResults in sampler order
        for samples in batches:
            pending.append(self._submit(samples))
            if len(pending) > self._prefetch:
                yield self._pin(self._fetch(pending.pop(0)))
        while pending:
            yield self._pin(self._fetch(pending.pop(0)))

    def _pin(self, ret):
        if self._pin_memory:
            return _as_in_context(ret, cpu_pinned(self._pin_device_id))
        return ret

    def __del__(self):
        pool = getattr(self, '_worker_pool', None)
        if pool is not None:
            pool.terminate()
            self._worker_pool = None

    def __len__(self):
        return len(self._batch_sampler)

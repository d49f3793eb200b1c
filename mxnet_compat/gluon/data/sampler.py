"""Samplers: iterables of dataset indices (and of batches of indices)."""
import numpy as np

__all__ = ['Sampler', 'SequentialSampler', 'RandomSampler', 'FilterSampler', 'BatchSampler']


class Sampler:
    """Base class: iterate over indices; ``len`` is their number."""

    def __iter__(self):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """``start, start + 1, ..., start + length - 1``."""

    def __init__(self, length, start=0):
        self._length = length
        self._start = start

    def __iter__(self):
        return iter(range(self._start, self._start + self._length))

    def __len__(self):
        return self._length


class RandomSampler(Sampler):
    """A fresh permutation of ``range(length)`` each epoch, drawn from numpy's global
    generator (as MXNet does: ``np.random.seed`` makes the order reproducible)."""

    def __init__(self, length):
        self._length = length

    def __iter__(self):
        indices = np.arange(self._length)
        np.random.shuffle(indices)
        return iter(indices)

    def __len__(self):
        return self._length


class FilterSampler(Sampler):
    """The indices of the samples for which ``fn(sample)`` is true."""

    def __init__(self, fn, dataset):
        self._fn = fn
        self._dataset = dataset
        self._indices = [i for i, sample in enumerate(dataset) if fn(sample)]

    def __iter__(self):
        return iter(self._indices)

    def __len__(self):
        return len(self._indices)


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of ``batch_size``.  The incomplete last
    batch is yielded ('keep'), dropped ('discard'), or carried over to the start of the next
    epoch ('rollover')."""

    def __init__(self, sampler, batch_size, last_batch='keep'):
        self._sampler = sampler
        self._batch_size = batch_size
        self._last_batch = last_batch
        self._prev = []

    def __iter__(self):
        batch, self._prev = self._prev, []
        for i in self._sampler:
            batch.append(i)
            if len(batch) == self._batch_size:
                yield batch
                batch = []
        if batch:
            if self._last_batch == 'keep':
                yield batch
            elif self._last_batch == 'rollover':
                self._prev = batch
            elif self._last_batch != 'discard':
                raise ValueError("last_batch must be one of 'keep', 'discard', or 'rollover', "
                                 "but got %s" % self._last_batch)

    def __len__(self):
        n, b = len(self._sampler), self._batch_size
        if self._last_batch == 'keep':
            return (n + b - 1) // b
        if self._last_batch == 'discard':
            return n // b
        if self._last_batch == 'rollover':
            return (len(self._prev) + n) // b
        raise ValueError("last_batch must be one of 'keep', 'discard', or 'rollover', but got "
                         "%s" % self._last_batch)

"""Devices: MXNet's ``Context`` mapped onto JAX devices.

``cpu(i)`` is the i-th JAX CPU device when JAX has several (set
``XLA_FLAGS=--xla_force_host_platform_device_count=N``), else the only one: MXNet
treats every ``cpu(i)`` as the same memory, so arrays on ``cpu(0)`` and ``cpu(1)``
mix freely.  ``gpu(i)`` is the i-th accelerator JAX sees, whatever its platform
(CUDA, ROCm or TPU).  Constructing ``gpu(0)`` never fails; allocating on it
raises ``MXNetError`` where no accelerator exists, as MXNet does without CUDA.
"""
import threading

import jax

from .base import MXNetError

__all__ = ['Context', 'cpu', 'gpu', 'cpu_pinned', 'num_gpus', 'current_context', 'gpu_memory_info']


def _cpu_devices():
    return jax.devices('cpu')


def _accelerators():
    """Every non-CPU device JAX can reach, in JAX's order."""
    if jax.default_backend() == 'cpu':
        return []
    return [d for d in jax.devices() if d.platform != 'cpu']


class _ClassProperty:
    """A read-only property on the class itself (MXNet's ``Context.default_ctx``)."""

    def __init__(self, fget):
        self.fget = fget

    def __get__(self, obj, owner):
        return self.fget(owner)


class Context:
    """A device label: ``Context('cpu', 0)``, ``Context('gpu', 1)`` or a copy of another Context."""
    _default = threading.local()
    devtype2str = {1: 'cpu', 2: 'gpu', 3: 'cpu_pinned', 5: 'cpu_shared'}
    devstr2type = {'cpu': 1, 'gpu': 2, 'cpu_pinned': 3, 'cpu_shared': 5}
    __slots__ = ('device_typeid', 'device_id', '_device')

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, Context):
            self.device_typeid = device_type.device_typeid
            self.device_id = device_type.device_id
        else:
            if device_type not in Context.devstr2type:
                raise MXNetError('Unknown device type {!r}; expected one of cpu, gpu, '
                                 'cpu_pinned, cpu_shared'.format(device_type))
            self.device_typeid = Context.devstr2type[device_type]
            self.device_id = int(device_id)
        self._device = None

    @property
    def device_type(self):
        return Context.devtype2str[self.device_typeid]

    def __hash__(self):
        return hash((self.device_typeid, self.device_id))

    def __eq__(self, other):
        return (isinstance(other, Context) and self.device_typeid == other.device_typeid
                and self.device_id == other.device_id)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __str__(self):
        return '%s(%d)' % (self.device_type, self.device_id)

    __repr__ = __str__

    def __enter__(self):
        # a per-thread stack, so that nesting ``with`` on the same Context object restores
        stack = Context._default.__dict__.setdefault('stack', [])
        stack.append(_current())
        Context._default.value = self
        return self

    def __exit__(self, ptype, value, trace):
        Context._default.value = Context._default.stack.pop()

    default_ctx = _ClassProperty(lambda cls: _current())

    @property
    def is_accelerator(self):
        return self.device_typeid == 2

    @property
    def jax_device(self):
        """The JAX device behind this context; ``MXNetError`` if there is none."""
        dev = self._device
        if dev is None:
            if self.is_accelerator:
                accel = _accelerators()
                if self.device_id >= len(accel):
                    raise MXNetError(
                        'Cannot use {}: {} accelerator(s) visible to JAX. Install jax with '
                        'accelerator support (pip install "mxnet-compat[cuda12]" or "[tpu]") or '
                        'use mx.cpu()'.format(self, len(accel)))
                dev = accel[self.device_id]
            else:
                cpus = _cpu_devices()
                dev = cpus[self.device_id] if self.device_id < len(cpus) else cpus[0]
            self._device = dev
        return dev

    def empty_cache(self):
        """Release cached device memory (JAX manages its own pools: a no-op here)."""


_CPU0 = Context('cpu', 0)


def cpu(device_id=0):
    """The CPU context ``cpu(device_id)``."""
    return Context('cpu', device_id)


def cpu_pinned(device_id=0):
    """Pinned host memory in MXNet; plain host memory here."""
    return Context('cpu_pinned', device_id)


def gpu(device_id=0):
    """The ``device_id``-th accelerator JAX sees (CUDA, ROCm or TPU)."""
    return Context('gpu', device_id)


def num_gpus():
    """How many accelerators JAX sees (MXNet counts CUDA GPUs; we count any accelerator)."""
    return len(_accelerators())


def gpu_memory_info(device_id=0):
    """(free, total) bytes on accelerator ``device_id`` where the backend reports it."""
    dev = gpu(device_id).jax_device
    stats = dev.memory_stats() or {}
    total = stats.get('bytes_limit', 0)
    return total - stats.get('bytes_in_use', 0), total


def _current():
    ctx = getattr(Context._default, 'value', None)
    if ctx is None:
        ctx = Context._default.value = _CPU0
    return ctx


def current_context():
    """The default context for new arrays: ``cpu(0)`` unless inside ``with ctx:``."""
    return _current()


def as_context(ctx):
    """A Context from a Context or its string form (``'cpu(1)'``, ``'gpu(0)'``), as MXNet's
    ``ctx=`` arguments accept; None means the current context."""
    if ctx is None:
        return _current()
    if isinstance(ctx, Context):
        return ctx
    if isinstance(ctx, str):
        name, _, rest = ctx.partition('(')
        if rest.endswith(')') and name in Context.devstr2type and rest[:-1].strip().isdigit():
            return Context(name, int(rest[:-1]))
        raise MXNetError('Invalid context string {!r}: expected a form like "cpu(0)" or '
                         '"gpu(1)"'.format(ctx))
    raise MXNetError('Invalid context {!r}'.format(ctx))


def context_for(device):
    """The Context that names a JAX device (used when wrapping foreign jax arrays)."""
    if device.platform == 'cpu':
        return Context('cpu', _cpu_devices().index(device))
    return Context('gpu', _accelerators().index(device))

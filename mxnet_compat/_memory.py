"""Host memory reuse for XLA's CPU buffers.

Every call of a compiled program allocates its outputs (and large temporaries) with the C
library's ``malloc``.  glibc serves blocks above its mmap threshold with fresh ``mmap``
pages and gives freed memory at the top of the heap back to the system, so a training
step that produces a few megabytes of activations or residuals pays for page faults and
kernel zeroing on every call: a 7 MB patch matrix took 2.7 ms to write as a program
output, 0.56 ms once freed blocks were reused (LeNet's hybridized training step on CPU:
10.8 -> 8.3 ms).  :func:`keep_freed_memory` raises both glibc thresholds so that freed
blocks stay in the process and are reused, the way a pooling allocator (MXNet's storage
managers) keeps them.

The process then holds on to its peak heap size instead of returning it.  Setting
``MXNET_CPU_MEM_POOL_TYPE=Unpooled`` (MXNet's switch for turning its pool off) before
importing mxnet leaves the C library's defaults alone."""
import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1      # glibc's mallopt parameter numbers (malloc.h)
_M_MMAP_THRESHOLD = -3

# Largest block still served from the heap, and heap-top size kept rather than trimmed.
MMAP_THRESHOLD = 1 << 30
TRIM_THRESHOLD = 1 << 31


def keep_freed_memory(environ=None):
    """Raise glibc's mmap and trim thresholds (Linux with glibc only).  Returns whether
    they were set; False on other C libraries and platforms, or when
    ``MXNET_CPU_MEM_POOL_TYPE`` is ``Unpooled``."""
    environ = os.environ if environ is None else environ
    if environ.get('MXNET_CPU_MEM_POOL_TYPE', '').strip().lower() == 'unpooled':
        return False
    if not sys.platform.startswith('linux'):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version        # glibc only: musl's mallopt does nothing
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # glibc caps the mmap threshold (32 MB on older versions): fall back to the cap.
    if not mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and \
            not mallopt(_M_MMAP_THRESHOLD, 32 << 20):
        return False
    return bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))

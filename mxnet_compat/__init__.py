"""mxnet-compat: Apache MXNet 1.x's Python API on JAX.

``import mxnet as mx`` gives this package (``mxnet`` is a thin alias of
``mxnet_compat``).  ``mx.__version__`` is the MXNet API version we reproduce;
``mx.compat_version`` is this package's own version."""
from . import _memory

# Before any array exists: XLA's CPU buffers come from malloc; keep freed ones for reuse.
_memory_pooled = _memory.keep_freed_memory()

import jax as _jax  # noqa: E402

# MXNet code uses float64/int64 arrays, which need JAX's (process-wide) x64 switch.  Our
# defaults stay float32 because every creation path passes MXNet's dtype explicitly.
_jax.config.update('jax_enable_x64', True)

__version__ = '1.9.1'
compat_version = '0.1.0'
mxnet_api_version = __version__

from . import base  # noqa: E402
from .base import MXNetError  # noqa: E402
from . import context  # noqa: E402
from .context import Context, cpu, gpu, cpu_pinned, current_context  # noqa: E402
from . import ndarray  # noqa: E402
from . import ndarray as nd  # noqa: E402
from . import autograd  # noqa: E402
from . import random  # noqa: E402
from . import initializer  # noqa: E402
from . import initializer as init  # noqa: E402
from . import optimizer  # noqa: E402
from . import lr_scheduler  # noqa: E402
from . import gluon  # noqa: E402
from . import metric  # noqa: E402
from . import io  # noqa: E402
from . import recordio  # noqa: E402
from . import test_utils  # noqa: E402

rnd = random

"""``mxnet``: an alias of ``mxnet_compat``.

``import mxnet as mx`` returns the ``mxnet_compat`` package itself and every
``mxnet.X`` submodule is the very module ``mxnet_compat.X`` (so
``mxnet.ndarray is mxnet_compat.ndarray``), through a small import hook."""
import importlib
import importlib.abc
import importlib.util
import sys

import mxnet_compat


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, real_name):
        self.real_name = real_name

    def create_module(self, spec):
        return importlib.import_module(self.real_name)

    def exec_module(self, module):
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``mxnet.X`` to the already-existing module ``mxnet_compat.X``."""

    def find_spec(self, fullname, path, target=None):
        if not fullname.startswith('mxnet.'):
            return None
        real = 'mxnet_compat.' + fullname[len('mxnet.'):]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())
for _name, _mod in list(sys.modules.items()):
    if _name.startswith('mxnet_compat.'):
        sys.modules.setdefault('mxnet.' + _name[len('mxnet_compat.'):], _mod)
sys.modules['mxnet'] = mxnet_compat

"""``mx.nd.linalg``: the ``_linalg_*`` operators under their short names.

``nd.linalg.gemm2(A, B)`` runs the same operator record as ``nd.linalg_gemm2`` and
``nd._linalg_gemm2`` (see ``ops_linalg.py`` for the semantics): float32/float64 inputs,
batches over the leading axes, gradients derived by JAX."""
from . import ops_linalg  # noqa: F401  (registers the operators)
from .registry import OPS, make_function

__all__ = ['gemm', 'gemm2', 'potrf', 'potri', 'trmm', 'trsm', 'sumlogdiag', 'syrk', 'gelqf',
           'syevd', 'inverse', 'det', 'slogdet', 'extractdiag', 'makediag', 'extracttrian',
           'maketrian']


def _function(name):
    fn = make_function(OPS['_linalg_' + name], name)
    fn.__module__ = __name__
    return fn


gemm = _function('gemm')
gemm2 = _function('gemm2')
potrf = _function('potrf')
potri = _function('potri')
trmm = _function('trmm')
trsm = _function('trsm')
sumlogdiag = _function('sumlogdiag')
syrk = _function('syrk')
gelqf = _function('gelqf')
syevd = _function('syevd')
inverse = _function('inverse')
det = _function('det')
slogdet = _function('slogdet')
extractdiag = _function('extractdiag')
makediag = _function('makediag')
extracttrian = _function('extracttrian')
maketrian = _function('maketrian')

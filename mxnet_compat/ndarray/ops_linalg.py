"""Matrix operators: ``dot``, ``batch_dot`` and the ``_linalg_*`` family (``nd.linalg``).

The ``_linalg_*`` operators follow MXNet's ``la_op``: float32/float64 only; inputs of
dimension n > 2 are batches over the leading n-2 axes (no broadcasting); triangular
inputs are read from the triangle named by ``lower`` (the other one is ignored, also by
the gradients); matrix products use full float32 precision (no TF32), as MXNet does by
default.  JAX derives every gradient; where MXNet's backward treats a symmetric input as
symmetric (``potrf``, ``syevd``) the forward reads the lower triangle and the gradient is
the symmetric one, as in MXNet.
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from .registry import OPS, Op, Param, register

_T = (Param('transpose_a', False, 'bool'), Param('transpose_b', False, 'bool'),
      Param('forward_stype', None, 'str'))


def _t(x):
    return jnp.transpose(x) if x.ndim > 1 else x


@register('dot', inputs=('lhs', 'rhs'), params=_T, method='dot', family='linalg',
          sample={'shapes': [(2, 3), (3, 2)]})
def _dot(lhs, rhs, transpose_a, transpose_b, forward_stype):
    """Sum product over the last axis of ``lhs`` and the first axis of ``rhs`` (1-D . 1-D
    gives shape (1,)); ``transpose_a``/``transpose_b`` transpose the operands first.
    Integer operands raise, as MXNet 1.9.1 has no integer dot on CPU."""
    if not jnp.issubdtype(lhs.dtype, jnp.floating):
        raise ValueError('dot: MXNet 1.9.1 implements dot for floating-point dtypes only, got '
                         '{}'.format(lhs.dtype))
    a = _t(lhs) if transpose_a else lhs
    b = _t(rhs) if transpose_b else rhs
    if a.shape[-1] != b.shape[0]:
        raise ValueError('dot shape error: {} X {}'.format(list(lhs.shape), list(rhs.shape)))
    out = jnp.tensordot(a, b, axes=1)
    return out.reshape(1) if out.ndim == 0 else out


@register('batch_dot', inputs=('lhs', 'rhs'), params=_T, family='linalg',
          sample={'shapes': [(2, 2, 3), (2, 3, 2)]})
def _batch_dot(lhs, rhs, transpose_a, transpose_b, forward_stype):
    """Batched matrix product of (B, N, M) and (B, M, K) arrays."""
    a = jnp.swapaxes(lhs, -1, -2) if transpose_a else lhs
    b = jnp.swapaxes(rhs, -1, -2) if transpose_b else rhs
    if a.shape[-1] != b.shape[-2] or a.shape[0] != b.shape[0]:
        raise ValueError('batch_dot shape error: {} X {}'.format(list(lhs.shape),
                                                                 list(rhs.shape)))
    return jnp.matmul(a, b)


# ----------------------------------------------------------------------------- la_op family

class LinalgOp(Op):
    """An :class:`Op` whose eager results are checked like MXNet's LAPACK return codes:
    ``post(args, outputs)`` returns an error message (or None) for concrete values (it
    synchronises with the device).  Replays of a recorded graph (tracers) are not checked."""

    def __init__(self, name, impl, post=None, **spec):
        super().__init__(name, impl, **spec)
        self.post = post

    def primitive(self, static):
        fn = self._cache.get(static)
        if fn is not None:
            return fn
        jitted = super().primitive(static)
        if self.post is None:
            return jitted
        post, name = self.post, self.name

        def checked(*args):
            out = jitted(*args)
            if not any(isinstance(a, jax.core.Tracer) for a in args):
                msg = post(args, out)
                if msg:
                    raise MXNetError('Error in operator {}: {}'.format(name, msg))
            return out
        checked.__name__ = name
        self._cache[static] = checked
        return checked


# Inputs for the generated gradient tests (tests/test_registry_gradients.py).
_SPD = [[2.0, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1.8]]
_LOWER = [[1.2, 0.0, 0.0], [0.3, 1.5, 0.0], [-0.4, 0.2, 1.1]]
_SQUARE = {'shapes': [(3, 3)]}


def _linalg(name, inputs=('A',), params=(), alias=True, post=None, num_outputs=1,
            sample=None):
    """Register ``_linalg_<name>`` (and the flat alias ``linalg_<name>``)."""
    def deco(impl):
        op = LinalgOp('_linalg_' + name, impl, inputs=inputs, params=params,
                      num_outputs=num_outputs, family='linalg', post=post, sample=sample)
        for n in ('_linalg_' + name,) + (('linalg_' + name,) if alias else ()):
            OPS[n] = op
        return op
    return deco


_HI = lax.Precision.HIGHEST


def _mm(a, b):
    return jnp.matmul(a, b, precision=_HI)


def _floats(*arrays):
    for a in arrays:
        if a.dtype not in (np.float32, np.float64):
            raise ValueError('This operation only supports 32-bit and 64-bit floating point')


def _matrices(a, square=False, what='Input operand'):
    if a.ndim < 2:
        raise ValueError('Check failed: ndim >= 2 ({} vs. 2) : {} must be a tensor of '
                         'matrices'.format(a.ndim, what))
    if square and a.shape[-1] != a.shape[-2]:
        raise ValueError('Check failed: ({} vs. {}) : {} must be a tensor of square matrices'
                         .format(a.shape[-2], a.shape[-1], what))


def _same_batch(*arrays):
    first = arrays[0]
    for i, a in enumerate(arrays[1:], 1):
        if a.ndim != first.ndim or a.shape[:-2] != first.shape[:-2]:
            raise ValueError('Shapes of inputs 0, {} must be the same, except on row/col axis: '
                             '{} vs {}'.format(i, first.shape, a.shape))


def _mT(x):
    return jnp.swapaxes(x, -1, -2)


def _row_axis(axis, ndim):
    ax = axis + ndim if axis < 0 else axis
    if not 0 <= ax < ndim - 1:
        raise ValueError('Check failed: axis >= 0 && axis < ndim-1: Invalid row axis ({})'
                         .format(axis))
    return ax


def _gemm_core(A, B, C, transpose_a, transpose_b, alpha, beta, axis):
    arrays = (A, B) if C is None else (A, B, C)
    _floats(*arrays)
    for a in arrays:
        _matrices(a)
    ax = _row_axis(axis, A.ndim)
    if ax != A.ndim - 2:   # rows on another axis: move it next to the columns and back
        arrays = tuple(jnp.swapaxes(a, ax, a.ndim - 2) for a in arrays)
    _same_batch(*arrays)
    a = _mT(arrays[0]) if transpose_a else arrays[0]
    b = _mT(arrays[1]) if transpose_b else arrays[1]
    if a.shape[-1] != b.shape[-2]:
        raise ValueError('Incompatible matrix dimensions for multiplication: {} and {}'
                         .format(A.shape, B.shape))
    out = alpha * _mm(a, b)
    if C is not None:
        if arrays[2].shape != out.shape:
            raise ValueError('Shape inconsistent, Provided = {}, inferred shape={}'.format(
                C.shape, out.shape))
        out = out + beta * arrays[2]
    return jnp.swapaxes(out, ax, out.ndim - 2) if ax != A.ndim - 2 else out


_ALPHA = Param('alpha', 1.0, 'scalar', dynamic=True)
_AXIS = Param('axis', -2, 'int')


@_linalg('gemm', inputs=('A', 'B', 'C'), sample={'shapes': [(2, 3), (3, 4), (2, 4)]},
         params=(Param('transpose_a', False, 'bool'), Param('transpose_b', False, 'bool'),
                 _ALPHA, Param('beta', 1.0, 'scalar', dynamic=True), _AXIS))
def _gemm(A, B, C, alpha, beta, transpose_a, transpose_b, axis):
    """``alpha * op(A) @ op(B) + beta * C`` (op: optional transpose), batched over leading
    axes; ``axis`` names the row axis (default -2; the columns are the last axis)."""
    return _gemm_core(A, B, C, transpose_a, transpose_b, alpha, beta, axis)


@_linalg('gemm2', inputs=('A', 'B'), sample={'shapes': [(2, 3), (3, 2)]},
         params=(Param('transpose_a', False, 'bool'), Param('transpose_b', False, 'bool'),
                 _ALPHA, _AXIS))
def _gemm2(A, B, alpha, transpose_a, transpose_b, axis):
    """``alpha * op(A) @ op(B)``, batched over leading axes; ``axis`` as in ``gemm``."""
    return _gemm_core(A, B, None, transpose_a, transpose_b, alpha, 0.0, axis)


def _sym_from_lower(A):
    """The symmetric matrix MXNet's LAPACK calls see (lower triangle, mirrored), with the
    gradient MXNet's backward gives (that of the symmetric part of A)."""
    lower = jnp.tril(A) + _mT(jnp.tril(A, -1))
    sym = (A + _mT(A)) / 2
    return sym + lax.stop_gradient(lower - sym)


def _not_finite(msg):
    """A post-check: finite inputs must give finite outputs (LAPACK's failure code)."""
    def all_finite(arrays):
        return all(bool(jnp.all(jnp.isfinite(a))) for a in arrays)

    def post(args, out):
        if all_finite(args) and not all_finite(out if isinstance(out, tuple) else (out,)):
            return msg
        return None
    return post


# potrf/syevd: MXNet's gradient is the symmetric one, not the derivative of the lower-
# triangle-reading forward, so entry-wise finite differences do not apply (wrt=()).
@_linalg('potrf', sample={'inputs': [_SPD], 'wrt': ()}, post=_not_finite(
    'potrf failed: the input matrix is either not symmetric or not positive definite'))
def _potrf(A):
    """Cholesky factor L (lower triangular, A = L L^T) of the symmetric positive definite
    matrices in A, read from their lower triangle.  MXNet raises MXNetError when a matrix is
    not positive definite; so do we (for finite inputs that give a non-finite factor)."""
    _floats(A)
    _matrices(A, square=True)
    return jnp.linalg.cholesky(_sym_from_lower(A), symmetrize_input=False)


@_linalg('potri', sample={'inputs': [_LOWER]})
def _potri(A):
    """``(L L^T)^-1`` from the Cholesky factor L in the lower triangle of A (the inverse of
    the matrix ``potrf`` factorised)."""
    _floats(A)
    _matrices(A, square=True)
    eye = jnp.broadcast_to(jnp.eye(A.shape[-1], dtype=A.dtype), A.shape)
    linv = lax.linalg.triangular_solve(jnp.tril(A), eye, left_side=True, lower=True)
    return _mm(_mT(linv), linv)


def _triangle(A, lower):
    return jnp.tril(A) if lower else jnp.triu(A)


_TRI = (Param('transpose', False, 'bool'), Param('rightside', False, 'bool'),
        Param('lower', True, 'bool'), _ALPHA)


_TRI_SAMPLE = {'inputs': [_LOWER], 'shapes': [(3, 3), (3, 2)]}


@_linalg('trmm', inputs=('A', 'B'), params=_TRI, sample=_TRI_SAMPLE)
def _trmm(A, B, alpha, transpose, rightside, lower):
    """``alpha * op(A) @ B`` (``rightside``: ``alpha * B @ op(A)``) with A triangular
    (``lower`` or upper triangle read), op an optional transpose."""
    _floats(A, B)
    _matrices(A, square=True)
    _matrices(B)
    _same_batch(A, B)
    a = _triangle(A, lower)
    a = _mT(a) if transpose else a
    return alpha * (_mm(B, a) if rightside else _mm(a, B))


@_linalg('trsm', inputs=('A', 'B'), params=_TRI, sample=_TRI_SAMPLE)
def _trsm(A, B, alpha, transpose, rightside, lower):
    """Solves ``op(A) X = alpha B`` (``rightside``: ``X op(A) = alpha B``) for X, A
    triangular.  A zero on the diagonal gives infinities, not an error (as in MXNet)."""
    _floats(A, B)
    _matrices(A, square=True)
    _matrices(B)
    _same_batch(A, B)
    return lax.linalg.triangular_solve(_triangle(A, lower), alpha * B, left_side=not rightside,
                                       lower=lower, transpose_a=transpose)


@_linalg('sumlogdiag', sample=_SQUARE)
def _sumlogdiag(A):
    """Sum of the logarithms of the diagonal of each square matrix (NaN for a negative
    diagonal entry); shape A.shape[:-2], (1,) for a single matrix."""
    _floats(A)
    _matrices(A, square=True)
    out = jnp.sum(jnp.log(jnp.diagonal(A, 0, -2, -1)), -1)
    return out.reshape(1) if A.ndim == 2 else out


@_linalg('syrk', sample={}, params=(Param('transpose', False, 'bool'), _ALPHA))
def _syrk(A, alpha, transpose):
    """``alpha * A @ A^T`` (``transpose``: ``alpha * A^T @ A``)."""
    _floats(A)
    _matrices(A)
    return alpha * (_mm(_mT(A), A) if transpose else _mm(A, _mT(A)))


@_linalg('gelqf', num_outputs=2, sample={})
def _gelqf(A):
    """LQ factorisation ``A = L Q`` of matrices with rows <= columns: returns ``(Q, L)``
    (Q row-orthonormal, L lower triangular), the signs of LAPACK's Householder QR."""
    _floats(A)
    _matrices(A)
    if A.shape[-2] > A.shape[-1]:
        raise ValueError('Check failed: in_a[ndim-2] <= in_a[ndim-1] ({} vs. {}) : Input A '
                         'shape wrong: Last dimension must be >= than second to last'
                         .format(A.shape[-2], A.shape[-1]))
    q, r = jnp.linalg.qr(_mT(A), mode='reduced')
    return _mT(q), _mT(r)


@_linalg('syevd', alias=False, num_outputs=2, sample={'inputs': [_SPD], 'wrt': ()})
def _syevd(A):
    """Eigendecomposition of symmetric matrices (lower triangle read): returns ``(U, L)``
    with the eigenvectors in the rows of U and the eigenvalues L ascending.  Each row of
    U is signed so that its largest-magnitude entry (the first on ties) is positive, as
    in MXNet.  MXNet 1.9.1 has no flat ``linalg_syevd`` alias, only ``_linalg_syevd``."""
    _floats(A)
    _matrices(A, square=True)
    w, v = jnp.linalg.eigh(_sym_from_lower(A), symmetrize_input=False)
    u = _mT(v)
    idx = jnp.argmax(jnp.abs(lax.stop_gradient(u)), axis=-1)[..., None]
    sign = jnp.where(jnp.take_along_axis(lax.stop_gradient(u), idx, -1) < 0, -1, 1)
    return u * sign.astype(u.dtype), w


@_linalg('inverse', sample={'inputs': [_SPD]},
         post=_not_finite('the input matrix is non-convertible (singular)'))
def _inverse(A):
    """Inverse of each square matrix; MXNet raises MXNetError for a singular one, and so
    do we (for finite inputs with a non-finite inverse)."""
    _floats(A)
    _matrices(A, square=True)
    return jnp.linalg.inv(A)


@_linalg('det', sample=_SQUARE)
def _det(A):
    """Determinant of each square matrix; shape A.shape[:-2], (1,) for a single matrix."""
    _floats(A)
    _matrices(A, square=True)
    out = jnp.linalg.det(A)
    return out.reshape(1) if A.ndim == 2 else out


@_linalg('slogdet', num_outputs=2, sample=_SQUARE)
def _slogdet(A):
    """``(sign, log|det|)`` of each square matrix (sign 0 and -inf for a singular one);
    no gradient flows through the sign."""
    _floats(A)
    _matrices(A, square=True)
    sign, logdet = jnp.linalg.slogdet(A)
    if A.ndim == 2:
        sign, logdet = sign.reshape(1), logdet.reshape(1)
    return lax.stop_gradient(sign), logdet


_OFFSET = Param('offset', 0, 'int')


@_linalg('extractdiag', params=(_OFFSET,), sample=_SQUARE)
def _extractdiag(A, offset):
    """The ``offset``-th diagonal of each square matrix (above the main one for offset > 0)."""
    _floats(A)
    _matrices(A, square=True)
    return jnp.diagonal(A, offset, -2, -1)


@_linalg('makediag', params=(_OFFSET,), sample={'params': {'offset': -1}})
def _makediag(A, offset):
    """Square matrices with the last axis of A on their ``offset``-th diagonal, zeros
    elsewhere: (..., n) -> (..., n+|offset|, n+|offset|)."""
    _floats(A)
    n = A.shape[-1]
    m = n + abs(offset)
    rows = np.arange(n) + max(-offset, 0)
    cols = np.arange(n) + max(offset, 0)
    out = jnp.zeros(A.shape[:-1] + (m, m), A.dtype)
    return out.at[..., rows, cols].set(A)


def _tri_indices(m, offset, lower):
    """(rows, cols) of the triangle MXNet's extracttrian/maketrian use, in MXNet's order:
    a lower triangle row by row, an upper one column by column (the lower triangle of
    the transpose)."""
    if offset > 0 or (offset == 0 and not lower):
        cols, rows = np.tril_indices(m, -offset)
        return rows, cols
    return np.tril_indices(m, offset)


_TRIAN = (_OFFSET, Param('lower', True, 'bool'))


@_linalg('extracttrian', params=_TRIAN, sample=_SQUARE)
def _extracttrian(A, offset, lower):
    """The triangle of each square matrix as a vector: the lower (``lower``, row by row) or
    upper triangle (column by column) for offset 0, the upper triangle above the
    ``offset``-th diagonal for offset > 0, the lower one below it for offset < 0 (``lower``
    is then ignored)."""
    _floats(A)
    _matrices(A, square=True)
    rows, cols = _tri_indices(A.shape[-1], offset, lower)
    return A[..., rows, cols]


@_linalg('maketrian', params=_TRIAN, sample={'params': {'offset': 1}})
def _maketrian(A, offset, lower):
    """Inverse of ``extracttrian``: the last axis of A (length m(m+1)/2) fills a triangle of
    (m+|offset|)-square matrices, zeros elsewhere."""
    _floats(A)
    n = A.shape[-1]
    m = int((np.sqrt(8 * n + 1) - 1) / 2)
    if m * (m + 1) // 2 != n:
        raise ValueError('Check failed: (m*(m+1))/2 == n ({} vs. {}) : Input tensor of '
                         'maketrian has an invalid dimension for the last axis.'
                         .format(m * (m + 1) // 2, n))
    size = m + abs(offset)
    rows, cols = _tri_indices(size, offset, lower)
    out = jnp.zeros(A.shape[:-1] + (size, size), A.dtype)
    return out.at[..., rows, cols].set(A)

"""``nd.save`` / ``nd.load`` / ``nd.load_frombuffer`` in MXNet's binary NDArray-list format
(the ``.params`` and ``.nd`` files), byte for byte what MXNet 1.9.1 writes.

File layout (little-endian)::

    uint64 0x112 (list magic)   uint64 0 (reserved)
    uint64 n, then n arrays:
        uint32 magic            0xF993FAC9 (V2; MXNet writes V3 = 0xF993FACA in np-shape mode)
        int32  storage type     0 dense (1 row_sparse, 2 csr: then a storage shape here)
        shape                   uint32 ndim, ndim x int64 (V3: int32 ndim, -1 = unknown)
        int32 dev_type, int32 dev_id    (1 cpu, 2 gpu, 3 cpu_pinned, 5 cpu_shared)
        int32  type flag        0 f32, 1 f64, 2 f16, 3 u8, 4 i32, 5 i8, 6 i64, 7 bool, ...
        (sparse: per aux array an int32 type and a shape)
        raw data, C order       (sparse: the stored values, then the aux arrays)
    uint64 m, then m names: uint64 length + bytes   (m = 0: a list; m = n: a dict)

Older files are read too: V1 (0xF993FAC8, no storage type) and the original format whose
first word is ndim (uint32 dims).  Sparse arrays load as dense NDArrays (this package has
no sparse storage).  Arrays saved from a CPU load on ``cpu(0)``, as in MXNet; arrays saved
from ``gpu(i)`` load on ``gpu(i)`` when it exists, else on ``cpu(0)``.

Where we differ: MXNet 1.9.1 writes a 0-d array (``nd.array(5)``) with ndim 0 followed by
its data, but reads ndim 0 as an empty array and then misreads the rest of the file; we
read such files correctly.
"""
import struct

import numpy as np

from ..base import MXNetError
from ..context import Context, cpu, num_gpus
from .ndarray import NDArray

__all__ = ['save', 'load', 'load_frombuffer']

_LIST_MAGIC = 0x112
_V1, _V2, _V3 = 0xF993FAC8, 0xF993FAC9, 0xF993FACA
_TYPE_FLAGS = {np.dtype(t): i for i, t in enumerate(
    ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool', 'int16',
     'uint16', 'uint32', 'uint64'])}
_FLAG_TYPES = {i: t for t, i in _TYPE_FLAGS.items()}
_AUX_COUNT = {0: 0, 1: 1, 2: 2}   # storage type -> number of aux arrays (row_sparse, csr)


# ----------------------------------------------------------------------------- writing

def _encode(arrays, names):
    parts = [struct.pack('<QQQ', _LIST_MAGIC, 0, len(arrays))]
    for a in arrays:
        value = np.asarray(a.asnumpy(), order='C')   # (ascontiguousarray makes 0-d 1-d)
        ctx = a.context
        parts.append(struct.pack('<Iii', _V2, 0, value.ndim))
        parts.append(struct.pack('<%dq' % value.ndim, *value.shape))
        parts.append(struct.pack('<iii', ctx.device_typeid, ctx.device_id,
                                 _TYPE_FLAGS[value.dtype]))
        parts.append(value.astype(value.dtype.newbyteorder('<'), copy=False).tobytes())
    parts.append(struct.pack('<Q', len(names)))
    for n in names:
        b = n.encode('utf-8')
        parts.append(struct.pack('<Q', len(b)) + b)
    return b''.join(parts)


def _split(data):
    """(arrays, names) of what ``save`` accepts, with MXNet's errors."""
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        if any(not isinstance(k, str) for k in data) or \
                any(not isinstance(v, NDArray) for v in data.values()):
            raise TypeError('save only accept dict str->NDArray or list of NDArray')
        return list(data.values()), list(data.keys())
    if isinstance(data, list):
        if any(not isinstance(v, NDArray) for v in data):
            raise TypeError('save only accept dict str->NDArray or list of NDArray')
        return data, []
    raise ValueError('data needs to either be a NDArray, dict of str, NDArray pairs or a list '
                     'of NDarrays.')


def save(fname, data):
    """Save an NDArray, a list of NDArrays or a dict of str -> NDArray to the file
    ``fname`` (a str path, as in MXNet: no file objects, no pathlib) in MXNet's format.

    A file written here loads in MXNet 1.9.1 (``mx.nd.load``) and vice versa; arrays are
    recorded with their context, as MXNet does."""
    arrays, names = _split(data)
    if not isinstance(fname, str):
        raise TypeError('fname required to be a string')
    buf = _encode(arrays, names)
    try:
        with open(fname, 'wb') as f:
            f.write(buf)
    except OSError as e:
        raise MXNetError('Cannot save to {}: {}'.format(fname, e)) from None


# ----------------------------------------------------------------------------- reading

class _Reader:
    def __init__(self, buf):
        self.buf = memoryview(buf)
        self.pos = 0

    def take(self, n):
        if n < 0 or self.pos + n > len(self.buf):
            raise MXNetError('Invalid NDArray file format (truncated data)')
        start = self.pos
        self.pos += n
        return self.buf[start:self.pos]

    def unpack(self, fmt):
        return struct.unpack('<' + fmt, self.take(struct.calcsize('<' + fmt)))

    def shape(self, v3=False, legacy_ndim=None):
        if legacy_ndim is not None:                   # original format: uint32 dims
            return self.unpack('%dI' % legacy_ndim)
        ndim, = self.unpack('i' if v3 else 'I')
        if ndim < 0:
            return None                               # unknown shape (np-shape mode)
        return self.unpack('%dq' % ndim)


def _context(dev_type, dev_id):
    if dev_type == 2 and dev_id < num_gpus():
        return Context('gpu', dev_id)
    return cpu(0)


def _dense_from_sparse(stype, shape, values, aux):
    """A dense numpy array from MXNet's row_sparse (aux: row ids) or csr (indptr, indices)."""
    out = np.zeros(shape, values.dtype)
    if stype == 1:
        out[aux[0].astype(np.int64)] = values
    else:
        indptr, indices = aux[0].astype(np.int64), aux[1].astype(np.int64)
        rows = np.repeat(np.arange(shape[0]), np.diff(indptr))
        out[rows, indices] = values
    return out


def _read_values(reader, flag, shape):
    dtype = _FLAG_TYPES.get(flag)
    if dtype is None:
        raise MXNetError('Invalid NDArray file format: unsupported type flag {}'.format(flag))
    count = int(np.prod(shape, dtype=np.int64))
    raw = reader.take(count * dtype.itemsize)
    return np.frombuffer(raw, dtype.newbyteorder('<'), count).astype(dtype).reshape(shape)


def _read_array(reader):
    """One NDArray record -> (numpy array, Context)."""
    magic, = reader.unpack('I')
    stype, n_aux, sshape = 0, 0, None
    if magic in (_V2, _V3):
        stype, = reader.unpack('i')
        if stype not in _AUX_COUNT:
            raise MXNetError('Invalid NDArray file format: unknown storage type {}'
                             .format(stype))
        n_aux = _AUX_COUNT[stype]
        if n_aux:
            sshape = reader.shape(magic == _V3)
        shape = reader.shape(magic == _V3)
    elif magic == _V1:
        shape = reader.shape()
    else:
        shape = reader.shape(legacy_ndim=magic)
    if shape is None or any(d < 0 for d in shape) or (not shape and magic not in (_V2, _V3)):
        raise MXNetError('The file holds an uninitialised (none) NDArray, which mxnet-compat '
                         'cannot represent')
    dev_type, dev_id, flag = reader.unpack('iii')
    aux_meta = [(reader.unpack('i')[0], reader.shape(magic == _V3)) for _ in range(n_aux)]
    if n_aux:
        # The stored values follow the aux shapes (MXNet may record a stale storage
        # shape): nnz = len(indices) for csr, len(row ids) rows for row_sparse.
        sshape = aux_meta[-1][1][:1] + (tuple(shape[1:]) if stype == 1 else ())
    values = _read_values(reader, flag, sshape if n_aux else shape)
    if n_aux:
        aux = [_read_values(reader, f, s) for f, s in aux_meta]
        values = _dense_from_sparse(stype, shape, values, aux)
    return values, _context(dev_type, dev_id)


def _decode(buf):
    from .creation import array
    reader = _Reader(buf)
    try:
        header, _reserved = reader.unpack('QQ')
    except MXNetError:
        raise MXNetError('Invalid NDArray file format') from None
    if header != _LIST_MAGIC:
        raise MXNetError('Invalid NDArray file format: header is 0x{:x}, not 0x112'
                         .format(header))
    count, = reader.unpack('Q')
    arrays = []
    for _ in range(count):
        values, ctx = _read_array(reader)
        arrays.append(array(values, ctx=ctx, dtype=values.dtype))
    n_names, = reader.unpack('Q')
    names = []
    for _ in range(n_names):
        size, = reader.unpack('Q')
        names.append(bytes(reader.take(size)).decode('utf-8'))
    if names and len(names) != len(arrays):
        raise MXNetError('Invalid NDArray file format: {} names for {} arrays'
                         .format(len(names), len(arrays)))
    return dict(zip(names, arrays)) if names else arrays


def load(fname):
    """Load what ``save`` (ours or MXNet's) wrote to ``fname`` (a str path): a list of
    NDArrays, or a dict when the file has names.  An empty dict was saved without names,
    so it loads as an empty list (as in MXNet)."""
    if not isinstance(fname, str):
        raise TypeError('fname required to be a string')
    try:
        with open(fname, 'rb') as f:
            buf = f.read()
    except OSError as e:
        raise MXNetError('Cannot open {}: {}'.format(fname, e)) from None
    return _decode(buf)


def load_frombuffer(buf):
    """``load`` from the bytes of a file (``bytes``, or a ``str`` holding them)."""
    if not isinstance(buf, (str, bytes)):
        raise TypeError('buf required to be a string or bytes')
    if isinstance(buf, str):
        buf = buf.encode('latin-1')
    return _decode(buf)

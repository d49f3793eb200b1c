"""``mx.recordio``: MXNet's RecordIO files (``.rec``) and their ``.idx`` index files.

On disk (dmlc-core's format, little-endian), each record is::

    uint32 magic 0xced7230a
    uint32 lrecord = (cflag << 29) | length
    length bytes of data, then zero padding to a multiple of 4

A record whose data contains the magic word at a 4-byte aligned offset is written as
several parts with that word cut out (cflag 1 = first part, 2 = middle, 3 = last; 0 = a
whole record), so that a reader can always resynchronise on the magic word; reading puts
the word back.  An ``.idx`` file has one ``key<TAB>byte offset`` line per record.

``pack``/``unpack`` add MXNet's image-record header (``IRHeader``: flag, label, id, id2,
struct ``'IfQQ'``); a label array is stored as ``flag`` float32 values after the header.
``pack_img``/``unpack_img`` encode and decode images with Pillow (MXNet uses OpenCV):
images are numpy arrays in OpenCV's BGR channel order, as in MXNet, but the encoded
bytes may differ from OpenCV's.

Everything here is plain Python file I/O; files are byte-identical to MXNet's.
"""
import numbers
import os
import struct
from collections import namedtuple

import numpy as np

__all__ = ['MXRecordIO', 'MXIndexedRecordIO', 'IRHeader', 'pack', 'unpack', 'pack_img',
           'unpack_img']

_MAGIC = 0xced7230a
_MAGIC_BYTES = struct.pack('<I', _MAGIC)
_MAX_RECORD = 1 << 29


def _lrecord(cflag, length):
    return struct.pack('<II', _MAGIC, (cflag << 29) | length)


def _encode_record(buf):
    """The bytes MXNet writes for one record ``buf``."""
    size = len(buf)
    if size >= _MAX_RECORD:
        raise ValueError('RecordIO only accepts records of less than 2^29 bytes')
    parts = []
    start = 0
    # The magic word is only looked for at aligned offsets, so that the reader, which
    # reads 4-byte words, finds it exactly where it was cut out.
    for i in range(0, size - size % 4, 4):
        if buf[i:i + 4] == _MAGIC_BYTES:
            parts.append(_lrecord(1 if start == 0 else 2, i - start))
            parts.append(buf[start:i])
            start = i + 4
    parts.append(_lrecord(3 if start else 0, size - start))
    parts.append(buf[start:])
    parts.append(b'\0' * (-size % 4))
    return b''.join(parts)


class MXRecordIO:
    """Reads (``flag='r'``) or writes (``flag='w'``) a RecordIO file one record at a time.

    ``read()`` returns the next record as bytes, or None at the end; ``write(buf)`` appends
    one.  A reader used in a forked process (a DataLoader worker) reopens the file there,
    so that processes do not share a file position."""

    def __init__(self, uri, flag):
        self.uri = str(uri)
        self.flag = flag
        self.handle = None
        self.is_open = False
        self.open()

    def open(self):
        """Open the file (truncating it when writing)."""
        if self.flag == 'w':
            self.handle = open(self.uri, 'wb')
            self.writable = True
        elif self.flag == 'r':
            self.handle = open(self.uri, 'rb')
            self.writable = False
        else:
            raise ValueError('Invalid flag %s' % self.flag)
        self.pid = os.getpid()
        self.is_open = True

    def __del__(self):
        self.close()

    def __getstate__(self):
        """Pickles as the path and mode; the copy reopens the file (a writer truncates it,
        as MXNet's does)."""
        is_open = self.is_open
        self.close()
        state = dict(self.__dict__)
        state['is_open'] = is_open
        state['handle'] = None
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        is_open = state['is_open']
        self.is_open = False
        self.handle = None
        if is_open:
            self.open()

    def _check_pid(self, allow_reset=False):
        """A file opened in another process (before a fork) is reopened here for reading;
        writing from two processes is an error."""
        if self.pid != os.getpid():
            if not allow_reset:
                raise RuntimeError('Forbidden operation in multiple processes')
            self.reset()

    def close(self):
        """Close the file (flushing a writer)."""
        if not getattr(self, 'is_open', False):
            return
        self.handle.close()
        self.handle = None
        self.is_open = False
        self.pid = None

    def reset(self):
        """Back to the first record (reopen; a writer starts the file again)."""
        self.close()
        self.open()

    def write(self, buf):
        """Append one record (bytes)."""
        if not self.writable:
            raise AssertionError('RecordIO is not opened for writing')
        self._check_pid(allow_reset=False)
        self.handle.write(_encode_record(bytes(buf)))

    def read(self):
        """The next record as bytes, or None at the end of the file."""
        if self.writable:
            raise AssertionError('RecordIO is opened for writing, not reading')
        self._check_pid(allow_reset=True)
        f = self.handle
        out = []
        while True:
            head = f.read(8)
            if not head:
                if out:
                    raise ValueError('Invalid RecordIO File: %s ends inside a record'
                                     % self.uri)
                return None
            if len(head) != 8:
                raise ValueError('Invalid RecordIO File: %s is truncated' % self.uri)
            magic, lrec = struct.unpack('<II', head)
            if magic != _MAGIC:
                raise ValueError('Invalid RecordIO File: bad magic number in %s at byte %d'
                                 % (self.uri, f.tell() - 8))
            cflag, length = lrec >> 29, lrec & (_MAX_RECORD - 1)
            data = f.read(length + (-length % 4))
            if len(data) < length:
                raise ValueError('Invalid RecordIO File: %s is truncated' % self.uri)
            out.append(data[:length])
            if cflag in (0, 3):
                return _MAGIC_BYTES.join(out)

    def tell(self):
        """The byte offset of the next record."""
        self._check_pid(allow_reset=not self.writable)
        return self.handle.tell()


class MXIndexedRecordIO(MXRecordIO):
    """A RecordIO file with an ``.idx`` file of record offsets, for random access:
    ``write_idx(key, buf)`` / ``read_idx(key)``.  Keys are converted with ``key_type``
    (int by default) and kept in ``keys``, in file order."""

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path = str(idx_path)
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        super().__init__(uri, flag)

    def open(self):
        super().open()
        self.idx = {}
        self.keys = []
        self.fidx = open(self.idx_path, self.flag)
        if not self.writable:
            for line in iter(self.fidx.readline, ''):
                line = line.strip().split('\t')
                key = self.key_type(line[0])
                self.idx[key] = int(line[1])
                self.keys.append(key)

    def close(self):
        if not getattr(self, 'is_open', False):
            return
        super().close()
        self.fidx.close()
        self.fidx = None

    def __getstate__(self):
        state = super().__getstate__()
        state['fidx'] = None
        return state

    def seek(self, idx):
        """Position the reader at the record with key ``idx``."""
        if self.writable:
            raise AssertionError('seek needs a RecordIO opened for reading')
        self._check_pid(allow_reset=True)
        self.handle.seek(self.idx[idx])

    def read_idx(self, idx):
        """The record with key ``idx``."""
        self.seek(idx)
        return self.read()

    def write_idx(self, idx, buf):
        """Append record ``buf`` under key ``idx``."""
        key = self.key_type(idx)
        pos = self.tell()
        self.write(buf)
        self.fidx.write('%s\t%d\n' % (str(key), pos))
        self.idx[key] = pos
        self.keys.append(key)


IRHeader = namedtuple('HEADER', ['flag', 'label', 'id', 'id2'])
IRHeader.__doc__ = """An image record's header: ``flag`` (0, or the number of float32 labels
stored after the header), ``label`` (a number, or an array when flag > 0), ``id`` and
``id2`` (unsigned 64-bit)."""

_IR_FORMAT = 'IfQQ'
_IR_SIZE = struct.calcsize(_IR_FORMAT)


def pack(header, s):
    """``IRHeader`` + bytes -> one record's bytes.  An array label is stored after the
    header as float32 values, with ``flag`` set to their number."""
    header = IRHeader(*header)
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
    else:
        label = np.asarray(header.label, dtype=np.float32)
        header = header._replace(flag=label.size, label=0)
        s = label.tobytes() + s
    return struct.pack(_IR_FORMAT, *header) + s


def unpack(s):
    """One record's bytes -> (``IRHeader``, payload bytes); an array label (flag > 0) is
    returned as a float32 numpy array."""
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        header = header._replace(label=np.frombuffer(s, np.float32, header.flag))
        s = s[header.flag * 4:]
    return header, s


def _pil():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError('Encoding and decoding images needs Pillow, which is not installed '
                          '(MXNet uses OpenCV here). Install it with `pip install Pillow` or '
                          '`pip install mxnet-compat[vision]`.') from e
    return Image


def _decode_image(buf, flag=1, to_rgb=True):
    """Bytes of an encoded image -> uint8 numpy array (H, W, C); ``flag`` 0: one channel
    (grayscale), 1: three channels, -1: as stored."""
    import io
    image = _pil().open(io.BytesIO(buf))
    if flag == 0:
        image = image.convert('L')
    elif flag > 0 or image.mode not in ('L', 'RGB', 'RGBA'):
        image = image.convert('RGB')
    arr = np.asarray(image, dtype=np.uint8)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if not to_rgb and arr.shape[2] >= 3:
        arr = np.concatenate([arr[:, :, 2::-1], arr[:, :, 3:]], axis=2)
    return np.ascontiguousarray(arr)


def unpack_img(s, iscolor=-1):
    """One record's bytes -> (``IRHeader``, image): a uint8 numpy array in BGR channel
    order as OpenCV's ``imdecode`` gives (grayscale images are (H, W))."""
    header, s = unpack(s)
    img = _decode_image(s, flag=iscolor, to_rgb=False)
    if img.shape[2] == 1:
        img = img[:, :, 0]
    return header, img


def pack_img(header, img, quality=95, img_fmt='.jpg'):
    """``IRHeader`` + a uint8 image (H, W) or (H, W, 3) in BGR order -> record bytes, the
    image encoded as JPEG (``quality`` 1-100) or PNG (``quality`` = compression 0-9)."""
    import io
    image_cls = _pil()
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim == 3:
        img = img[:, :, 2::-1]
    image = image_cls.fromarray(np.ascontiguousarray(img.astype(np.uint8)))
    out = io.BytesIO()
    fmt = img_fmt.lower()
    if fmt in ('.jpg', '.jpeg'):
        image.save(out, format='JPEG', quality=int(quality))
    elif fmt == '.png':
        # OpenCV clamps the PNG compression level to 0-9; so do we (MXNet passes the
        # JPEG default of 95 through).
        image.save(out, format='PNG', compress_level=min(max(int(quality), 0), 9))
    else:
        raise ValueError('Unsupported image format %s (use .jpg or .png)' % img_fmt)
    return pack(header, out.getvalue())

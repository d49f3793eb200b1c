"""Shared basics: the error type, dtype names and parameter parsing.

MXNet's frontend passes every operator parameter through a C++ string parser, so
user code freely writes ``shape='(2,3)'``, ``axis='1'`` or ``dtype=np.float32``.
The helpers here accept the same spellings and turn them into hashable Python
values, so that they can key the per-parameter cache of jitted primitives.
"""
import ast
import numbers

import numpy as np

__all__ = ['MXNetError', 'NotImplementedForSymbol', 'mx_real_t', 'string_types',
           'numeric_types', 'integer_types']


class MXNetError(RuntimeError):
    """Error raised by MXNet operators and the runtime (a ``RuntimeError``, as in MXNet)."""


class NotImplementedForSymbol(MXNetError):
    """Raised for an API that exists in MXNet but has no equivalent here yet."""

    def __init__(self, function, alias=None, *args):
        super().__init__(function, alias, *args)
        self.function = getattr(function, '__name__', str(function))
        self.alias = alias

    def __str__(self):
        msg = 'Function {} is not implemented in mxnet-compat'.format(self.function)
        if self.alias:
            msg += ' (alias of {})'.format(self.alias)
        return msg


mx_real_t = np.float32
string_types = (str,)
numeric_types = (float, int, np.generic)
integer_types = (int, np.integer)

# dtypes MXNet 1.9.1 supports for NDArray, with the names it prints.
_DTYPES = {
    'float32': np.float32, 'float64': np.float64, 'float16': np.float16,
    'uint8': np.uint8, 'int8': np.int8, 'int32': np.int32, 'int64': np.int64,
    'bool': np.bool_, 'int16': np.int16, 'uint16': np.uint16, 'uint32': np.uint32,
    'uint64': np.uint64,
}
_ALIASES = {'float': 'float32', 'double': 'float64', 'half': 'float16', 'int': 'int32',
            'long': 'int64', 'bool_': 'bool'}


def dtype_type(dtype, default=np.float32):
    """Normalise any dtype spelling (None, str, numpy type, np.dtype) to a numpy type object.

    MXNet's ``NDArray.dtype`` returns numpy *type objects* (``numpy.float32``), not
    ``numpy.dtype`` instances, so that is the canonical form everywhere here.
    """
    if dtype is None:
        return default
    if isinstance(dtype, type) and dtype in _TYPE_SET:
        return dtype
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
        t = _DTYPES.get(name)
        if t is None:
            raise TypeError('data type {!r} not understood (MXNet supports {})'.format(
                dtype, ', '.join(sorted(_DTYPES))))
        return t
    try:
        t = np.dtype(dtype).type
    except TypeError:
        raise TypeError('data type {!r} not understood'.format(dtype)) from None
    if t not in _TYPE_SET:
        raise MXNetError('dtype {} is not supported by MXNet NDArray'.format(np.dtype(t).name))
    return t


_TYPE_SET = frozenset(_DTYPES.values())


def _literal(value):
    """Parse a string parameter the way MXNet's parameter parser accepts it."""
    text = value.strip()
    if text in ('None', ''):
        return None
    low = text.lower()
    if low in ('true', 'false'):
        return low == 'true'
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return value


def parse_shape(value, name='shape', allow_none=False):
    """``(2,3)``, ``[2,3]``, ``'(2,3)'``, ``2`` and ``'2'`` all mean a shape tuple of ints."""
    if isinstance(value, str):
        value = _literal(value)
    if value is None:
        if allow_none:
            return None
        raise MXNetError('Invalid Parameter format for {}: expected a shape, got None'.format(name))
    if isinstance(value, numbers.Integral):
        return (int(value),)
    try:
        return tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise MXNetError('Invalid Parameter format for {}: expect a shape tuple but value={!r}'
                         .format(name, value)) from None


def parse_axis(value, name='axis'):
    """An axis parameter: None, an int, or a tuple of ints (MXNet also takes strings)."""
    if value is None or type(value) is int:       # the common cases, without ABC checks
        return value
    if isinstance(value, str):
        value = _literal(value)
    if value is None:
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    try:
        return tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise MXNetError('Invalid Parameter format for {}: expect int or tuple of ints but '
                         'value={!r}'.format(name, value)) from None


def parse_int(value, name):
    if type(value) is int:
        return value
    if isinstance(value, str):
        value = _literal(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(value)
        raise MXNetError('Invalid Parameter format for {}: expect int but value={!r}'
                         .format(name, value))
    return int(value)


def parse_float(value, name):
    if type(value) is float:
        return value
    if isinstance(value, str):
        value = _literal(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise MXNetError('Invalid Parameter format for {}: expect float but value={!r}'
                     .format(name, value))


def parse_bool(value, name):
    if type(value) is bool:
        return value
    if isinstance(value, str):
        value = _literal(value)
    if isinstance(value, (bool, np.bool_, numbers.Integral)):
        return bool(value)
    raise MXNetError('Invalid Parameter format for {}: expect boolean but value={!r}'
                     .format(name, value))

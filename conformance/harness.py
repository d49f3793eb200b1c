"""Shared machinery of the conformance suite.

* helpers used inside cases: ``raises(fn)`` and ``stat(value, rtol, atol)``;
* case discovery (``load_areas``) and execution (``run_case``);
* encoding of case results into JSON-able data (``encode``) and the
  comparison of an encoded result with a golden (``compare``).

This module must not import ``mxnet``: it is used with real MXNet (record.py)
as well as with mxnet-compat (run.py); the module under test is passed in.
"""
import importlib.util
import json
import math
import os
import signal
import traceback

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, 'cases')
GOLDENS_DIR = os.path.join(HERE, 'goldens')

# (rtol, atol) per dtype.  rtol follows mxnet.test_utils.default_rtols() of
# MXNet 1.9.1 (float16 1e-2, float32 1e-4, float64 1e-5).  Its default atols
# (float16 1e-1, float32 1e-3) are too loose to catch wrong small values
# (e.g. a gradient of 1e-4 instead of 0), so atol is tightened here.
TOLERANCES = {
    'float16': (1e-2, 1e-3),
    'float32': (1e-4, 1e-6),
    'float64': (1e-5, 1e-12),
}
# plain Python floats mostly come from float32 results (float(x), x.norm()...)
PY_FLOAT_TOL = TOLERANCES['float32']
CASE_TIMEOUT_S = 120


# --------------------------------------------------------------------------
# helpers for cases
# --------------------------------------------------------------------------
def raises(fn):
    """Run ``fn()``; on an exception return its description, else the value.

    The class name is reported as is ('MXNetError' for mxnet.base.MXNetError,
    'ValueError', ...); ``is_runtime_error`` tells whether it subclasses
    RuntimeError (MXNetError does).
    """
    try:
        value = fn()
        _wait(value)  # MXNet reports some errors only when results are read
        return value
    except Exception as e:  # noqa: BLE001 - that is the point
        return {'error': type(e).__name__,
                'is_runtime_error': isinstance(e, RuntimeError)}


def _wait(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            _wait(v)
    elif hasattr(value, 'wait_to_read') and not isinstance(value, np.ndarray):
        value.wait_to_read()


class Stat(object):
    """A result compared with explicit tolerances (random cases)."""

    def __init__(self, value, rtol, atol):
        self.value, self.rtol, self.atol = value, float(rtol), float(atol)


def stat(value, rtol=0.0, atol=0.0):
    """Mark ``value`` (numbers, arrays, nestings) as statistical: every number
    inside compares within ``|actual - golden| <= atol + rtol * |golden|``."""
    return Stat(value, rtol, atol)


# --------------------------------------------------------------------------
# encoding
# --------------------------------------------------------------------------
class EncodeError(TypeError):
    pass


def _enc_float(v):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def _enc_values(arr):
    """numpy array -> nested list; floats as floats, NaN/inf as strings."""
    arr = np.asarray(arr)
    kind = arr.dtype.kind
    if kind == 'f':
        flat = [_enc_float(v) for v in arr.ravel().tolist()]
    elif kind in 'iub':
        flat = arr.ravel().tolist()
    else:
        raise EncodeError('unsupported array dtype %s' % arr.dtype)
    if arr.ndim == 0:
        return flat[0]

    def nest(items, shape):
        if len(shape) == 1:
            return list(items)
        step = len(items) // shape[0] if shape[0] else 0
        return [nest(items[i * step:(i + 1) * step], shape[1:])
                for i in range(shape[0])]
    return nest(flat, arr.shape)


def _is_ndarray(x):
    return (not isinstance(x, np.ndarray) and hasattr(x, 'asnumpy')
            and hasattr(x, 'context') and hasattr(x, 'shape'))


def encode(x):
    """Encode a case result into JSON-able data (raises EncodeError)."""
    if isinstance(x, Stat):
        return {'__stat__': True, 'rtol': x.rtol, 'atol': x.atol,
                'value': encode(x.value)}
    # numpy scalars first: numpy.float64 is a subclass of float
    if isinstance(x, np.generic):
        return {'__npscalar__': str(x.dtype), 'value': _enc_values(np.asarray(x))}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return x
    if isinstance(x, float):
        v = _enc_float(x)
        return v if isinstance(v, float) else {'__float__': v}
    if isinstance(x, np.ndarray):
        return {'__np__': True, 'dtype': str(x.dtype), 'shape': list(x.shape),
                'values': _enc_values(x)}
    if _is_ndarray(x):
        a = x.asnumpy()
        return {'__nd__': True, 'dtype': str(np.dtype(x.dtype)),
                'shape': list(x.shape), 'ctx': str(x.context),
                'values': _enc_values(a)}
    if isinstance(x, tuple):
        return {'__tuple__': [encode(v) for v in x]}
    if isinstance(x, list):
        return [encode(v) for v in x]
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if not isinstance(k, str):
                raise EncodeError('dict keys must be str, got %r' % (k,))
            out[k] = encode(v)
        return out
    raise EncodeError('cannot encode object of type %s: %r'
                      % (type(x).__name__, x))


def dumps(data):
    """Stable JSON text (sorted keys, repr floats, one trailing newline)."""
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=True,
                      allow_nan=False) + '\n'


# --------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------
def _short(x, n=70):
    s = json.dumps(x, sort_keys=True) if not isinstance(x, str) else repr(x)
    return s if len(s) <= n else s[:n - 3] + '...'


def _close(e, a, rtol, atol):
    """Scalars from encoded values (numbers or 'nan'/'inf'/'-inf')."""
    if isinstance(e, bool) or isinstance(a, bool):
        return e == a
    if not isinstance(e, (int, float, str)) or not isinstance(a, (int, float, str)):
        return False
    try:
        e, a = float(e), float(a)  # also parses 'nan', 'inf', '-inf'
    except ValueError:
        return False
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    if math.isinf(e) or math.isinf(a):
        return e == a
    return abs(a - e) <= atol + rtol * abs(e)


def _flatten(v):
    if isinstance(v, list):
        out = []
        for item in v:
            out.extend(_flatten(item))
        return out
    return [v]


def _compare_values(e, a, dtype, tol, path):
    kind = np.dtype(dtype).kind
    fe, fa = _flatten(e), _flatten(a)
    if len(fe) != len(fa):
        return '%s: %d values, expected %d' % (path, len(fa), len(fe))
    if kind == 'f':
        rtol, atol = tol if tol is not None else TOLERANCES.get(dtype, (0, 0))
        bad = [i for i, (x, y) in enumerate(zip(fe, fa))
               if not _close(x, y, rtol, atol)]
    else:
        if tol is not None:
            bad = [i for i, (x, y) in enumerate(zip(fe, fa))
                   if not _close(x, y, tol[0], tol[1])]
        else:
            bad = [i for i, (x, y) in enumerate(zip(fe, fa)) if x != y]
    if bad:
        i = bad[0]
        return ('%s: %d of %d values differ, first at flat index %d: '
                'got %r, expected %r' % (path, len(bad), len(fe), i, fa[i], fe[i]))
    return None


def _str_diff(e, a, path):
    el, al = e.splitlines(), a.splitlines()
    for i in range(max(len(el), len(al))):
        x = el[i] if i < len(el) else '<missing>'
        y = al[i] if i < len(al) else '<missing>'
        if x != y:
            return '%s: string differs at line %d: got %s, expected %s' % (
                path, i + 1, _short(y, 60), _short(x, 60))
    return '%s: got %s, expected %s' % (path, _short(a), _short(e))


def _kind(x):
    if isinstance(x, dict):
        for tag in ('__stat__', '__nd__', '__np__', '__npscalar__',
                    '__tuple__', '__float__'):
            if tag in x:
                return tag
        return 'dict'
    if isinstance(x, bool):
        return 'bool'
    if isinstance(x, int):
        return 'int'
    if isinstance(x, float):
        return 'float'
    if isinstance(x, str):
        return 'str'
    if isinstance(x, list):
        return 'list'
    if x is None:
        return 'None'
    return type(x).__name__


_KIND_NAMES = {'__nd__': 'NDArray', '__np__': 'numpy array',
               '__npscalar__': 'numpy scalar', '__tuple__': 'tuple',
               '__float__': 'float', '__stat__': 'stat'}


def compare(expected, actual, path='result', tol=None):
    """Return None when ``actual`` matches ``expected`` (both encoded), else a
    one-line description of the first difference."""
    ke, ka = _kind(expected), _kind(actual)
    # a non-finite float and a finite one are both Python floats
    if {ke, ka} <= {'float', '__float__'}:
        ke = ka = 'float'
    if ke != ka:
        return '%s: got %s %s, expected %s %s' % (
            path, _KIND_NAMES.get(ka, ka), _short(actual, 50),
            _KIND_NAMES.get(ke, ke), _short(expected, 50))
    if ke == '__stat__':
        return compare(expected['value'], actual['value'], path,
                       (expected['rtol'], expected['atol']))
    if ke in ('__nd__', '__np__'):
        for key in ('dtype', 'shape', 'ctx'):
            if expected.get(key) != actual.get(key):
                return '%s: %s is %s, expected %s' % (
                    path, key, actual.get(key), expected.get(key))
        return _compare_values(expected['values'], actual['values'],
                               expected['dtype'], tol, path)
    if ke == '__npscalar__':
        if expected['__npscalar__'] != actual['__npscalar__']:
            return '%s: numpy scalar dtype is %s, expected %s' % (
                path, actual['__npscalar__'], expected['__npscalar__'])
        return _compare_values(expected['value'], actual['value'],
                               expected['__npscalar__'], tol, path)
    if ke == '__tuple__':
        return compare(expected['__tuple__'], actual['__tuple__'], path, tol)
    if ke == 'float':
        e = expected['__float__'] if isinstance(expected, dict) else expected
        a = actual['__float__'] if isinstance(actual, dict) else actual
        rtol, atol = tol if tol is not None else PY_FLOAT_TOL
        if not _close(e, a, rtol, atol):
            return '%s: got %r, expected %r' % (path, a, e)
        return None
    if ke == 'int':
        ok = (expected == actual if tol is None
              else _close(expected, actual, tol[0], tol[1]))
        return None if ok else '%s: got %r, expected %r' % (path, actual, expected)
    if ke in ('bool', 'None'):
        return None if expected == actual else '%s: got %r, expected %r' % (
            path, actual, expected)
    if ke == 'str':
        return None if expected == actual else _str_diff(expected, actual, path)
    if ke == 'list':
        if len(expected) != len(actual):
            return '%s: length %d, expected %d' % (path, len(actual), len(expected))
        for i, (e, a) in enumerate(zip(expected, actual)):
            msg = compare(e, a, '%s[%d]' % (path, i), tol)
            if msg:
                return msg
        return None
    if ke == 'dict':
        if set(expected) != set(actual):
            missing = sorted(set(expected) - set(actual))
            extra = sorted(set(actual) - set(expected))
            return '%s: keys differ (missing %s, unexpected %s)' % (
                path, missing, extra)
        for k in sorted(expected):
            msg = compare(expected[k], actual[k], '%s[%r]' % (path, k), tol)
            if msg:
                return msg
        return None
    return '%s: cannot compare %s' % (path, ke)


# --------------------------------------------------------------------------
# discovery and execution
# --------------------------------------------------------------------------
def load_areas(area=None):
    """[(area_name, [(case_name, fn), ...]), ...] sorted by area name; cases
    in the order they are defined in their module."""
    out = []
    for fname in sorted(os.listdir(CASES_DIR)):
        if not fname.endswith('.py') or fname.startswith('_'):
            continue
        name = fname[:-3]
        if area is not None and name != area:
            continue
        spec = importlib.util.spec_from_file_location(
            'conformance_cases_' + name, os.path.join(CASES_DIR, fname))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        if getattr(mod, 'AREA', None) != name:
            raise ValueError('%s: AREA must be %r' % (fname, name))
        cases = [(k[len('case_'):], v) for k, v in vars(mod).items()
                 if k.startswith('case_') and callable(v)]
        cases.sort(key=lambda kv: kv[1].__code__.co_firstlineno)
        out.append((name, cases))
    return out


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout('case did not finish within %d s' % CASE_TIMEOUT_S)


def reset_state(mx):
    """Fresh, deterministic state before each case."""
    mx.random.seed(0)
    np.random.seed(0)
    # a failed case must not leave autograd recording/training for the next
    autograd = getattr(mx, 'autograd', None)
    for setter in ('set_recording', 'set_training'):
        try:
            getattr(autograd, setter)(False)
        except Exception:  # noqa: BLE001 - missing API: the case will tell
            pass


def run_case(mx, fn, strict=False):
    """Run one case.  Returns (encoded_result, None) or (None, error_message).

    With ``strict`` (recording) the exception propagates instead."""
    use_alarm = hasattr(signal, 'SIGALRM') and not strict
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(CASE_TIMEOUT_S)
    try:
        reset_state(mx)
        result = encode(fn(mx))
        # surface asynchronous errors here rather than in a later case
        if hasattr(mx, 'nd') and hasattr(mx.nd, 'waitall'):
            mx.nd.waitall()
        return result, None
    except Exception as e:  # noqa: BLE001
        if strict:
            raise
        tb = traceback.extract_tb(e.__traceback__)
        where = ''
        for fr in reversed(tb):
            if os.path.abspath(fr.filename).startswith(CASES_DIR):
                where = ' (%s:%d)' % (os.path.basename(fr.filename), fr.lineno)
                break
        msg = ('%s: %s' % (type(e).__name__, e)).strip()
        msg = ' '.join(msg.split())
        if len(msg) > 200:
            msg = msg[:197] + '...'
        return None, 'exception ' + msg + where
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)

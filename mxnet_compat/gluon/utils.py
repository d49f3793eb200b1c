"""Gluon helpers: splitting a batch across devices, global-norm clipping, hook handles."""
import hashlib
import os
import shutil
import uuid
import weakref
import warnings

import numpy as np

from .. import ndarray as nd

__all__ = ['split_data', 'split_and_load', 'clip_global_norm', 'check_sha1', 'download',
           'HookHandle', 'shape_is_known']


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """``num_slice`` slices of ``data`` along ``batch_axis`` (always a list).  Uneven sizes
    (the first slices one longer) only with ``even_split=False``."""
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(
            "data with shape {} cannot be evenly split into {} slices along axis {}. Use a "
            "batch size that's multiple of {} or set even_split=False to allow uneven "
            "partitioning of data.".format(data.shape, num_slice, batch_axis, num_slice))
    each, extras = divmod(size, num_slice)
    sizes = [each + 1] * extras + [each] * (num_slice - extras)
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    if batch_axis == 0:
        return [data[bounds[i]:bounds[i + 1]] for i in range(num_slice)]
    return [nd.slice_axis(data, axis=batch_axis, begin=bounds[i], end=bounds[i + 1])
            for i in range(num_slice)]


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Split ``data`` (NDArray or array-like) along ``batch_axis`` and copy slice i to
    ``ctx_list[i]``."""
    if not isinstance(data, nd.NDArray):
        data = nd.array(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [s.as_in_context(c) for s, c in zip(slices, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Scale ``arrays`` in place so that their joint 2-norm is at most ``max_norm``.

    Returns the norm before scaling: a numpy float32 scalar, or (``check_isfinite=False``) an
    NDArray of shape (1,)."""
    if not arrays:
        raise AssertionError('clip_global_norm: no arrays')
    ctx = arrays[0].context
    total = None
    for arr in arrays:
        flat = arr.reshape((-1,))
        sq = nd.dot(flat, flat).as_in_context(ctx)
        total = sq if total is None else total + sq
    total_norm = nd.sqrt(total)
    if check_isfinite and not np.isfinite(total_norm.asscalar()):
        warnings.warn(UserWarning('nan or inf is detected. Clipping results will be undefined.'),
                      stacklevel=2)
    scale = nd.minimum(max_norm / (total_norm + 1e-8), 1.0)
    for arr in arrays:
        arr *= scale.as_in_context(arr.context)
    if check_isfinite:
        return total_norm.asscalar()
    return total_norm.reshape((1,))


def check_sha1(filename, sha1_hash):
    """Whether the file's sha1 hex digest is ``sha1_hash``."""
    sha1 = hashlib.sha1()
    with open(filename, 'rb') as f:
        for chunk in iter(lambda: f.read(1048576), b''):
            sha1.update(chunk)
    return sha1.hexdigest() == sha1_hash


def _fetch_url(url, fname, verify_ssl):
    """One download attempt into a temporary file next to ``fname``, then moved over it.
    An HTTP error status raises RuntimeError and an unreachable host ConnectionError
    (MXNet's classes, from requests)."""
    import ssl
    import urllib.error
    import urllib.request
    context = ssl.create_default_context()
    if not verify_ssl:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    tmp = '{}.{}'.format(fname, uuid.uuid4())
    try:
        with urllib.request.urlopen(url, context=context) as r, open(tmp, 'wb') as f:
            shutil.copyfileobj(r, f)
        os.replace(tmp, fname)
    except urllib.error.HTTPError as e:
        raise RuntimeError('Failed downloading url {}'.format(url)) from e
    except urllib.error.URLError as e:
        raise ConnectionError('Could not reach {}: {}'.format(url, e.reason)) from e
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """Download ``url`` to ``path`` (a file name or directory; default: the URL's file name
    in the current directory) unless it is already there (with the right sha1).  Tries
    ``retries`` times (at least once) and re-raises the last error.  Returns the file name."""
    if path is None:
        fname = url.split('/')[-1]
        if not fname:
            raise AssertionError("Can't construct file-name from this URL. Please set the "
                                 "`path` option manually.")
    else:
        path = os.path.expanduser(path)
        fname = os.path.join(path, url.split('/')[-1]) if os.path.isdir(path) else path
    if retries < 0:
        raise AssertionError('Number of retries should be at least 0, currently it\'s {}'
                             .format(retries))
    if not verify_ssl:
        warnings.warn('Unverified HTTPS request is being made (verify_ssl=False). Adding '
                      'certificate verification is strongly advised.')
    if not overwrite and os.path.exists(fname) and (not sha1_hash or check_sha1(fname, sha1_hash)):
        return fname
    os.makedirs(os.path.dirname(os.path.abspath(fname)), exist_ok=True)
    attempts = max(int(retries), 1)
    for attempt in range(attempts):
        try:
            _fetch_url(url, fname, verify_ssl)
            if sha1_hash and not check_sha1(fname, sha1_hash):
                raise UserWarning('File {} is downloaded but the content hash does not match.'
                                  .format(fname))
            return fname
        except Exception:   # retried like MXNet, then re-raised
            if attempt + 1 == attempts:
                raise


class HookHandle:
    """Returned by ``register_forward_hook``: ``detach()`` (or leaving a ``with``) removes
    the hook."""

    def __init__(self):
        self._hooks_dict_ref = None
        self._id = None

    def attach(self, hooks_dict, hook):
        if self._hooks_dict_ref is not None:
            raise AssertionError('The same handle cannot be attached twice.')
        self._id = id(hook)
        hooks_dict[self._id] = hook
        self._hooks_dict_ref = weakref.ref(hooks_dict)

    def detach(self):
        hooks = self._hooks_dict_ref() if self._hooks_dict_ref is not None else None
        if hooks is not None:
            hooks.pop(self._id, None)

    def __enter__(self):
        return self

    def __exit__(self, ptype, value, trace):
        self.detach()


def shape_is_known(shape):
    """Whether no dimension is unknown (0).  An empty shape counts as unknown, as in
    MXNet's legacy shape semantics."""
    if shape is None or len(shape) == 0:
        return False
    for n in shape:
        if n == 0:
            return False
        if n < 0:
            raise AssertionError('shape dimension size cannot be less than 0, while received {}'
                                 .format(n))
    return True


def _indent(s, num_spaces):
    """Indent every line of ``s`` but the first."""
    lines = s.split('\n')
    if len(lines) == 1:
        return s
    return '\n'.join([lines[0]] + [' ' * num_spaces + line for line in lines[1:]])


def _brief_print_list(lst, limit=7):
    lst = list(lst)
    if len(lst) > limit:
        return _brief_print_list(lst[:limit // 2], limit) + ', ..., ' + \
            _brief_print_list(lst[-limit // 2:], limit)
    return ', '.join(["'%s'" % str(i) for i in lst])

"""Shared by the Gluon test files: loading a golden recorder module from tests/goldens/
and comparing nested results with the goldens it recorded from MXNet 1.9.1."""
import importlib.util
import json
import os

import numpy as np

GOLDENS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'goldens')


def load_recorder(name):
    """The recorder module ``tests/goldens/<name>.py`` (its scenarios and GOLDEN path)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(GOLDENS, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_matches(ours, ref, rtol=1e-5, atol=1e-6, path='result'):
    """Nested comparison: numbers with tolerances, everything else exactly."""
    _compare(json.loads(json.dumps(ours)), ref, rtol, atol, path)


def _compare(ours, ref, rtol, atol, path):
    if isinstance(ref, dict):
        assert isinstance(ours, dict) and set(ours) == set(ref), \
            '{}: keys {} vs {}'.format(path, sorted(ours), sorted(ref))
        for k in ref:
            _compare(ours[k], ref[k], rtol, atol, '{}.{}'.format(path, k))
    elif isinstance(ref, list):
        assert isinstance(ours, list) and len(ours) == len(ref), \
            '{}: {!r} vs {!r}'.format(path, ours, ref)
        if ref and all(isinstance(r, (int, float)) and not isinstance(r, bool) for r in ref):
            np.testing.assert_allclose(ours, ref, rtol=rtol, atol=atol, err_msg=path)
            return
        for i, (a, b) in enumerate(zip(ours, ref)):
            _compare(a, b, rtol, atol, '{}[{}]'.format(path, i))
    elif isinstance(ref, float) and not isinstance(ref, bool):
        assert np.isclose(ours, ref, rtol=rtol, atol=atol), \
            '{}: {!r} vs MXNet {!r}'.format(path, ours, ref)
    else:
        assert ours == ref, '{}: {!r} vs MXNet {!r}'.format(path, ours, ref)

"""Record the public names of MXNet 1.9.1's ndarray API (run with the reference interpreter).

    <reference python> conformance/record_names.py      # writes conformance/mxnet_names.json

The list feeds conformance/coverage.py, which writes COVERAGE.md."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') not in (ROOT, HERE)]

import mxnet as mx  # noqa: E402


def public(module):
    return sorted(n for n in dir(module) if not n.startswith('_')
                  and callable(getattr(module, n)) and not isinstance(getattr(module, n),
                                                                      type(mx)))


names = {
    'mxnet_version': mx.__version__,
    'nd': public(mx.nd),
    'nd.random': public(mx.nd.random),
    'nd.linalg': public(mx.nd.linalg),
    'NDArray': sorted(n for n in dir(mx.nd.NDArray) if not n.startswith('_')),
    'submodules': sorted(n for n in dir(mx.nd) if not n.startswith('_')
                         and isinstance(getattr(mx.nd, n), type(mx))),
}
with open(os.path.join(HERE, 'mxnet_names.json'), 'w') as f:
    json.dump(names, f, indent=1, sort_keys=True)
    f.write('\n')
print({k: len(v) for k, v in names.items() if isinstance(v, list)})

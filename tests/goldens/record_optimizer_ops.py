"""Record optimizer-update results from real MXNet 1.9.1 into optimizer_ops.json.

    cd /tmp && <reference python> /path/to/tests/goldens/record_optimizer_ops.py"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mxnet as mx  # noqa: E402
from optimizer_cases import CASES, VARIANTS, inputs, params  # noqa: E402

out = {'mxnet_version': mx.__version__}
for op in sorted(CASES):
    for v in range(len(VARIANTS)):
        arrs = {k: mx.nd.array(a) for k, a in inputs(op, seed=v).items()}
        order = ['weight', 'grad'] + CASES[op][0]
        fn = getattr(mx.nd, op)
        fn(*[arrs[k] for k in order], out=arrs['weight'], **params(op, v))
        out['{}/{}'.format(op, v)] = {k: arrs[k].asnumpy().tolist() for k in order}
with open(os.path.join(HERE, 'optimizer_ops.json'), 'w') as f:
    json.dump(out, f, indent=0, sort_keys=True)
print(len(out) - 1, 'cases')

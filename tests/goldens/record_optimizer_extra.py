"""Record optimizer_extra_cases under real MXNet 1.9.1 into optimizer_extra.json.

    cd /tmp && <reference python> /path/to/tests/goldens/record_optimizer_extra.py"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mxnet as mx  # noqa: E402
import optimizer_extra_cases  # noqa: E402


def encode(v):
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    return v.asnumpy().astype('float64').tolist()


out = {'mxnet_version': mx.__version__}
for case in optimizer_extra_cases.CASES:
    for k, v in case(mx.nd).items():
        out['{}/{}'.format(case.__name__, k)] = encode(v)
with open(os.path.join(HERE, 'optimizer_extra.json'), 'w') as f:
    json.dump(out, f, indent=0, sort_keys=True)
print(len(out) - 1, 'results')

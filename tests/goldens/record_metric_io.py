"""Record tests/goldens/metric_io.json from real MXNet 1.9.1 (run from outside the repo):
    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_metric_io.py
"""
import json
import os
import sys

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import metric_cases as C  # noqa: E402

out = {}
for case in C.METRICS:
    out['metric/' + case] = C.run_metric(mx, case)
for case in C.ITERS:
    out['iter/' + case] = C.run_iter(mx, case)
with open(os.path.join(HERE, 'metric_io.json'), 'w') as f:
    json.dump(out, f)
print('recorded', len(out))

"""Record tests/goldens/loss_optim.json from real MXNet 1.9.1 (run from outside the repo):
    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_loss_optim.py
"""
import json
import os
import sys

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import loss_optim_cases as C  # noqa: E402

out = {}
for case in C.OPTIMIZERS:
    out['opt/' + case] = C.run_optimizer(mx, case)
if hasattr(C, 'LOSSES'):
    for case in C.LOSSES:
        out['loss/' + case] = C.run_loss(mx, case)
with open(os.path.join(HERE, 'loss_optim.json'), 'w') as f:
    json.dump(out, f)
print('recorded', len(out))

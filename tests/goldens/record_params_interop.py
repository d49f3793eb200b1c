"""Fixtures for tests/test_params_interop.py, written by real MXNet 1.9.1.

``build_net`` and ``fill`` are plain Gluon code that the test runs under mxnet-compat
too: same architecture, same explicit prefix, same values (from numpy with a fixed seed,
written with ``set_data``).  The recorder writes, under ``tests/fixtures/gluon/``:

* ``net.params``          ``net.save_parameters`` (structural names, '0.weight')
* ``net_pdict.params``    ``net.collect_params().save`` (full names, 'net_conv0_weight')
* ``net_pdict_strip.params``  the same with ``strip_prefix='net_'``
* ``net_export-0000.params``  ``net.export`` (after hybridize and one forward)
* ``net_io.nd``           the input and the reference's inference output
* ``params_errors.json``  the reference's error messages for missing/extra/dtype cases

Record (from /tmp, so that the real ``mxnet`` is imported):

    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_params_interop.py
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), 'fixtures', 'gluon')


def build_net(mx):
    """Conv2D -> BatchNorm -> relu -> Flatten -> Dense, all shapes given up front."""
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(nn.Conv2D(4, 3, in_channels=2),
                nn.BatchNorm(in_channels=4),
                nn.Activation('relu'),
                nn.Flatten(),
                nn.Dense(3, in_units=4 * 3 * 3))
    net.initialize()
    return net


def fill(mx, net, seed=0):
    """Deterministic values for every parameter (running_var kept positive)."""
    rng = np.random.RandomState(seed)
    for name in sorted(net.collect_params().keys()):
        p = net.collect_params()[name]
        value = rng.uniform(-1, 1, size=p.shape).astype('float32')
        if name.endswith('running_var') or name.endswith('gamma'):
            value = np.abs(value) + 0.5
        p.set_data(mx.nd.array(value))
    return net


def net_input(mx):
    return mx.nd.array(np.random.RandomState(1).uniform(-1, 1, (2, 2, 5, 5)).astype('float32'))


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the message is what is recorded
        return [type(e).__name__, str(e)]
    return None


def main():
    import mxnet as mx
    os.makedirs(FIXTURES, exist_ok=True)
    net = fill(mx, build_net(mx))
    x = net_input(mx)
    y = net(x)
    net.save_parameters(os.path.join(FIXTURES, 'net.params'))
    net.collect_params().save(os.path.join(FIXTURES, 'net_pdict.params'))
    net.collect_params().save(os.path.join(FIXTURES, 'net_pdict_strip.params'),
                              strip_prefix='net_')
    mx.nd.save(os.path.join(FIXTURES, 'net_io.nd'), {'x': x, 'y': y})
    exported = fill(mx, build_net(mx))
    exported.hybridize()
    exported(x)
    exported.export(os.path.join('/tmp', 'net_export'))
    os.replace(os.path.join('/tmp', 'net_export-0000.params'),
               os.path.join(FIXTURES, 'net_export-0000.params'))

    path = os.path.join(FIXTURES, 'net.params')
    partial = os.path.join('/tmp', 'partial.params')
    params = mx.nd.load(path)
    mx.nd.save(partial, {k: v for k, v in params.items() if k != '4.bias'})
    extra = os.path.join('/tmp', 'extra.params')
    mx.nd.save(extra, dict(params, **{'9.weight': mx.nd.ones((1,))}))
    errors = {
        'missing': _error(lambda: build_net(mx).load_parameters(partial)),
        'extra': _error(lambda: build_net(mx).load_parameters(extra)),
        'pdict_missing': _error(lambda: build_net(mx).collect_params().load(partial)),
    }
    half = build_net(mx)
    half.cast('float16')
    errors['dtype'] = _error(lambda: half.load_parameters(path))
    half.load_parameters(path, cast_dtype=True)
    errors['cast_dtype_current'] = str(half[0].weight.data().dtype.__name__)
    half2 = build_net(mx)
    half2.cast('float16')
    half2.load_parameters(path, cast_dtype=True, dtype_source='saved')
    errors['cast_dtype_saved'] = str(half2[0].weight.data().dtype.__name__)
    with open(os.path.join(FIXTURES, 'params_errors.json'), 'w') as f:
        json.dump(errors, f, indent=1, sort_keys=True)
    print(json.dumps(errors, indent=1))


if __name__ == '__main__':
    main()

"""``.params`` files both ways between mxnet-compat and MXNet 1.9.1.

The fixtures under ``tests/fixtures/gluon/`` were written by real MXNet
(``tests/goldens/record_params_interop.py``).  We load them and compare outputs with the
reference's, and we check that the files we write for the same values are byte-identical
to MXNet's, so that CI without the reference still proves MXNet can read them.  When the
reference interpreter is present, it also loads our files in a subprocess."""
import json
import os
import subprocess

import numpy as np
import pytest

import mxnet as mx
from golden_support import load_recorder

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures', 'gluon')
ORACLE = '/root/.cache/mxnet-oracle/bin/python'

scenario = load_recorder('record_params_interop')


def _fixture(name):
    return os.path.join(FIXTURES, name)


def _reference_io():
    io = mx.nd.load(_fixture('net_io.nd'))
    return io['x'], io['y'].asnumpy()


def _errors():
    with open(_fixture('params_errors.json')) as f:
        return json.load(f)


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


# ----------------------------------------------------------------------------- MXNet -> us

@pytest.mark.parametrize('fixture,how', [
    ('net.params', 'load_parameters'),
    ('net_pdict.params', 'pdict'),
    ('net_pdict_strip.params', 'pdict_strip'),
    ('net_pdict_strip.params', 'load_parameters'),   # names without '.': ParameterDict.load
])
def test_load_reference_file_matches_reference_output(fixture, how):
    x, y_ref = _reference_io()
    net = scenario.build_net(mx)
    if how == 'load_parameters':
        net.load_parameters(_fixture(fixture))
    elif how == 'pdict':
        net.collect_params().load(_fixture(fixture))
    else:
        net.collect_params().load(_fixture(fixture), restore_prefix='net_')
    np.testing.assert_allclose(net(x).asnumpy(), y_ref, rtol=1e-5, atol=1e-6)
    net.hybridize()
    np.testing.assert_allclose(net(x).asnumpy(), y_ref, rtol=1e-5, atol=1e-6)


def test_same_values_give_same_output_as_reference():
    x, y_ref = _reference_io()
    net = scenario.fill(mx, scenario.build_net(mx))
    np.testing.assert_allclose(net(x).asnumpy(), y_ref, rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- us -> MXNet

def test_save_parameters_is_byte_identical(tmp_path):
    net = scenario.fill(mx, scenario.build_net(mx))
    net.save_parameters(str(tmp_path / 'ours.params'))
    assert _read(tmp_path / 'ours.params') == _read(_fixture('net.params'))


def test_parameterdict_save_is_byte_identical(tmp_path):
    net = scenario.fill(mx, scenario.build_net(mx))
    net.collect_params().save(str(tmp_path / 'full.params'))
    net.collect_params().save(str(tmp_path / 'strip.params'), strip_prefix='net_')
    assert _read(tmp_path / 'full.params') == _read(_fixture('net_pdict.params'))
    assert _read(tmp_path / 'strip.params') == _read(_fixture('net_pdict_strip.params'))


def test_round_trip_after_loading(tmp_path):
    net = scenario.build_net(mx)
    net.load_parameters(_fixture('net.params'))
    net.save_parameters(str(tmp_path / 'again.params'))
    assert _read(tmp_path / 'again.params') == _read(_fixture('net.params'))


_ORACLE_LOAD = r'''
import sys, importlib.util
import numpy as np
import mxnet as mx
spec = importlib.util.spec_from_file_location('s', sys.argv[1])
s = importlib.util.module_from_spec(spec); spec.loader.exec_module(s)
net = s.build_net(mx)
net.load_parameters(sys.argv[2])
io = mx.nd.load(sys.argv[3])
np.testing.assert_allclose(net(io['x']).asnumpy(), io['y'].asnumpy(), rtol=1e-5, atol=1e-6)
print('ok')
'''


@pytest.mark.skipif(not os.path.exists(ORACLE), reason='reference MXNet not installed')
def test_reference_loads_our_file(tmp_path):
    net = scenario.fill(mx, scenario.build_net(mx))
    ours = str(tmp_path / 'ours.params')
    net.save_parameters(ours)
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'XLA_FLAGS')}
    out = subprocess.run([ORACLE, '-c', _ORACLE_LOAD,
                          os.path.join(HERE, 'goldens', 'record_params_interop.py'),
                          ours, _fixture('net_io.nd')],
                         cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith('ok')


# ----------------------------------------------------------------------------- options

def _partial_and_extra(tmp_path):
    params = mx.nd.load(_fixture('net.params'))
    partial = str(tmp_path / 'partial.params')
    extra = str(tmp_path / 'extra.params')
    mx.nd.save(partial, {k: v for k, v in params.items() if k != '4.bias'})
    mx.nd.save(extra, dict(params, **{'9.weight': mx.nd.ones((1,))}))
    return partial, extra


def test_missing_key(tmp_path):
    partial, _ = _partial_and_extra(tmp_path)
    kind, message = _errors()['missing']
    net = scenario.build_net(mx)
    with pytest.raises(AssertionError) as info:
        net.load_parameters(partial)
    assert kind == 'AssertionError'
    # Both name the parameter, the file, and the option.
    for part in ("Parameter '4.bias' is missing in file", 'allow_missing=True', partial):
        assert part in str(info.value)
    assert "Parameter '4.bias' is missing in file" in message
    before = net[4].bias.data().asnumpy().copy()
    net.load_parameters(partial, allow_missing=True)
    np.testing.assert_array_equal(net[4].bias.data().asnumpy(), before)
    np.testing.assert_array_equal(net[4].weight.data().asnumpy(),
                                  mx.nd.load(partial)['4.weight'].asnumpy())


def test_extra_key(tmp_path):
    _, extra = _partial_and_extra(tmp_path)
    kind, message = _errors()['extra']
    net = scenario.build_net(mx)
    with pytest.raises(ValueError) as info:
        net.load_parameters(extra)
    assert kind == 'ValueError'
    for part in ("Parameter '9.weight' loaded from file", 'is not present in ParameterDict',
                 'Set ignore_extra=True to ignore.'):
        assert part in str(info.value) and part in message
    x, y_ref = _reference_io()
    net.load_parameters(extra, ignore_extra=True)
    np.testing.assert_allclose(net(x).asnumpy(), y_ref, rtol=1e-5, atol=1e-6)


def test_dtype_mismatch_and_cast_dtype():
    errors = _errors()
    half = scenario.build_net(mx)
    half.cast('float16')
    with pytest.raises(AssertionError) as info:
        half.load_parameters(_fixture('net.params'))
    assert errors['dtype'][0] == 'AssertionError'
    for part in ("Failed loading Parameter 'net_conv0_weight' from saved params: dtype "
                 "incompatible expected float16 vs saved", 'Set cast_dtype=True'):
        assert part in str(info.value) and part in errors['dtype'][1]
    half.load_parameters(_fixture('net.params'), cast_dtype=True)
    assert half[0].weight.data().dtype.__name__ == errors['cast_dtype_current'] == 'float16'
    saved = scenario.build_net(mx)
    saved.cast('float16')
    saved.load_parameters(_fixture('net.params'), cast_dtype=True, dtype_source='saved')
    assert saved[0].weight.data().dtype.__name__ == errors['cast_dtype_saved'] == 'float32'


# ----------------------------------------------------------------------------- export

class TwoLayer(mx.gluon.HybridBlock):
    """A user-defined block with constructor arguments and a shared parameter."""

    def __init__(self, hidden, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.a = mx.gluon.nn.Dense(hidden, in_units=3)
            self.b = mx.gluon.nn.Dense(hidden, in_units=hidden, params=self.a.params
                                       if hidden == 3 else None)

    def hybrid_forward(self, F, x):
        return self.b(F.relu(self.a(x)))


def test_export_requires_a_hybridized_run(tmp_path):
    net = scenario.fill(mx, scenario.build_net(mx))
    with pytest.raises(RuntimeError, match='hybridize'):
        net.export(str(tmp_path / 'm'))


def test_export_and_imports_round_trip(tmp_path):
    x, y_ref = _reference_io()
    net = scenario.fill(mx, scenario.build_net(mx))
    net.hybridize()
    net(x)
    path = str(tmp_path / 'model')
    sym, params = net.export(path, epoch=7)
    assert sym == path + '-symbol.json' and params == path + '-0007.params'
    with open(sym) as f:
        description = json.load(f)
    assert description['format'] == 'mxnet-compat-block/1' and 'nodes' not in description
    names = sorted(mx.nd.load(params))
    assert 'arg:net_conv0_weight' in names and 'aux:net_batchnorm0_running_var' in names
    net.export(path)
    assert _read(path + '-0000.params') == _read(_fixture('net_export-0000.params'))
    back = mx.gluon.SymbolBlock.imports(sym, ['data'], params)
    assert isinstance(back, type(net))
    np.testing.assert_allclose(back(x).asnumpy(), y_ref, rtol=1e-5, atol=1e-6)
    assert back.collect_params().keys() == net.collect_params().keys()


def test_export_user_block_with_shared_parameters(tmp_path):
    net = TwoLayer(3, prefix='two_')
    net.initialize(mx.init.Normal(1.0))
    net.hybridize()
    x = mx.nd.array(np.random.RandomState(0).rand(2, 3))
    y = net(x).asnumpy()
    sym, params = net.export(str(tmp_path / 'two'))
    back = mx.gluon.SymbolBlock.imports(sym, 'data', params, ctx=mx.cpu())
    np.testing.assert_allclose(back(x).asnumpy(), y, rtol=1e-6)
    assert back.b.weight is back.a.weight


def test_imports_rejects_mxnet_symbol_json(tmp_path):
    path = tmp_path / 'foreign-symbol.json'
    path.write_text(json.dumps({'nodes': [], 'arg_nodes': [], 'heads': []}))
    with pytest.raises(NotImplementedError, match='Symbol'):
        mx.gluon.SymbolBlock.imports(str(path), ['data'])

"""mxnet_compat._memory: freed host memory is kept for reuse (glibc), with MXNet's switch
to turn pooling off."""
import platform
import subprocess
import sys

import pytest

from mxnet_compat import _memory

GLIBC = sys.platform.startswith('linux') and platform.libc_ver()[0] == 'glibc'


@pytest.mark.parametrize('value', ['Unpooled', 'unpooled', ' Unpooled '])
def test_unpooled_leaves_malloc_alone(value):
    assert _memory.keep_freed_memory({'MXNET_CPU_MEM_POOL_TYPE': value}) is False


def test_pooled_by_default_on_glibc():
    assert _memory.keep_freed_memory({}) is GLIBC
    assert _memory.keep_freed_memory({'MXNET_CPU_MEM_POOL_TYPE': 'Naive'}) is GLIBC


@pytest.mark.parametrize('env, expected', [({}, GLIBC),
                                           ({'MXNET_CPU_MEM_POOL_TYPE': 'Unpooled'}, False)])
def test_import_applies_the_setting(env, expected, monkeypatch):
    monkeypatch.delenv('MXNET_CPU_MEM_POOL_TYPE', raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    out = subprocess.run([sys.executable, '-c', 'import mxnet; print(mxnet._memory_pooled)'],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(expected)

"""The demo program and the tutorial runner, end to end under this package."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(args, cwd):
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    return subprocess.run([sys.executable] + args, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_demo_prints_mxnet_outputs():
    r = _run(['examples/autograd_tutorial.py'], ROOT)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert '\n[[1. 2.]\n [3. 4.]]\n<NDArray 2x2 @cpu(0)>' in out
    assert '\n[[ 4.  8.]\n [12. 16.]]\n<NDArray 2x2 @cpu(0)>' in out   # MXNet's exact text
    assert out.count('<NDArray 2 @cpu(0)>') == 2


TUTORIAL = '''# A tutorial in d2l's Markdown style

```{.python .input}
from mxnet import nd, autograd
x = nd.array([[1, 2], [3, 4]])
x
```

```{.python .input  n=7}
x.attach_grad()
with autograd.record():
    y = 2 * x**2
y.backward()
```

```python
x.grad
```

```bash
echo this is not python
```
'''


def test_notebook_runner_runs_markdown_tutorials_with_this_package(tmp_path):
    md = tmp_path / 'tutorial.md'
    md.write_text(TUTORIAL)
    r = _run(['-m', 'mxnet_compat.notebook', str(md)], str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert '[[ 4.  8.]\n [12. 16.]]\n<NDArray 2x2 @cpu(0)>' in r.stdout
    assert 'ran 3 cells, 0 failed' in r.stdout

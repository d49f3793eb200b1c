"""Tests for mxnet_compat/notebook.py, the tutorial runner.

The runner is pure Python: it is loaded from its file (not through the package, whose
``__init__`` may import jax) and its command line is run as a script path.
"""
import importlib.util
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

NOTEBOOK_PY = Path(__file__).resolve().parent.parent / 'mxnet_compat' / 'notebook.py'


def load_notebook_module():
    spec = importlib.util.spec_from_file_location('notebook_under_test', NOTEBOOK_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


nb = load_notebook_module()


def write_md(tmp_path, text, name='tutorial.md'):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding='utf-8')
    return path


def write_ipynb(tmp_path, cells, name='tutorial.ipynb'):
    """cells: list of (cell_type, source); source given as a list of lines, like nbformat."""
    notebook = {'nbformat': 4, 'nbformat_minor': 5, 'metadata': {}, 'cells': [
        {'cell_type': kind, 'metadata': {}, 'source': src.splitlines(True),
         **({'outputs': [], 'execution_count': None} if kind == 'code' else {})}
        for kind, src in cells]}
    path = tmp_path / name
    path.write_text(json.dumps(notebook, indent=1), encoding='utf-8')
    return path


def run_cli(path, *args, env_extra=None, cwd=None):
    env = dict(os.environ, **(env_extra or {}))
    env.pop('MPLBACKEND', None)
    return subprocess.run([sys.executable, str(NOTEBOOK_PY), str(path), *args],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def run_api(path, **kwargs):
    out = io.StringIO()
    results = nb.run_file(path, out=out, **kwargs)
    return results, out.getvalue()


FENCES_MD = '''\
    # Title

    ```python
    a = 1
    ```

    ```{.python .input}
    b = a + 1
    ```

    ```{.python .input  n=3}
    c = b + 1
    ```

    ```bash
    echo not python
    ```

    ```
    plain fence, not python
    ```

    ```{.json .output n=3}
    [{"output": "not code"}]
    ```

    ~~~python
    d = c + 1
    ~~~
    '''


def test_extract_cells_markdown_fence_styles(tmp_path):
    cells = nb.extract_cells(write_md(tmp_path, FENCES_MD))
    assert [c.source for c in cells] == ['a = 1\n', 'b = a + 1\n', 'c = b + 1\n', 'd = c + 1\n']
    assert [c.line for c in cells] == [4, 8, 12, 28]  # first code line, not the fence


def test_extract_cells_ipynb_keeps_code_cells_only(tmp_path):
    path = write_ipynb(tmp_path, [('markdown', '# Title\n'), ('code', 'x = 1\ny = 2\n'),
                                  ('raw', 'raw text'), ('code', 'x + y')])
    cells = nb.extract_cells(path)
    assert [c.source for c in cells] == ['x = 1\ny = 2\n', 'x + y']
    lines = path.read_text().splitlines()
    assert all('"cell_type": "code"' in lines[c.line - 1] for c in cells)


def test_d2l_tab_cells_for_other_frameworks_are_left_out(tmp_path):
    path = write_md(tmp_path, '''\
        ```{.python .input}
        #@tab mxnet
        x = 'mxnet'
        ```

        ```{.python .input}
        #@tab pytorch, tensorflow
        x = 'torch'
        ```

        ```{.python .input}
        #@tab all
        x
        ```
        ''')
    assert len(nb.extract_cells(path)) == 2
    results, out = run_api(path)
    assert results[-1].output == "'mxnet'\n"


def test_last_expression_is_displayed_and_shared_namespace(tmp_path):
    path = write_md(tmp_path, '''\
        ```python
        x = [1, 2]
        x
        ```

        ```python
        print('printed')
        x + [3]
        ```
        ''')
    results, out = run_api(path)
    assert [r.output for r in results] == ['[1, 2]\n', 'printed\n[1, 2, 3]\n']
    assert [r.error for r in results] == [None, None]
    assert '--- cell 1 (line 2) ---' in out and '--- cell 2 (line 7) ---' in out


def test_none_and_semicolon_and_non_final_expressions_not_displayed(tmp_path):
    path = write_md(tmp_path, '''\
        ```python
        'not last'
        print('hi')
        ```

        ```python
        None
        ```

        ```python
        [].append(1)
        ```

        ```python
        42;
        ```

        ```python
        if True:
            7
        ```
        ''')
    results, _ = run_api(path)
    assert [r.output for r in results] == ['hi\n', '', '', '', '']


def test_namespace_is_main_and_functions_see_globals(tmp_path):
    path = write_md(tmp_path, '''\
        ```python
        scale = 3
        def f(v):
            return v * scale
        ```

        ```python
        if __name__ == '__main__':
            print(f(2))
        ```
        ''')
    results, _ = run_api(path)
    assert results[1].output == '6\n'


def test_ipynb_runs_through_cli(tmp_path):
    path = write_ipynb(tmp_path, [('markdown', 'text'), ('code', 'n = 5\n'), ('code', 'n * 2')])
    proc = run_cli(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '\n10\n' in proc.stdout
    assert proc.stdout.rstrip().endswith('ran 2 cells, 0 failed')


ERROR_MD = '''\
    ```python
    print('first')
    ```

    ```python
    y = 1
    y / 0
    ```

    ```python
    print('after error')
    ```
    '''


def test_error_stops_with_traceback_and_exit_status_1(tmp_path):
    proc = run_cli(write_md(tmp_path, ERROR_MD))
    assert proc.returncode == 1
    assert 'first' in proc.stdout
    assert 'after error' not in proc.stdout
    assert 'File "<cell 2>", line 2' in proc.stdout
    assert 'y / 0' in proc.stdout  # the traceback shows the cell's source line
    assert 'ZeroDivisionError: division by zero' in proc.stdout
    assert 'ran 2 cells, 1 failed (cell 2); 1 not run' in proc.stdout


def test_error_api_result(tmp_path):
    results, out = run_api(write_md(tmp_path, ERROR_MD))
    assert [r.index for r in results] == [1, 2]
    assert results[0].error is None
    assert results[1].error == 'ZeroDivisionError: division by zero'
    assert 'Traceback' in results[1].output
    assert 'notebook.py' not in results[1].output  # the runner's own frames are hidden


def test_keep_going_continues_and_still_fails(tmp_path):
    path = write_md(tmp_path, ERROR_MD)
    proc = run_cli(path, '--keep-going')
    assert proc.returncode == 1
    assert 'ZeroDivisionError' in proc.stdout and 'after error' in proc.stdout
    assert 'ran 3 cells, 1 failed (cell 2)' in proc.stdout
    results, _ = run_api(path, keep_going=True)
    assert [r.error is None for r in results] == [True, False, True]


def test_keep_going_exit_status_0_when_all_pass(tmp_path):
    proc = run_cli(write_md(tmp_path, '```python\nprint(1)\n```\n'), '--keep-going')
    assert proc.returncode == 0
    assert 'ran 1 cells, 0 failed' in proc.stdout


def test_syntax_error_is_reported_for_the_cell(tmp_path):
    results, _ = run_api(write_md(tmp_path, '```python\nx = (\n```\n'))
    assert results[0].error.startswith('SyntaxError')
    assert '<cell 1>' in results[0].output


def test_magics_and_shell_lines_are_skipped(tmp_path):
    path = write_md(tmp_path, '''\
        ```python
        %matplotlib inline
        !pip install something
        x = 1
        if x:
            !echo indented
        x
        ```

        ```python
        %%bash
        echo hi
        ```

        ```python
        %%time
        y = x + 1
        y
        ```

        ```python
        z = (10
             % 3)
        z
        ```
        ''')
    proc = run_cli(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '[skipped magic: %matplotlib inline]' in proc.stdout
    assert '[skipped magic: !pip install something]' in proc.stdout
    assert '[skipped cell magic: %%bash]' in proc.stdout
    results, _ = run_api(path)
    assert [r.output.splitlines()[-1] for r in results] == [
        '1', '[skipped cell magic: %%bash]', '2', '1']


def test_save_comments_are_plain_comments(tmp_path):
    path = write_md(tmp_path, '''\
        ```{.python .input}
        #@save
        def add(a, b):  #@save
            return a + b
        add(1, 2)
        ```
        ''')
    results, _ = run_api(path)
    assert results[0].output == '3\n'


FAKE_MATPLOTLIB = {
    'matplotlib/__init__.py': '''\
        import os
        backend_calls = []
        def use(name, force=True):
            backend_calls.append(name)
        def get_backend():
            return backend_calls[-1] if backend_calls else os.environ.get('MPLBACKEND', 'TkAgg')
        ''',
    'matplotlib/pyplot.py': '''\
        import matplotlib
        closed = []
        def plot(*args):
            return args
        def show():
            if matplotlib.get_backend() != 'Agg':
                raise RuntimeError('interactive backend would block')
        def close(which):
            closed.append(which)
        ''',
}


@pytest.fixture
def fake_matplotlib(tmp_path):
    """A stand-in matplotlib that refuses to show() unless the backend is Agg."""
    root = tmp_path / 'fake_site'
    for name, text in FAKE_MATPLOTLIB.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def test_matplotlib_gets_agg_backend_and_show_does_not_block(tmp_path, fake_matplotlib):
    path = write_md(tmp_path, '''\
        ```python
        %matplotlib inline
        import os
        import matplotlib.pyplot as plt
        plt.plot([1, 2, 3])
        plt.show()
        os.environ['MPLBACKEND']
        ```
        ''')
    proc = run_cli(path, env_extra={'PYTHONPATH': str(fake_matplotlib)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "'Agg'" in proc.stdout


def test_already_imported_matplotlib_is_switched_to_agg(tmp_path, fake_matplotlib, monkeypatch):
    monkeypatch.syspath_prepend(str(fake_matplotlib))
    for name in ('matplotlib', 'matplotlib.pyplot'):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delenv('MPLBACKEND', raising=False)
    import matplotlib
    import matplotlib.pyplot as plt
    path = write_md(tmp_path, '```python\nimport matplotlib.pyplot as plt\nplt.show()\n```\n')
    results, _ = run_api(path)
    assert results[0].error is None
    assert matplotlib.backend_calls == ['Agg']
    assert plt.closed == ['all']  # figures closed after the cell, like the inline backend
    assert os.environ['MPLBACKEND'] == 'Agg'


def test_runs_with_dash_m_too(tmp_path):
    """``python -m mxnet_compat.notebook`` works when the package can be imported.

    Run from a copy holding only notebook.py, so no package ``__init__`` (which may
    import jax) is involved.
    """
    pkg = tmp_path / 'copy' / 'mxnet_compat'
    pkg.mkdir(parents=True)
    (pkg / 'notebook.py').write_text(NOTEBOOK_PY.read_text())
    path = write_md(tmp_path, '```python\n6 * 7\n```\n')
    proc = subprocess.run([sys.executable, '-m', 'mxnet_compat.notebook', str(path)],
                          capture_output=True, text=True, cwd=pkg.parent, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '\n42\n' in proc.stdout


def test_script_path_does_not_put_package_folder_on_sys_path(tmp_path):
    path = write_md(tmp_path, '```python\nimport sys\nprint(sys.path[0])\n```\n')
    proc = run_cli(path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[1] == str(tmp_path)

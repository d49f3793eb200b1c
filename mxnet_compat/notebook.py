"""Execute a tutorial as it is: a Jupyter ``.ipynb`` or a Markdown file with python fences.

    python -m mxnet_compat.notebook FILE [--keep-going]
    python path/to/mxnet_compat/notebook.py FILE [--keep-going]

Cells run in order in one shared namespace (``__name__ == '__main__'``).  Like Jupyter,
each cell's output is printed, followed by the ``repr`` of its last bare expression when
that value is not None (a trailing ``;`` suppresses it).  A header
``--- cell 3 (line 27) ---`` precedes each cell's output; the line is where the cell's
code starts in FILE (for ``.ipynb``, the line of the cell in the JSON text).

Markdown cells are fenced blocks marked ```` ```python ```` (also ``py``, ``python3``,
``ipython``) or d2l's ```` ```{.python .input  n=3} ````; other fences are ignored.
A d2l multi-framework cell whose first line is ``#@tab ...`` runs only when the tab
names ``mxnet`` or ``all``.  IPython magics and shell lines (``%...``, ``!...``) are
skipped with a note; ``%%time``/``%%timeit``/``%%capture`` cells run their body.

matplotlib is put on the non-interactive Agg backend, so ``plt.show()`` never blocks;
open figures are closed after each cell, as the inline backend does.

This module is pure Python and imports nothing from its package, so it also runs as a
script path (it then replaces its own folder on ``sys.path`` with the working directory,
as ``python -m`` would).  Unlike Jupyter it does not change the working directory.
"""
import argparse
import ast
import builtins
import contextlib
import io
import json
import linecache
import os
import re
import sys
import traceback
from dataclasses import dataclass
from typing import Optional

PYTHON_INFO = {'python', 'python3', 'py', 'ipython', 'ipython3'}
BODY_CELL_MAGICS = {'time', 'timeit', 'capture'}


@dataclass
class Cell:
    """A code cell: its source and the 1-based line of FILE where its code starts."""
    source: str
    line: int


@dataclass
class CellResult:
    """What running cell ``index`` (1-based) printed, and its error (``'Type: msg'``) or None."""
    index: int
    output: str
    error: Optional[str] = None


def _is_python_fence(info: str) -> bool:
    """True for ```` ```python ```` style info strings and d2l's ``{.python .input ...}``."""
    info = info.strip()
    if info.startswith('{'):
        classes = info.strip('{}').split()
        return '.python' in classes and '.output' not in classes
    return info.split()[0].lower() in PYTHON_INFO if info else False


def _markdown_cells(text: str) -> list[Cell]:
    """The python fenced blocks of a Markdown text (CommonMark fences: ``` or ~~~)."""
    cells, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = re.match(r'^( *)(`{3,}|~{3,})(.*)$', lines[i])
        i += 1
        if not m or (m.group(2)[0] == '`' and '`' in m.group(3)):
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3)
        start, body = i, []
        close = re.compile(r'^ *' + re.escape(fence[0]) + '{%d,} *$' % len(fence))
        while i < len(lines) and not close.match(lines[i]):
            line = lines[i]
            body.append(line[indent:] if line[:indent].strip() == '' else line.lstrip())
            i += 1
        i += 1  # skip the closing fence
        if _is_python_fence(info):
            cells.append(Cell('\n'.join(body) + '\n', start + 1))
    return cells


def _ipynb_cells(text: str) -> list[Cell]:
    """The code cells of a Jupyter notebook's JSON text."""
    nb = json.loads(text)
    # Line of each cell in the JSON text: the n-th '"cell_type":' key belongs to the n-th cell.
    key_lines = [text.count('\n', 0, m.start()) + 1
                 for m in re.finditer(r'"cell_type"\s*:', text)]
    if len(key_lines) != len(nb.get('cells', [])):
        key_lines = [0] * len(nb.get('cells', []))
    cells = []
    for cell, line in zip(nb.get('cells', []), key_lines):
        if cell.get('cell_type') == 'code':
            src = cell.get('source', '')
            cells.append(Cell(''.join(src) if isinstance(src, list) else src, line))
    return cells


def _runs_under_mxnet(cell: Cell) -> bool:
    """d2l's ``#@tab pytorch, tensorflow`` cells are for other frameworks."""
    first = cell.source.lstrip().split('\n', 1)[0].strip()
    m = re.match(r'#\s*@tab\b(.*)', first)
    return not m or bool({'mxnet', 'all'} & set(re.split(r'[\s,]+', m.group(1).strip())))


def extract_cells(path) -> list[Cell]:
    """The code cells of a ``.ipynb`` notebook or a Markdown tutorial, in file order."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    cells = _ipynb_cells(text) if str(path).endswith('.ipynb') else _markdown_cells(text)
    return [c for c in cells if _runs_under_mxnet(c)]


def _strip_magics(source: str) -> tuple[str, list[str]]:
    """Replace IPython magic/shell lines by ``pass`` (keeping line numbers); return notes."""
    first = source.lstrip().split('\n', 1)[0].strip()
    if first.startswith('%%'):
        name = first[2:].split()[0] if first[2:].split() else ''
        if name not in BODY_CELL_MAGICS:
            return '', [f'skipped cell magic: {first}']
        source = source.replace(first, '# ' + first, 1)  # run the body
    try:
        ast.parse(source)
        return source, []
    except SyntaxError:
        pass  # only then can a line starting with % or ! be a magic
    out, notes = [], []
    for line in source.split('\n'):
        stripped = line.lstrip()
        if stripped[:1] in ('%', '!'):
            notes.append(f'skipped magic: {stripped}')
            line = line[:len(line) - len(stripped)] + 'pass'
        out.append(line)
    return '\n'.join(out), notes


class _Tee:
    """A text stream writing to ``out`` and keeping a copy of what was written."""

    def __init__(self, out):
        self.out, self.copy = out, io.StringIO()

    def write(self, s):
        self.out.write(s)
        return self.copy.write(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        self.out.flush()

    def isatty(self):
        return False

    def __getattr__(self, name):  # encoding, fileno, ... of the real stream
        return getattr(self.out, name)


def _use_agg_backend() -> None:
    """Make matplotlib non-interactive, whether or not it is already imported."""
    os.environ['MPLBACKEND'] = 'Agg'
    if 'matplotlib' in sys.modules:
        sys.modules['matplotlib'].use('Agg')


def _close_figures() -> None:
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is not None:
        plt.close('all')


def _exec_cell(source: str, filename: str, namespace: dict) -> None:
    """Run ``source``; print the repr of its last bare expression unless None or ``;``-ended."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, 'exec'), namespace)
    if last is not None:
        value = eval(compile(last, filename, 'eval'), namespace)
        if value is not None and not source.rstrip().endswith(';'):
            namespace['_'] = value
            print(repr(value))


def run_file(path, keep_going=False, out=sys.stdout) -> list[CellResult]:
    """Run the code cells of ``path`` in one namespace, printing each cell's output to ``out``.

    Stops after the first failing cell (its traceback is printed) unless ``keep_going``.
    Returns one CellResult per cell that ran.
    """
    _use_agg_backend()
    namespace = {'__name__': '__main__', '__builtins__': builtins}
    results = []
    for index, cell in enumerate(extract_cells(path), start=1):
        out.write(f'--- cell {index} (line {cell.line}) ---\n')
        out.flush()
        tee, error = _Tee(out), None
        with contextlib.redirect_stdout(tee), contextlib.redirect_stderr(tee):
            source, notes = _strip_magics(cell.source)
            for note in notes:
                print(f'[{note}]')
            filename = f'<cell {index}>'
            try:
                _exec_cell(source, filename, namespace)
            except (Exception, SystemExit) as e:
                tb = e.__traceback__  # start at the cell's frame (none for a SyntaxError)
                while tb is not None and tb.tb_frame.f_code.co_filename != filename:
                    tb = tb.tb_next
                lines = traceback.format_exception(type(e), e, tb)
                print(''.join(lines), end='')
                error = lines[-1].strip()
            _close_figures()
        out.flush()
        results.append(CellResult(index, tee.copy.getvalue(), error))
        if error is not None and not keep_going:
            break
    return results


def main(argv=None) -> int:
    """Command line: run FILE, print a summary line, return 1 if any cell failed."""
    parser = argparse.ArgumentParser(prog='python -m mxnet_compat.notebook',
                                     description=__doc__.split('\n')[0])
    parser.add_argument('file', help='a .ipynb notebook or a Markdown tutorial')
    parser.add_argument('--keep-going', action='store_true',
                        help='after a failing cell, run the next cells')
    args = parser.parse_args(argv)
    if not os.path.isfile(args.file):
        parser.error(f'no such file: {args.file}')
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors='backslashreplace')
    results = run_file(args.file, keep_going=args.keep_going, out=sys.stdout)
    failed = [r.index for r in results if r.error is not None]
    summary = f'ran {len(results)} cells, {len(failed)} failed'
    if failed:
        summary += ' (cell%s %s)' % ('s' * (len(failed) > 1), ', '.join(map(str, failed)))
    not_run = len(extract_cells(args.file)) - len(results)
    if not_run:
        summary += f'; {not_run} not run'
    print(summary)
    return 1 if failed else 0


if __name__ == '__main__':
    if __spec__ is None and sys.path and os.path.abspath(sys.path[0]) == \
            os.path.dirname(os.path.abspath(__file__)):
        sys.path[0] = os.getcwd()  # run as a script: don't let package files shadow modules
    sys.exit(main())

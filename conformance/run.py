"""Run the conformance cases under the `mxnet` this interpreter imports and
compare them with the goldens recorded from real MXNet 1.9.1.

    PYTHONPATH=/work/main /work/venv/bin/python conformance/run.py
    python conformance/run.py --python /root/.cache/mxnet-oracle/bin/python
    ... run.py --area indexing_views -k view --show

Exit status 1 when a case fails that is not listed in known_gaps.json.
Writes conformance/REPORT.md (not with --area/-k, unless --report is given).
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

KNOWN_GAPS = os.path.join(harness.HERE, 'known_gaps.json')
DEFAULT_REPORT = os.path.join(harness.HERE, 'REPORT.md')


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--python', metavar='PY',
                    help='re-run this script with another interpreter')
    ap.add_argument('--area', help='only this area')
    ap.add_argument('-k', dest='substring',
                    help='only cases whose id (area.case) contains this')
    ap.add_argument('--report', metavar='PATH',
                    help='where to write the Markdown report '
                         '(default conformance/REPORT.md on unfiltered runs)')
    ap.add_argument('--no-report', action='store_true', help='write no report')
    ap.add_argument('--show', action='store_true',
                    help='print the encoded result (and golden) of each case')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print every case, not only failures')
    return ap.parse_args(argv)


def reexec(argv, python):
    """Run this script with `python`, dropping the --python option."""
    rest, skip = [], False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a == '--python':
            skip = True
            continue
        if a.startswith('--python='):
            continue
        rest.append(a)
    return subprocess.call([python, os.path.abspath(__file__)] + rest)


def load_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def main(argv):
    args = parse_args(argv)
    if args.python:
        return reexec(argv, args.python)

    try:
        import mxnet as mx
        where = (os.path.dirname(os.path.abspath(mx.__file__))
                 if getattr(mx, '__file__', None) else list(getattr(mx, '__path__', [])))
        mx_desc = 'mxnet %s from %s' % (getattr(mx, '__version__', '?'), where)
        import_error = None
    except Exception as e:  # noqa: BLE001 - reported per case
        mx = None
        import_error = 'import mxnet failed: %s: %s' % (type(e).__name__, e)
        mx_desc = import_error

    known = load_json(KNOWN_GAPS, {})
    rows = []          # (area, name, status, message)
    t0 = time.time()
    for area, cases in harness.load_areas(args.area):
        golden_doc = load_json(os.path.join(harness.GOLDENS_DIR, area + '.json'),
                               {'cases': {}})
        goldens = golden_doc['cases']
        for name, fn in cases:
            cid = '%s.%s' % (area, name)
            if args.substring and args.substring not in cid:
                continue
            if mx is None:
                msg, actual = import_error, None
            else:
                actual, msg = harness.run_case(mx, fn)
                if name not in goldens:
                    msg = 'no golden recorded (run record.py)%s' % (
                        ': ' + msg if msg else '')
                elif msg is None:
                    try:
                        msg = harness.compare(goldens[name], actual)
                    except Exception as e:  # noqa: BLE001 - never die
                        msg = 'comparison failed: %s: %s' % (type(e).__name__, e)
            if msg is None:
                status = 'fixed' if cid in known else 'pass'
            else:
                status = 'gap' if cid in known else 'FAIL'
            rows.append((area, name, status, msg))
            if args.show:
                print('== %s [%s]' % (cid, status))
                print('   actual: ' + json.dumps(actual, sort_keys=True))
                if msg is not None:
                    print('   golden: ' + json.dumps(goldens.get(name), sort_keys=True))
                    print('   reason: ' + msg)
            elif args.verbose or status in ('FAIL', 'fixed'):
                print('%-5s %s%s' % (status, cid, ': ' + msg if msg else
                                     (' (known gap now passes: remove it from '
                                      'known_gaps.json)' if status == 'fixed' else '')))
    elapsed = time.time() - t0

    areas = []
    for area, _, _, _ in rows:
        if area not in areas:
            areas.append(area)
    table = []
    for area in areas:
        st = [r[2] for r in rows if r[0] == area]
        table.append((area, len(st), st.count('pass') + st.count('fixed'),
                      st.count('gap'), st.count('FAIL'), st.count('fixed')))
    tot = tuple(sum(t[i] for t in table) for i in range(1, 6))

    print()
    print(mx_desc)
    hdr = '%-16s %6s %8s %11s %9s' % ('area', 'cases', 'passing', 'known gaps', 'failing')
    print(hdr)
    print('-' * len(hdr))
    for area, n, p, g, f, _ in table:
        print('%-16s %6d %8d %11d %9d' % (area, n, p, g, f))
    print('-' * len(hdr))
    print('%-16s %6d %8d %11d %9d   (%.1f%% passing, %.1fs)' % (
        'total', tot[0], tot[1], tot[2], tot[3],
        100.0 * tot[1] / max(tot[0], 1), elapsed))
    if tot[4]:
        print('%d known gap(s) now pass: remove them from known_gaps.json' % tot[4])
    run_ids = set('%s.%s' % (r[0], r[1]) for r in rows)
    if not (args.area or args.substring):
        stale = sorted(set(known) - run_ids)
        if stale:
            print('known_gaps.json names unknown cases: %s' % ', '.join(stale))

    report = args.report or (None if (args.area or args.substring)
                             else DEFAULT_REPORT)
    if report and not args.no_report:
        write_report(report, mx_desc, rows, table, tot, known)
        print('wrote %s' % report)
    return 1 if tot[3] else 0


def write_report(path, mx_desc, rows, table, tot, known):
    L = ['# Conformance report', '',
         'Generated by `conformance/run.py` with `%s` (%s).' % (
             sys.executable, mx_desc.replace(
                 os.path.dirname(harness.HERE) + os.sep, '')),
         '',
         '| area | cases | passing | pass rate | known gaps | failing |',
         '|---|---:|---:|---:|---:|---:|']
    for area, n, p, g, f, _ in table:
        L.append('| %s | %d | %d | %.0f%% | %d | %d |' % (
            area, n, p, 100.0 * p / max(n, 1), g, f))
    L.append('| **total** | %d | %d | %.1f%% | %d | %d |' % (
        tot[0], tot[1], 100.0 * tot[1] / max(tot[0], 1), tot[2], tot[3]))
    L.append('')
    L.append('%d of %d cases pass; %d known gap(s) fail as listed in '
             '`known_gaps.json` (%d entries there); %d case(s) fail '
             'unexpectedly.' % (tot[1], tot[0], tot[2], len(known), tot[3]))
    if tot[4]:
        L.append('%d known gap(s) now pass and should be removed from '
                 '`known_gaps.json`.' % tot[4])
    L.append('')
    L.append('Where the examples of MXNet\'s docstrings differ from what MXNet '
             '1.9.1 really does (the `doc_examples` area follows the real '
             'behaviour): [doc_discrepancies.md](doc_discrepancies.md).')
    L.append('')
    for area, n, p, g, f, fixed in table:
        bad = [r for r in rows if r[0] == area and r[2] != 'pass']
        if not bad:
            continue
        L.append('## %s: %d/%d passing' % (area, p, n))
        L.append('')
        for _, name, status, msg in bad:
            cid = '%s.%s' % (area, name)
            if status == 'FAIL':
                L.append('- **FAIL** `%s`: %s' % (name, msg))
            elif status == 'gap':
                L.append('- known gap `%s` (%s): %s' % (name, known[cid], msg))
            else:
                L.append('- `%s` passes: remove it from known_gaps.json' % name)
        L.append('')
    with open(path, 'w', newline='\n') as f:
        f.write('\n'.join(L).rstrip('\n') + '\n')


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

"""Record the goldens: run every case under real MXNet 1.9.1.

    /root/.cache/mxnet-oracle/bin/python conformance/record.py            # write goldens
    /root/.cache/mxnet-oracle/bin/python conformance/record.py --check    # compare only
    ... record.py --area creation                                         # one area

Writes conformance/goldens/<area>.json.  With --check nothing is written; the
exit status is 1 when a re-recording differs (byte for byte) from the files.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def record_area(mx, np_version, area, cases):
    results = {}
    for name, fn in cases:
        try:
            results[name] = harness.run_case(mx, fn, strict=True)[0]
        except Exception:
            sys.stderr.write('case %s.%s failed under the reference:\n' % (area, name))
            raise
    return harness.dumps({'area': area, 'mxnet_version': mx.__version__,
                          'numpy_version': np_version, 'cases': results})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', action='store_true',
                    help='re-record in memory and diff against the files')
    ap.add_argument('--area', help='only this area')
    args = ap.parse_args()

    import numpy
    import mxnet as mx
    repo = os.path.dirname(harness.HERE)
    if ('mxnet_compat' in sys.modules or
            os.path.abspath(mx.__file__).startswith(repo + os.sep)):
        sys.exit('record.py: refusing to record with %s (not real MXNet)' % mx.__file__)
    if mx.__version__ != '1.9.1':
        sys.exit('record.py: expected MXNet 1.9.1, got %s' % mx.__version__)

    areas = harness.load_areas(args.area)
    if args.area and not areas:
        sys.exit('record.py: no area %r' % args.area)
    os.makedirs(harness.GOLDENS_DIR, exist_ok=True)
    differ = []
    total = 0
    for area, cases in areas:
        text = record_area(mx, numpy.__version__, area, cases)
        total += len(cases)
        path = os.path.join(harness.GOLDENS_DIR, area + '.json')
        if args.check:
            old = None
            if os.path.exists(path):
                with open(path, 'rb') as f:
                    old = f.read()
            if old != text.encode('ascii'):
                differ.append(area)
                print('DIFFERS: %s' % os.path.relpath(path, repo))
        else:
            with open(path, 'w', newline='\n') as f:
                f.write(text)
            print('wrote %s (%d cases)' % (os.path.relpath(path, repo), len(cases)))
    if args.check and not args.area:
        known = set(a for a, _ in areas)
        for fname in sorted(os.listdir(harness.GOLDENS_DIR)):
            if fname.endswith('.json') and fname[:-5] not in known:
                differ.append(fname[:-5])
                print('STALE: goldens/%s has no cases/%s.py' % (fname, fname[:-5]))
    if args.check:
        if differ:
            print('record.py --check: %d area(s) differ: %s'
                  % (len(differ), ', '.join(differ)))
            sys.exit(1)
        print('record.py --check: %d areas, %d cases, goldens up to date'
              % (len(areas), total))


if __name__ == '__main__':
    main()

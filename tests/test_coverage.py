"""The ndarray API surface: at least 95% of MXNet 1.9.1's dense nd names exist here, and
every missing name has a recorded reason (conformance/coverage_gaps.json)."""
import os
import runpy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_coverage_of_mxnet_names():
    coverage = runpy.run_path(os.path.join(ROOT, 'conformance', 'coverage.py'))
    assert coverage['main'](['--min', '0.95', '--no-write']) == 0

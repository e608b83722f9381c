"""The full fault run: `python -m tests.fault_run [--runs N] [pytest args...]`.

CI runs the same tests short (a few kills, a few hundred examples per property). This
runs them long: N kills of the store API and N of the real program (default 50), 20*N
Hypothesis examples per property, and the concurrency tests.
"""

from __future__ import annotations

import argparse
import os
import sys

import pytest

FAULT_TESTS = [
    "tests/unit/test_kill_store.py",
    "tests/faults",
    "tests/unit/test_concurrency.py",
    "tests/unit/test_editor_properties.py",
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fault_run", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="kills per fault test (default 50)")
    args, extra = parser.parse_known_args()
    os.environ["ANNOTATOR_FAULT_RUNS"] = str(args.runs)
    os.environ["ANNOTATOR_PROPERTY_EXAMPLES"] = str(20 * args.runs)
    return pytest.main(["-q", *FAULT_TESTS, *extra])


if __name__ == "__main__":
    sys.exit(main())

"""The marking by speed (tests/helpers/speed_marks.py): what is slow by nature is marked slow,
and a test not marked slow that starts a process or trains spaCy fails, saying to mark it."""

from __future__ import annotations

import pytest
import spacy.language  # noqa: F401

# spaCy is imported out here so that the inner sessions share one copy: pytester forgets the
# modules an inner session imported, and a second import of spaCy breaks its config validation.

# A whole pytest session runs inside each of these tests (a second or more each), and the
# machinery of that inner session is not the test's own doing: on CI something in it started a
# process, which the outer guard blamed on the test. Slow, so only the inner guard judges.
pytestmark = pytest.mark.slow

# The snapshot plugin keeps one folder for the whole process: an inner run must not end it.
PLUGIN = ("-p", "tests.helpers.speed_marks", "-p", "no:cacheprovider", "-p", "no:textual-snapshot")

STARTS_A_PROCESS = """
import multiprocessing, os, subprocess, sys, threading

def test_runs_a_command():
    subprocess.run([sys.executable, "-c", "pass"])

def test_forks():
    os.fork()

def test_starts_a_multiprocessing_process():
    multiprocessing.Process(target=print).start()

def test_catches_what_stops_it():
    try:
        subprocess.Popen([sys.executable, "-c", "pass"])
    except BaseException:
        pass

def test_starts_a_process_in_a_thread():
    thread = threading.Thread(target=subprocess.run, args=(["tmux", "-V"],))
    thread.start()
    thread.join()

def test_trains_spacy():
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.update([])

def test_starts_nothing():
    assert sum([1, 2]) == 3
"""


def test_an_unmarked_test_that_starts_a_process_or_trains_fails_saying_to_mark_it_slow(pytester):
    pytester.makepyfile(test_starts=STARTS_A_PROCESS)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(failed=6, passed=1)
    for test, doing in [
        ("test_runs_a_command", "starts a process (subprocess)"),
        ("test_forks", "starts a process (os.fork)"),
        ("test_starts_a_multiprocessing_process", "starts a process (multiprocessing)"),
        ("test_catches_what_stops_it", "starts a process (subprocess)"),
        ("test_starts_a_process_in_a_thread", "starts a process (subprocess)"),
        ("test_trains_spacy", "trains a spaCy pipeline"),
    ]:
        result.stdout.fnmatch_lines(
            [f"*test_starts.py::{test} {doing} but is not marked slow: mark it @pytest.mark.slow*"]
        )


def test_slow_by_nature_is_marked_slow_and_left_out_of_the_fast_loop(pytester):
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef tiny_model():\n    return 'a model'\n")
    for folder in ("e2e", "faults", "web", "unit", "ui"):
        pytester.makepyfile(**{f"tests/{folder}/test_in_{folder}": "def test_here():\n    pass\n"})
    pytester.makepyfile(
        test_kinds="""
import pytest

def test_with_the_model(tiny_model):
    pass

@pytest.mark.e2e
def test_in_tmux():
    pass

@pytest.mark.slow
def test_marked():
    pass

def test_plain():
    pass
"""
    )
    fast = pytester.runpytest_inprocess(*PLUGIN, "-m", "not slow", "-v")
    fast.assert_outcomes(passed=3, deselected=6)
    assert sorted(line.split()[0] for line in fast.outlines if " PASSED " in line) == [
        "test_kinds.py::test_plain",
        "tests/ui/test_in_ui.py::test_here",
        "tests/unit/test_in_unit.py::test_here",
    ]


@pytest.mark.slow
def test_a_test_marked_slow_may_start_processes(pytester):
    pytester.makepyfile(
        test_marked="import pytest\n\npytestmark = pytest.mark.slow\n" + STARTS_A_PROCESS.replace("os.fork()", "pass")
    )
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(passed=7)

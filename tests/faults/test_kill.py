"""Killed at any moment: the real `annotator annotate` in tmux, fed keys (answers, span
edits, label keys, span resizes, terminal resizes) with short random pauses, SIGKILLed
at a random moment, restarted on the same store and killed again. Against what the screen showed: every
answer it had moved on from is stored, in the order and kind typed, none twice, none
that no key gave; each restart opens the first unanswered document; the store passes
`PRAGMA integrity_check` and `annotator db check`'s invariants.

CI: ANNOTATOR_FAULT_RUNS (default 3) runs of 2 kills each.
The full fault run: python -m tests.fault_run --runs 100 (all fault tests, N kills each)
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.kill_harness import Annotating, check_sessions, feed, make_project

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("ANNOTATOR_FAULT_RUNS", "3"))
KILLS_PER_RUN = 2
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


@pytest.fixture
def project(tmp_path) -> Path:
    make_project(tmp_path, ROOT / "labels.yaml")
    return tmp_path


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_at_a_random_moment_loses_no_given_answer(project, run):
    rng = random.Random(run)
    sessions = []
    for _ in range(KILLS_PER_RUN):
        program = Annotating(project)
        try:
            feed(program, rng, keys=rng.randint(2, 40))
            program.press(rng.choice(["a", "x", "Space", "Tab"]))  # and die while handling a key,
            time.sleep(rng.uniform(0.0, 0.05))  # or just after it
            program.look()
        finally:
            sessions.append(program.kill())
    restarted = Annotating(project)  # it resumes where the last kill left it
    try:
        restarted.wait_for_document()
    finally:
        sessions.append(restarted.kill())
    assert check_sessions(project / "store.db", sessions) == []


def test_the_check_catches_answers_written_late(project):
    """The same check on a program that commits answers five at a time finds the loss."""
    program = Annotating(project, program=f"{sys.executable} {Path(__file__).with_name('late_writer.py')}")
    try:
        shown = program.wait_for_document()
        for _ in range(3):
            program.press("a")
            shown = program.wait_for_document(other_than=shown)
    finally:
        session = program.kill()
    problems = check_sessions(project / "store.db", [session])
    assert any("the screen moved past 3 documents" in p and "the store has 0 answers" in p for p in problems), problems

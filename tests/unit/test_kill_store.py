"""Killed at any moment (SIGKILL) while answering or merging: every answer given before
the kill is in the store, nothing half-written, and SQLite's integrity check passes.

This drives the store API in a child process; the same proof through the real program
and its keys lives with the end-to-end tests. CI kills a few times; set
ANNOTATOR_FAULT_RUNS for a long run (e.g. 200).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import Store
from bench.concurrency import DATASET, make_store
from tests.helpers.stores import whitespace_doc

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("ANNOTATOR_FAULT_RUNS", "3"))

ANSWER_FOREVER = """
import sys, time
from annotator.core.spans import Span
from annotator.store import Store
store = Store(sys.argv[1])
print("ready", flush=True)
while True:
    document = store.next_task("bench", "ann")
    if document is None:
        break
    answer = store.add_answer(document, "ann", "accept", [Span(0, 3, "PERSON")], time.time())
    print(answer, document, flush=True)  # only after add_answer returned: the answer was given
"""

MERGE = """
import sys
from annotator.store import Store
store = Store(sys.argv[1])
print("ready", flush=True)
print(store.merge_from(sys.argv[2]), flush=True)
"""


def start(code: str, *args: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout.readline().strip() == "ready"
    return child


def kill_after(child: subprocess.Popen, seconds: float) -> list[str]:
    """SIGKILL the child after ``seconds``; the whole lines it printed before it died
    (a kill can cut the last line short: that answer was not reported as given)."""
    try:
        child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
    child.wait()
    return [line for line in child.stdout.read().splitlines(keepends=True) if line.endswith("\n")]


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
def test_killed_while_answering_loses_no_given_answer(tmp_path, run):
    path = tmp_path / "store.db"
    make_store(path, 5000)
    rng = random.Random(run)
    given = []
    for _ in range(3):  # killed, restarted, killed again: resumes on the same store
        given += [
            tuple(map(int, line.split())) for line in kill_after(start(ANSWER_FOREVER, path), rng.uniform(0.0, 0.4))
        ]
    with Store(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.check() == []
        stored = {(a["id"], a["document"]) for a in store.db.query("SELECT id, document FROM answers")}
    assert set(given) <= stored  # every answer given is there
    assert len(stored) - len(given) <= 3  # at most the one being given at each kill
    assert len({document for _, document in stored}) == len(stored)  # and none twice


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
def test_killed_while_merging_leaves_all_or_nothing(tmp_path, run):
    laptop = Store(tmp_path / "laptop.db")
    laptop.ensure_dataset(DATASET, "en", ["PERSON", "GPE", "ORG", "DATE"])
    ids = laptop.add_documents(DATASET, [whitespace_doc(f"Offline text number {n} .") for n in range(3000)])
    for n, document in enumerate(ids.values()):
        laptop.add_answer(document, "offline", "accept", [], float(n), n + 0.5)
    laptop.close()
    server = tmp_path / "server.db"
    make_store(server, 100)
    lines = kill_after(start(MERGE, server, tmp_path / "laptop.db"), random.Random(run).uniform(0.0, 0.5))
    with Store(server) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answers = store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        documents = store.count_documents(DATASET)
        assert (documents, answers) in {(100, 0), (3100, 3000)}  # one transaction: all or nothing
        assert answers == 3000 or not lines  # reported merged: it is (a kill after COMMIT may beat the report)
        store.merge_from(tmp_path / "laptop.db")  # and a second try completes it
        assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 3000

"""Killed while importing: `annotator import` of a large file, SIGKILLed at a random
moment. The import is one transaction, so the store holds all of the file or none of it
(never part), passes `PRAGMA integrity_check`, holds everything if the command said it
was done, and the same import run again completes it.

CI: ANNOTATOR_FAULT_RUNS (default 2) kills; the full fault run sets more.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.tasks import NewDocument
from annotator.store import Store

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("ANNOTATOR_FAULT_RUNS", "2"))
LINES = 15_000
SEEDED = 2


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import") / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(LINES):
            out.write(json.dumps({"text": f"Report {n}: Alice Smith met officials in Damascus on Thursday."}) + "\n")
    return path


def annotator(folder: Path, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator.cli", *args, "--db", "store.db", "--labels", "labels.yaml"],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)  # fmt: skip


def counts(folder: Path) -> tuple[int, int]:
    with Store(folder / "store.db") as store:
        assert store.check() == []  # SQLite's integrity check and the store's own invariants
        return store.count_documents("news"), store.count_documents("big")


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_during_import_leaves_all_or_nothing(tmp_path, big_file, run):
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    labels = labels.replace("model: en_core_web_sm", "model: null").replace("patterns: patterns.jsonl", "patterns: null")
    (tmp_path / "labels.yaml").write_text(labels, encoding="utf-8")
    with Store(tmp_path / "store.db") as store:  # another dataset is there before
        store.add_documents("news", [NewDocument(f"Seed {n}.", [(0, 4), (5, 5 + len(str(n))), (5 + len(str(n)), 6 + len(str(n)))]) for n in range(SEEDED)])

    child = annotator(tmp_path, "import", str(big_file), "--dataset", "big")
    try:
        out, _ = child.communicate(timeout=random.Random(run).uniform(0.3, 3.0))
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
    reported_done = f"{LINES} new documents" in out
    seeded, imported = counts(tmp_path)
    assert seeded == SEEDED and imported in (0, LINES)  # one transaction: all or nothing
    assert imported == LINES or not reported_done  # said done: it is

    again = annotator(tmp_path, "import", str(big_file), "--dataset", "big")
    assert again.wait(timeout=120) == 0, again.stderr.read()
    assert counts(tmp_path) == (SEEDED, LINES)

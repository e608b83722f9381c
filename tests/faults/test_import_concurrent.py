"""A long `annotator import` while others use the store: annotators' commits never wait
long for it (it commits in short batches), and readers see none of its documents until
it is done, then all of them at once.

One real import of a generated JSONL runs in a subprocess; meanwhile a thread commits
answers on another connection (as an annotator does) and the test reads on a third.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.core.tasks import NewDocument
from annotator.store import Store

ROOT = Path(__file__).resolve().parents[2]
LINES = 30_000
MAX_WAIT_SECONDS = 1.0  # the bound on how long an import may hold the write lock


@pytest.fixture(scope="module")
def observed(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("concurrent-import")
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    labels = labels.replace("model: en_core_web_sm", "model: null").replace(
        "patterns: patterns.jsonl", "patterns: null"
    )
    (folder / "labels.yaml").write_text(labels, encoding="utf-8")
    with (folder / "big.jsonl").open("w", encoding="utf-8") as out:
        for n in range(LINES):
            out.write(json.dumps({"text": f"Report {n}: Alice Smith met officials in Damascus on Thursday."}) + "\n")
    with Store(folder / "store.db") as store:
        store.ensure_dataset("news", "en", ["PERSON"])
        [seed] = store.add_documents("news", [NewDocument("Seed text.", [(0, 4), (5, 9), (9, 10)])]).values()

    commits: list[tuple[float, float]] = []  # (started, seconds) of each answer's commit
    stop = threading.Event()

    def annotate() -> None:
        with Store(folder / "store.db") as store:
            while not stop.is_set():
                started = time.perf_counter()
                store.add_answer(seed, "ana", "accept", [], time.time())
                commits.append((started, time.perf_counter() - started))
                time.sleep(0.01)

    writer = threading.Thread(target=annotate)
    writer.start()
    seen = []  # (visible count, datasets listed, raw rows of the dataset, a pending import registered)
    child = subprocess.Popen(
        [sys.executable, "-m", "annotator.cli", "import", "big.jsonl", "--dataset", "big", "--no-preannotate",
         "--db", "store.db", "--labels", "labels.yaml"],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    began = time.perf_counter()
    try:
        with Store(folder / "store.db") as reader:
            while child.poll() is None:
                # One read transaction: the four reads see one moment (in autocommit each saw its
                # own, and the import could finish between two of them).
                reader.db.execute("BEGIN")
                try:
                    raw = reader.db.execute("SELECT COUNT(*) FROM documents WHERE dataset = 'big'").fetchone()[0]
                    pending = reader.db.execute("SELECT COUNT(*) FROM imports WHERE state = 'pending'").fetchone()[0]
                    seen.append((reader.count_documents("big"), "big" in reader.datasets(), raw, pending))
                finally:
                    reader.db.execute("COMMIT")
                time.sleep(0.05)
            out, err = child.communicate(timeout=300)
            after = (reader.count_documents("big"), "big" in reader.datasets())
    finally:
        stop.set()
        writer.join()
    during = [seconds for started, seconds in commits if started >= began]
    return {"status": child.returncode, "out": out, "err": err, "seen": seen, "after": after, "commits": during}


def test_annotators_commits_never_wait_long_for_an_import(observed):
    assert observed["status"] == 0, observed["err"]
    assert f"{LINES} new documents" in observed["out"]
    assert len(observed["commits"]) > 20  # the import took long enough to measure anything
    assert max(observed["commits"]) < MAX_WAIT_SECONDS, sorted(observed["commits"])[-5:]


def test_readers_see_none_of_an_import_until_it_is_done_then_all(observed):
    assert observed["status"] == 0, observed["err"]
    seen = observed["seen"]
    # The import did commit batches that a reader's raw query could count...
    assert any(0 < raw < LINES for _, _, raw, _ in seen), "no batch was ever committed before the end"
    assert any(pending for *_, pending in seen)
    # ...yet no reader's query ever showed part of it: nothing, then everything.
    assert {(count, listed) for count, listed, raw, _ in seen if raw < LINES} == {(0, False)}
    assert all(count in (0, LINES) for count, *_ in seen)
    assert observed["after"] == (LINES, True)

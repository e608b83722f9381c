"""Several real annotator processes on one store file at once: nothing lost, nothing
doubled, no lock error; and a merge and a backup while they answer.

The processes are spawned (nothing shared but the file) and wait at a barrier so they
really do answer at the same time. Figures are in bench/concurrency.py, not here.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from annotator.core.spans import Span
from annotator.store import Store
from bench.concurrency import DATASET, collect, make_store, start_annotators, verify
from tests.helpers.stores import whitespace_doc


@pytest.mark.slow
def test_eight_annotators_at_once_lose_and_double_nothing(tmp_path):
    path = tmp_path / "shared.db"
    make_store(path, 8 * 25 + 8)
    ready, results, workers = start_annotators(path, 8, 25, overlap=1)
    ready.wait(timeout=120)
    results = collect(results, workers, timeout=120)
    assert verify(path, results, 25, overlap=1) == []
    with Store(path) as store:
        assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 200
        per_document = Counter(a.document for a in store.latest_answers(DATASET))
        assert set(per_document.values()) == {1}  # overlap 1: no document went to two annotators


@pytest.mark.slow
def test_overlap_two_hands_each_document_to_at_most_two(tmp_path):
    path = tmp_path / "shared.db"
    make_store(path, 40)  # 6 annotators x 10 answers, 2 each: enough that nobody runs out
    ready, results, workers = start_annotators(path, 6, 10, overlap=2)
    ready.wait(timeout=120)
    results = collect(results, workers, timeout=120)
    assert verify(path, results, 10, overlap=2) == []
    with Store(path) as store:
        per_document = Counter(a.document for a in store.latest_answers(DATASET))
        assert max(per_document.values()) == 2 and sum(per_document.values()) == 60


@pytest.mark.slow
def test_merge_and_backup_while_others_annotate(tmp_path):
    path = tmp_path / "shared.db"
    make_store(path, 4 * 30 + 40)  # room for the online answers after the merge fills 20
    with Store(path) as server:  # the offline laptop has half the server's documents and some of its own
        shared = [d.text for d in server.documents(DATASET)][:20]
    laptop = Store(tmp_path / "laptop.db")
    laptop.ensure_dataset(DATASET, "en", ["PERSON", "GPE", "ORG", "DATE"])
    ids = laptop.add_documents(
        DATASET, [whitespace_doc(t) for t in shared + [f"Offline text {n} ." for n in range(20)]]
    )
    for n, document in enumerate(ids.values()):
        laptop.add_answer(document, "offline", "accept", [Span(0, 3, "PERSON")] if n < 20 else [], float(n), n + 0.5)
    laptop.close()

    ready, results, workers = start_annotators(path, 4, 30, overlap=1)
    ready.wait(timeout=120)
    with Store(path) as server:  # while the four answer
        counts = server.merge_from(tmp_path / "laptop.db")
        server.backup_to(tmp_path / "backup.db")
        again = server.merge_from(tmp_path / "laptop.db")
    results = collect(results, workers, timeout=120)

    assert (counts["documents"], counts["documents_present"], counts["answers"]) == (20, 20, 40)
    assert again["answers"] == again["documents"] == 0
    assert [e for r in results for e in r["errors"]] == []  # no lock error reached an annotator
    with Store(path) as server:
        rows = Counter(
            (a["document"], a["annotator"]) for a in server.db.query("SELECT document, annotator FROM answers")
        )
        assert max(rows.values()) == 1  # nothing doubled
        assert sum(n for (_, who), n in rows.items() if who == "offline") == 40
        given = {(d, r["annotator"]) for r in results for d in r["answered"]}
        assert len(given) == 4 * 30 and given == {key for key in rows if key[1] != "offline"}  # nothing lost
        assert server.check() == []
    with Store(tmp_path / "backup.db", create=False) as backup:
        assert backup.check() == []


def test_a_failed_commit_leaves_no_transaction_open(tmp_path):
    """Otherwise every later write would nest in it as a savepoint and never be committed,
    and the annotator's next answers would be lost when the program ends."""
    with Store(tmp_path / "a.db") as store:
        (document,) = store.add_documents("d", [whitespace_doc("Ann flew home")]).values()
        with pytest.raises(sqlite3.IntegrityError):
            with store.write() as db:
                db.execute("PRAGMA defer_foreign_keys = ON")  # the missing document fails the COMMIT itself
                db.execute("INSERT INTO answers (document, annotator, answer, spans) VALUES (999, 'x', 'accept', '[]')")
        assert not store.db.conn.in_transaction
        store.add_answer(document, "ann", "accept", [], 1.0, 2.0)
    with Store(tmp_path / "a.db") as reopened:
        assert [a.annotator for a in reopened.answer_history(document)] == ["ann"]

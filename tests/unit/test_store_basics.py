"""The store on real SQLite files: WAL, migrations, append-only answers, re-import, stats."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from annotator.core.spans import Span
from annotator.core.tasks import NewDocument
from annotator.store import SCHEMA_VERSION, Store, StoreError
from tests.helpers.stores import store_of_version_1


def _doc(text: str) -> NewDocument:
    words, at = [], 0
    for word in text.split(" "):
        words.append((at, at + len(word)))
        at += len(word) + 1
    return NewDocument(text, words, {"file": "x.txt"})


def test_wal_and_busy_timeout(tmp_path):
    with Store(tmp_path / "a.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert store.schema_version == SCHEMA_VERSION


def test_migrates_an_old_store_forward_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    store_of_version_1(path)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert {"documents", "suggestions", "answers", "reviews", "leases"} <= {
            name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        store.add_documents("d", [_doc("Iraq sent troops")])
    with Store(path) as store:  # opening again migrates nothing and loses nothing
        assert store.count_documents("d") == 1 and store.schema_version == SCHEMA_VERSION


def test_a_reading_command_reads_an_older_store_without_migrating_it(tmp_path):
    path = tmp_path / "old.db"
    store_of_version_1(path)
    before = path.read_bytes()
    with Store(path, read_only=True) as store:
        assert store.schema_version == 1 and store.count_documents() == 0 and store.datasets() == []
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]


def test_a_schema_table_alone_is_not_a_store(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema (version INTEGER)")
    conn.execute("INSERT INTO schema VALUES (0)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an annotator store"):
        Store(path)
    assert path.read_bytes() == before


def test_refuses_a_store_from_a_newer_version(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema SET version = ?", [SCHEMA_VERSION + 1])
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer annotator"):
        Store(path)


def test_not_a_store(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not an annotator store"):
        Store(path)


def test_same_text_twice_is_stored_once(tmp_path):
    with Store(tmp_path / "a.db") as store:
        docs = [_doc("Iraq sent troops"), _doc("Iraq sent troops")]
        first = store.add_documents("d", docs)
        assert first.added == 1 and list(first) == [docs[0].input_hash]
        again = store.add_documents("d", docs)
        assert again.added == 0 and again == first  # the ids of documents already there too
        assert store.add_documents("other", docs).added == 1  # unique per dataset
        assert store.document_ids("d", [docs[0].input_hash, "nope"]) == first


def test_answers_are_never_updated_in_place(tmp_path):
    with Store(tmp_path / "a.db") as store:
        doc = store.add_documents("d", [_doc("Iraq sent troops")])[_doc("Iraq sent troops").input_hash]
        first = store.add_answer(doc, "alice", "accept", [Span(0, 4, "GPE")], started_at=10.0, answered_at=12.0)
        before = store.db.execute("SELECT * FROM answers WHERE id = ?", [first]).fetchone()
        second = store.add_answer(doc, "alice", "reject", [], started_at=20.0, answered_at=25.0)
        store.add_answers([(doc, "alice", "accept", [Span(5, 9, "GPE")], 30.0, 31.0)])
        assert store.db.execute("SELECT * FROM answers WHERE id = ?", [first]).fetchone() == before
        history = store.answer_history(doc, "alice")
        assert [a.answer for a in history] == ["accept", "reject", "accept"] and history[1].id == second
        assert store.latest_answer(doc, "alice").spans == (Span(5, 9, "GPE"),)


def test_stats_counts_labels_answers_and_days(tmp_path):
    with Store(tmp_path / "a.db") as store:
        ids = store.add_documents("d", [_doc("Iraq sent troops"), _doc("Syria and Iraq")])
        a, b = ids.values()
        store.add_answer(a, "alice", "reject", [], started_at=0.0, answered_at=10.0)
        store.add_answer(a, "alice", "accept", [Span(0, 4, "GPE")], started_at=86400.0, answered_at=86430.0)
        store.add_answer(
            b, "alice", "accept", [Span(0, 5, "GPE"), Span(10, 14, "GPE")], started_at=86400.0, answered_at=86460.0
        )
        store.add_answer(b, "bob", "ignore", [], started_at=0.0, answered_at=5.0)
        store.add_suggestions([(a, "patterns", [Span(0, 4, "GPE")])], replace=True)
        stats = store.stats("d")
    assert stats["documents"] == 2 and stats["answered_documents"] == 2
    assert stats["suggestions"] == {"patterns": 1}
    assert stats["labels"] == {"GPE": 3}
    assert [(r["annotator"], r["answer"], r["documents"]) for r in stats["answers"]] == [
        ("alice", "accept", 2),
        ("bob", "ignore", 1),
    ]
    assert [(r["day"], r["annotator"], r["answers"]) for r in stats["per_day"]] == [
        ("1970-01-01", "alice", 1),
        ("1970-01-01", "bob", 1),
        ("1970-01-02", "alice", 2),
    ]


@pytest.mark.slow
def test_core_and_store_do_not_import_textual():
    """Every module of core and store (walked, not listed: a new one is checked too), io and
    the import use cases, in a fresh interpreter."""
    import pkgutil

    import annotator.core
    import annotator.store

    modules = [
        info.name
        for package in (annotator.core, annotator.store)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    assert "annotator.core.consensus" in modules and "annotator.core.split" in modules
    modules += ["annotator.io", "annotator.usecases.importer", "annotator.usecases.preannotate"]
    code = f"import sys, {', '.join(modules)}; print('textual' in sys.modules, 'spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]  # and spaCy only when work needs it


def test_adding_documents_without_their_ids_adds_the_same_rows(tmp_path):
    texts = ["Ann flew to Paris", "Bob works in Rome", "Ann flew to Paris"]
    with Store(tmp_path / "with.db") as with_ids, Store(tmp_path / "without.db") as without:
        given = with_ids.add_documents("d", [_doc(t) for t in texts])
        counted = without.add_documents("d", [_doc(t) for t in texts], ids=False)
        again = without.add_documents("d", [_doc(texts[1])], ids=False)
    assert (given.added, counted.added, again.added) == (2, 2, 0)
    assert len(given) == 2 and not counted  # only the count, no ids read back
    stored = []
    for name in ("with.db", "without.db"):
        with closing(sqlite3.connect(tmp_path / name)) as conn:
            stored.append(conn.execute("SELECT id, dataset, input_hash, text, meta, tokens FROM documents").fetchall())
    assert stored[0] == stored[1] and len(stored[0]) == 2

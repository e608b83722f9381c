"""Schema 7: ``answers.shown`` (what an annotator was shown), ``suggestions.confidence`` and
its index (the uncertain order), ``task_orders`` (seeded shuffles). A schema-6 store migrates
with nothing changed but the new, empty columns; read-only commands read it as it is; ``db
merge`` takes it as a source through a migrated copy, never changing it."""

from __future__ import annotations

import json
import sqlite3

from annotator.core.spans import Span
from annotator.store import SCHEMA_VERSION, Store
from tests.helpers.cli import run_main
from tests.helpers.stores import dump, plain_rows, store_of_version_6, whitespace_doc

TEXTS = ["Ann flew to Paris today", "Bob works at Acme in Rome", "x"]


def _rows(path, table):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
    finally:
        conn.close()


def test_a_schema_6_store_migrates_keeping_every_row_with_the_new_columns_unknown(tmp_path):
    path = tmp_path / "old.db"
    ids = store_of_version_6(path, TEXTS)
    before = {table: _rows(path, table) for table in ("documents", "answers", "reviews", "suggestions")}
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 7
        assert sorted(a.annotator for a in store.latest_answers("d")) == ["ann", "bob"]
        assert store.suggestions(ids[0]) == {"patterns": (Span(0, 3, "PERSON"),)}
        assert store.check() == []
    after = {table: _rows(path, table) for table in before}
    assert after["documents"] == before["documents"] and after["reviews"] == before["reviews"]
    assert after["answers"] == [{**row, "shown": None} for row in before["answers"]]  # not known: from before
    assert after["suggestions"] == [{**row, "confidence": None} for row in before["suggestions"]]
    assert plain_rows(path, "SELECT COUNT(*) FROM task_orders") == [(0,)]
    plan = plain_rows(
        path,
        "EXPLAIN QUERY PLAN SELECT document FROM suggestions WHERE source = 'x' AND confidence > 0.5 "
        "ORDER BY confidence",
    )
    assert any("idx_suggestions_source_confidence_document" in row[-1] for row in plan), plan


def test_read_only_commands_read_a_schema_6_store_as_it_is(tmp_path, monkeypatch, capsys):
    path = tmp_path / "old.db"
    store_of_version_6(path, TEXTS)
    content = dump(path)
    monkeypatch.chdir(tmp_path)
    for args in (("stats", "--db", "old.db", "--json"), ("agreement", "--db", "old.db", "--json")):
        code, out, err = run_main(monkeypatch, capsys, *args)
        assert code == 0, err
        json.loads(out)
    assert dump(path) == content
    assert plain_rows(path, "SELECT version FROM schema") == [(6,)]


def test_db_merge_takes_a_schema_6_source_through_a_copy_and_loses_nothing(tmp_path, monkeypatch, capsys):
    (tmp_path / "laptop").mkdir()
    source = tmp_path / "laptop" / "old.db"
    store_of_version_6(source, TEXTS)
    content = dump(source)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "db", "merge", str(source), "--db", "new.db")
    assert code == 0, err
    assert "added 3 documents, 1 suggestion, 2 answers, 1 review" in out
    assert dump(source) == content
    with Store(tmp_path / "new.db") as store:
        assert {(a.annotator, a.spans) for a in store.latest_answers("d")} == {
            ("ann", (Span(0, 3, "PERSON"),)),
            ("bob", (Span(0, 3, "PERSON"),)),
        }
        assert store.check() == []
    assert plain_rows(tmp_path / "new.db", "SELECT shown FROM answers") == [(None,), (None,)]


def test_db_merge_carries_what_was_shown_and_the_confidences(tmp_path):
    with Store(tmp_path / "a.db") as a:
        a.ensure_dataset("d", "en", ["X"])
        doc = whitespace_doc("Ann flew")
        (document,) = a.add_documents("d", [doc]).values()
        a.add_suggestions([(document, "learned 1", [Span(0, 3, "X")])])
        a.set_confidences([(document, "learned 1", 0.25)])
        a.add_answer(document, "ann", "accept", [Span(0, 3, "X")], started_at=1.0, answered_at=2.0, shown="")
        a.add_answer(document, "bob", "accept", [], started_at=1.0, answered_at=2.0, shown="learned 1")
    with Store(tmp_path / "b.db") as b:
        b.merge_from(tmp_path / "a.db")
    assert sorted(plain_rows(tmp_path / "b.db", "SELECT annotator, shown FROM answers")) == [
        ("ann", ""),
        ("bob", "learned 1"),
    ]
    assert plain_rows(tmp_path / "b.db", "SELECT source, confidence FROM suggestions") == [("learned 1", 0.25)]

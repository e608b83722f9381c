"""Schema 6: ``documents.tokens`` as packed uint32 pairs. A store of schema 5 (tokens as
JSON text) migrates with every document's tokens equal, all or nothing; read-only commands
read it as it is; ``db merge`` takes it as a source through a migrated copy, never changing it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.spans import Span
from annotator.core.token_codec import unpack_offsets
from annotator.store import SCHEMA_VERSION, Store
from tests.helpers.cli import run_main
from tests.helpers.stores import store_of_version_5

TEXTS = ["Ann flew to Paris today", "Bob  works at Acme\n\nin Rome", "Zoë · naïve café ☕ 東京", "x"]


def _raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _json_tokens(path: Path) -> dict[int, list[tuple[int, int]]]:
    """{document id: its tokens} read straight from a schema-5 file's JSON."""
    return {i: [tuple(t) for t in json.loads(tokens)] for i, tokens in _raw(path, "SELECT id, tokens FROM documents")}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_schema_5_store_migrates_with_every_document_s_tokens_equal(tmp_path):
    path = tmp_path / "old.db"
    ids = store_of_version_5(path, TEXTS)
    before = _json_tokens(path)
    assert len(before) == len(TEXTS) and all(before.values())
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 6
        assert {i: store.document(i).tokens for i in ids} == before
        assert [d.tokens for d in store.documents("d")] == [before[i] for i in ids]
        assert [unpack_offsets(tokens) for *_, tokens in store.document_texts("d")] == [before[i] for i in ids]
        # what pointed at the documents still does
        assert sorted(a.annotator for a in store.latest_answers("d")) == ["ann", "bob"]
        assert store.latest_reviews("d")[ids[0]].spans == (Span(0, 3, "PERSON"),)
        assert store.suggestions(ids[0]) == {"patterns": (Span(0, 3, "PERSON"),)}
        assert store.check() == []
    assert _raw(path, "SELECT DISTINCT typeof(tokens) FROM documents") == [("blob",)]
    assert _raw(path, "PRAGMA foreign_key_check") == []
    assert _raw(path, "PRAGMA integrity_check") == [("ok",)]


def test_read_only_commands_read_a_schema_5_store_as_it_is(tmp_path, monkeypatch, capsys):
    path = tmp_path / "old.db"
    ids = store_of_version_5(path, TEXTS)
    tokens, files = _json_tokens(path), _files(tmp_path)
    with Store(path, read_only=True) as store:
        assert store.schema_version == 5
        assert {i: store.document(i).tokens for i in ids} == tokens
        assert [unpack_offsets(t) for *_, t in store.document_texts("d")] == [tokens[i] for i in ids]
        assert store.check() == []
    monkeypatch.chdir(tmp_path)
    for args in (("db", "check", "--db", "old.db"), ("agreement", "--db", "old.db", "--json")):
        code, out, err = run_main(monkeypatch, capsys, *args)
        assert code == 0, err
    assert json.loads(out)["documents"] == 1
    assert _files(tmp_path) == files


@pytest.mark.slow
def test_a_migration_killed_half_way_leaves_the_store_at_5_and_readable(tmp_path):
    path = tmp_path / "old.db"
    ids = store_of_version_5(path, [f"text number {n} of many" for n in range(300)])
    tokens = _json_tokens(path)
    code = f"""
import os, signal
import annotator.store.schema as schema
real, seen = schema.packed, []
def dying(stored):  # the migration's per-row function: the process dies at row 150
    seen.append(1)
    if len(seen) == 150:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(stored)
schema.packed = dying
from annotator.store import Store
Store({str(path)!r})
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == -9, done.stderr
    assert _raw(path, "SELECT version FROM schema") == [(5,)]
    with Store(path, read_only=True) as store:
        assert store.schema_version == 5 and {i: store.document(i).tokens for i in ids} == tokens
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION and {i: store.document(i).tokens for i in ids} == tokens


def test_db_merge_takes_a_schema_5_source_through_a_copy_and_loses_nothing(tmp_path, monkeypatch, capsys):
    source_folder = tmp_path / "laptop"
    source_folder.mkdir()
    source = source_folder / "old.db"
    ids = store_of_version_5(source, TEXTS)
    tokens, files = _json_tokens(source), _files(source_folder)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "db", "merge", str(source), "--db", "new.db")
    assert code == 0, err
    assert "added 4 documents, 1 suggestion, 2 answers, 1 review" in out
    assert _files(source_folder) == files  # not a byte of the source changed, nothing left beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laptop", "new.db"]  # the copy is gone
    with Store(tmp_path / "new.db") as store:
        by_text = {d.text: d for d in store.documents("d")}
        assert {text: by_text[text].tokens for text in TEXTS} == {TEXTS[n]: tokens[i] for n, i in enumerate(ids)}
        first = by_text[TEXTS[0]].id
        answers = {a.annotator: a for a in store.latest_answers("d")}
        assert {who: (a.document, a.spans, a.answered_at) for who, a in answers.items()} == {
            "ann": (first, (Span(0, 3, "PERSON"),), 15.0),
            "bob": (first, (Span(0, 3, "PERSON"),), 16.0),
        }
        review = store.latest_reviews("d")[first]
        assert review.reviewer == "rita" and set(review.decided_from) == {answers["ann"].id, answers["bob"].id}
        assert store.suggestions(first) == {"patterns": (Span(0, 3, "PERSON"),)}
        assert store.check() == []
        again = store.merge_from(source)  # the same documents again: their tokens compare equal
        assert again["documents_present"] == 4 and again["documents"] == again["answers"] == 0
    assert _files(source_folder) == files

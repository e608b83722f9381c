"""`Store.backup_to` / `Store.check` and `annotator db backup` / `annotator db check`."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from annotator.core.errors import UserError
from annotator.core.spans import Span
from annotator.store import Store
from tests.helpers.cli import run_process
from tests.helpers.stores import dump, open_store

TEXTS = ["Ann flew to Paris today", "Bob works at Acme in Rome"]


def raw(path, sql, params=()):
    """Write behind the store's back, the way a bug or another tool might."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_backup_is_a_whole_copy_that_passes_check(tmp_path, closing):
    store, ids = open_store(tmp_path / "a.db", TEXTS)
    closing(store)
    store.add_answer(ids[0], "ann", "accept", [Span(0, 3, "PERSON")], 1.0, 2.0)
    store.backup_to(tmp_path / "copy.db")
    assert dump(tmp_path / "copy.db") == dump(store.path)
    with Store(tmp_path / "copy.db", create=False) as copy:
        assert copy.check() == []
        assert copy.latest_answer(ids[0], "ann").spans == (Span(0, 3, "PERSON"),)
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_backup_will_not_overwrite_by_accident(tmp_path, closing):
    store, _ = open_store(tmp_path / "a.db", TEXTS)
    closing(store)
    (tmp_path / "taken.db").write_text("precious")
    with pytest.raises(UserError, match="already exists"):
        store.backup_to(tmp_path / "taken.db")
    assert (tmp_path / "taken.db").read_text() == "precious"
    with pytest.raises(UserError, match="is this store"):
        store.backup_to(store.path, overwrite=True)
    store.backup_to(tmp_path / "taken.db", overwrite=True)
    assert dump(tmp_path / "taken.db") == dump(store.path)


def test_backup_while_someone_annotates_is_a_consistent_snapshot(tmp_path, closing):
    store, ids = open_store(tmp_path / "a.db", TEXTS)
    closing(store)
    stop = threading.Event()

    def annotate():
        with Store(store.path) as mine:  # one store per thread
            n = 0
            while not stop.is_set():
                n += 1
                mine.add_answer(ids[n % 2], "ann", "accept", [Span(0, 3, "PERSON")], float(n), float(n) + 0.5)

    writer = threading.Thread(target=annotate)
    writer.start()
    try:
        counts = []
        for i in range(5):
            out = store.backup_to(tmp_path / f"copy{i}.db")
            with Store(out, create=False) as copy:
                assert copy.check() == []
                answers = [row["id"] for row in copy.db.query("SELECT id FROM answers ORDER BY id")]
                assert answers == list(range(1, len(answers) + 1))  # a prefix of the log: nothing half-written
                counts.append(len(answers))
    finally:
        stop.set()
        writer.join()
    assert counts == sorted(counts)
    assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] >= counts[-1]


def test_check_finds_what_is_wrong(tmp_path, closing):
    store, ids = open_store(tmp_path / "a.db", TEXTS)
    closing(store)
    good = store.add_answer(ids[0], "ann", "accept", [Span(0, 3, "PERSON")], 1.0, 2.0)
    assert store.check() == []
    insert = (
        "INSERT INTO answers (document, annotator, answer, spans, started_at, answered_at, duration) "
        "VALUES (?, ?, ?, ?, 0, 0, 0)"
    )
    raw(store.path, insert, (ids[0], "ann", "accept", '[{"start": 1, "end": 3, "label": "PERSON"}]'))  # mid-token
    raw(
        store.path,
        insert,
        (
            ids[1],
            "bob",
            "accept",
            '[{"start": 0, "end": 9, "label": "PERSON"}, {"start": 4, "end": 9, "label": "ORG"}]',
        ),
    )
    raw(store.path, insert, (999, "cy", "accept", "[]"))
    raw(store.path, insert, (ids[1], "dee", "maybe", "[]"))
    raw(
        store.path,
        "INSERT INTO reviews (document, reviewer, answer, spans, decided_from, decided_at) "
        "VALUES (?, 'rev', 'accept', ?, '[]', 0)",
        (ids[0], '[{"start": 0, "end": 99, "label": "GPE"}]'),
    )
    problems = store.check()
    assert problems == [
        f"answer {good + 3}: its document 999 is missing",
        f"answer {good + 1} by ann on document {ids[0]}: span 1-3 ('nn') does not fall on token boundaries",
        f"review 1 by rev on document {ids[0]}: span 0-99 is out of range for a text of 23 characters",
        f"answer {good + 2} by bob on document {ids[1]}: spans 0-9 and 4-9 overlap",
        f"answer {good + 4} by dee on document {ids[1]}: unknown answer 'maybe'",
    ]


def test_check_reports_a_damaged_file(tmp_path):
    store, _ = open_store(tmp_path / "a.db", [f"document number {i} " * 20 for i in range(300)])
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray((tmp_path / "a.db").read_bytes())
    page = 4096
    pages = len(data) // page
    for n in range(pages // 2, pages):  # scribble over the second half of the pages (index and table b-trees)
        data[n * page + 100 : n * page + 140] = b"\xff" * 40
    (tmp_path / "a.db").write_bytes(bytes(data))
    with Store(tmp_path / "a.db", create=False) as damaged:
        problems = damaged.check()
    assert problems and problems[0].startswith(("integrity:", "cannot read")), problems


@pytest.mark.slow
def test_db_check_and_backup_commands(tmp_path):
    store, ids = open_store(tmp_path / "a.db", TEXTS)
    store.add_answer(ids[0], "ann", "accept", [Span(0, 3, "PERSON")], 1.0, 2.0)
    store.close()
    ok = run_process("db", "check", "--db", str(tmp_path / "a.db"))
    assert (ok.returncode, ok.stdout.strip()) == (0, f"{tmp_path / 'a.db'}: ok")
    backup = run_process("db", "backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "a.db"))
    assert backup.returncode == 0, backup.stderr
    assert dump(tmp_path / "b.db") == dump(tmp_path / "a.db")
    again = run_process("db", "backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "a.db"))
    assert again.returncode == 1 and "already exists" in again.stderr
    raw(tmp_path / "a.db", 'UPDATE answers SET spans = \'[{"start": 0, "end": 2, "label": "PERSON"}]\'')
    bad = run_process("db", "check", "--db", str(tmp_path / "a.db"))
    assert bad.returncode == 1
    assert "does not fall on token boundaries" in bad.stdout and "1 problem" in bad.stderr
    missing = run_process("db", "check", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and missing.stderr.startswith(
        f"annotator: {tmp_path / 'nope.db'}: no such store (run `annotator`"
    )
    assert len(missing.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nope.db").exists()

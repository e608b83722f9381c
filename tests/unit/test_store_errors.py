"""SQLite's errors as store errors a screen can catch and a user can read: busy, read-only, full."""

from __future__ import annotations

import sqlite3
import time

import pytest

from annotator.core.spans import Span
from annotator.store import StoreBusy, StoreError, StoreFull, StoreReadOnly
from tests.helpers.stores import open_store


def _hold_write_lock(path):
    """Another program's connection holding the write lock (BEGIN IMMEDIATE)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_the_classes_are_store_errors():
    for cls in (StoreBusy, StoreReadOnly, StoreFull):
        assert issubclass(cls, StoreError)


def test_a_write_lock_taken_after_opening_is_busy_naming_the_file_and_the_wait(tmp_path):
    path = tmp_path / "store.db"
    store, ids = open_store(path, ["Iraq sent troops"])
    store.close()
    from annotator.store import Store

    store = Store(path, busy_timeout=0.2)
    other = _hold_write_lock(path)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught:
            store.add_answer(ids[0], "ana", "accept", [Span(0, 4, "GPE")], started_at=0.0)
        assert time.monotonic() - started < 5
    finally:
        other.rollback()
        other.close()
    message = str(caught.value)
    assert message.startswith(f"{path}: busy: another program holds the write lock (waited 0.2 s)")
    assert message.endswith("try again") and "\n" not in message
    assert store.latest_answer(ids[0], "ana") is None  # nothing half-written
    # the store is usable again once the lock is gone
    store.add_answer(ids[0], "ana", "accept", [Span(0, 4, "GPE")], started_at=0.0)
    assert store.latest_answer(ids[0], "ana").answer == "accept"
    store.close()


def test_a_write_lock_taken_before_opening_is_busy_not_a_foreign_file(tmp_path):
    from annotator.store import Store

    path = tmp_path / "store.db"
    open_store(path, ["Iraq sent troops"])[0].close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: the lock blocks readers too
    conn.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy, match="busy: another program holds the write lock"):
            Store(path, busy_timeout=0.2)
    finally:
        conn.rollback()
        conn.close()


def test_a_full_store_is_store_full_and_keeps_what_was_committed(tmp_path):
    path = tmp_path / "store.db"
    store, ids = open_store(path, ["Iraq sent troops"])
    store.add_answer(ids[0], "ana", "accept", [], started_at=0.0)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreFull) as caught:
        store.add_documents("d", [_big_doc(i) for i in range(50)])
    assert str(caught.value).startswith(f"{path}: full")
    assert store.count_documents("d") == 1 and store.latest_answer(ids[0], "ana").answer == "accept"
    assert not store.db.conn.in_transaction
    store.close()


def test_a_store_that_may_not_be_written_is_store_read_only(tmp_path):
    from annotator.store import Store

    path = tmp_path / "store.db"
    store, ids = open_store(path, ["Iraq sent troops"])
    store.close()
    store = Store(path)
    store.db.execute("PRAGMA query_only = ON")  # what a file the user may not write looks like to SQLite
    with pytest.raises(StoreReadOnly) as caught:
        store.add_answer(ids[0], "ana", "accept", [], started_at=0.0)
    assert str(caught.value).startswith(f"{path}: read-only")
    store.close()


def _big_doc(i: int):
    from tests.helpers.stores import whitespace_doc

    return whitespace_doc(f"document {i} " + "word " * 2000)

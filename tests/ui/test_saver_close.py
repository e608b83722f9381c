"""A screen's store connection is closed when the screen goes, even when a write was left
pending by a worker that has already stopped (the user quit and gave the answer up, or the
write crashed): the connection used to stay open until the process ended."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.store import Store
from annotator.ui.saver import Pending, Saver


def test_close_after_the_worker_stopped_closes_the_connection(db):
    saver = Saver(lambda: Store(db))
    saver.now(lambda store: store.ensure_dataset("d", "en", ["PERSON"]))
    opened = saver.store
    saver.pending = Pending("answer", write=lambda store: None, then=lambda result: None, abandoned=True)
    saver.close()
    assert saver.store is None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened.db.execute("SELECT 1")

"""The SQLite store: the only module that speaks SQL.

One ``Store`` per thread (SQLite connections are not shared across threads). The
file is in WAL mode with a busy timeout, so several annotators can write to one
store at once and wait for each other instead of failing. Answers are an
append-only log: a changed mind is a new row, and the newest row per (document,
annotator), the one given last (answered_at, then id), is that annotator's answer.

The vocabulary: ``add_*`` writes (documents, answers, suggestions, reviews); ``latest_*``
reads the answer or review that counts, ``*_history`` every row in the order stored;
``documents_without_*`` selects documents; a lease is a document held by a session.

The store is a package so that its modules stay small; SQL lives here and nowhere else:
``base`` (open, transactions, documents, suggestions, answers, reviews), ``routing`` (leases
and who gets which document), ``bulk`` (import, stats, agreement and export rows),
``imports`` (long imports in short batches, visible at once), ``maintenance`` (merge,
backup, check), ``schema`` (migrations), ``rows``, ``ordering`` (the orders next_task walks,
confidences), ``treatments`` (what answers were shown).
"""

import sqlite3
from typing import Any

from annotator.store.base import NO_STORE_HINT
from annotator.store.bulk import Bulk, DocumentIds
from annotator.store.connection import BUSY_TIMEOUT_SECONDS
from annotator.store.errors import StoreBusy, StoreError, StoreFull, StoreReadOnly
from annotator.store.imports import ImportBusy
from annotator.store.maintenance import Maintenance
from annotator.store.routing import LEASE_SECONDS, Routing
from annotator.store.rows import LATEST_ANSWERS
from annotator.store.schema import SCHEMA_VERSION
from annotator.store.sessions import new_session_id
from annotator.store.treatments import Treatments


class Store(Routing, Bulk, Maintenance, Treatments):
    """One store file, opened by one thread (SQLite connections are not shared)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.read_only:  # a reader changes nothing; the next writer cleans up
            return
        try:
            self.clean_up_imports()  # a killed import's rows (never visible) go on the next open
        except sqlite3.DatabaseError as error:
            self.close()
            raise StoreError(f"{self.path}: cannot clean up an interrupted import ({error})") from None


__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "DocumentIds",
    "ImportBusy",
    "LATEST_ANSWERS",
    "LEASE_SECONDS",
    "NO_STORE_HINT",
    "SCHEMA_VERSION",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "new_session_id",
]

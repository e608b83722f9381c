"""Long imports in short transactions that still appear all at once, or never.

An import too big for one short transaction registers itself in ``imports`` (state
``pending``, its process id, host and a heartbeat) and writes batch by batch, each its own
short transaction. Its new documents are marked in ``import_documents`` (every reader's
query hides marked documents of an import that is not ``done``: ``rows.visible``), its
answers and suggestions on those documents carry its ``import_id``, and those on documents
already visible wait in ``import_answers`` / ``import_suggestions``. One short transaction
moves the waiting rows and sets the state to ``done``: everything appears at once. The
marks are then deleted in batches.

An import whose process is gone (on this host: no such process; from another host: no
heartbeat for ``STALE_SECONDS``) is marked ``abandoned`` on the next open of the store and its rows are
deleted in batches; until the last batch they stay hidden. Imports into one store run one
at a time: a second one waits for the first (``ImportBusy``).
"""

from __future__ import annotations

import functools
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.store.base import StoreBase
from annotator.store.connection import inserted_id

STALE_SECONDS = 120.0  # an import beats at every batch (well under a second apart): this long silent, it is gone
CLEANUP_BATCH = 1000  # documents deleted per transaction while cleaning up (five times as many marks of a done one)


@dataclass(frozen=True)
class RunningImport:
    """An import registered and not done yet: which dataset, which process on which host."""

    id: int
    dataset: str
    pid: int
    host: str

    def __str__(self) -> str:
        return f"an import into {self.dataset!r} (process {self.pid} on {self.host})"


class ImportBusy(Exception):
    """Another import into this store is under way; this one has to wait for it."""

    def __init__(self, running: RunningImport):
        super().__init__(str(running))
        self.running = running


class ImportAbandoned(UserError):
    """This import was taken for dead (no heartbeat) and its rows were cleaned up."""


def _host() -> str:
    return socket.gethostname()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _gone(pid: int | None, host: str | None, heartbeat_at: float | None, now: float) -> bool:
    """On this host the process tells (a slow import is not a dead one); from another
    host (a shared file system) only the heartbeat can."""
    if host == _host() and pid is not None:
        return pid != os.getpid() and not _process_alive(pid)
    return heartbeat_at is None or now - heartbeat_at > STALE_SECONDS


class Imports(StoreBase):
    """Long imports in short batches that appear at once, and undoing those that were killed."""

    # -- the import's side (each call inside the caller's write transaction) -----------------

    def refuse_while_importing(self) -> None:
        """Raise ``ImportBusy`` while an import is registered and not done (imports run one
        at a time: two at once could each take the other's hidden documents for present;
        also when that one is dead: the caller cleans it up, outside this transaction, and
        tries again). Call inside ``write()``."""
        running = self.db.execute("SELECT id, dataset, pid, host FROM imports WHERE state != 'done' LIMIT 1").fetchone()
        if running:
            raise ImportBusy(RunningImport(*running))

    def start_import(self, dataset: str) -> int:
        """Register a pending import into ``dataset`` (``refuse_while_importing`` first).
        Call inside ``write()``."""
        now = time.time()
        self.refuse_while_importing()
        cursor = self.db.execute(
            "INSERT INTO imports (dataset, state, pid, host, started_at, heartbeat_at) "
            "VALUES (?, 'pending', ?, ?, ?, ?)",
            [dataset, os.getpid(), _host(), now, now],
        )
        return inserted_id(cursor)

    def keep_import_alive(self, import_id: int) -> None:
        """The heartbeat, at every batch; refuses to go on if the import was cleaned up
        meanwhile (taken for dead), so a half-written import can never become visible."""
        cursor = self.db.execute(
            "UPDATE imports SET heartbeat_at = ? WHERE id = ? AND state = 'pending'", [time.time(), import_id]
        )
        if cursor.rowcount != 1:
            raise ImportAbandoned(
                "the import was taken for abandoned and undone meanwhile (nothing of it was kept); run it again"
            )

    def _mark_import_documents(self, import_id: int, after_id: int) -> None:
        """Mark the documents added since ``after_id`` (the largest id before this
        transaction's inserts: SQLite gives new rows larger ids) as this import's."""
        self.db.execute(
            "INSERT INTO import_documents (document, import) SELECT id, ? FROM documents WHERE id > ?",
            [import_id, after_id],
        )

    def _own_documents(self, import_id: int, document_ids: Iterable[int]) -> set[int]:
        """Which of ``document_ids`` this import added (still hidden)."""
        ids, own = list(document_ids), set[int]()
        for at in range(0, len(ids), 500):
            chunk = ids[at : at + 500]
            sql = (
                f"SELECT document FROM import_documents WHERE import = ? AND document IN ({','.join('?' * len(chunk))})"
            )
            own.update(r[0] for r in self.db.execute(sql, [import_id, *chunk]))
        return own

    def finish_import(self, import_id: int) -> None:
        """The import's rows appear: the answers and suggestions waiting for documents that
        were visible already move in, and the state becomes done. Call inside ``write()``
        (with the last batch); afterwards ``forget_import`` removes the marks."""
        self.keep_import_alive(import_id)
        self.db.execute(
            "INSERT INTO answers "
            "(document, annotator, answer, spans, started_at, answered_at, duration, task, import_id) "
            "SELECT document, annotator, answer, spans, started_at, answered_at, duration, task, import "
            "FROM import_answers WHERE import = ? ORDER BY rowid",
            [import_id],
        )
        self.db.execute(
            "INSERT OR IGNORE INTO suggestions (document, source, spans, made_at, import_id) "
            "SELECT document, source, spans, made_at, import FROM import_suggestions WHERE import = ? ORDER BY rowid",
            [import_id],
        )
        for table in ("import_answers", "import_suggestions"):
            self.db.execute(f"DELETE FROM {table} WHERE import = ?", [import_id])
        self.db.execute("UPDATE imports SET state = 'done', heartbeat_at = ? WHERE id = ?", [time.time(), import_id])

    def forget_import(self, import_id: int) -> None:
        """Remove a done import's marks, a batch per transaction, then its row."""
        self._in_turns(lambda: self.db.execute(
            "DELETE FROM import_documents WHERE document IN "
            "(SELECT document FROM import_documents WHERE import = ? LIMIT ?)",
            [import_id, CLEANUP_BATCH * 5],
        ).rowcount)  # fmt: skip
        with self.write():
            self.db.execute("DELETE FROM imports WHERE id = ? AND state = 'done'", [import_id])

    def _in_turns(self, step: Callable[[], int]) -> None:
        """Run ``step`` (which returns how many rows it did) in a transaction of its own
        until it does none, resting between: the lock is free two thirds of the time, so
        writers asleep in SQLite's busy handler find it free when they wake (back-to-back
        transactions would keep it taken for the whole cleanup)."""
        while True:
            started = time.perf_counter()
            with self.write():
                done = step()
            if not done:
                return
            time.sleep(max(0.005, 2 * (time.perf_counter() - started)))

    def undo_import(self, import_id: int) -> None:
        """Delete a failed import's rows (never visible), a batch per transaction."""
        with self.write():  # marked first: should this be cut short, the next open finishes it
            self.db.execute("UPDATE imports SET state = 'abandoned' WHERE id = ? AND state = 'pending'", [import_id])
        self._delete_import(import_id)

    # -- everyone's side: a killed import is undone on the next open --------------------------

    def clean_up_imports(self) -> list[int]:
        """Undo the imports whose process is gone (their rows were never visible) and
        finish forgetting done ones whose process stopped before; returns the ids undone."""
        now, undone = time.time(), []
        rows = self.db.execute("SELECT id, state, pid, host, heartbeat_at FROM imports").fetchall()
        for id_, state, pid, host, heartbeat_at in rows:
            if state != "abandoned" and not _gone(pid, host, heartbeat_at, now):
                continue
            if state == "done":
                self.forget_import(id_)
                continue
            with self.write():  # from now on its own batches refuse to go on
                cursor = self.db.execute(
                    "UPDATE imports SET state = 'abandoned' WHERE id = ? AND state = ? AND heartbeat_at IS ?",
                    [id_, state, heartbeat_at],
                )
            if not cursor.rowcount and state != "abandoned":  # it beat meanwhile: alive after all
                continue
            self._delete_import(id_)
            undone.append(id_)
        return undone

    def _delete_import(self, import_id: int) -> None:
        self._in_turns(lambda: self._delete_batch(import_id))
        for table in ("import_answers", "import_suggestions"):
            self._in_turns(functools.partial(self._delete_waiting_batch, table, import_id))
        with self.write():
            self.db.execute("DELETE FROM imports WHERE id = ?", [import_id])

    def _delete_waiting_batch(self, table: str, import_id: int) -> int:
        """Delete a batch of an undone import's rows waiting in ``table``; how many."""
        sql = f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE import = ? LIMIT ?)"
        return self.db.execute(sql, [import_id, CLEANUP_BATCH]).rowcount

    def _delete_batch(self, import_id: int) -> int:
        """Delete a batch of an undone import's documents and their rows; how many."""
        batch = [r[0] for r in self.db.execute(
            "SELECT document FROM import_documents WHERE import = ? LIMIT ?", [import_id, CLEANUP_BATCH]
        )]  # fmt: skip
        if not batch:
            return 0
        marks = f"({','.join('?' * len(batch))})"
        for table in ("answers", "suggestions"):
            self.db.execute(f"DELETE FROM {table} WHERE import_id = ? AND document IN {marks}", [import_id, *batch])
        # A document someone else gave an answer, suggestion or review meanwhile (a merge
        # of the same text) is theirs too: it stays, unmarked.
        self.db.execute(
            f"DELETE FROM documents WHERE id IN {marks}"
            " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = documents.id)"
            " AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.document = documents.id)"
            " AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.document = documents.id)",
            batch,
        )
        self.db.execute(f"DELETE FROM import_documents WHERE document IN {marks}", batch)
        return len(batch)

    def import_rows(self, import_id: int) -> int:
        """Rows of import ``import_id`` still in the store (its registration, documents
        marked, answers and suggestions tagged or waiting): 0 once a killed import is
        cleaned up. Scans answers and suggestions: for tests and checks, not hot paths."""
        sql = """SELECT (SELECT COUNT(*) FROM import_documents WHERE import = :id)
                      + (SELECT COUNT(*) FROM import_answers WHERE import = :id)
                      + (SELECT COUNT(*) FROM import_suggestions WHERE import = :id)
                      + (SELECT COUNT(*) FROM answers WHERE import_id = :id)
                      + (SELECT COUNT(*) FROM suggestions WHERE import_id = :id)
                      + (SELECT COUNT(*) FROM imports WHERE id = :id)"""
        return int(self.db.execute(sql, {"id": import_id}).fetchone()[0])

"""The connection: its busy timeout, and the few calls the store's SQL goes through."""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from annotator.core.errors import UserError

BUSY_TIMEOUT_SECONDS = 60.0


def default_busy_timeout() -> float:
    """How long a statement waits for another writer's lock: $ANNOTATOR_BUSY_TIMEOUT
    seconds, else BUSY_TIMEOUT_SECONDS."""
    value = os.environ.get("ANNOTATOR_BUSY_TIMEOUT")
    if value is None:
        return BUSY_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UserError(f"ANNOTATOR_BUSY_TIMEOUT: a number of seconds, not {value!r}")
    return seconds


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row the INSERT on ``cursor`` just added."""
    if cursor.lastrowid is None:  # only for statements that insert nothing, never after an INSERT
        raise RuntimeError("no row was inserted")
    return cursor.lastrowid


class Database:
    """The store's connection, with plain sqlite3 (no sqlite-utils: importing it imports
    pandas and numpy, 0.25-0.45 s, to recognise their values; the store never stores any, and
    a store is made on the start path of `annotator` and `annotator import`)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._savepoints = itertools.count()

    def execute(self, sql: str, parameters: Sequence[object] | Mapping[str, object] = ()) -> sqlite3.Cursor:
        """Run one statement; its cursor."""
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, parameters: Sequence[object] | Mapping[str, object] = ()) -> Iterator[dict[str, Any]]:
        """Run one query; its rows as {column: value}, read as they are iterated."""
        cursor = self.execute(sql, parameters)
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def insert(self, table: str, row: Mapping[str, object], *, ignore: bool = False) -> sqlite3.Cursor:
        """Insert ``row`` ({column: value}) into ``table`` (``ignore``: unless it would break a
        unique key); its cursor."""
        columns = ", ".join(f'"{name}"' for name in row)
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        sql = f'{verb} INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(row))})'
        return self.execute(sql, list(row.values()))

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A transaction inside the open one: undone alone on an error, else kept with it."""
        name = f"nested_{next(self._savepoints)}"
        self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # an error can end the whole transaction, savepoints and all
                self.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.execute(f"RELEASE SAVEPOINT {name}")

    def columns(self, table: str) -> set[str]:
        """The names of ``table``'s columns."""
        return {row[1] for row in self.execute(f'PRAGMA table_info("{table}")')}

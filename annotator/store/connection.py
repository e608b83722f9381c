"""The connection: WAL, a busy timeout, and sqlite-utils made on first need."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator

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


def _import_sqlite_utils():
    """sqlite_utils imports pandas and numpy when it is imported (0.3 s, most of the
    annotate screen's start) only to recognise their values on insert; the store never
    inserts them, so it is imported with those two hidden (and only those not loaded yet)."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # makes `import name` raise ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            sys.modules.pop(name, None)
    return sqlite_utils


class _Database:
    """sqlite-utils' ``Database`` on the store's connection, made on first need.

    The store's own SQL needs only ``execute``, ``query`` and ``conn`` (the same calls as
    sqlite-utils makes, without its tracer); anything else (tables, inserts, ``atomic``)
    makes the real ``Database`` and goes to it. Opening the annotate screen runs only SQL,
    so its start does not wait for sqlite_utils' import (35 ms of it)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._database = None

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def query(self, sql: str, params=None) -> Iterator[dict]:
        cursor = self.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row))

    @property
    def database(self):
        if self._database is None:
            self._database = _import_sqlite_utils().Database(self.conn, execute_plugins=False)
        return self._database

    def __getattr__(self, name: str):
        if name.startswith("_"):  # not made yet (a copy): never recurse through `database`
            raise AttributeError(name)
        return getattr(self.database, name)

    def __getitem__(self, table: str):
        return self.database[table]

"""What kept SQLite from writing, in words the screens can act on (they never import sqlite3)."""

from __future__ import annotations

import sqlite3

BUSY, FULL, READ_ONLY, DISK_ERROR = "busy", "full", "read-only", "disk error"

_BY_CODE = {
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_IOERR: DISK_ERROR,
}


def classify(error: BaseException) -> str | None:
    """``busy``, ``full``, ``read-only`` or ``disk error`` when ``error`` (or what it was
    raised from, as a store error wraps SQLite's) is one of those conditions, that go away
    by themselves or by the user's hand; None for anything else."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, sqlite3.Error):
            code = getattr(error, "sqlite_errorcode", None)
            if code is not None:
                return _BY_CODE.get(code & 0xFF)
            return _by_message(str(error))
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _by_message(message: str) -> str | None:
    # Errors raised without a code (older Python, sqlite3 module's own): SQLite's wording.
    for words, kind in (("locked", BUSY), ("disk is full", FULL), ("readonly", READ_ONLY), ("disk I/O", DISK_ERROR)):
        if words in message:
            return kind
    return None

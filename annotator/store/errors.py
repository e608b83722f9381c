"""The store's errors, one class per thing a user (or a screen) does differently about it.

SQLite reports a held lock, a file it may not write and a full disk as the same
``sqlite3.OperationalError``; ``translated`` tells them apart by SQLite's own error code
and words each as one line naming the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.errors import UserError


class StoreError(UserError):
    """A problem with the store a user can act on (shown as one line)."""


class StoreBusy(StoreError):
    """Another program held the write lock for longer than the busy timeout: try again."""


class StoreReadOnly(StoreError):
    """The store cannot be written (file or folder permissions, read-only media)."""


class StoreFull(StoreError):
    """The disk (or the store's size limit) is full; nothing of the failed write was kept."""


def error_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code (SQLITE_BUSY, ...) of an error, without the extended bits."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def translated(path: Path, error: sqlite3.Error, waited: float) -> StoreError | None:
    """The store error that says what ``error`` means for the file at ``path``, or None
    when it is not one of those (a bug or a constraint, to be raised as it is)."""
    code = error_code(error)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusy(f"{path}: busy: another program holds the write lock (waited {waited:g} s); try again")
    if code == sqlite3.SQLITE_READONLY:
        return StoreReadOnly(f"{path}: read-only ({error}); check the file's and its folder's permissions")
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _disk_full(path)):
        return StoreFull(f"{path}: full ({error}); nothing of the last change was saved; free some space and try again")
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(f"{path}: a disk I/O error ({error}); the disk may be failing or gone")
    return None


def _disk_full(path: Path) -> bool:
    # A full disk shows as an I/O error where SQLite cannot grow its -shm or -wal (opening).
    import shutil

    try:
        return shutil.disk_usage(path.resolve().parent).free < 64 * 1024
    except OSError:
        return False


# -- for the screens: what kept the store from writing, without importing sqlite3 -----------

BUSY, FULL, READ_ONLY, DISK_ERROR = "busy", "full", "read-only", "disk error"

_BY_CLASS = ((StoreBusy, BUSY), (StoreFull, FULL), (StoreReadOnly, READ_ONLY))
_BY_CODE = {
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_IOERR: DISK_ERROR,
}


def classify(error: BaseException | None) -> str | None:
    """``busy``, ``full``, ``read-only`` or ``disk error`` when ``error`` (a store error
    above, or SQLite's own, or what it was raised from) is one of those conditions, which go
    away by themselves or by the user's hand; None for anything else."""
    seen = 0
    while error is not None and seen < 5:
        for cls, kind in _BY_CLASS:
            if isinstance(error, cls):
                return kind
        if isinstance(error, sqlite3.Error):
            code = error_code(error)
            return _BY_CODE.get(code) if code is not None else _by_message(str(error))
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _by_message(message: str) -> str | None:
    # Errors raised without a code (the sqlite3 module's own): SQLite's wording.
    for words, kind in (("locked", BUSY), ("disk is full", FULL), ("readonly", READ_ONLY), ("disk I/O", DISK_ERROR)):
        if words in message:
            return kind
    return None

"""Opening a store file without writing into anything that is not one.

A file that exists is first looked at read-only: it must be an SQLite database with a
``schema`` table of a version this annotator knows and the store's tables. Only then may a
writing command switch it to WAL and migrate it. A path that does not exist becomes a new
store made aside and linked into place whole, so a half-made store is never left under the
name (and a file someone else made meanwhile is never written over)."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from annotator.store.errors import StoreError, StoreReadOnly, error_code, translated
from annotator.store.schema import OLDEST_READABLE, SCHEMA_VERSION, STORE_TABLES


def connect_read_only(path: Path, busy_timeout: float, *, probe: bool = False) -> sqlite3.Connection:
    """A connection that cannot write: ``mode=ro``, or ``immutable=1`` where the -shm that
    ``mode=ro`` needs for a WAL file cannot be made (a read-only folder or medium).

    ``probe``: only to see what the file is. A file without a -wal (or a rollback -journal)
    beside it holds every commit in itself, and is then read immutable, because ``mode=ro``
    would leave a -wal and a -shm next to a WAL file that may be another program's."""
    uri = path.resolve().as_uri()
    sidecars = (path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))
    if probe and not any(file.exists() for file in sidecars):
        return _connect(f"{uri}?immutable=1", busy_timeout)
    try:
        conn = _connect(f"{uri}?mode=ro", busy_timeout)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # the -shm is made (or not) here
        return conn
    except sqlite3.OperationalError as error:
        if error_code(error) not in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
            raise
    return _connect(f"{uri}?immutable=1", busy_timeout)


def _connect(uri: str, busy_timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_store(path: Path, busy_timeout: float) -> int:
    """The schema version of the store at ``path`` (which exists), read without writing a
    byte; StoreError when it is not an annotator store or is one of a newer version.

    Only SQLite opens the file: POSIX locks belong to the process, and closing a plain
    descriptor of the file (to read its header, say) drops every lock this process's other
    connections hold on it. Another program closing its connection then takes itself for the
    last one and deletes the -wal, and our next commits go into a deleted file."""
    if not path.is_file():
        raise StoreError(f"{path}: not an annotator store (not a file)")
    try:
        if path.stat().st_size == 0:
            raise StoreError(f"{path}: not an annotator store (an empty file; remove it to start a new store there)")
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        conn = connect_read_only(path, busy_timeout, probe=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            rows = conn.execute("SELECT version FROM schema").fetchall() if "schema" in tables else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if error_code(error) == sqlite3.SQLITE_NOTADB:
            raise StoreError(f"{path}: not an annotator store (not an SQLite database)") from None
        raise translated(path, error, busy_timeout) or StoreError(f"{path}: not an annotator store ({error})") from None
    versions = [row[0] for row in rows]
    if len(versions) != 1 or not isinstance(versions[0], int) or versions[0] < 1:
        raise StoreError(f"{path}: not an annotator store (another program's SQLite database)")
    version = versions[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: made by a newer annotator (schema {version} > {SCHEMA_VERSION}); upgrade annotator")
    if missing := sorted(set(STORE_TABLES) - tables):
        raise StoreError(f"{path}: not an annotator store (no {', '.join(missing)} table)")
    return version


def refuse_unwritable(path: Path) -> None:
    """SQLite opens a file it may not write read-only without a word, and a WAL store's
    BEGIN IMMEDIATE even succeeds; the first insert would fail, on a screen already open."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and not os.access(file, os.W_OK):
            raise StoreReadOnly(
                f"{path}: read-only ({file.name} may not be written); check the file's and its folder's permissions"
            )


def refuse_unreadable_version(path: Path, version: int) -> None:
    """A read-only command reads an older store as it is, when its rows read alike."""
    if version < OLDEST_READABLE:
        raise StoreError(
            f"{path}: store schema {version} is older than this annotator reads ({OLDEST_READABLE}); "
            "open it once with `annotator annotate` or `annotator import` to migrate it"
        )


def create_aside(path: Path, make: Callable[[sqlite3.Connection], None]) -> None:
    """Make a new store with ``make(conn)`` in a file beside ``path`` and link it in whole.
    When ``path`` appeared meanwhile (another program, another annotator), it is left alone
    and opened like any other file."""
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}-{time.time_ns()}")
    try:
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            make(conn)
        finally:
            conn.close()  # the last connection: the -wal is checkpointed and removed
        try:
            os.link(partial, path)  # fails if the name was taken meanwhile: that file is left alone
        except FileExistsError:
            pass
        except OSError:  # no hard links here (FAT, some network file systems): a rename, if still free
            if not path.exists():
                os.replace(partial, path)
    except sqlite3.Error as error:
        if path.parent.is_dir() and not os.access(path.parent, os.W_OK):
            raise StoreReadOnly(f"{path}: read-only folder; cannot make a store there") from None
        raise translated(path, error, 0) or StoreError(f"{path}: cannot make a store there ({error})") from None
    except OSError as error:
        if isinstance(error, PermissionError) or error.errno == errno.EROFS:
            raise StoreReadOnly(f"{path}: read-only ({error.strerror}); cannot make a store there") from None
        raise StoreError(f"{path}: cannot make a store there ({error.strerror or error})") from None
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)

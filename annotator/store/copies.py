"""A store of an older schema read through a migrated copy of it, never changed itself.

``db merge`` reads another store's rows in the current schema; a source made by an older
annotator is copied (SQLite's online backup, read-only on the source) into a temporary
folder, the copy migrated, and the copy read. The source is another user's file: not a
byte of it changes."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.store.base import StoreBase
from annotator.store.errors import StoreError, translated
from annotator.store.opening import check_store, connect_read_only
from annotator.store.schema import SCHEMA_VERSION


@contextmanager
def migrated_copy(path: Path, folder: Path, busy_timeout: float) -> Iterator[Path]:
    """``path`` itself when its schema is current, else a migrated copy of it made in a
    temporary folder inside ``folder`` (removed afterwards)."""
    if not path.exists():
        raise StoreError(f"{path}: no such store")
    if check_store(path, busy_timeout) == SCHEMA_VERSION:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix=".annotator-migrating-", dir=folder) as scratch:
        copy = Path(scratch) / path.name
        try:
            source = connect_read_only(path, busy_timeout, probe=True)  # no -wal or -shm left beside it
            try:
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as error:
            raise translated(path, error, busy_timeout) or StoreError(
                f"{path}: cannot be copied to migrate it ({error})"
            ) from None
        StoreBase(copy, create=False, busy_timeout=busy_timeout).close()  # migrates the copy
        yield copy

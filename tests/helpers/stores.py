"""Real stores on disk with whitespace tokens (no spaCy), and a store's whole content as text."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from annotator.core.tasks import NewDocument
from annotator.store import Store

LABEL_NAMES = ("PERSON", "GPE", "ORG")


def whitespace_doc(text: str, **meta) -> NewDocument:
    return NewDocument(text, [m.span() for m in re.finditer(r"\S+", text)], meta)


def open_store(path: Path, texts, dataset: str = "d", lang: str = "en", labels=LABEL_NAMES) -> tuple[Store, list[int]]:
    """A store with these documents, left open (the caller closes it), and their ids in order."""
    store = Store(path)
    store.ensure_dataset(dataset, lang, labels)
    docs = [whitespace_doc(t) for t in texts]
    ids = store.add_documents(dataset, docs)
    return store, [ids[d.input_hash] for d in docs]


def dump(path: Path) -> str:
    """The whole content of a store as SQL text (to show a command left it as it was)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def store_of_version_1(path):
    """A store as the first schema made it (rollback journal, no later indexes)."""
    from annotator.store.connection import Database
    from annotator.store.schema import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](Database(conn))
    conn.execute("CREATE TABLE schema (version INTEGER)")
    conn.execute("INSERT INTO schema VALUES (1)")
    conn.close()


class WriteLock:
    """Another writer: a real SQLite connection holding the store's write lock (BEGIN
    IMMEDIATE) until ``release()``."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn is not None:
            self.conn.execute("COMMIT")
            self.conn.close()
            self.conn = None


def plain_rows(path: Path, sql: str, *parameters) -> list[tuple]:
    """Rows read with plain SQLite: opening a Store may write, and so wait for a held lock."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, parameters).fetchall()
    finally:
        conn.close()

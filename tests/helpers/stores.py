"""Real stores on disk with whitespace tokens (no spaCy), and a store's whole content as text."""

from __future__ import annotations

import json
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


def store_of_version_5(path: Path, texts, dataset: str = "d") -> list[int]:
    """A store as schema 5 made it, tokens as JSON text, with the documents of ``texts``
    (whitespace tokens, some with doubled spaces), on the first an answer of ann and bob, a
    review and a suggestion; the ids of the documents in order. Made by the frozen migrations
    0-4 and the INSERTs annotator wrote at schema 5, so it does not depend on today's store."""
    from annotator.store.connection import Database
    from annotator.store.schema import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    db = Database(conn)
    for version in range(5):
        MIGRATIONS[version](db)
    conn.execute('CREATE TABLE IF NOT EXISTS "schema" (\n   "version" INTEGER\n)')
    conn.execute("INSERT INTO schema (version) VALUES (5)")
    conn.execute("INSERT INTO datasets VALUES (?, 'en', ?, 1.0)", [dataset, json.dumps(sorted(LABEL_NAMES))])
    ids = []
    for doc in (whitespace_doc(text) for text in texts):
        cursor = conn.execute(
            "INSERT INTO documents (dataset, input_hash, text, meta, tokens, added_at) VALUES (?, ?, ?, ?, ?, 2.0)",
            [dataset, doc.input_hash, doc.text, json.dumps(doc.meta), json.dumps(doc.tokens)],
        )
        ids.append(cursor.lastrowid)
    first_word = json.dumps([{"start": 0, "end": len(texts[0].split()[0]), "label": "PERSON"}])
    answers = [
        conn.execute(
            "INSERT INTO answers (document, annotator, answer, spans, started_at, answered_at, duration, task) "
            "VALUES (?, ?, 'accept', ?, ?, ?, 5.0, NULL)",
            [ids[0], who, first_word, 10.0 + at, 15.0 + at],
        ).lastrowid
        for at, who in enumerate(("ann", "bob"))
    ]
    conn.execute(
        "INSERT INTO reviews (document, reviewer, answer, spans, decided_from, decided_at) "
        "VALUES (?, 'rita', 'accept', ?, ?, 20.0)",
        [ids[0], first_word, json.dumps(answers)],
    )
    conn.execute(
        "INSERT INTO suggestions (document, source, spans, made_at) VALUES (?, 'patterns', ?, 3.0)",
        [ids[0], first_word],
    )
    conn.close()
    return ids


def store_of_version_6(path: Path, texts, dataset: str = "d") -> list[int]:
    """A store as schema 6 made it (``store_of_version_5``'s content, tokens packed by the
    frozen migration to 6): answers without ``shown``, suggestions without ``confidence``."""
    from annotator.store.connection import Database
    from annotator.store.schema import MIGRATIONS

    ids = store_of_version_5(path, texts, dataset)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN")
    MIGRATIONS[5](Database(conn))
    conn.execute("UPDATE schema SET version = 6")
    conn.execute("COMMIT")
    conn.close()
    return ids

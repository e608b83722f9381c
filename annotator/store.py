"""The SQLite store: the only module that speaks SQL.

One ``Store`` per thread (SQLite connections are not shared across threads). The
file is in WAL mode with a busy timeout, so several annotators can write to one
store at once and wait for each other instead of failing. Answers are an
append-only log: a changed mind is a new row, and the newest row per (document,
annotator) is that annotator's answer.
"""

from __future__ import annotations

from annotator.errors import UserError

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
import sys
from pathlib import Path


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


from annotator.core.spans import Span, spans_from_json, spans_to_json
from annotator.core.tasks import ACCEPT, IGNORE, REJECT, Answer, Document, NewDocument, Review
from annotator.dbtools import answer_key, refuse_incompatible, refuse_retokenized, review_key, stored_span_problems

SCHEMA_VERSION = 2
BUSY_TIMEOUT_SECONDS = 60.0
LEASE_SECONDS = 30 * 60


class StoreError(UserError):
    """A problem with the store a user can act on (shown as one line)."""


def _migrate_to_1(db: Database) -> None:
    db["datasets"].create(
        {"name": str, "lang": str, "labels": str, "created_at": float}, pk="name", if_not_exists=True
    )
    db["documents"].create(
        {
            "id": int,
            "dataset": str,
            "input_hash": str,
            "text": str,
            "meta": str,
            "tokens": str,
            "added_at": float,
        },
        pk="id",
        not_null={"dataset", "input_hash", "text", "tokens"},
        if_not_exists=True,
    )
    db["documents"].create_index(["dataset", "input_hash"], unique=True, if_not_exists=True)
    db["suggestions"].create(
        {"id": int, "document": int, "source": str, "spans": str, "made_at": float},
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        if_not_exists=True,
    )
    db["suggestions"].create_index(["document", "source"], unique=True, if_not_exists=True)
    db["answers"].create(
        {
            "id": int,
            "document": int,
            "annotator": str,
            "answer": str,
            "spans": str,
            "started_at": float,
            "answered_at": float,
            "duration": float,
        },
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        if_not_exists=True,
    )
    db["answers"].create_index(["document", "annotator", "id"], if_not_exists=True)
    db["answers"].create_index(["annotator", "id"], if_not_exists=True)
    db["reviews"].create(
        {
            "id": int,
            "document": int,
            "reviewer": str,
            "answer": str,
            "spans": str,
            "decided_from": str,
            "decided_at": float,
        },
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        if_not_exists=True,
    )
    db["reviews"].create_index(["document", "id"], if_not_exists=True)
    db["leases"].create(
        {"document": int, "annotator": str, "until": float}, pk=("document", "annotator"), if_not_exists=True
    )


def _migrate_to_2(db: Database) -> None:
    # next_task walks documents asking "who answered this, and how?": with the answer in the
    # index that is an index look-up per document instead of a read of each answer row
    # (half the time of a next_task on a store with thousands of answers).
    db["answers"].create_index(["document", "answer", "annotator"], if_not_exists=True)


# Forward migrations: MIGRATIONS[n] takes a store at version n to version n + 1.
MIGRATIONS = {0: _migrate_to_1, 1: _migrate_to_2}


def _answer(row: dict) -> Answer:
    return Answer(
        id=row["id"],
        document=row["document"],
        annotator=row["annotator"],
        answer=row["answer"],
        spans=spans_from_json(json.loads(row["spans"])),
        started_at=row["started_at"],
        answered_at=row["answered_at"],
    )


def _review(row: dict) -> Review:
    return Review(
        id=row["id"],
        document=row["document"],
        reviewer=row["reviewer"],
        answer=row["answer"],
        spans=spans_from_json(json.loads(row["spans"])),
        decided_from=tuple(json.loads(row["decided_from"])),
        decided_at=row["decided_at"],
    )


def _document(row: dict) -> Document:
    return Document(
        id=row["id"],
        dataset=row["dataset"],
        text=row["text"],
        tokens=[tuple(t) for t in json.loads(row["tokens"])],
        meta=json.loads(row["meta"] or "{}"),
        input_hash=row["input_hash"],
    )


# The newest answer of each (document, annotator): the one that counts.
LATEST_ANSWERS = """
    SELECT a.* FROM answers a
    JOIN (SELECT document, annotator, MAX(id) AS id FROM answers GROUP BY document, annotator) newest
      ON a.id = newest.id
"""


NO_STORE_HINT = "run `annotator` once to import the demo, or `annotator import PATH --dataset NAME`; or give --db"


class Store:
    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no such store ({NO_STORE_HINT})")
        try:
            conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
            self.db = _Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not an annotator store ({error})") from None

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that concurrent
        writers queue on the busy timeout instead of failing on a lock upgrade."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.rollback()
            raise
        try:
            self.db.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (disk full, I/O error) leaves the transaction open; every later
            # write() would nest inside it as a savepoint and never be committed.
            self.db.rollback()
            raise

    def _migrate(self) -> None:
        with self.write():
            version = self.schema_version
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: made by a newer annotator (schema {version} > {SCHEMA_VERSION})")
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](self.db)
                version += 1
                self.db["schema"].create({"version": int}, if_not_exists=True)
                self.db.execute("DELETE FROM schema")
                self.db["schema"].insert({"version": version})

    @property
    def schema_version(self) -> int:
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema'").fetchone():
            return 0
        row = self.db.execute("SELECT version FROM schema").fetchone()
        return row[0] if row else 0

    # -- datasets and documents -------------------------------------------------------

    def ensure_dataset(self, name: str, lang: str, labels: Iterable[str]) -> None:
        self.db["datasets"].insert(
            {"name": name, "lang": lang, "labels": json.dumps(sorted(labels)), "created_at": time.time()},
            ignore=True,
        )

    def dataset_info(self, name: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM datasets WHERE name = ?", [name]))
        if not rows:
            return None
        return {**rows[0], "labels": json.loads(rows[0]["labels"])}

    def datasets(self) -> list[str]:
        # One index look-up per dataset (a skip-scan) instead of reading every document's
        # index entry: 12 ms -> 0.02 ms on 100,000 documents, paid at every annotate start.
        sql = """WITH RECURSIVE names(name) AS (
                   SELECT MIN(dataset) FROM documents
                   UNION ALL SELECT (SELECT MIN(dataset) FROM documents WHERE dataset > name) FROM names WHERE name IS NOT NULL)
                 SELECT name FROM names WHERE name IS NOT NULL"""
        return [r[0] for r in self.db.execute(sql)]

    def add_documents(self, dataset: str, documents: Iterable[NewDocument]) -> dict[str, int]:
        """Add documents not yet in the dataset. Returns {input_hash: id} for all of them,
        new and already present, so that callers can attach answers and suggestions."""
        now = time.time()
        ids: dict[str, int] = {}
        with self.write():
            for document in documents:
                digest = document.input_hash
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO documents (dataset, input_hash, text, meta, tokens, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [dataset, digest, document.text, json.dumps(document.meta), json.dumps(document.tokens), now],
                )
                if cursor.rowcount:
                    ids[digest] = cursor.lastrowid
                else:
                    ids[digest] = self.db.execute(
                        "SELECT id FROM documents WHERE dataset = ? AND input_hash = ?", [dataset, digest]
                    ).fetchone()[0]
        return ids

    def document(self, document_id: int) -> Document:
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        if not rows:
            raise StoreError(f"no document {document_id}")
        return _document(rows[0])

    def documents(self, dataset: str) -> Iterator[Document]:
        for row in self.db.query("SELECT * FROM documents WHERE dataset = ? ORDER BY id", [dataset]):
            yield _document(row)

    def count_documents(self, dataset: str | None = None) -> int:
        if dataset is None:
            return self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM documents WHERE dataset = ?", [dataset]).fetchone()[0]

    # -- suggestions ---------------------------------------------------------------------

    def set_suggestions(self, rows: Iterable[tuple[int, str, Iterable[Span]]], replace: bool = True) -> int:
        """Store (document, source, spans) rows; one row per document and source."""
        now = time.time()
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        count = 0
        with self.write():
            for document, source, spans in rows:
                self.db.execute(
                    f"{verb} INTO suggestions (document, source, spans, made_at) VALUES (?, ?, ?, ?)",
                    [document, source, json.dumps(spans_to_json(spans)), now],
                )
                count += 1
        return count

    def suggestions(self, document_id: int) -> dict[str, tuple[Span, ...]]:
        rows = self.db.query("SELECT source, spans FROM suggestions WHERE document = ? ORDER BY id", [document_id])
        return {row["source"]: spans_from_json(json.loads(row["spans"])) for row in rows}

    def documents_without_suggestions(
        self, dataset: str, source: str, unanswered_only: bool = False, limit: int | None = None
    ) -> list[int]:
        sql = (
            "SELECT id FROM documents d WHERE dataset = ? AND NOT EXISTS "
            "(SELECT 1 FROM suggestions s WHERE s.document = d.id AND s.source = ?)"
        )
        if unanswered_only:
            sql += " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id)"
        sql += " ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
        return [r[0] for r in self.db.execute(sql, [dataset, source])]

    def unanswered_documents(self, dataset: str) -> list[int]:
        sql = "SELECT id FROM documents d WHERE dataset = ? AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id) ORDER BY id"
        return [r[0] for r in self.db.execute(sql, [dataset])]

    # -- annotate screen: what the pre-annotation worker prepares next ---------------------

    def documents_lacking_suggestions(self, dataset: str, from_id: int, limit: int) -> list[int]:
        """Up to ``limit`` documents with id >= ``from_id`` and no suggestions from any source."""
        sql = (
            "SELECT id FROM documents d WHERE dataset = ? AND id >= ? AND NOT EXISTS "
            "(SELECT 1 FROM suggestions s WHERE s.document = d.id) ORDER BY id LIMIT ?"
        )
        return [r[0] for r in self.db.execute(sql, [dataset, from_id, int(limit)])]

    # -- answers ---------------------------------------------------------------------------

    def add_answer(
        self,
        document: int,
        annotator: str,
        answer: str,
        spans: Iterable[Span],
        started_at: float,
        answered_at: float | None = None,
    ) -> int:
        """Append one answer and commit it before returning; releases the annotator's lease."""
        if answer not in (ACCEPT, REJECT, IGNORE):
            raise ValueError(f"unknown answer {answer!r}")
        answered_at = time.time() if answered_at is None else answered_at
        with self.write():
            cursor = self.db.execute(
                "INSERT INTO answers (document, annotator, answer, spans, started_at, answered_at, duration) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    document,
                    annotator,
                    answer,
                    json.dumps(spans_to_json(spans)),
                    started_at,
                    answered_at,
                    max(0.0, answered_at - started_at),
                ],
            )
            self.db.execute("DELETE FROM leases WHERE document = ? AND annotator = ?", [document, annotator])
        return cursor.lastrowid

    def answer_history(self, document: int, annotator: str | None = None) -> list[Answer]:
        sql, params = "SELECT * FROM answers WHERE document = ?", [document]
        if annotator is not None:
            sql, params = sql + " AND annotator = ?", params + [annotator]
        return [_answer(row) for row in self.db.query(sql + " ORDER BY id", params)]

    def latest_answers(self, dataset: str, annotator: str | None = None) -> list[Answer]:
        """The answer that counts for each (document, annotator) in the dataset, by document id."""
        sql = f"SELECT l.* FROM ({LATEST_ANSWERS}) l JOIN documents d ON d.id = l.document WHERE d.dataset = ?"
        params: list = [dataset]
        if annotator is not None:
            sql, params = sql + " AND l.annotator = ?", params + [annotator]
        return [_answer(row) for row in self.db.query(sql + " ORDER BY l.document, l.annotator", params)]

    def latest_answer(self, document: int, annotator: str) -> Answer | None:
        rows = list(
            self.db.query(
                "SELECT * FROM answers WHERE document = ? AND annotator = ? ORDER BY id DESC LIMIT 1",
                [document, annotator],
            )
        )
        return _answer(rows[0]) if rows else None

    def answers_by(self, dataset: str, annotator: str) -> list[Answer]:
        """All of one annotator's answers in the dataset, oldest first (for undo and rates)."""
        sql = "SELECT a.* FROM answers a JOIN documents d ON d.id = a.document WHERE d.dataset = ? AND a.annotator = ? ORDER BY a.id"
        return [_answer(row) for row in self.db.query(sql, [dataset, annotator])]

    def annotators(self, dataset: str) -> list[str]:
        sql = "SELECT DISTINCT a.annotator FROM answers a JOIN documents d ON d.id = a.document WHERE d.dataset = ? ORDER BY 1"
        return [r[0] for r in self.db.execute(sql, [dataset])]

    # -- reviews -----------------------------------------------------------------------------

    def add_review(
        self, document: int, reviewer: str, answer: str, spans: Iterable[Span], decided_from: Iterable[int]
    ) -> int:
        with self.write():
            cursor = self.db.execute(
                "INSERT INTO reviews (document, reviewer, answer, spans, decided_from, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                [document, reviewer, answer, json.dumps(spans_to_json(spans)), json.dumps(list(decided_from)), time.time()],
            )
        return cursor.lastrowid

    def latest_reviews(self, dataset: str) -> dict[int, Review]:
        sql = (
            "SELECT r.* FROM reviews r JOIN documents d ON d.id = r.document WHERE d.dataset = ? "
            "AND r.id = (SELECT MAX(id) FROM reviews r2 WHERE r2.document = r.document)"
        )
        return {row["document"]: _review(row) for row in self.db.query(sql, [dataset])}

    def review_history(self, document: int) -> list[Review]:
        return [_review(r) for r in self.db.query("SELECT * FROM reviews WHERE document = ? ORDER BY id", [document])]

    # -- routing: who gets which document ------------------------------------------------

    def next_task(
        self,
        dataset: str,
        annotator: str,
        overlap: int = 1,
        lease_seconds: float = LEASE_SECONDS,
        ignored_before: float | None = None,
        now: float | None = None,
    ) -> int | None:
        """Lease and return the next document for ``annotator``, or None when nothing is left.

        Order: a document this annotator already holds a live lease on (resume after a
        restart); else the first document that this annotator has not answered and that
        fewer than ``overlap`` other annotators have answered (ignores do not count) or hold
        a live lease on; else, when ``ignored_before`` is given, a document this annotator
        ignored before that time (ignored documents come back after the rest).
        """
        now = time.time() if now is None else now
        params = {"dataset": dataset, "me": annotator, "now": now, "overlap": overlap}
        needs_more = """
            (SELECT COUNT(DISTINCT a.annotator) FROM answers a
              WHERE a.document = d.id AND a.annotator != :me AND a.answer != 'ignore')
          + (SELECT COUNT(*) FROM leases l
              WHERE l.document = d.id AND l.annotator != :me AND l.until > :now) < :overlap
        """
        queries = [
            # "+d.dataset" here too: start from the few leases, not from the whole dataset.
            """SELECT d.id FROM leases l JOIN documents d ON d.id = l.document
               WHERE +d.dataset = :dataset AND l.annotator = :me AND l.until > :now
                 AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id AND a.annotator = :me)
               ORDER BY d.id LIMIT 1""",
            # "+d.dataset": walk documents in id order and stop at the first match, instead of
            # taking the (dataset, input_hash) index and sorting the whole dataset (64 ms at 100k).
            f"""SELECT d.id FROM documents d
               WHERE +d.dataset = :dataset
                 AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id AND a.annotator = :me)
                 AND {needs_more} AND d.id >= :from_id
               ORDER BY d.id LIMIT 1""",
        ]
        if ignored_before is not None:
            params["ignored_before"] = ignored_before
            queries.append(
                f"""SELECT d.id FROM ({LATEST_ANSWERS}) mine JOIN documents d ON d.id = mine.document
                   WHERE d.dataset = :dataset AND mine.annotator = :me AND mine.answer = 'ignore'
                     AND mine.answered_at < :ignored_before AND {needs_more}
                   ORDER BY mine.answered_at LIMIT 1"""
            )
        # Search on a read snapshot first (WAL: no lock, others go on writing), then take the
        # write lock and search again from what was found: the lock is held for the few rows
        # others took meanwhile, not for a walk past every answered document (annotators
        # queue on that lock; at 32 of them the walk made commits wait half a second).
        params["from_id"] = 0
        query, found = self._first_task(queries, params)
        if query == 1:
            params["from_id"] = found
        with self.write():
            self.db.execute("DELETE FROM leases WHERE until <= ?", [now])
            _, found = self._first_task(queries, params)
            if found is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO leases (document, annotator, until) VALUES (?, ?, ?)",
                    [found, annotator, now + lease_seconds],
                )
            return found

    def _first_task(self, queries: list[str], params: dict) -> tuple[int | None, int | None]:
        """(which query, document) of the first query in ``queries`` that finds a document."""
        for index, sql in enumerate(queries):
            row = self.db.execute(sql, params).fetchone()
            if row:
                return index, row[0]
        return None, None

    def release_lease(self, document: int, annotator: str) -> None:
        with self.write():
            self.db.execute("DELETE FROM leases WHERE document = ? AND annotator = ?", [document, annotator])

    def leases(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM leases ORDER BY document, annotator"))

    def progress(self, dataset: str, annotator: str, overlap: int = 1) -> tuple[int, int]:
        """(answered, answered + still open) for this annotator; ignored documents are not answered."""
        done = self.db.execute(
            f"SELECT COUNT(*) FROM ({LATEST_ANSWERS}) l JOIN documents d ON d.id = l.document "
            "WHERE d.dataset = ? AND l.annotator = ? AND l.answer != 'ignore'",
            [dataset, annotator],
        ).fetchone()[0]
        open_ = self.db.execute(
            """SELECT COUNT(*) FROM documents d WHERE d.dataset = :dataset
               AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id AND a.annotator = :me
                               AND a.answer != 'ignore')
               AND (SELECT COUNT(DISTINCT a.annotator) FROM answers a
                    WHERE a.document = d.id AND a.annotator != :me AND a.answer != 'ignore') < :overlap""",
            {"dataset": dataset, "me": annotator, "overlap": overlap},
        ).fetchone()[0]
        return done, done + open_

    # -- import and stats (bulk writes inside one import transaction; read-only counts) ---

    def insert_documents(self, dataset: str, rows: list[tuple[str, str, str, str]]) -> int:
        """Bulk-add (input_hash, text, meta JSON, tokens JSON) rows not yet in the dataset;
        returns how many were new. One executemany: the import's hot path."""
        before = self.db.conn.total_changes
        now = time.time()
        with self.write():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO documents (dataset, input_hash, text, meta, tokens, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(dataset, digest, text, meta, tokens, now) for digest, text, meta, tokens in rows],
            )
        return self.db.conn.total_changes - before

    def document_ids(self, dataset: str, hashes: Iterable[str]) -> dict[str, int]:
        """{input_hash: id} for the given hashes that are in the dataset."""
        hashes, found = list(hashes), {}
        for at in range(0, len(hashes), 500):  # stay under SQLite's variable limit
            chunk = hashes[at : at + 500]
            sql = f"SELECT input_hash, id FROM documents WHERE dataset = ? AND input_hash IN ({','.join('?' * len(chunk))})"
            found.update(self.db.execute(sql, [dataset, *chunk]).fetchall())
        return found

    def append_answers(self, rows: Iterable[tuple[int, str, str, Iterable[Span], float, float]]) -> int:
        """Append imported (document, annotator, answer, spans, started_at, answered_at) rows."""
        values = [
            (doc, who, answer, json.dumps(spans_to_json(spans)), started, answered, max(0.0, answered - started))
            for doc, who, answer, spans, started, answered in rows
        ]
        with self.write():
            self.db.conn.executemany(
                "INSERT INTO answers (document, annotator, answer, spans, started_at, answered_at, duration) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return len(values)

    def texts_and_tokens(self, document_ids: list[int]) -> list[tuple[int, str, str]]:
        """(id, text, tokens JSON) in the order asked, for pre-highlighting."""
        rows: dict[int, tuple] = {}
        for at in range(0, len(document_ids), 500):
            chunk = document_ids[at : at + 500]
            sql = f"SELECT id, text, tokens FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            rows.update((row[0], tuple(row)) for row in self.db.execute(sql, chunk))
        return [rows[i] for i in document_ids if i in rows]

    def stats(self, dataset: str) -> dict:
        """Counts for `annotator stats`: documents, suggestions per source, answers per
        annotator and kind, spans per label (latest accepted answers), answers per day."""
        in_dataset = "JOIN documents d ON d.id = l.document WHERE d.dataset = :dataset"
        p = {"dataset": dataset}
        q = lambda sql: self.db.execute(sql, p).fetchall()  # noqa: E731
        return {
            "dataset": dataset,
            "documents": self.count_documents(dataset),
            "answered_documents": q(f"SELECT COUNT(DISTINCT l.document) FROM answers l {in_dataset}")[0][0],
            "reviewed_documents": q(f"SELECT COUNT(DISTINCT l.document) FROM reviews l {in_dataset}")[0][0],
            "suggestions": dict(q(f"SELECT l.source, COUNT(*) FROM suggestions l {in_dataset} GROUP BY 1 ORDER BY 1")),
            # span_seconds: first start to last answer, per day, summed (nights are not work time)
            "answers": [
                {"annotator": who, "answer": kind, "documents": n, "seconds": secs, "span_seconds": span}
                for who, kind, n, secs, span in q(
                    "SELECT who, kind, SUM(n), SUM(secs), SUM(span) FROM (SELECT l.annotator who, l.answer kind, "
                    "date(l.answered_at, 'unixepoch'), COUNT(*) n, SUM(l.duration) secs, MAX(l.answered_at) - MIN(l.started_at) span "
                    f"FROM ({LATEST_ANSWERS}) l {in_dataset} GROUP BY 1, 2, 3) GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ],
            "labels": dict(
                q(
                    f"SELECT json_extract(j.value, '$.label'), COUNT(*) FROM ({LATEST_ANSWERS}) l "
                    "JOIN documents d ON d.id = l.document JOIN json_each(l.spans) j "
                    "WHERE d.dataset = :dataset AND l.answer = 'accept' GROUP BY 1 ORDER BY 2 DESC, 1"
                )
            ),
            "per_day": [
                {"day": day, "annotator": who, "answers": n, "seconds": secs, "span_seconds": span}
                for day, who, n, secs, span in q(
                    "SELECT date(l.answered_at, 'unixepoch'), l.annotator, COUNT(*), SUM(l.duration), "
                    f"MAX(l.answered_at) - MIN(l.started_at) FROM answers l {in_dataset} GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ],
        }

    # -- agreement --------------------------------------------------------------------

    def latest_answer_rows(self, dataset: str) -> list[tuple[int, str, str, str]]:
        """(document, annotator, answer, spans JSON) of each (document, annotator)'s answer
        that counts, by document: the agreement report parses the spans in bulk."""
        sql = (
            f"SELECT l.document, l.annotator, l.answer, l.spans FROM ({LATEST_ANSWERS}) l "
            "JOIN documents d ON d.id = l.document WHERE d.dataset = ? ORDER BY l.document, l.annotator"
        )
        return [tuple(row) for row in self.db.execute(sql, [dataset])]

    # -- export ------------------------------------------------------------------------

    def document_hashes(self, dataset: str) -> list[tuple[int, str]]:
        """(id, input hash) of every document in the dataset, by id: enough to decide what
        to export and where before reading any text."""
        sql = "SELECT id, input_hash FROM documents WHERE dataset = ? ORDER BY id"
        return [(row[0], row[1]) for row in self.db.execute(sql, [dataset])]

    def document_texts(self, dataset: str) -> Iterator[tuple[int, str, str, list[list[int]]]]:
        """(id, input hash, text, token offsets) of each document, by id, streamed: the
        export reads every document once and needs no more (no meta, no Document)."""
        from srsly import ujson  # a third faster than json on these lists of offsets

        sql = "SELECT id, input_hash, text, tokens FROM documents WHERE dataset = ? ORDER BY id"
        for document, digest, text, tokens in self.db.execute(sql, [dataset]):
            yield document, digest, text, ujson.loads(tokens)

    # -- merge, backup, check (annotator db) ----------------------------------------------

    def merge_from(self, other_path: str | Path, dataset: str | None = None) -> dict[str, int]:
        """Bring documents, suggestions, answers and reviews of another store into this one,
        in one transaction. Documents match by (dataset, input hash); an answer or review
        already here (same document, person, answer, times and spans) is not added again,
        so merging the same file twice adds nothing. Leases are not merged."""
        other_path = Path(other_path)
        if other_path.exists() and self.path.exists() and other_path.samefile(self.path):
            raise StoreError(f"{other_path}: is this store; nothing to merge")
        other = _open_read_only(other_path)
        counts = dict.fromkeys(("datasets", "documents", "suggestions", "answers", "reviews"), 0)
        counts.update(documents_present=0, answers_present=0, reviews_present=0)
        try:
            other.execute("BEGIN")  # one snapshot of the other store, even if it is being written
            names = [r[0] for r in other.execute("SELECT name FROM datasets UNION SELECT dataset FROM documents ORDER BY 1")]
            if dataset is not None:
                if dataset not in names:
                    raise StoreError(f"{other_path}: no dataset {dataset!r} (datasets: {', '.join(names) or 'none'})")
                names = [dataset]
            with self.write():
                for name in names:
                    self._merge_dataset(other, other_path, name, counts)
        finally:
            other.close()
        return counts

    def _merge_dataset(self, other: sqlite3.Connection, other_path: Path, name: str, counts: dict) -> None:
        there = other.execute("SELECT * FROM datasets WHERE name = ?", [name]).fetchone()
        here = self.dataset_info(name)
        if there is not None:
            there = {**there, "labels": json.loads(there["labels"])}
            if here is not None:
                refuse_incompatible(other_path, name, here, there)
            else:
                self.db["datasets"].insert({**there, "labels": json.dumps(sorted(there["labels"]))})
                counts["datasets"] += 1
        document_ids: dict[int, int] = {}
        for row in other.execute("SELECT * FROM documents WHERE dataset = ? ORDER BY id", [name]):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO documents (dataset, input_hash, text, meta, tokens, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                [name, row["input_hash"], row["text"], row["meta"], row["tokens"], row["added_at"]],
            )
            if cursor.rowcount:
                document_ids[row["id"]] = cursor.lastrowid
                counts["documents"] += 1
                continue
            mine, tokens = self.db.execute(
                "SELECT id, tokens FROM documents WHERE dataset = ? AND input_hash = ?", [name, row["input_hash"]]
            ).fetchone()
            refuse_retokenized(other_path, name, row["id"], mine, tokens, row["tokens"])
            document_ids[row["id"]] = mine
            counts["documents_present"] += 1
        in_dataset = "document IN (SELECT id FROM documents WHERE dataset = ?)"
        for row in other.execute(f"SELECT * FROM suggestions WHERE {in_dataset} ORDER BY id", [name]):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO suggestions (document, source, spans, made_at) VALUES (?, ?, ?, ?)",
                [document_ids[row["document"]], row["source"], row["spans"], row["made_at"]],
            )
            counts["suggestions"] += cursor.rowcount
        answer_ids = self._merge_log(other, "answers", name, document_ids, counts)
        self._merge_log(other, "reviews", name, document_ids, counts, answer_ids)

    def _merge_log(
        self, other, table: str, name: str, document_ids: dict, counts: dict, answer_ids: dict | None = None
    ) -> dict[int, int]:
        """Append the other store's answers (or reviews) not already here; {their id: my id}."""
        key = answer_key if table == "answers" else review_key
        mine_sql = f"SELECT t.* FROM {table} t JOIN documents d ON d.id = t.document WHERE d.dataset = ?"
        present = {key(row, row["document"]): row["id"] for row in self.db.query(mine_sql, [name])}
        ids: dict[int, int] = {}
        their_sql = f"SELECT * FROM {table} WHERE document IN (SELECT id FROM documents WHERE dataset = ?) ORDER BY id"
        for row in other.execute(their_sql, [name]):
            document = document_ids[row["document"]]
            row_key = key(row, document)
            if row_key in present:
                ids[row["id"]] = present[row_key]
                counts[f"{table}_present"] += 1
                continue
            values = {**row, "document": document, "spans": row_key[-1]}
            del values["id"]
            if answer_ids is not None:  # reviews name the answers they were decided from
                values["decided_from"] = json.dumps([answer_ids[a] for a in json.loads(row["decided_from"]) if a in answer_ids])
            cursor = self.db.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})", list(values.values())
            )
            ids[row["id"]] = present[row_key] = cursor.lastrowid
            counts[table] += 1
        return ids

    def backup_to(self, out_path: str | Path, overwrite: bool = False) -> Path:
        """Copy the store with SQLite's online backup, in one step: a consistent snapshot
        taken under a read lock, which in WAL mode does not stop annotators writing."""
        out = Path(out_path)
        if out.exists():
            if out.samefile(self.path):
                raise StoreError(f"{out}: is this store; back up to another file")
            if not overwrite:
                raise StoreError(f"{out}: already exists (choose another name, or --force to replace it)")
        partial = out.with_name(f"{out.name}.partial-{time.time_ns()}")
        try:
            target = sqlite3.connect(str(partial))
            try:
                self.db.conn.backup(target)
            finally:
                target.close()
            partial.replace(out)  # the backup appears whole or not at all
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"{out}: backup failed ({error})") from None
        finally:
            partial.unlink(missing_ok=True)
        return out

    def check(self) -> list[str]:
        """What is wrong with the store: SQLite's integrity check, answers or reviews whose
        document is missing, and stored spans off token boundaries or overlapping."""
        try:
            problems = [f"integrity: {r[0]}" for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
            for table in ("answers", "reviews", "suggestions"):
                sql = f"SELECT t.id, t.document FROM {table} t LEFT JOIN documents d ON d.id = t.document WHERE d.id IS NULL"
                problems += [f"{table[:-1]} {id_}: its document {doc} is missing" for id_, doc in self.db.execute(sql)]
            rows = self.db.query(
                """SELECT 'answer' AS kind, a.id AS id, a.annotator AS who, a.answer, a.spans, d.id AS document, d.text, d.tokens
                   FROM answers a JOIN documents d ON d.id = a.document
                   UNION ALL
                   SELECT 'review', r.id, r.reviewer, r.answer, r.spans, d.id, d.text, d.tokens
                   FROM reviews r JOIN documents d ON d.id = r.document
                   ORDER BY document, kind, id"""
            )
            return problems + stored_span_problems(rows)
        except sqlite3.DatabaseError as error:
            return [f"cannot read the store: {error}"]


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Open another store for reading, refusing files that are not annotator stores."""
    if not path.is_file():
        raise StoreError(f"{path}: no such store")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("SELECT version FROM schema").fetchone()[0] if "schema" in tables else 0
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: not an annotator store ({error})") from None
    if not 1 <= version <= SCHEMA_VERSION:  # versions since 1 add only indexes: rows read alike
        conn.close()
        raise StoreError(f"{path}: store schema {version}, this annotator uses {SCHEMA_VERSION}; open it once with this version first")
    return conn

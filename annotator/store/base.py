"""Opening the store, transactions, and the documents, suggestions, answers and reviews in it."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Self, overload

from annotator.core.spans import Span, spans_from_json, spans_to_json
from annotator.core.tasks import ACCEPT, IGNORE, REJECT, Answer, Document, Review
from annotator.store.connection import Database, default_busy_timeout, inserted_id
from annotator.store.errors import StoreError, StoreReadOnly, error_code, translated
from annotator.store.opening import (
    check_store,
    connect_read_only,
    create_aside,
    refuse_unreadable_version,
    refuse_unwritable,
)
from annotator.store.rows import (
    LATEST_ANSWERS,
    LATEST_REVIEWS,
    NEWEST_FIRST,
    AnswerRow,
    _answer,
    _document,
    _review,
    visible,
)
from annotator.store.schema import MIGRATIONS, PENDING_IMPORT_TABLES, PENDING_IMPORTS_SINCE, SCHEMA_VERSION

NO_STORE_HINT = "run `annotator` once to import the demo, or `annotator import PATH --dataset NAME`; or give --db"


def _upgrade(db: Database, version: int) -> None:
    """Run the forward migrations from ``version`` (inside the caller's transaction)."""
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](db)
        version += 1
        db.execute('CREATE TABLE IF NOT EXISTS "schema" (\n   "version" INTEGER\n)')
        db.execute("DELETE FROM schema")
        db.execute("INSERT INTO schema (version) VALUES (?)", [version])


def _make_new_store(conn: sqlite3.Connection) -> None:
    db = Database(conn)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN IMMEDIATE")
    _upgrade(db, 0)
    db.execute("COMMIT")


class StoreBase:
    """The connection and its transactions, and the documents, suggestions, answers and reviews:
    what every part of the ``Store`` builds on."""

    def __init__(
        self,
        path: str | Path,
        create: bool = True,
        busy_timeout: float | None = None,
        durable: bool = False,
        read_only: bool = False,
    ):
        """``create``: a path that does not exist becomes a new store (a file that exists is
        never made into one). ``read_only``: never write, migrate or switch the journal
        mode (reports, export, the source of a backup or merge); works on read-only media.
        ``busy_timeout``: how long a statement waits for another writer's lock before
        StoreBusy (default: $ANNOTATOR_BUSY_TIMEOUT, else 60 s). ``durable``: commits survive
        a power loss or an OS crash too (``synchronous = FULL``: the WAL is synced at every
        commit), for answers given on a screen; bulk writers keep NORMAL (durable across a
        crash of the process, not of the machine)."""
        self.path = Path(path)
        self.busy_timeout = busy_timeout = default_busy_timeout() if busy_timeout is None else busy_timeout
        self.read_only = read_only
        if not self.path.exists():
            if read_only or not create:
                raise StoreError(f"{self.path}: no such store ({NO_STORE_HINT})")
            create_aside(self.path, _make_new_store)
        version = check_store(self.path, busy_timeout)  # read-only: nothing is written into a foreign file
        if read_only:
            refuse_unreadable_version(self.path, version)
            try:
                self.db = Database(connect_read_only(self.path, busy_timeout))
                if version < PENDING_IMPORTS_SINCE:  # read as it is: no import can be pending in it
                    self.db.execute("PRAGMA query_only = OFF")  # for the TEMP tables only: the file is opened read-only
                    for sql in PENDING_IMPORT_TABLES:
                        self.db.execute(sql)
                    self.db.execute("PRAGMA query_only = ON")
            except sqlite3.DatabaseError as error:
                raise translated(self.path, error, busy_timeout) or StoreError(
                    f"{self.path}: cannot be read ({error})"
                ) from None
            return
        refuse_unwritable(self.path)
        conn = None
        try:
            conn = sqlite3.connect(str(self.path), timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            self.db = Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except BaseException as error:
            if conn is not None:
                conn.close()
            if not isinstance(error, sqlite3.DatabaseError):
                raise
            if error_code(error) == sqlite3.SQLITE_CANTOPEN:  # it was read a moment ago: it is the writing that fails
                raise StoreReadOnly(
                    f"{self.path}: read-only ({error}); check the file's and its folder's permissions"
                ) from None
            raise translated(self.path, error, busy_timeout) or StoreError(
                f"{self.path}: not an annotator store ({error})"
            ) from None

    def close(self) -> None:
        """Close the connection (a commit already made stays; an open transaction is rolled back)."""
        self.db.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that concurrent
        writers queue on the busy timeout instead of failing on a lock upgrade."""
        if self.db.conn.in_transaction:
            with self.sqlite_errors(), self.db.savepoint():
                yield self.db
            return
        with self.sqlite_errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.conn.rollback()
                raise
            try:
                self.db.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (disk full, I/O error) leaves the transaction open; every later
                # write() would nest inside it as a savepoint and never be committed.
                self.db.conn.rollback()
                raise

    @contextmanager
    def sqlite_errors(self) -> Iterator[None]:
        """A held lock, a file that may not be written or a full disk as StoreBusy,
        StoreReadOnly or StoreFull naming this store; other sqlite3 errors pass unchanged."""
        try:
            yield
        except sqlite3.Error as error:
            mapped = translated(self.path, error, self.busy_timeout)
            if mapped is None:
                raise
            raise mapped from None

    def _migrate(self) -> None:
        # A store of this version is only read (WAL: no lock), so a screen opens while another
        # writer holds the store, and waits for it only where it writes.
        if self.schema_version == SCHEMA_VERSION:
            return
        # A table rebuild must not run with foreign keys on, and they can only be switched
        # outside a transaction: off for the whole migration whenever one is due.
        self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.write():
                version = self.schema_version
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: made by a newer annotator (schema {version} > {SCHEMA_VERSION}); "
                        "upgrade annotator"
                    )
                if version == 0:  # checked a moment ago; replaced since by a file that is not a store
                    raise StoreError(f"{self.path}: not an annotator store (no schema table)")
                _upgrade(self.db, version)
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")

    @property
    def schema_version(self) -> int:
        """The store's schema version (0: no schema table, not a store yet)."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema'").fetchone():
            return 0
        row = self.db.execute("SELECT version FROM schema").fetchone()
        return row[0] if row else 0

    # -- datasets and documents -------------------------------------------------------

    def ensure_dataset(self, name: str, lang: str, labels: Iterable[str]) -> None:
        """Create the dataset with this language and labels unless it exists (then it is left as it is)."""
        with self.write():
            self.db.insert(
                "datasets",
                {"name": name, "lang": lang, "labels": json.dumps(sorted(labels)), "created_at": time.time()},
                ignore=True,
            )

    def dataset_info(self, name: str) -> dict[str, Any] | None:
        """The dataset's row (name, lang, labels as a list, created_at), or None when there is none."""
        rows = list(self.db.query("SELECT * FROM datasets WHERE name = ?", [name]))
        if not rows:
            return None
        return {**rows[0], "labels": json.loads(rows[0]["labels"])}

    def datasets(self) -> list[str]:
        """The names, sorted, of the datasets with at least one visible document."""
        # One index look-up per dataset (a skip-scan) instead of reading every document's
        # index entry: 12 ms -> 0.02 ms on 100,000 documents, paid at every annotate start.
        # A dataset with no visible document (one an import is still filling) is not listed.
        first = f"SELECT dataset FROM documents d WHERE dataset {{}} AND {visible()} ORDER BY dataset LIMIT 1"
        sql = f"""WITH RECURSIVE names(name) AS (
                   SELECT ({first.format(">= ''")})
                   UNION ALL SELECT ({first.format("> name")}) FROM names WHERE name IS NOT NULL)
                 SELECT name FROM names WHERE name IS NOT NULL"""
        return [r[0] for r in self.db.execute(sql)]

    def document(self, document_id: int) -> Document:
        """The document with this id (StoreError when there is none)."""
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        if not rows:
            raise StoreError(f"no document {document_id}")
        return _document(rows[0])

    def documents(self, dataset: str) -> Iterator[Document]:
        """The dataset's visible documents by id, read as they are iterated."""
        for row in self.db.query(f"SELECT * FROM documents d WHERE dataset = ? AND {visible()} ORDER BY id", [dataset]):
            yield _document(row)

    def count_documents(self, dataset: str | None = None) -> int:
        """How many visible documents the dataset has (None: the whole store)."""
        # All of them less the hidden ones, in one statement (one snapshot): the count stays an
        # index-only count, and the hidden ones cost only while an import is under way.
        # (CROSS JOIN: from the few marks to their documents, not from every document.)
        where, params = ("", []) if dataset is None else ("AND d.dataset = ?", [dataset, dataset])
        sql = f"""SELECT (SELECT COUNT(*) FROM documents d WHERE 1 {where})
                       - (SELECT COUNT(*) FROM import_documents h CROSS JOIN documents d ON d.id = h.document
                          WHERE h.import NOT IN (SELECT id FROM imports WHERE state = 'done') {where})"""
        return int(self.db.execute(sql, params).fetchone()[0])

    # -- suggestions ---------------------------------------------------------------------

    def suggestions(self, document_id: int) -> dict[str, tuple[Span, ...]]:
        """{source: spans} of the document's suggestions, in the order they were first stored."""
        rows = self.db.query("SELECT source, spans FROM suggestions WHERE document = ? ORDER BY id", [document_id])
        return {row["source"]: spans_from_json(json.loads(row["spans"])) for row in rows}

    def documents_without_suggestions(
        self,
        dataset: str,
        source: str | None = None,
        *,
        unanswered_only: bool = False,
        from_id: int = 0,
        limit: int | None = None,
    ) -> list[int]:
        """Ids, ascending, of the dataset's documents from ``from_id`` on that have no suggestions from
        ``source`` (None: from any source); ``unanswered_only``: and no answer from anyone."""
        sql = f"SELECT id FROM documents d WHERE dataset = ? AND id >= ? AND {visible()} AND NOT EXISTS "
        sql += "(SELECT 1 FROM suggestions s WHERE s.document = d.id" + (
            ")" if source is None else " AND s.source = ?)"
        )
        if unanswered_only:
            sql += " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id)"
        sql += " ORDER BY id" + (f" LIMIT {int(limit)}" if limit is not None else "")
        params: list[object] = [dataset, from_id] + ([] if source is None else [source])
        return [r[0] for r in self.db.execute(sql, params)]

    def unanswered_documents(self, dataset: str) -> list[int]:
        """Ids, ascending, of the dataset's documents that no one has answered yet."""
        sql = (
            f"SELECT id FROM documents d WHERE dataset = ? AND {visible()} "
            "AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id) ORDER BY id"
        )
        return [r[0] for r in self.db.execute(sql, [dataset])]

    # -- answers ---------------------------------------------------------------------------

    def add_answer(
        self,
        document: int,
        annotator: str,
        answer: str,
        spans: Iterable[Span],
        started_at: float,
        answered_at: float | None = None,
        session: str | None = None,
        shown: str | None = None,
    ) -> int:
        """Append one answer and commit it before returning its id; releases the lease of
        ``session`` on the document (without a session: the annotator's). ``shown``: the
        suggestion source(s) the document was shown with, '' for none (the control), None
        when not known."""
        if answer not in (ACCEPT, REJECT, IGNORE):
            raise ValueError(f"unknown answer {answer!r}")
        answered_at = time.time() if answered_at is None else answered_at
        with self.write():
            cursor = self.db.execute(
                "INSERT INTO answers (document, annotator, answer, spans, started_at, answered_at, duration, shown) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    document,
                    annotator,
                    answer,
                    json.dumps(spans_to_json(spans)),
                    started_at,
                    answered_at,
                    max(0.0, answered_at - started_at),
                    shown,
                ],
            )
            self._release(document, annotator, session)
        return inserted_id(cursor)

    def _release(self, document: int, annotator: str, session: str | None) -> None:
        sql = "DELETE FROM leases WHERE document = ? AND annotator = ?"
        if session is None:
            self.db.execute(sql, [document, annotator])
        else:  # a lease from before sessions is the name's, so this session's too
            self.db.execute(sql + " AND (session = ? OR session IS NULL)", [document, annotator, session])

    def answer_history(
        self, document: int | None = None, annotator: str | None = None, *, dataset: str | None = None
    ) -> list[Answer]:
        """Every answer given, superseded ones too, on ``document`` or (without one) on the visible
        documents of ``dataset``; only ``annotator``'s when given. In the order stored (by id), which
        is not always the order given: a merge appends older answers (``latest_*`` tell the newest)."""
        params: list[object]
        if document is not None:
            sql, params = "SELECT a.* FROM answers a WHERE a.document = ?", [document]
        elif dataset is not None:
            sql = f"SELECT a.* FROM answers a JOIN documents d ON d.id = a.document WHERE d.dataset = ? AND {visible()}"
            params = [dataset]
        else:
            raise ValueError("answer_history: give a document or a dataset")
        if annotator is not None:
            sql, params = sql + " AND a.annotator = ?", [*params, annotator]
        return [_answer(row) for row in self.db.query(sql + " ORDER BY a.id", params)]

    @overload
    def latest_answers(self, dataset: str, annotator: str | None = None) -> list[Answer]: ...
    @overload
    def latest_answers(self, dataset: str, annotator: str | None = None, *, raw: Literal[True]) -> list[AnswerRow]: ...
    def latest_answers(self, dataset: str, annotator: str | None = None, *, raw: bool = False) -> list[Any]:
        """The answer that counts (the newest: given last, by answered_at, then id) of each
        (document, annotator) on the dataset's visible documents, by document then annotator.
        ``raw``: as (document, annotator, answer, spans JSON) tuples, for the reports and the
        export that read every answer and parse or copy the spans in bulk."""
        columns = "l.document, l.annotator, l.answer, l.spans" if raw else "l.*"
        sql = (
            f"SELECT {columns} FROM ({LATEST_ANSWERS}) l JOIN documents d ON d.id = l.document "
            f"WHERE d.dataset = ? AND {visible()}"
        )
        params = [dataset]
        if annotator is not None:
            sql, params = sql + " AND l.annotator = ?", [*params, annotator]
        sql += " ORDER BY l.document, l.annotator"
        if raw:
            return self.db.execute(sql, params).fetchall()  # sqlite3 rows are tuples already
        return [_answer(row) for row in self.db.query(sql, params)]

    def latest_answer(self, document: int, annotator: str) -> Answer | None:
        """The annotator's answer that counts on the document (the newest: given last, by
        answered_at, then id), or None when they have not answered it."""
        rows = list(
            self.db.query(
                f"SELECT * FROM answers WHERE document = ? AND annotator = ? {NEWEST_FIRST} LIMIT 1",
                [document, annotator],
            )
        )
        return _answer(rows[0]) if rows else None

    def annotators(self, dataset: str) -> list[str]:
        """The names, sorted, of everyone who answered a visible document of the dataset."""
        sql = (
            "SELECT DISTINCT a.annotator FROM answers a JOIN documents d ON d.id = a.document "
            f"WHERE d.dataset = ? AND {visible()} ORDER BY 1"
        )
        return [r[0] for r in self.db.execute(sql, [dataset])]

    # -- reviews -----------------------------------------------------------------------------

    def add_review(
        self, document: int, reviewer: str, answer: str, spans: Iterable[Span], decided_from: Iterable[int]
    ) -> int:
        """Append a reviewer's decision on a document (``decided_from``: the ids of the answers it
        was made from) and commit it; returns its id."""
        with self.write():
            cursor = self.db.execute(
                "INSERT INTO reviews (document, reviewer, answer, spans, decided_from, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    document,
                    reviewer,
                    answer,
                    json.dumps(spans_to_json(spans)),
                    json.dumps(list(decided_from)),
                    time.time(),
                ],
            )
        return inserted_id(cursor)

    def latest_reviews(self, dataset: str) -> dict[int, Review]:
        """{document: the decision that counts} for the dataset's reviewed visible documents: the
        newest review by when it was decided (then by id), so that an older decision merged in
        from another store does not win."""
        sql = (
            f"SELECT r.* FROM ({LATEST_REVIEWS}) r JOIN documents d ON d.id = r.document "
            f"WHERE d.dataset = ? AND {visible()}"
        )
        return {row["document"]: _review(row) for row in self.db.query(sql, [dataset])}

    def review_history(self, document: int) -> list[Review]:
        """Every review of the document, superseded ones too, in the order stored (by id)."""
        return [_review(r) for r in self.db.query("SELECT * FROM reviews WHERE document = ? ORDER BY id", [document])]

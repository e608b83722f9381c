"""The schema and its forward migrations, in plain SQL.

The statements are those sqlite-utils wrote when it made the tables (the same text in
``sqlite_master``, checked by tests/unit/test_store_schema.py), so a store made now and one
made before are the same store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core.token_codec import packed

if TYPE_CHECKING:
    from annotator.store.connection import Database


SCHEMA_VERSION = 7
# A read-only command reads stores from this version on as they are, without migrating them
# (migrations up to 3 only add indexes and lease columns; a store before 4 has no pending
# imports, and its reader is given empty ones: see ``PENDING_IMPORT_TABLES``; a store before 6
# holds its tokens as JSON text, which every reader decodes too: ``token_codec.packed``; a
# store before 7 has no ``answers.shown`` nor ``suggestions.confidence``: the readers of those
# look at the columns first, ``Database.columns``).
OLDEST_READABLE = 1
# The tables every store has since version 1: a file without them is not a store.
STORE_TABLES = ("schema", "datasets", "documents", "suggestions", "answers", "reviews", "leases")


def _create_table(db: Database, name: str, *columns: str) -> None:
    body = ",\n".join(f"   {column}" for column in columns)
    db.execute(f'CREATE TABLE IF NOT EXISTS "{name}" (\n{body}\n)')


def _create_index(db: Database, table: str, columns: Sequence[str], unique: bool = False) -> None:
    quoted = ", ".join(f'"{column}"' for column in columns)
    kind = "UNIQUE INDEX" if unique else "INDEX"
    db.execute(f'CREATE {kind} IF NOT EXISTS "idx_{table}_{"_".join(columns)}"\n    ON "{table}" ({quoted})')


def _documents_table(db: Database, name: str, tokens_type: str) -> None:
    _create_table(
        db,
        name,
        '"id" INTEGER PRIMARY KEY',
        '"dataset" TEXT NOT NULL',
        '"input_hash" TEXT NOT NULL',
        '"text" TEXT NOT NULL',
        '"meta" TEXT',
        f'"tokens" {tokens_type} NOT NULL',
        '"added_at" REAL',
    )


def _migrate_to_1(db: Database) -> None:
    _create_table(db, "datasets", '"name" TEXT PRIMARY KEY', '"lang" TEXT', '"labels" TEXT', '"created_at" REAL')
    _documents_table(db, "documents", "TEXT")
    _create_index(db, "documents", ["dataset", "input_hash"], unique=True)
    _create_table(
        db,
        "suggestions",
        '"id" INTEGER PRIMARY KEY',
        '"document" INTEGER REFERENCES "documents"("id")',
        '"source" TEXT',
        '"spans" TEXT',
        '"made_at" REAL',
    )
    _create_index(db, "suggestions", ["document", "source"], unique=True)
    _create_table(
        db,
        "answers",
        '"id" INTEGER PRIMARY KEY',
        '"document" INTEGER REFERENCES "documents"("id")',
        '"annotator" TEXT',
        '"answer" TEXT',
        '"spans" TEXT',
        '"started_at" REAL',
        '"answered_at" REAL',
        '"duration" REAL',
    )
    _create_index(db, "answers", ["document", "annotator", "id"])
    _create_index(db, "answers", ["annotator", "id"])
    _create_table(
        db,
        "reviews",
        '"id" INTEGER PRIMARY KEY',
        '"document" INTEGER REFERENCES "documents"("id")',
        '"reviewer" TEXT',
        '"answer" TEXT',
        '"spans" TEXT',
        '"decided_from" TEXT',
        '"decided_at" REAL',
    )
    _create_index(db, "reviews", ["document", "id"])
    _create_table(
        db, "leases", '"document" INTEGER', '"annotator" TEXT', '"until" REAL', 'PRIMARY KEY ("document", "annotator")'
    )


def _migrate_to_2(db: Database) -> None:
    # next_task walks documents asking "who answered this, and how?": with the answer in the
    # index that is an index look-up per document instead of a read of each answer row
    # (half the time of a next_task on a store with thousands of answers).
    _create_index(db, "answers", ["document", "answer", "annotator"])


def _leases_by_session(db: Database) -> None:
    # A lease belongs to a session (one screen), in a process on a host, not only to a name:
    # the same annotator in two terminals gets different documents, and a restart takes over
    # the leases of the session whose process is gone. Old leases have none (taken over).
    for column, kind in (("session", "TEXT"), ("host", "TEXT"), ("pid", "INTEGER")):
        db.execute(f"ALTER TABLE leases ADD COLUMN {column} {kind}")


def _migrate_to_pending_imports(db: Database) -> None:
    # A long import commits in short batches yet appears all at once: its documents are
    # marked in import_documents (a narrow table: the readers' check is one key look-up,
    # never a read of the document row) and hidden until one short transaction sets the
    # import's state to done. Its answers and suggestions on documents already visible wait in
    # import_answers / import_suggestions and move in that same transaction. A killed
    # import's rows are deleted on the next open (annotator/store/imports.py).
    _create_table(
        db,
        "imports",
        '"id" INTEGER PRIMARY KEY',
        '"dataset" TEXT NOT NULL',
        '"state" TEXT NOT NULL',
        '"pid" INTEGER',
        '"host" TEXT',
        '"started_at" REAL',
        '"heartbeat_at" REAL',
    )
    db.execute("CREATE TABLE IF NOT EXISTS import_documents (document INTEGER PRIMARY KEY, import INTEGER NOT NULL)")
    _create_table(
        db,
        "import_answers",
        '"import" INTEGER',
        '"document" INTEGER',
        '"annotator" TEXT',
        '"answer" TEXT',
        '"spans" TEXT',
        '"started_at" REAL',
        '"answered_at" REAL',
        '"duration" REAL',
    )
    _create_table(
        db,
        "import_suggestions",
        '"import" INTEGER',
        '"document" INTEGER',
        '"source" TEXT',
        '"spans" TEXT',
        '"made_at" REAL',
    )
    for table in ("import_answers", "import_suggestions"):
        _create_index(db, table, ["import"])
    # Which import wrote an answer or suggestion: a killed import deletes its own rows on
    # its documents, not rows someone else attached to them meanwhile.
    for table in ("answers", "suggestions"):
        if "import_id" not in db.columns(table):
            db.execute(f"ALTER TABLE {table} ADD COLUMN import_id INTEGER")


def _migrate_to_answer_origins(db: Database) -> None:
    # An imported answer keeps the fields of the task it came as (Prodigy's _input_hash,
    # _task_hash, _view_id, _timestamp, meta...), JSON, so that the JSONL export writes them
    # back unchanged and a round trip is recognised as the same answer when merged.
    for table in ("answers", "import_answers"):
        if "task" not in db.columns(table):
            db.execute(f"ALTER TABLE {table} ADD COLUMN task TEXT")
    # The newest answer is the one given last (answered_at, then id), not the last row: a
    # merge appends older answers. This index serves every query that picks it.
    _create_index(db, "answers", ["document", "annotator", "answered_at", "id"])


def _migrate_to_packed_tokens(db: Database) -> None:
    # Token offsets as packed uint32 pairs (annotator/core/token_codec.py) instead of JSON:
    # a quarter of the bytes, read without a parse. SQLite cannot change a column's type, so
    # the table is rebuilt (its ids kept, so answers, reviews, suggestions and leases still
    # point at their documents) by one INSERT ... SELECT that streams row by row: no table
    # in memory. It runs in the caller's transaction, so a kill leaves the store at 5. The
    # caller turns foreign keys off around every migration (StoreBase._migrate): with them on,
    # dropping the old table would first delete its rows and fail on the answers pointing there.
    db.conn.create_function("packed_tokens", 1, packed, deterministic=True)
    _documents_table(db, "documents_packed", "BLOB")
    db.execute(
        "INSERT INTO documents_packed (id, dataset, input_hash, text, meta, tokens, added_at) "
        "SELECT id, dataset, input_hash, text, meta, packed_tokens(tokens), added_at FROM documents ORDER BY id"
    )
    db.execute("DROP TABLE documents")
    db.execute("ALTER TABLE documents_packed RENAME TO documents")
    _create_index(db, "documents", ["dataset", "input_hash"], unique=True)


def _migrate_to_shown_and_confidence(db: Database) -> None:
    # What each answer's annotator saw: the suggestion source(s) on screen, '' for a document
    # shown without suggestions (the anchoring control), NULL for answers from before (not
    # known) and imported ones. Adding a column rewrites no row.
    if "shown" not in db.columns("answers"):
        db.execute("ALTER TABLE answers ADD COLUMN shown TEXT")
    # How sure a source was of a document's suggestions (0: a coin toss, 1: sure; NULL: the
    # source gives none, e.g. patterns). The index is the uncertain order: next_task walks
    # it from the least confident and stops at the first free document, never sorting.
    if "confidence" not in db.columns("suggestions"):
        db.execute("ALTER TABLE suggestions ADD COLUMN confidence REAL")
    _create_index(db, "suggestions", ["source", "confidence", "document"])
    # A seeded shuffle of a dataset's documents (``annotate --order random``), made once per
    # seed and walked by position like the id order; documents added later come after it.
    _create_table(
        db,
        "task_orders",
        '"dataset" TEXT NOT NULL',
        '"name" TEXT NOT NULL',
        '"position" INTEGER NOT NULL',
        '"document" INTEGER NOT NULL',
        'PRIMARY KEY ("dataset", "name", "position")',
    )


# What the readers look at to hide pending imports, as a store before version 4 is read
# (read-only, unmigrated): empty, so nothing is hidden.
PENDING_IMPORT_TABLES = (
    "CREATE TEMP TABLE imports (id INTEGER PRIMARY KEY, state TEXT)",
    "CREATE TEMP TABLE import_documents (document INTEGER PRIMARY KEY, import INTEGER NOT NULL)",
)
PENDING_IMPORTS_SINCE = 4

# Forward migrations: MIGRATIONS[n] takes a store at version n to version n + 1.
MIGRATIONS = {
    0: _migrate_to_1,
    1: _migrate_to_2,
    2: _leases_by_session,
    3: _migrate_to_pending_imports,
    4: _migrate_to_answer_origins,
    5: _migrate_to_packed_tokens,
    6: _migrate_to_shown_and_confidence,
}

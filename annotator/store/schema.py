"""The schema and its forward migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.store.connection import _Database as Database


SCHEMA_VERSION = 5
# A read-only command reads stores from this version on as they are, without migrating them
# (migrations up to 3 only add indexes and lease columns; a store before 4 has no pending
# imports, and its reader is given empty ones: see ``PENDING_IMPORT_TABLES``).
OLDEST_READABLE = 1
# The tables every store has since version 1: a file without them is not a store.
STORE_TABLES = ("schema", "datasets", "documents", "suggestions", "answers", "reviews", "leases")


def _migrate_to_1(db: Database) -> None:
    db["datasets"].create({"name": str, "lang": str, "labels": str, "created_at": float}, pk="name", if_not_exists=True)
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
    db["imports"].create(
        {"id": int, "dataset": str, "state": str, "pid": int, "host": str, "started_at": float, "heartbeat_at": float},
        pk="id",
        not_null={"dataset", "state"},
        if_not_exists=True,
    )
    db.execute("CREATE TABLE IF NOT EXISTS import_documents (document INTEGER PRIMARY KEY, import INTEGER NOT NULL)")
    db["import_answers"].create(
        {
            "import": int,
            "document": int,
            "annotator": str,
            "answer": str,
            "spans": str,
            "started_at": float,
            "answered_at": float,
            "duration": float,
        },  # fmt: skip
        if_not_exists=True,
    )
    db["import_suggestions"].create(
        {"import": int, "document": int, "source": str, "spans": str, "made_at": float}, if_not_exists=True
    )
    for table in ("import_answers", "import_suggestions"):
        db[table].create_index(["import"], if_not_exists=True)
    # Which import wrote an answer or suggestion: a killed import deletes its own rows on
    # its documents, not rows someone else attached to them meanwhile.
    for table in ("answers", "suggestions"):
        if "import_id" not in db[table].columns_dict:
            db.execute(f"ALTER TABLE {table} ADD COLUMN import_id INTEGER")


def _migrate_to_answer_origins(db: Database) -> None:
    # An imported answer keeps the fields of the task it came as (Prodigy's _input_hash,
    # _task_hash, _view_id, _timestamp, meta...), JSON, so that the JSONL export writes them
    # back unchanged and a round trip is recognised as the same answer when merged.
    for table in ("answers", "import_answers"):
        if "task" not in db[table].columns_dict:
            db.execute(f"ALTER TABLE {table} ADD COLUMN task TEXT")
    # The newest answer is the one given last (answered_at, then id), not the last row: a
    # merge appends older answers. This index serves every query that picks it.
    db["answers"].create_index(["document", "annotator", "answered_at", "id"], if_not_exists=True)


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
}

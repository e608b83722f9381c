"""The schema and its forward migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.store.connection import _Database as Database



SCHEMA_VERSION = 3
# A read-only command reads stores from this version on as they are, without migrating them
# (so far migrations only add indexes); raise it when a migration adds what reads need.
OLDEST_READABLE = 1
# The tables every store has since version 1: a file without them is not a store.
STORE_TABLES = ("schema", "datasets", "documents", "suggestions", "answers", "reviews", "leases")


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


def _leases_by_session(db: Database) -> None:
    # A lease belongs to a session (one screen), in a process on a host, not only to a name:
    # the same annotator in two terminals gets different documents, and a restart takes over
    # the leases of the session whose process is gone. Old leases have none (taken over).
    for column, kind in (("session", "TEXT"), ("host", "TEXT"), ("pid", "INTEGER")):
        db.execute(f"ALTER TABLE leases ADD COLUMN {column} {kind}")


# Forward migrations: MIGRATIONS[n] takes a store at version n to version n + 1.
MIGRATIONS = {0: _migrate_to_1, 1: _migrate_to_2, 2: _leases_by_session}

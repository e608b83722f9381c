"""Rows into the core's values, and the query for the answer that counts."""

from __future__ import annotations

import json
from typing import Any

from annotator.core.spans import spans_from_json
from annotator.core.tasks import Answer, Document, Review
from annotator.core.token_codec import stored_offsets

# A row as ``Database.query`` gives it: {column: value}.
Row = dict[str, Any]
# (document, annotator, answer, spans JSON): an answer as the bulk readers take it, unparsed.
AnswerRow = tuple[int, str, str, str]


def _answer(row: Row) -> Answer:
    return Answer(
        id=row["id"],
        document=row["document"],
        annotator=row["annotator"],
        answer=row["answer"],
        spans=spans_from_json(json.loads(row["spans"])),
        started_at=row["started_at"],
        answered_at=row["answered_at"],
        task=json.loads(row["task"]) if row.get("task") else None,
    )


def _review(row: Row) -> Review:
    return Review(
        id=row["id"],
        document=row["document"],
        reviewer=row["reviewer"],
        answer=row["answer"],
        spans=spans_from_json(json.loads(row["spans"])),
        decided_from=tuple(json.loads(row["decided_from"])),
        decided_at=row["decided_at"],
    )


def _document(row: Row) -> Document:
    return Document(
        id=row["id"],
        dataset=row["dataset"],
        text=row["text"],
        tokens=stored_offsets(row["tokens"]),
        meta=json.loads(row["meta"] or "{}"),
        input_hash=row["input_hash"],
    )


def visible(alias: str = "d") -> str:
    """SQL: the document ``alias`` is not one of an unfinished import's. An import marks
    its documents in import_documents; they appear together when its state becomes done
    (a mark whose import is gone or not done hides, so a half-cleaned import stays hidden).
    One primary-key probe per document: the marks table is empty but during imports."""
    return (
        f"NOT EXISTS (SELECT 1 FROM import_documents p WHERE p.document = {alias}.id"
        " AND p.import NOT IN (SELECT id FROM imports WHERE state = 'done'))"
    )


# The newest answer of each (document, annotator): the one given last (answered_at, then
# id on a tie), whatever order the rows came in (a merge appends older answers). One probe
# of the (document, annotator, answered_at, id) index per answer (the plan: a covering
# index search per row; 30% slower than MAX(id) on a whole dataset, faster per annotator).
LATEST_ANSWERS = """
    SELECT a.* FROM answers a
    WHERE a.id = (SELECT b.id FROM answers b WHERE b.document = a.document AND b.annotator = a.annotator
                  ORDER BY b.answered_at DESC, b.id DESC LIMIT 1)
"""
# The same order for one (document, annotator).
NEWEST_FIRST = "ORDER BY answered_at DESC, id DESC"
# The decision that counts for each document: the review given last (decided_at, then id),
# as for answers (a merge appends older reviews). The (document, id) index finds a document's
# few reviews; they are sorted in the probe.
LATEST_REVIEWS = """
    SELECT r.* FROM reviews r
    WHERE r.id = (SELECT r2.id FROM reviews r2 WHERE r2.document = r.document
                  ORDER BY r2.decided_at DESC, r2.id DESC LIMIT 1)
"""

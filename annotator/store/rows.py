"""Rows into the core's values, and the query for the answer that counts."""

from __future__ import annotations

import json

from annotator.core.spans import spans_from_json
from annotator.core.tasks import Answer, Document, Review


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


def visible(alias: str = "d") -> str:
    """SQL: the document ``alias`` is not one of an unfinished import's. An import marks
    its documents in import_documents; they appear together when its state becomes done
    (a mark whose import is gone or not done hides, so a half-cleaned import stays hidden).
    One primary-key probe per document: the marks table is empty but during imports."""
    return (
        f"NOT EXISTS (SELECT 1 FROM import_documents p WHERE p.document = {alias}.id"
        " AND p.import NOT IN (SELECT id FROM imports WHERE state = 'done'))"
    )


# The newest answer of each (document, annotator): the one that counts.
LATEST_ANSWERS = """
    SELECT a.* FROM answers a
    JOIN (SELECT document, annotator, MAX(id) AS id FROM answers GROUP BY document, annotator) newest
      ON a.id = newest.id
"""

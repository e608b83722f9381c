"""The orders next_task walks: document ids, a seeded shuffle, a source's confidences.

Each walk is one SQL query that reads an index in order and stops at the first document the
routing conditions let through (``routing.Routing.next_task`` adds them), so a call costs the
documents it steps over, never a sort of the dataset. Each returns (document, where it was
found) so that the search can go on from there once the write lock is taken.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.core.task_order import FILE, RANDOM, UNCERTAIN, TaskOrder
from annotator.store.base import StoreBase
from annotator.store.rows import visible


@dataclass(frozen=True)
class Walk:
    """A query over the free documents in some order, and how to go on from a row it found."""

    sql: str  # {free}: the routing conditions on document d
    start: dict[str, Any]  # the parameters that start it from the beginning
    resume: tuple[str, ...]  # the parameters the found row's columns set, to go on from it


# "+d.dataset": walk the order's index and stop at the first match, instead of taking the
# (dataset, input_hash) index and sorting the whole dataset (64 ms at 100k).
BY_ID = Walk(
    """SELECT d.id, d.id FROM documents d
       WHERE +d.dataset = :dataset AND d.id >= :from_id AND {free}
       ORDER BY d.id LIMIT 1""",
    {"from_id": 0},
    ("from_id",),
)
BY_SHUFFLE = Walk(
    """SELECT d.id, o.position FROM task_orders o JOIN documents d ON d.id = o.document
       WHERE o.dataset = :dataset AND o.name = :shuffle AND o.position >= :from_position
         AND +d.dataset = :dataset AND {free}
       ORDER BY o.position LIMIT 1""",
    {"from_position": 0},
    ("", "from_position"),
)
# Least confident first; a tie in document order. The (source, confidence, document) index.
BY_CONFIDENCE = Walk(
    """SELECT d.id, s.confidence FROM suggestions s JOIN documents d ON d.id = s.document
       WHERE s.source = :ranked AND (s.confidence, s.document) >= (:from_confidence, :from_document)
         AND +d.dataset = :dataset AND {free}
       ORDER BY s.confidence, s.document LIMIT 1""",
    {"from_confidence": float("-inf"), "from_document": 0},
    ("from_document", "from_confidence"),
)


def walks(order: TaskOrder) -> list[Walk]:
    """The walks of an order, first to last: what one walk does not hand out (documents
    added after the shuffle was made, or without a confidence) the next one does."""
    if order.kind == RANDOM:
        return [BY_SHUFFLE, BY_ID]
    if order.kind == UNCERTAIN and order.ranked_by is not None:
        return [BY_SHUFFLE, BY_CONFIDENCE, BY_ID] if order.random_turn else [BY_CONFIDENCE, BY_ID]
    return [BY_ID]


class Ordering(StoreBase):
    """Confidences of suggestion sources, and the seeded shuffles of datasets."""

    def set_confidences(self, rows: Iterable[tuple[int, str, float | None]]) -> None:
        """(document, source, confidence) for suggestions already stored, in one transaction."""
        with self.write():
            self.db.conn.executemany(
                "UPDATE suggestions SET confidence = ? WHERE document = ? AND source = ?",
                [(confidence, document, source) for document, source, confidence in rows],
            )

    def has_confidences(self, source: str) -> bool:
        """Whether any suggestion of ``source`` has a confidence (one look into the index)."""
        sql = "SELECT 1 FROM suggestions WHERE source = ? AND confidence IS NOT NULL LIMIT 1"
        return self.db.execute(sql, [source]).fetchone() is not None

    def confidences(self, dataset: str, source: str) -> dict[int, float]:
        """{document: confidence} of ``source`` in the dataset."""
        sql = (
            "SELECT s.document, s.confidence FROM suggestions s JOIN documents d ON d.id = s.document "
            "WHERE d.dataset = ? AND s.source = ? AND s.confidence IS NOT NULL"
        )
        return dict(self.db.execute(sql, [dataset, source]).fetchall())

    def prepare_order(self, dataset: str, order: TaskOrder) -> None:
        """Make the seeded shuffle ``order`` walks, if it is not there for every document of
        the dataset (made once per seed: a shuffle of 100k ids, well under a second)."""
        if order.kind == FILE:
            return
        name, total = order.shuffle_name, self.count_documents(dataset)
        count_sql = "SELECT COUNT(*) FROM task_orders WHERE dataset = ? AND name = ?"
        if self.db.execute(count_sql, [dataset, name]).fetchone()[0] == total:
            return
        with self.write():  # again inside the lock: two sessions starting together make it once
            if self.db.execute(count_sql, [dataset, name]).fetchone()[0] == self.count_documents(dataset):
                return
            ids = [row[0] for row in self.db.execute(
                f"SELECT id FROM documents d WHERE dataset = ? AND {visible()} ORDER BY id", [dataset]
            )]  # fmt: skip
            random.Random(order.seed).shuffle(ids)
            self.db.execute("DELETE FROM task_orders WHERE dataset = ? AND name = ?", [dataset, name])
            self.db.conn.executemany(
                "INSERT INTO task_orders (dataset, name, position, document) VALUES (?, ?, ?, ?)",
                [(dataset, name, position, document) for position, document in enumerate(ids)],
            )

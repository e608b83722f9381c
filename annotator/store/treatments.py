"""What each answer's annotator was shown (``answers.shown``, schema 7), with the document's
suggestions, for ``annotator stats``' comparison of control and suggested documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.store.base import StoreBase
from annotator.store.rows import LATEST_ANSWERS, visible


class Treatments(StoreBase):
    def shown_answers(self, dataset: str) -> Iterator[dict[str, Any]]:
        """The latest answers of the dataset that say what was shown (not NULL), by document,
        each with ``suggestions``: [(source, spans JSON, made_at)] of its document. Nothing
        for a store before schema 7 (read as it is: no such column)."""
        if "shown" not in self.db.columns("answers"):
            return
        sql = (
            "SELECT l.id, l.document, l.annotator, l.answer, l.spans, l.started_at, l.duration, l.shown "
            f"FROM ({LATEST_ANSWERS}) l JOIN documents d ON d.id = l.document "
            f"WHERE d.dataset = ? AND {visible()} AND l.shown IS NOT NULL ORDER BY l.document, l.id"
        )
        for row in self.db.query(sql, [dataset]):
            suggestions = self.db.execute(
                "SELECT source, spans, made_at FROM suggestions WHERE document = ? ORDER BY id", [row["document"]]
            ).fetchall()
            yield {**row, "suggestions": suggestions}

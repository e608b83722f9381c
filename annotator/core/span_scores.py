"""Span precision, recall and F1 of predicted spans against gold ones (exact start, end
and label), summed over documents: the score a learned model must beat. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.spans import Span


@dataclass(frozen=True)
class SpanScores:
    found: int  # predicted spans that are in the gold
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else float(not self.gold)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else float(not self.predicted)

    @property
    def f1(self) -> float:
        # Nothing predicted on documents without entities is perfect, not undefined.
        total = self.predicted + self.gold
        return 2 * self.found / total if total else 1.0


def span_scores(pairs: Iterable[tuple[Iterable[Span], Iterable[Span]]]) -> SpanScores:
    """Scores over (predicted, gold) pairs, one pair per document."""
    found = predicted = gold = 0
    for guessed, right in pairs:
        guessed_set, right_set = set(guessed), set(right)
        found += len(guessed_set & right_set)
        predicted += len(guessed_set)
        gold += len(right_set)
    return SpanScores(found, predicted, gold)

"""The final spans of a document: from its review, its answers and a conflicts policy.

The review is the gold version when there is one. Otherwise the accepted answers
decide: one accepted answer (or several identical ones) is final; when accepting
annotators disagree, the ``conflicts`` policy decides:

- ``review``: leave the document out until someone reviews it;
- ``majority``: keep each span that more than half of the accepting annotators have
  (ties are left out);
- ``skip``: leave the document out.

Ignored answers do not count (an ignore is a skip). A document that some annotators
accepted and others rejected is a conflict too; under ``majority`` it is kept when more
than half of the annotators who answered it accepted it. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.spans import Span
from annotator.core.tasks import ACCEPT, IGNORE, REJECT, Answer, Review

POLICIES = ("review", "majority", "skip")

# Why a document is left out (the keys of the export summary).
UNANSWERED = "not answered"
REJECTED = "rejected"
IGNORED = "ignored"
REVIEW_REJECTED = "rejected in review"
REVIEW_IGNORED = "ignored in review"
AWAITS_REVIEW = "conflict, awaiting review"
CONFLICT_SKIPPED = "conflict, skipped"
NO_MAJORITY = "conflict, no majority to accept"


@dataclass(frozen=True)
class Final:
    """The spans to export, or None with the reason the document is left out."""

    spans: tuple[Span, ...] | None
    reason: str | None = None
    source: str = ""  # "review", "answer", "agreed" or "majority"

    @property
    def kept(self) -> bool:
        return self.spans is not None


def final_spans(answers: Iterable[Answer], review: Review | None = None, conflicts: str = "review") -> Final:
    """The final version of one document from the answer that counts of each annotator."""
    if conflicts not in POLICIES:
        raise ValueError(f"unknown conflicts policy {conflicts!r} (choose from {', '.join(POLICIES)})")
    if review is not None:
        if review.answer == ACCEPT:
            return Final(tuple(sorted(review.spans)), source="review")
        return Final(None, REVIEW_REJECTED if review.answer == REJECT else REVIEW_IGNORED)
    answers = list(answers)
    counted = [answer for answer in answers if answer.answer != IGNORE]
    if not counted:
        return Final(None, IGNORED if any(a.answer == IGNORE for a in answers) else UNANSWERED)
    accepted = [frozenset(answer.spans) for answer in counted if answer.answer == ACCEPT]
    if not accepted:
        return Final(None, REJECTED)
    if len(accepted) == len(counted) and len(set(accepted)) == 1:
        return Final(tuple(sorted(accepted[0])), source="answer" if len(accepted) == 1 else "agreed")
    if conflicts == "review":
        return Final(None, AWAITS_REVIEW)
    if conflicts == "skip":
        return Final(None, CONFLICT_SKIPPED)
    if not accepted_by_majority(counted):
        return Final(None, NO_MAJORITY)
    return Final(majority_spans(accepted), source="majority")


def accepted_by_majority(answers: Iterable[Answer]) -> bool:
    """True when more than half of the annotators who accepted or rejected accepted
    (ignores do not count): the ``majority`` policy keeps such a document, and a
    reviewer is offered to reject the others."""
    counted: list[str] = [answer.answer for answer in answers if answer.answer != IGNORE]
    return 2 * counted.count(ACCEPT) > len(counted)


def majority_spans(versions: Sequence[Iterable[Span]]) -> tuple[Span, ...]:
    """Spans held by more than half of the versions. They never overlap: two spans each
    held by a majority share at least one version, and a version's spans do not overlap."""
    counts = Counter(span for version in versions for span in set(version))
    return tuple(sorted(span for span, count in counts.items() if 2 * count > len(versions)))


def most_common_version(versions: Sequence[Iterable[Span]]) -> int:
    """Index of the version most annotators gave (as a set of spans); ties: the first."""
    if not versions:
        raise ValueError("no versions to choose from")
    keys = [frozenset(version) for version in versions]
    counts = Counter(keys)
    best = max(counts.values())
    return next(i for i, key in enumerate(keys) if counts[key] == best)

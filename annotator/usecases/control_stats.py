"""`annotator stats`' anchoring control: answers on documents shown without suggestions
(``annotate --control``, ``answers.shown = ''``) against answers on documents shown with them.

Per group: answers and documents, how they were answered, spans per accepted answer, the
exact-span F of the accepted answers against the suggestions (for a suggested answer, the
sources it was shown; for a control answer, what the screen would have shown then: the
suggestions stored before it was shown, the newest learned model's alone, as the screen
picks them), and the median seconds per answer with its quartiles. If the suggested answers
agree with the suggestions much more than the control answers do, the suggestions steer the
annotators (or save them work: the times tell which). Counts come with every figure: a
group under ``FEW`` answers is flagged, since its figures are mostly noise.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from annotator.core.source_quality import exact_counts, precision_recall_f1
from annotator.core.spans import Span, spans_from_json
from annotator.core.suggestions import current_sources, merge_suggestions
from annotator.core.tasks import ACCEPT, IGNORE, REJECT

if TYPE_CHECKING:
    from annotator.store import Store

CONTROL, SUGGESTED = "control", "suggested"
FEW = 30  # answers in a group below which the comparison is flagged as too small to say much


def control_comparison(store: Store, dataset: str) -> dict[str, Any] | None:
    """{"control": figures, "suggested": figures, "few": bool}, or None when no answer was
    given on a control document (nothing to compare)."""
    groups: dict[str, list[dict]] = {CONTROL: [], SUGGESTED: []}
    for answer in store.shown_answers(dataset):
        groups[CONTROL if answer["shown"] == "" else SUGGESTED].append(answer)
    if not groups[CONTROL]:
        return None
    figures: dict[str, Any] = {name: _figures(answers) for name, answers in groups.items()}
    figures["few"] = any(figures[name]["answers"] < FEW for name in groups)
    return figures


def _figures(answers: list[dict]) -> dict[str, Any]:
    kinds = Counter(answer["answer"] for answer in answers)
    accepted = [answer for answer in answers if answer["answer"] == ACCEPT]
    counts: Counter[tuple[str, str]] = Counter()
    spans = 0
    for answer in accepted:
        given = spans_from_json(json.loads(answer["spans"]))
        spans += len(given)
        counts.update(exact_counts(_reference(answer), given))
    agreement = precision_recall_f1(counts)["all"]
    seconds = sorted(answer["duration"] or 0.0 for answer in answers)
    quartiles = statistics.quantiles(seconds, n=4) if len(seconds) >= 2 else [None, None, None]
    return {
        "answers": len(answers),
        "documents": len({answer["document"] for answer in answers}),
        **{kind: kinds.get(kind, 0) for kind in (ACCEPT, REJECT, IGNORE)},
        "spans_per_accepted": spans / len(accepted) if accepted else None,
        "f1_against_suggestions": agreement["f1"],
        "matched": agreement["matched"],
        "suggested_spans": agreement["suggested"],
        "answered_spans": agreement["answered"],
        "median_seconds": statistics.median(seconds) if seconds else None,
        "seconds_quartiles": [quartiles[0], quartiles[2]],
    }


def _reference(answer: dict) -> tuple[Span, ...]:
    """The suggestions this answer is compared with (see the module's docstring)."""
    rows: Iterable[tuple[str, str, float]] = answer["suggestions"]
    sources: Mapping[str, Iterable[Span]]
    if answer["shown"]:
        names = set(answer["shown"].split(" + "))
        sources = {source: spans_from_json(json.loads(spans)) for source, spans, _ in rows if source in names}
    else:
        before = {
            source: spans_from_json(json.loads(spans))
            for source, spans, made_at in rows
            if made_at is None or answer["started_at"] is None or made_at <= answer["started_at"]
        }
        _, sources = current_sources(before)
    return merge_suggestions(sources)

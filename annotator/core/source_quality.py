"""Each suggestion source judged like an annotator: what became of its spans in the answers.

For one accepted answer and one source's suggestions on the same document, every suggested
span is *unchanged* (the answer has it), *relabelled* (the answer has its offsets under
another label), *resized* (an answer span overlaps it with other offsets) or *removed* (no
answer span overlaps it); every answer span that no suggestion overlaps was *missed*. These
are the counts Prodigy's ``model-annotate`` and a reviewer look at to decide whether a model
helps: a source whose spans are mostly removed costs more keys than it saves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from annotator.core.spans import Span, overlaps

OUTCOMES = ("unchanged", "resized", "relabelled", "removed", "missed")


def judge(suggested: Iterable[Span], answered: Iterable[Span]) -> Counter[str]:
    """The outcome counts of one source's suggestions against one accepted answer."""
    suggested, answered = sorted(set(suggested)), sorted(set(answered))
    kept = set(answered)
    by_offsets = {(span.start, span.end) for span in answered}
    counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
    for span in suggested:
        if span in kept:
            counts["unchanged"] += 1
        elif (span.start, span.end) in by_offsets:
            counts["relabelled"] += 1
        elif any(overlaps(span, other) for other in answered):
            counts["resized"] += 1
        else:
            counts["removed"] += 1
    counts["missed"] = sum(not any(overlaps(span, other) for other in suggested) for span in answered)
    return counts


def exact_counts(suggested: Iterable[Span], answered: Iterable[Span]) -> Counter[tuple[str, str]]:
    """Per label: ``(label, "suggested")``, ``(label, "answered")`` and ``(label, "matched")``
    (same start, end and label) spans of one source against one accepted answer."""
    suggested, answered = set(suggested), set(answered)
    counts: Counter[tuple[str, str]] = Counter()
    for span in suggested:
        counts[span.label, "suggested"] += 1
    for span in answered:
        counts[span.label, "answered"] += 1
        counts[span.label, "matched"] += span in suggested
    return counts


def precision_recall_f1(counts: Mapping[tuple[str, str], int]) -> dict[str, dict[str, float | int | None]]:
    """{label: precision, recall, f1 (None where undefined) and the counts}, plus "all" (micro)
    over every label: the source as predictions, the answers as the truth, as Prodigy's
    model-annotate and spaCy's ents_p / ents_r / ents_f score them."""
    labels = sorted({label for label, _ in counts})
    rows = {
        label: _scores(*(counts.get((label, k), 0) for k in ("matched", "suggested", "answered"))) for label in labels
    }
    rows["all"] = _scores(
        *(sum(counts.get((label, k), 0) for label in labels) for k in ("matched", "suggested", "answered"))
    )
    return rows


def _scores(matched: int, suggested: int, answered: int) -> dict[str, float | int | None]:
    precision = matched / suggested if suggested else None
    recall = matched / answered if answered else None
    f1 = 2 * matched / (suggested + answered) if suggested + answered else None
    return {"precision": precision, "recall": recall, "f1": f1, "matched": matched, "suggested": suggested,
            "answered": answered}  # fmt: skip

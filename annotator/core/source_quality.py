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
from collections.abc import Iterable

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

"""Merging suggestions from several sources (a model, patterns) into one set of spans.

The annotate screen shows one non-overlapping set, like ``doc.ents``. Overlaps are
resolved as spaCy's ``util.filter_spans`` does: the longest span wins, because a longer
match is the more specific one ("New York City" over "York"); between spans of equal
length the earlier source wins (callers list the model before the patterns, as the store
returns them), then the earlier start. Pure: no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence

from annotator.core.spans import Span, overlaps

LEARNED_SOURCE = "learned"  # the trainer's model k makes suggestions as source "learned k"
_LEARNED_NAME = re.compile(rf"{LEARNED_SOURCE} (\d+)")


def learned_k(source: str) -> int | None:
    """k of a ``learned k`` source name, else None."""
    match = _LEARNED_NAME.fullmatch(source)
    return int(match.group(1)) if match else None


def current_sources(sources: Mapping[str, Iterable[Span]]) -> tuple[str | None, Mapping[str, Iterable[Span]]]:
    """(the newest learned source, its suggestions alone) when a document has any: a learned
    model was trained on the team's answers with the patterns in front, and kept only because
    it beat what came before, so it replaces the older sources. Else (None, all of them)."""
    learned = [(k, source) for source in sources if (k := learned_k(source)) is not None]
    if not learned:
        return None, sources
    newest = max(learned)[1]
    return newest, {newest: sources[newest]}


def merge_suggestions(sources: Mapping[str, Iterable[Span]] | Sequence[Iterable[Span]]) -> tuple[Span, ...]:
    """One non-overlapping, sorted set of spans from several sources' spans: a list of
    span lists, or ``Store.suggestions(doc_id)`` ({source: spans}, in the order stored)."""
    if isinstance(sources, Mapping):
        sources = list(sources.values())
    candidates = [
        (-(span.end - span.start), rank, span.start, span) for rank, spans in enumerate(sources) for span in spans
    ]
    kept: list[Span] = []  # sorted by start; neighbours found by bisect, not a scan
    for *_, span in sorted(candidates):
        at = bisect_left(kept, span)
        if (at > 0 and overlaps(kept[at - 1], span)) or (at < len(kept) and overlaps(kept[at], span)):
            continue
        kept.insert(at, span)
    return tuple(kept)


def disputed(sources: Mapping[str, Iterable[Span]], shown: Iterable[Span], labels: Iterable[str]) -> tuple[Span, ...]:
    """The spans (of these ``labels``) that some source suggests and the document does not open
    with: where another source disagrees with what is shown (a span left out by the merge, or
    an older source's where a learned model's alone are shown)."""
    shown, labels = set(shown), set(labels)
    return tuple(sorted({s for spans in sources.values() for s in spans if s not in shown and s.label in labels}))

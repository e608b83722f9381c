"""`annotator stats`: what is in a dataset and how fast it is being annotated (the figures;
``annotator.cli.stats_tables`` prints them)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from annotator.core.source_quality import exact_counts, judge, precision_recall_f1
from annotator.core.spans import spans_from_json

if TYPE_CHECKING:
    from annotator.store import Store

# Fewer answers, or a shorter span, say nothing about speed (1 reject in 0.26 s is not 13,689 an hour).
MIN_ANSWERS = 3
MIN_SPAN_SECONDS = 60


def rate(answers: int, span_seconds: float | None) -> float | None:
    """Answers per hour over the time from the first answer's start to the last answer
    (per day, summed), or None (shown as "–") when too few answers or too short a span."""
    if answers < MIN_ANSWERS or not span_seconds or span_seconds < MIN_SPAN_SECONDS:
        return None
    return round(answers * 3600 / span_seconds, 1)


def with_rates(stats: dict) -> dict:
    """The store's counts plus answers per hour for each annotator and day."""
    for row in stats["answers"] + stats["per_day"]:
        row["per_hour"] = rate(row.get("documents", row.get("answers")), row["span_seconds"])
    return stats


def judged_sources(store: Store, dataset: str) -> dict[str, dict[str, int]]:
    """{source: {"suggested": n, "answers": n, "unchanged": n, ...}}: each suggestion source
    judged against every latest accepted answer of the dataset (``core.source_quality``)."""
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for source, suggested, answered in _pairs(store, dataset):
        counts = judge(suggested, answered)
        counts["suggested"] = len(suggested)
        counts["answers"] = 1
        totals[source].update(counts)
    return {source: dict(counts) for source, counts in sorted(totals.items())}


def source_scores(store: Store, dataset: str) -> dict[str, dict[str, dict]]:
    """{source: {label: precision, recall, f1, counts}} of each suggestion source against the
    latest accepted answers (`annotator agreement --sources`)."""
    totals: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for source, suggested, answered in _pairs(store, dataset):
        totals[source].update(exact_counts(suggested, answered))
    return {source: precision_recall_f1(counts) for source, counts in sorted(totals.items())}


def _pairs(store: Store, dataset: str):
    for source, suggested, answered in store.suggested_and_answered(dataset):
        yield source, spans_from_json(json.loads(suggested)), spans_from_json(json.loads(answered))

"""Span-level comparison of two annotators: exact and overlap matches, and why they differ.

Spans are numpy arrays on one character axis (documents laid end to end), sorted and
non-overlapping per annotator. Exact: same start, end and label. Overlap: same label and
any shared character, matched one to one by a maximum bipartite matching (see
``max_matching``), so one long span cannot match two short ones.

Why two annotators differ, span by span: *label* (same extent, another label), *boundary*
(same label, overlapping, another extent; the one-to-one overlap matches that are not
exact) and *missing* (every other unmatched span, counted on each side).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.core.unitizing import Units, overlapping_pairs


@dataclass(frozen=True)
class SpanArrays:
    """One annotator's spans: global [start, end), label index and document index, by start."""

    starts: np.ndarray
    ends: np.ndarray
    labels: np.ndarray
    docs: np.ndarray

    def where(self, keep: np.ndarray) -> SpanArrays:
        return SpanArrays(self.starts[keep], self.ends[keep], self.labels[keep], self.docs[keep])

    def units(self) -> Units:
        return Units(self.starts, self.ends)


@dataclass(frozen=True)
class PairComparison:
    """Counts for one pair of annotators over the documents both accepted."""

    spans: np.ndarray  # per label: spans of both annotators
    exact: np.ndarray  # per label: exact matches
    overlap: np.ndarray  # per label: one-to-one overlap matches
    label_only: int
    doc_spans: np.ndarray  # per document: spans of both annotators
    doc_exact: np.ndarray  # per document: exact matches

    @property
    def boundary(self) -> int:
        # Exact matches are isolated in the overlap graph (a span's neighbours would
        # overlap each other), so every maximum matching contains them.
        return int(self.overlap.sum() - self.exact.sum())

    @property
    def missing(self) -> int:
        matched = 2 * (int(self.overlap.sum()) + self.label_only)
        return int(self.spans.sum()) - matched


def max_matching(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The rows matched by a maximum one-to-one matching of the overlap edges (rows, cols),
    given in (row, col) order.

    Each annotator's spans are disjoint, so these edges never cross: if span a < a' and
    b < b', a cannot overlap b' while a' overlaps b. On such a graph taking each edge whose
    ends are both still free, in order, is a maximum matching (exchange argument: the first
    edge is in some maximum matching, and what remains is again non-crossing). Columns of
    the edges then never decrease, so "free" is a comparison with the last match.
    """
    matched, last_row, last_col = [], -1, -1
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        if row != last_row and col != last_col:
            matched.append(row)
            last_row, last_col = row, col
    return np.array(matched, dtype=np.int64)


def compare_pair(a: SpanArrays, b: SpanArrays, shared: np.ndarray, n_labels: int) -> PairComparison:
    """Compare two annotators on the documents where ``shared`` (per document) is true."""
    a, b = a.where(shared[a.docs]), b.where(shared[b.docs])
    n_docs = len(shared)
    i, j = overlapping_pairs(a.units(), b.units())
    same_label = a.labels[i] == b.labels[j]
    same_extent = (a.starts[i] == b.starts[j]) & (a.ends[i] == b.ends[j])
    exact = same_label & same_extent
    matched_a = max_matching(i[same_label], j[same_label])
    return PairComparison(
        spans=np.bincount(a.labels, minlength=n_labels) + np.bincount(b.labels, minlength=n_labels),
        exact=np.bincount(a.labels[i[exact]], minlength=n_labels),
        overlap=np.bincount(a.labels[matched_a], minlength=n_labels),
        label_only=int(np.sum(same_extent & ~same_label)),
        doc_spans=np.bincount(a.docs, minlength=n_docs) + np.bincount(b.docs, minlength=n_docs),
        doc_exact=np.bincount(a.docs[i[exact]], minlength=n_docs),
    )


def f1(matches: int, spans: int) -> float | None:
    """Micro F1 of a pair: 2 * matches / (spans of one + spans of the other); None without spans."""
    return 2.0 * matches / spans if spans else None

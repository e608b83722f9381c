"""Krippendorff's unitizing alpha (alpha-U) on a character continuum.

Definitions from Krippendorff (1995, 2004: 251-256), computed as DKPro Agreement's
``KrippendorffAlphaUnitizingAgreement`` does: for each category, every rater splits the
continuum into units of that category and gaps; the observed disagreement sums, over
pairs of raters, the squared distances of overlapping units and the squared lengths of
units the other rater left inside a gap; the expected disagreement considers every
placement of every unit. Overall alpha-U is ``1 - sum(D_o) / sum(D_e)`` over categories.

Vectorised with numpy: a rater's units of one category never overlap each other (spans
are ``doc.ents``), so the units that meet a unit form one contiguous run found by
``searchsorted``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np


class Units(NamedTuple):
    """One rater's units of one category: sorted, non-overlapping [start, end) offsets."""

    starts: np.ndarray
    ends: np.ndarray


def overlapping_pairs(a: Units, b: Units) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j) of every unit of ``a`` that overlaps a unit of ``b``."""
    first = np.searchsorted(b.ends, a.starts, side="right")
    stop = np.searchsorted(b.starts, a.ends, side="left")
    counts = np.maximum(stop - first, 0)
    i = np.repeat(np.arange(len(a.starts)), counts)
    # j runs from first[i] to stop[i] - 1 for each i.
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return i, np.repeat(first, counts) + offsets


def _pair_distance(a: Units, b: Units) -> float:
    """Sum of squared distances between two raters' segmentations (one direction of the pair)."""
    i, j = overlapping_pairs(a, b)
    total = float(np.sum((a.starts[i] - b.starts[j]) ** 2 + (a.ends[i] - b.ends[j]) ** 2, dtype=np.float64))
    # A unit that meets no unit of the other rater lies inside one of their gaps: length squared.
    for units, hit in ((a, i), (b, j)):
        alone = np.ones(len(units.starts), dtype=bool)
        alone[hit] = False
        total += float(np.sum((units.ends[alone] - units.starts[alone]).astype(np.float64) ** 2))
    return total


def _gaps(units: Units, length: int) -> np.ndarray:
    edges_start = np.concatenate(([0], units.ends))
    edges_end = np.concatenate((units.starts, [length]))
    gaps = edges_end - edges_start
    return gaps[gaps > 0]


def observed_disagreement(raters: Sequence[Units], length: int) -> float:
    count = len(raters)
    total = 0.0
    for r in range(count):
        for s in range(r + 1, count):
            total += _pair_distance(raters[r], raters[s])
    return 2.0 * total / (count * (count - 1) * float(length) ** 2)


def expected_disagreement(raters: Sequence[Units], length: int) -> float:
    lengths = np.concatenate([u.ends - u.starts for u in raters]).astype(np.float64)
    if not len(lengths):
        return 0.0
    gaps = np.sort(np.concatenate([_gaps(u, length) for u in raters]).astype(np.float64))
    # For each unit length l: sum over gaps g >= l of (g - l + 1), from suffix sums.
    suffix = np.concatenate((np.cumsum(gaps[::-1])[::-1], [0.0]))
    first = np.searchsorted(gaps, lengths, side="left")
    fitting = len(gaps) - first
    placements = suffix[first] - fitting * (lengths - 1.0)
    within = (len(lengths) - 1.0) * (2.0 * lengths**3 - 3.0 * lengths**2 + lengths) / 3.0
    total = float(np.sum(within + lengths**2 * placements))
    raters_length = len(raters) * float(length)
    norm = raters_length * (raters_length - 1.0) - float(np.sum(lengths * (lengths - 1.0)))
    return (2.0 / length) * total / norm


def category_disagreements(raters: Sequence[Units], length: int) -> tuple[float, float]:
    """(D_o, D_e) of one category; alpha-U of the category is 1 - D_o / D_e."""
    return observed_disagreement(raters, length), expected_disagreement(raters, length)


def alpha_u(observed: Sequence[float], expected: Sequence[float]) -> float | None:
    """Overall alpha-U from the categories' disagreements (None when nothing is expected)."""
    total_expected = float(np.sum(expected))
    if total_expected <= 0.0:
        return None
    return 1.0 - float(np.sum(observed)) / total_expected

"""Token-level agreement on IO tags: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Tags are a (raters x tokens) integer matrix: 0 is O, 1.. a label, -1 missing (the rater
did not accept that document; missing is never read as O). Everything is computed from
pairwise equality counts and ``np.bincount`` so that millions of tokens take milliseconds.
"""

from __future__ import annotations

import numpy as np


class Undefined(ValueError):
    """A statistic that has no value on these data; the message says why."""


def _one_category(codes: np.ndarray, names: list[str]) -> str:
    present = np.unique(codes)
    name = names[int(present[0])] if len(present) else "none"
    return f"only one category ({name}) was used, so chance agreement is total"


def io_tags(
    span_starts: np.ndarray,
    span_ends: np.ndarray,
    span_labels: np.ndarray,
    token_starts: np.ndarray,
    token_ends: np.ndarray,
    answered: np.ndarray,
) -> np.ndarray:
    """Each token's tag: 1 + the label of the span covering it, 0 (O), or -1 where
    ``answered`` (per token) is false. Spans are sorted and do not overlap."""
    last = np.searchsorted(span_starts, token_ends, side="left") - 1
    safe = np.maximum(last, 0)
    covered = (last >= 0) & (span_ends[safe] > token_starts) if len(span_starts) else np.zeros(len(token_starts), bool)
    tags = np.where(covered, span_labels[safe] + 1 if len(span_starts) else 0, 0)
    return np.where(answered, tags, -1).astype(np.int64)


def observed_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the tokens both raters tagged on which their tags are equal."""
    both = (a >= 0) & (b >= 0)
    if not both.any():
        raise Undefined("no shared document with tokens")
    return float(np.mean(a[both] == b[both]))


def cohen_kappa(a: np.ndarray, b: np.ndarray, names: list[str]) -> float:
    both = (a >= 0) & (b >= 0)
    if not both.any():
        raise Undefined("no shared document with tokens")
    x, y, k = a[both], b[both], len(names)
    n = len(x)
    table = np.bincount(x * k + y, minlength=k * k).reshape(k, k)
    chance = int(table.sum(axis=1) @ table.sum(axis=0))
    if chance == n * n:
        raise Undefined(_one_category(x, names))
    p_observed = np.trace(table) / n
    p_chance = chance / (n * n)
    return float((p_observed - p_chance) / (1.0 - p_chance))


def _agreeing_pairs(tags: np.ndarray) -> np.ndarray:
    """Per token: how many unordered pairs of present raters gave the same tag."""
    agree = np.zeros(tags.shape[1], dtype=np.int64)
    for r in range(len(tags)):
        for s in range(r + 1, len(tags)):
            agree += (tags[r] == tags[s]) & (tags[r] >= 0)
    return agree


def fleiss_kappa(tags: np.ndarray, names: list[str]) -> float:
    """Fleiss (1971) over the tokens every rater tagged (documents all of them accepted)."""
    raters = len(tags)
    if raters < 2:
        raise Undefined("fewer than two annotators")
    complete = tags[:, (tags >= 0).all(axis=0)]
    items = complete.shape[1]
    if items == 0:
        raise Undefined(f"no document was accepted by all {raters} annotators")
    category_totals = np.bincount(complete.ravel(), minlength=len(names))
    if int(np.sum(category_totals**2)) == (items * raters) ** 2:
        raise Undefined(_one_category(complete.ravel(), names))
    # sum_j n_ij^2 = raters + 2 * (agreeing pairs), so P_i needs no items x categories table.
    p_items = 2.0 * _agreeing_pairs(complete) / (raters * (raters - 1))
    p_bar = float(np.mean(p_items))
    p_chance = float(np.sum((category_totals / (items * raters)) ** 2))
    return (p_bar - p_chance) / (1.0 - p_chance)


def krippendorff_alpha(tags: np.ndarray, names: list[str]) -> float:
    """Nominal alpha from the coincidence matrix; tokens with fewer than two values are
    not pairable and drop out, as Krippendorff (2011) prescribes for missing data."""
    present = (tags >= 0).sum(axis=0)
    pairable = present >= 2
    if not pairable.any():
        raise Undefined("no token was tagged by two annotators")
    values = tags[:, pairable]
    m = present[pairable].astype(np.float64)
    same = m + 2.0 * _agreeing_pairs(values)  # sum over categories of n_uc^2
    disagreement = float(np.sum((m * m - same) / (m - 1.0)))
    counts = np.bincount(values[values >= 0], minlength=len(names)).astype(np.float64)
    n = counts.sum()
    expected = n * n - float(np.sum(counts**2))
    if expected == 0.0:
        raise Undefined(_one_category(values[values >= 0], names))
    return 1.0 - (n - 1.0) * disagreement / expected

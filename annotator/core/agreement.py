"""Inter-annotator agreement for span annotation: every statistic, as pure functions.

A ``Study`` (``core.study``) holds the documents that at least two annotators accepted, laid end to end
on one character axis, with their non-whitespace tokens and each annotator's spans as
numpy arrays. ``agreement(study)`` computes the report:

- span F1, exact and overlap (one-to-one), micro-averaged over documents, per pair of
  annotators, their mean, and per label (``span_agreement``);
- token level on IO tags (label or O; whitespace tokens are skipped): Cohen's kappa per
  pair, Fleiss' kappa over the documents *all* annotators accepted, Krippendorff's alpha
  (nominal) with unanswered documents as missing, percent agreement (``token_agreement``);
- Krippendorff's alpha-U on characters over the documents all annotators accepted,
  per label and overall (``unitizing``);
- the diagnosis (boundary / label / missing) and the documents ranked by disagreement.

A statistic without a value is None, and ``undefined`` maps its path to the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from annotator.core.span_agreement import PairComparison, compare_pair, f1
from annotator.core.study import Study
from annotator.core.token_agreement import (
    Undefined,
    cohen_kappa,
    fleiss_kappa,
    io_tags,
    krippendorff_alpha,
    observed_agreement,
)
from annotator.core.unitizing import Units, alpha_u, category_disagreements


class _Undefined(dict):
    """statistic path -> reason; ``value`` records the reason when a statistic has none."""

    def value(self, path: str, compute: Callable[[], float | None], reason: str = "") -> float | None:
        try:
            result = compute()
        except Undefined as why:
            self[path] = str(why)
            return None
        if result is None:
            self[path] = reason
            return None
        return float(result)


def _mean(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return float(np.mean(defined)) if defined else None


def nothing_shared(accepting: int) -> str:
    """Why nothing can be compared when no document was accepted by two annotators
    (the study then holds no document and no annotator, whoever answered)."""
    return (
        "fewer than two annotators accepted a document"
        if accepting < 2
        else "no document was accepted by two or more annotators"
    )


def _alpha_u(study: Study, undefined: _Undefined, alone: str) -> tuple[float | None, dict[str, float | None]]:
    raters = len(study.annotators)
    complete = np.asarray(study.accepted.all(axis=0)) if raters else np.zeros(0, bool)
    # The continuum: the complete documents laid end to end, without the others.
    lengths = np.diff(study.doc_offsets)
    shift = np.cumsum(np.where(complete, 0, lengths)) - np.where(complete, 0, lengths)
    length = int(lengths[complete].sum()) if raters else 0
    reason = (
        alone if raters < 2
        else f"no document was accepted by all {raters} annotators" if not complete.any()
        else "the documents all annotators accepted are empty" if length == 0
        else None
    )  # fmt: skip
    if reason:
        undefined["alpha_u"] = reason
        for label in study.labels:
            undefined[f"per_label.{label}.alpha_u"] = reason
        return None, {label: None for label in study.labels}
    per_label, observed, expected = {}, [], []
    for k, label in enumerate(study.labels):
        units = []
        for spans in study.spans:
            keep = complete[spans.docs] & (spans.labels == k)
            units.append(
                Units(spans.starts[keep] - shift[spans.docs[keep]], spans.ends[keep] - shift[spans.docs[keep]])
            )
        d_o, d_e = category_disagreements(units, length)
        observed.append(d_o)
        expected.append(d_e)
        per_label[label] = undefined.value(
            f"per_label.{label}.alpha_u",
            lambda: 1.0 - d_o / d_e if d_e > 0 else None,
            "no span with this label in the documents all annotators accepted",
        )
    overall = undefined.value(
        "alpha_u", lambda: alpha_u(observed, expected), "no span in the documents all annotators accepted"
    )
    return overall, per_label


def agreement(study: Study, worst: int = 10, accepting: int | None = None) -> dict:
    """The report: keys as ``annotator agreement --json`` prints them (less dataset and
    annotators). ``accepting``: how many annotators accepted any document (default: those
    in the study), so that an empty study says why."""
    undefined = _Undefined()
    names, labels, categories = study.annotators, study.labels, study.categories
    alone = nothing_shared(len(names) if accepting is None else accepting)
    n_labels, n_docs = len(labels), len(study.doc_ids)
    tags = np.array(
        [
            io_tags(
                s.starts, s.ends, s.labels, study.token_starts, study.token_ends, study.accepted[r][study.token_docs]
            )
            for r, s in enumerate(study.spans)
        ],
        dtype=np.int64,
    ).reshape(len(names), len(study.token_starts))
    pairs: list[dict[str, Any]] = []
    comparisons: list[PairComparison] = []
    agreements: list[float] = []
    for r, s in combinations(range(len(names)), 2):
        shared = study.accepted[r] & study.accepted[s]
        comparison = compare_pair(study.spans[r], study.spans[s], shared, n_labels)
        comparisons.append(comparison)
        path = f"pairs.{names[r]}/{names[s]}"
        no_spans = (
            "neither annotator marked a span in the documents both accepted"
            if shared.any()
            else "no document accepted by both"
        )
        try:
            agreements.append(observed_agreement(tags[r], tags[s]))
        except Undefined:
            pass  # no shared token: the pair has no say in percent agreement
        pairs.append(
            {
                "a": names[r],
                "b": names[s],
                "documents": int(shared.sum()),
                "f1_exact": undefined.value(
                    f"{path}.f1_exact", lambda: f1(comparison.exact.sum(), comparison.spans.sum()), no_spans
                ),
                "f1_overlap": undefined.value(
                    f"{path}.f1_overlap", lambda: f1(comparison.overlap.sum(), comparison.spans.sum()), no_spans
                ),
                "cohen_kappa": undefined.value(
                    f"{path}.cohen_kappa", lambda: cohen_kappa(tags[r], tags[s], categories)
                ),
            }
        )

    def no_pairs(key: str) -> str:
        """Why a mean over pairs has no value: the pairs' one reason when they share it."""
        if len(names) < 2:
            return alone
        reasons = {undefined.get(f"pairs.{p['a']}/{p['b']}.{key}") for p in pairs}
        shared = reasons.pop() if len(reasons) == 1 else None
        return shared if shared is not None else "undefined for every pair of annotators"

    report: dict[str, Any] = {
        "documents": n_docs,
        **{
            key: undefined.value(key, lambda: _mean([p[key] for p in pairs]), no_pairs(key))
            for key in ("f1_exact", "f1_overlap", "cohen_kappa")
        },
        "fleiss_kappa": undefined.value("fleiss_kappa", lambda: fleiss_kappa(tags, categories)),
        "krippendorff_alpha": undefined.value("krippendorff_alpha", lambda: krippendorff_alpha(tags, categories)),
        "percent_agreement": undefined.value(
            "percent_agreement",
            lambda: _mean(agreements),
            alone if len(names) < 2 else "no pair of annotators shares a token",
        ),
    }
    if not n_docs:  # the token statistics' own reasons ("no token was tagged by two") say less
        for key in ("fleiss_kappa", "krippendorff_alpha"):
            undefined[key] = alone
    report["alpha_u"], label_alpha_u = _alpha_u(study, undefined, alone)
    report["pairs"] = pairs
    report["per_label"] = _per_label(study, comparisons, label_alpha_u, undefined)
    report["diagnosis"] = {
        "boundary": sum(c.boundary for c in comparisons),
        "label": sum(c.label_only for c in comparisons),
        "missing": sum(c.missing for c in comparisons),
    }
    report["worst_documents"] = _worst_documents(study, comparisons, worst)
    report["undefined"] = dict(undefined)
    return report


def _per_label(study: Study, comparisons: list[PairComparison], label_alpha_u: dict, undefined: _Undefined) -> dict:
    counts = sum(
        (np.bincount(s.labels, minlength=len(study.labels)) for s in study.spans), np.zeros(len(study.labels), int)
    )
    result = {}
    for k, label in enumerate(study.labels):
        entry = {}
        for key, field in (("f1_exact", "exact"), ("f1_overlap", "overlap")):
            values = [f1(int(getattr(c, field)[k]), int(c.spans[k])) for c in comparisons]
            entry[key] = undefined.value(
                f"per_label.{label}.{key}", lambda: _mean(values), "no pair of annotators has a span with this label"
            )
        entry["alpha_u"] = label_alpha_u[label]
        entry["count"] = int(counts[k])
        result[label] = entry
    return result


def _worst_documents(study: Study, comparisons: list[PairComparison], limit: int) -> list[dict]:
    """Documents with disagreement, worst first: lowest exact F1 over all pairs, then most
    unmatched spans. Documents where nobody marked a span are in full agreement."""
    if not comparisons:
        return []
    spans = np.sum([c.doc_spans for c in comparisons], axis=0)
    exact = np.sum([c.doc_exact for c in comparisons], axis=0)
    disagreeing = np.nonzero(spans > 2 * exact)[0]
    scores = 2.0 * exact[disagreeing] / spans[disagreeing]
    order = np.lexsort((study.doc_ids[disagreeing], -(spans - 2 * exact)[disagreeing], scores))[:limit]
    return [{"id": int(study.doc_ids[disagreeing[k]]), "f1_exact": float(scores[k])} for k in order]


def coverage(study: Study) -> dict:
    """What the token and unitizing statistics were computed over, for the tables' notes."""
    complete: np.ndarray = (
        np.asarray(study.accepted.all(axis=0)) if len(study.annotators) else np.zeros(len(study.doc_ids), bool)
    )
    return {
        "tokens": int(len(study.token_starts)),
        "complete_documents": int(complete.sum()),
        "characters": int(np.diff(study.doc_offsets)[complete].sum()) if len(complete) else 0,
    }

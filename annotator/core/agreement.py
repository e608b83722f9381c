"""Inter-annotator agreement for span annotation: every statistic, as pure functions.

A ``Study`` holds the documents that at least two annotators accepted, laid end to end
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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np

from annotator.core.span_agreement import PairComparison, SpanArrays, compare_pair, f1
from annotator.core.token_agreement import (
    Undefined,
    cohen_kappa,
    fleiss_kappa,
    io_tags,
    krippendorff_alpha,
    observed_agreement,
)
from annotator.core.unitizing import Units, alpha_u, category_disagreements

SpanTriple = tuple[int, int, str]  # (start, end, label); core.spans.Span is one


class OverlappingSpans(ValueError):
    """One annotator's spans overlap in a document (spans must be like ``doc.ents``)."""


@dataclass(frozen=True)
class Study:
    annotators: list[str]
    labels: list[str]
    doc_ids: np.ndarray  # (D,)
    doc_offsets: np.ndarray  # (D + 1,): where each document starts on the axis
    accepted: np.ndarray  # (annotators, D) bool
    spans: list[SpanArrays]  # per annotator
    token_starts: np.ndarray  # non-space tokens, on the axis
    token_ends: np.ndarray
    token_docs: np.ndarray

    @property
    def categories(self) -> list[str]:
        return ["O", *self.labels]


@cache
def _space_code_points() -> np.ndarray:
    return np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def build_study(
    documents: Sequence[tuple[int, str]],
    tokens: np.ndarray,
    token_counts: Sequence[int],
    answers: Mapping[str, Mapping[int, Sequence[SpanTriple]]],
    labels: Sequence[str] = (),
) -> Study:
    """Documents ``(id, text)`` with their token offsets (all documents' ``[start, end]``
    rows in one (T, 2) array, ``token_counts`` per document) and each annotator's
    *accepted* spans per document id. ``labels`` fixes the order of known labels."""
    ids = np.array([doc_id for doc_id, _ in documents], dtype=np.int64)
    index = {int(doc_id): k for k, doc_id in enumerate(ids)}
    names = sorted(name for name, docs in answers.items() if any(d in index for d in docs))
    accepted_all = np.zeros((len(names), len(ids)), dtype=bool)
    for row, name in enumerate(names):
        accepted_all[row, [index[d] for d in answers[name] if d in index]] = True
    keep = accepted_all.sum(axis=0) >= 2
    kept = np.nonzero(keep)[0]
    new_index = np.full(len(ids), -1)
    new_index[kept] = np.arange(len(kept))
    texts = [documents[k][1] for k in kept]
    offsets = np.concatenate(([0], np.cumsum([len(t) for t in texts]))).astype(np.int64)

    tokens = np.asarray(tokens, dtype=np.int64).reshape(-1, 2)
    token_doc_all = np.repeat(np.arange(len(ids)), np.asarray(token_counts, dtype=np.int64))
    token_keep = keep[token_doc_all]
    token_docs = new_index[token_doc_all[token_keep]]
    starts = tokens[token_keep, 0] + offsets[token_docs]
    ends = tokens[token_keep, 1] + offsets[token_docs]
    # Whitespace tokens (spaCy keeps "\n\n" as a token) carry no tag and are skipped.
    code_points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    solid = np.concatenate(([0], np.cumsum(~np.isin(code_points, _space_code_points()))))
    word = solid[np.minimum(ends, len(code_points))] > solid[np.minimum(starts, len(code_points))]

    seen = {label for name in names for d, spans in answers[name].items() if d in index for _, _, label in spans}
    ordered = [label for label in labels if label in seen] + sorted(seen - set(labels))
    label_index = {label: k for k, label in enumerate(ordered)}
    span_arrays = [
        _annotator_spans(name, answers[name], index, new_index, offsets, label_index, ids) for name in names
    ]
    return Study(
        annotators=names,
        labels=ordered,
        doc_ids=ids[kept],
        doc_offsets=offsets,
        accepted=accepted_all[:, kept],
        spans=span_arrays,
        token_starts=starts[word],
        token_ends=ends[word],
        token_docs=token_docs[word],
    )


def _annotator_spans(name, docs, index, new_index, offsets, label_index, ids) -> SpanArrays:
    rows = [
        (new_index[index[d]], start, end, label_index[label])
        for d, spans in docs.items()
        if d in index and new_index[index[d]] >= 0
        for start, end, label in spans
    ]
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    docs_, starts, ends, labels_ = table.T
    starts, ends = starts + offsets[docs_], ends + offsets[docs_]
    order = np.argsort(starts, kind="stable")
    result = SpanArrays(starts[order], ends[order], labels_[order], docs_[order])
    clash = np.nonzero(result.starts[1:] < result.ends[:-1])[0]
    if len(clash):
        doc_id = int(ids[np.nonzero(new_index == result.docs[clash[0]])[0][0]])
        raise OverlappingSpans(f"{name}'s spans overlap in document {doc_id}")
    return result


def study_from_documents(
    documents: Sequence[tuple[int, str, Sequence[Sequence[int]]]],
    answers: Mapping[str, Mapping[int, Sequence[SpanTriple]]],
    labels: Sequence[str] = (),
) -> Study:
    """``build_study`` from ``(id, text, token offsets)`` triples (tests, small data)."""
    rows = [tuple(t) for _, _, toks in documents for t in toks]
    return build_study(
        [(doc_id, text) for doc_id, text, _ in documents],
        np.array(rows, dtype=np.int64).reshape(-1, 2),
        [len(toks) for _, _, toks in documents],
        answers,
        labels,
    )


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


def _mean(values: list[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return float(np.mean(defined)) if defined else None


def _alpha_u(study: Study, undefined: _Undefined) -> tuple[float | None, dict[str, float | None]]:
    raters = len(study.annotators)
    complete = study.accepted.all(axis=0) if raters else np.zeros(0, bool)
    if raters < 2 or not complete.any():
        reason = "fewer than two annotators" if raters < 2 else f"no document was accepted by all {raters} annotators"
        undefined["alpha_u"] = reason
        for label in study.labels:
            undefined[f"per_label.{label}.alpha_u"] = reason
        return None, {label: None for label in study.labels}
    # The continuum: the complete documents laid end to end, without the others.
    lengths = np.diff(study.doc_offsets)
    shift = np.cumsum(np.where(complete, 0, lengths)) - np.where(complete, 0, lengths)
    length = int(lengths[complete].sum())
    per_label, observed, expected = {}, [], []
    for k, label in enumerate(study.labels):
        units = []
        for spans in study.spans:
            keep = complete[spans.docs] & (spans.labels == k)
            units.append(Units(spans.starts[keep] - shift[spans.docs[keep]], spans.ends[keep] - shift[spans.docs[keep]]))
        d_o, d_e = category_disagreements(units, length)
        observed.append(d_o)
        expected.append(d_e)
        per_label[label] = undefined.value(
            f"per_label.{label}.alpha_u",
            lambda: 1.0 - d_o / d_e if d_e > 0 else None,
            "no span with this label in the documents all annotators accepted",
        )
    overall = undefined.value("alpha_u", lambda: alpha_u(observed, expected), "no span in the documents all annotators accepted")
    return overall, per_label


def agreement(study: Study, worst: int = 10) -> dict:
    """The report: keys as ``annotator agreement --json`` prints them (less dataset and annotators)."""
    undefined = _Undefined()
    names, labels, categories = study.annotators, study.labels, study.categories
    n_labels, n_docs = len(labels), len(study.doc_ids)
    tags = np.array(
        [
            io_tags(s.starts, s.ends, s.labels, study.token_starts, study.token_ends, study.accepted[r][study.token_docs])
            for r, s in enumerate(study.spans)
        ],
        dtype=np.int64,
    ).reshape(len(names), len(study.token_starts))
    pairs, comparisons, agreements = [], [], []
    for r, s in combinations(range(len(names)), 2):
        shared = study.accepted[r] & study.accepted[s]
        comparison = compare_pair(study.spans[r], study.spans[s], shared, n_labels)
        comparisons.append(comparison)
        path = f"pairs.{names[r]}/{names[s]}"
        no_spans = "neither annotator marked a span in the documents both accepted" if shared.any() else "no shared document"
        if shared.any():
            agreements.append(observed_agreement(tags[r], tags[s]))
        pairs.append(
            {
                "a": names[r],
                "b": names[s],
                "documents": int(shared.sum()),
                "f1_exact": undefined.value(f"{path}.f1_exact", lambda: f1(comparison.exact.sum(), comparison.spans.sum()), no_spans),
                "f1_overlap": undefined.value(f"{path}.f1_overlap", lambda: f1(comparison.overlap.sum(), comparison.spans.sum()), no_spans),
                "cohen_kappa": undefined.value(f"{path}.cohen_kappa", lambda: cohen_kappa(tags[r], tags[s], categories)),
            }
        )
    no_pairs = "fewer than two annotators" if len(names) < 2 else "undefined for every pair of annotators"
    report = {
        "documents": n_docs,
        **{
            key: undefined.value(key, lambda: _mean([p[key] for p in pairs]), no_pairs)
            for key in ("f1_exact", "f1_overlap", "cohen_kappa")
        },
        "fleiss_kappa": undefined.value("fleiss_kappa", lambda: fleiss_kappa(tags, categories)),
        "krippendorff_alpha": undefined.value("krippendorff_alpha", lambda: krippendorff_alpha(tags, categories)),
        "percent_agreement": undefined.value("percent_agreement", lambda: _mean(agreements), no_pairs),
    }
    report["alpha_u"], label_alpha_u = _alpha_u(study, undefined)
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
    counts = sum((np.bincount(s.labels, minlength=len(study.labels)) for s in study.spans), np.zeros(len(study.labels), int))
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
    spans = sum(c.doc_spans for c in comparisons)
    exact = sum(c.doc_exact for c in comparisons)
    disagreeing = np.nonzero(spans > 2 * exact)[0]
    scores = 2.0 * exact[disagreeing] / spans[disagreeing]
    order = np.lexsort((study.doc_ids[disagreeing], -(spans - 2 * exact)[disagreeing], scores))[:limit]
    return [{"id": int(study.doc_ids[disagreeing[k]]), "f1_exact": float(scores[k])} for k in order]


def coverage(study: Study) -> dict:
    """What the token and unitizing statistics were computed over, for the tables' notes."""
    complete = study.accepted.all(axis=0) if len(study.annotators) else np.zeros(len(study.doc_ids), bool)
    return {
        "tokens": int(len(study.token_starts)),
        "complete_documents": int(complete.sum()),
        "characters": int(np.diff(study.doc_offsets)[complete].sum()) if len(complete) else 0,
    }

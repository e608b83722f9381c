"""The data agreement is computed on: documents laid end to end, tokens, spans as arrays.

Only documents that at least two annotators accepted are kept. Each kept document
occupies ``[doc_offsets[k], doc_offsets[k + 1])`` on one character axis, so that spans and
tokens of the whole dataset are plain sorted numpy arrays (searchsorted instead of loops).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from annotator.core.span_agreement import SpanArrays

SpanTriple = tuple[int, int, str]  # (start, end, label); core.spans.Span is one


class OverlappingSpans(ValueError):
    """One annotator's spans overlap in a document (spans must be like ``doc.ents``)."""


@dataclass
class Accepted:
    """One annotator's accepted answers as columns: the documents, and all their spans."""

    documents: list[int] = field(default_factory=list)
    span_documents: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def add(self, document: int, spans: Sequence[SpanTriple]) -> None:
        self.documents.append(document)
        for start, end, label in spans:
            self.span_documents.append(document)
            self.starts.append(start)
            self.ends.append(end)
            self.labels.append(label)

    @classmethod
    def from_spans(cls, by_document: Mapping[int, Sequence[SpanTriple]]) -> Accepted:
        accepted = cls()
        for document, spans in by_document.items():
            accepted.add(document, spans)
        return accepted


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
    token_counts: Sequence[int] | np.ndarray,
    answers: Mapping[str, Accepted],
    labels: Sequence[str] = (),
) -> Study:
    """Documents ``(id, text)`` with their token offsets (all documents' ``[start, end]``
    rows in one (T, 2) array, ``token_counts`` per document) and each annotator's accepted
    answers. ``labels`` fixes the order of the labels it names."""
    ids = np.array([doc_id for doc_id, _ in documents], dtype=np.int64)
    order = np.argsort(ids)
    sorted_ids = ids[order]

    def place(doc_ids: list[int]) -> np.ndarray:
        """Index in ``documents`` of each id, or -1 for ids not given."""
        wanted = np.asarray(doc_ids, dtype=np.int64)
        if not len(ids):
            return np.full(len(wanted), -1)
        at = np.minimum(np.searchsorted(sorted_ids, wanted), len(ids) - 1)
        return np.where(sorted_ids[at] == wanted, order[at], -1)

    names = sorted(name for name, a in answers.items() if (place(a.documents) >= 0).any())
    accepted_all = np.zeros((len(names), len(ids)), dtype=bool)
    for row, name in enumerate(names):
        where = place(answers[name].documents)
        accepted_all[row, where[where >= 0]] = True
    keep = accepted_all.sum(axis=0) >= 2
    kept = np.nonzero(keep)[0]
    new_index = np.full(len(ids) + 1, -1)  # the extra -1 answers for ids not given
    new_index[kept] = np.arange(len(kept))
    texts = [documents[k][1] for k in kept.tolist()]
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

    # Each annotator's spans in kept documents: (kept document, start, end, label) columns.
    columns = []
    for name in names:
        accepted = answers[name]
        docs = new_index[place(accepted.span_documents)]
        keep_span = docs >= 0
        columns.append((docs[keep_span], accepted, keep_span, np.asarray(accepted.labels, dtype=object)[keep_span]))
    seen = set().union(*(set(c[3].tolist()) for c in columns))
    ordered = [label for label in labels if label in seen] + sorted(seen - set(labels))
    label_index = {label: k for k, label in enumerate(ordered)}
    span_arrays = [
        _annotator_spans(name, docs, accepted, keep_span, kept_labels, offsets, label_index, ids[kept])
        for name, (docs, accepted, keep_span, kept_labels) in zip(names, columns, strict=True)
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


def _annotator_spans(name, docs, accepted, keep, kept_labels, offsets, label_index, doc_ids) -> SpanArrays:
    starts = np.asarray(accepted.starts, dtype=np.int64)[keep] + offsets[docs]
    ends = np.asarray(accepted.ends, dtype=np.int64)[keep] + offsets[docs]
    codes = np.array([label_index[label] for label in kept_labels.tolist()], dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    result = SpanArrays(starts[order], ends[order], codes[order], docs[order])
    clash = np.nonzero(result.starts[1:] < result.ends[:-1])[0]
    if len(clash):
        raise OverlappingSpans(f"{name}'s spans overlap in document {int(doc_ids[result.docs[clash[0]]])}")
    return result


def study_from_documents(
    documents: Sequence[tuple[int, str, Sequence[Sequence[int]]]],
    answers: Mapping[str, Mapping[int, Sequence[SpanTriple]]],
    labels: Sequence[str] = (),
) -> Study:
    """``build_study`` from ``(id, text, token offsets)`` and ``{annotator: {id: spans}}``."""
    rows = [tuple(t) for _, _, toks in documents for t in toks]
    return build_study(
        [(doc_id, text) for doc_id, text, _ in documents],
        np.array(rows, dtype=np.int64).reshape(-1, 2),
        [len(toks) for _, _, toks in documents],
        {name: Accepted.from_spans(by_document) for name, by_document in answers.items()},
        labels,
    )

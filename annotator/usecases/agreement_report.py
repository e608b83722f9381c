"""`annotator agreement`: read a dataset's answers and compute the agreement report.

The answer that counts is the newest per (document, annotator). Accepted answers are
compared; rejects and ignores are counted per annotator. The statistics themselves are
pure functions in ``annotator.core.agreement``; this module reads the store in bulk
(tokens parsed with numpy, not row by row); ``annotator.ui.agreement_tables`` draws the
result (on the screen and for the command), the CLI prints it or its JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.agreement import agreement, coverage
from annotator.core.errors import UserError
from annotator.core.study import Accepted, OverlappingSpans, build_study
from annotator.core.tasks import ACCEPT, ANSWERS

if TYPE_CHECKING:  # the type only: the agreement screen imports this module, and loads no SQLite
    from annotator.store import Store

WORST_DOCUMENTS = 10
SNIPPET = 60  # characters of a worst document's text shown beside it
JSON_KEYS = (
    "dataset", "annotators", "documents", "f1_exact", "f1_overlap", "cohen_kappa", "fleiss_kappa",
    "krippendorff_alpha", "alpha_u", "percent_agreement", "pairs", "per_label", "diagnosis",
    "worst_documents", "undefined",
)  # fmt: skip


@dataclass(frozen=True)
class AgreementResult:
    report: dict  # exactly the keys of `annotator agreement --json`
    coverage: dict  # what the token and unitizing statistics were computed over


def _token_offsets(token_blobs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """All documents' token offsets as one (T, 2) array, and the count per document:
    the packed blobs (core/token_codec.py) joined and read by numpy in one pass."""
    counts = np.array([len(blob) // 8 for blob in token_blobs], dtype=np.int64)
    numbers = np.frombuffer(b"".join(token_blobs), dtype="<u4").astype(np.int64)
    return numbers.reshape(-1, 2), counts


def compute(store: Store, dataset: str, labels: Sequence[str] = (), worst: int = WORST_DOCUMENTS) -> AgreementResult:
    """The agreement report of ``dataset`` (its name must exist in the store)."""
    counts: dict[str, dict[str, int]] = {}
    accepted: dict[str, Accepted] = {}
    by_document: dict[int, int] = {}
    for document, annotator, answer, spans in store.latest_answers(dataset, raw=True):
        counts.setdefault(annotator, dict.fromkeys(ANSWERS, 0))[answer] += 1
        if answer == ACCEPT:
            accepted.setdefault(annotator, Accepted()).add(
                document, [(s["start"], s["end"], s["label"]) for s in json.loads(spans)]
            )
            by_document[document] = by_document.get(document, 0) + 1
    shared = sorted(d for d, n in by_document.items() if n >= 2)
    rows = store.texts_and_tokens(shared)
    tokens, token_counts = _token_offsets([tokens for _, _, tokens in rows])
    try:
        study = build_study([(i, text) for i, text, _ in rows], tokens, token_counts, accepted, labels)
    except OverlappingSpans as error:
        raise UserError(
            f"{store.path}: dataset {dataset!r}: {error}; fix the answer before measuring agreement"
        ) from None
    result = agreement(study, worst, accepting=len(accepted))
    result["worst_documents"] = [
        {**entry, **_described(store.document(entry["id"]))} for entry in result["worst_documents"]
    ]
    report = {
        "dataset": dataset,
        "annotators": [{"name": name, **counts[name]} for name in sorted(counts)],
        **result,
    }
    return AgreementResult({key: report[key] for key in JSON_KEYS}, coverage(study))


def _described(document) -> dict:
    """Where a document came from (file @offset, file:line, file #doc) and its first words."""
    meta, source = document.meta or {}, document.source
    if source and "offset" not in meta:
        source += f":{meta['line']}" if "line" in meta else f" #{meta['doc']}" if "doc" in meta else ""
    text = " ".join(document.text.split())
    return {"source": source, "text": text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"}

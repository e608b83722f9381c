"""`annotator agreement`: read a dataset's answers, compute the agreement report, show it.

The answer that counts is the newest per (document, annotator). Accepted answers are
compared; rejects and ignores are counted per annotator. The statistics themselves are
pure functions in ``annotator.core.agreement``; this module reads the store in bulk
(tokens parsed with numpy, not row by row), renders Rich tables and the JSON object.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.core.agreement import agreement, coverage
from annotator.core.errors import UserError
from annotator.core.study import Accepted, OverlappingSpans, build_study
from annotator.core.tasks import ACCEPT, ANSWERS
from annotator.core.visible import json_for_terminal, visible
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


def _token_offsets(token_json: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All documents' token offsets as one (T, 2) array, and the count per document.
    Parsing the JSON numbers with numpy in one pass is ~8x faster than json.loads."""
    counts = np.array([max(0, text.count("[") - 1) for text in token_json], dtype=np.int64)
    joined = ",".join(text.strip()[1:-1] for text, n in zip(token_json, counts) if n)
    numbers = (
        np.fromstring(joined.translate(str.maketrans("[]", "  ")), sep=",", dtype=np.int64)
        if joined
        else np.zeros(0, np.int64)
    )
    if len(numbers) != 2 * counts.sum():  # not the plain [[s, e], ...] we write: parse properly
        rows = [json.loads(text) for text in token_json]
        counts = np.array([len(r) for r in rows], dtype=np.int64)
        numbers = np.array([v for r in rows for pair in r for v in pair], dtype=np.int64)
    return numbers.reshape(-1, 2), counts


def compute(store: Store, dataset: str, labels: Sequence[str] = (), worst: int = WORST_DOCUMENTS) -> AgreementResult:
    """The agreement report of ``dataset`` (its name must exist in the store)."""
    counts: dict[str, dict[str, int]] = {}
    accepted: dict[str, Accepted] = {}
    by_document: dict[int, int] = {}
    for document, annotator, answer, spans in store.latest_answer_rows(dataset):
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


def to_json(result: AgreementResult) -> str:
    return json_for_terminal(result.report, indent=2)


# -- Rich tables ---------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _value(value: float | None) -> Text:
    return Text("—", style="dim") if value is None else Text(f"{value:.3f}")


def overall_table(result: AgreementResult) -> Table:
    report, cover = result.report, result.coverage
    raters = len(report["annotators"])
    title = f"Agreement on '{visible(report['dataset'])}': {_count(report['documents'], 'document')} accepted by two or more"
    table = Table(title=Text(title), title_justify="left")
    table.add_column("statistic")
    table.add_column("value", justify="right")
    table.add_column("over", style="dim")
    rows = [
        ("f1_exact", "Span F1, exact", "mean over pairs; same start, end and label"),
        ("f1_overlap", "Span F1, overlap", "mean over pairs; same label, overlapping, one to one"),
        (
            "cohen_kappa",
            "Cohen's kappa",
            f"mean over pairs; {_count(cover['tokens'], 'token')}, IO tags, whitespace skipped",
        ),
        (
            "fleiss_kappa",
            "Fleiss' kappa",
            f"tokens of the {_count(cover['complete_documents'], 'document')} all {raters} accepted",
        ),
        ("krippendorff_alpha", "Krippendorff's alpha", "nominal; an unanswered document is missing, not O"),
        ("percent_agreement", "Percent agreement", "tokens with equal tags, mean over pairs"),
        (
            "alpha_u",
            "Krippendorff's alpha-U",
            f"{_count(cover['characters'], 'character')} of the documents all accepted",
        ),
    ]
    for key, name, over in rows:
        reason = report["undefined"].get(key)
        table.add_row(
            name, _value(report[key]), Text(f"undefined: {visible(reason)}", style="yellow") if reason else over
        )
    return table


def annotators_table(result: AgreementResult) -> Table:
    table = Table(title="Answers that count (newest per document)", title_justify="left")
    for name in ("annotator", "accepted", "rejected", "ignored"):
        table.add_column(name, justify="left" if name == "annotator" else "right")
    for entry in result.report["annotators"]:
        table.add_row(Text(visible(entry["name"])), str(entry["accept"]), str(entry["reject"]), str(entry["ignore"]))
    return table


def pairs_table(result: AgreementResult) -> Table:
    report = result.report
    table = Table(title="Pairs of annotators", title_justify="left")
    for name in ("a", "b", "documents", "F1 exact", "F1 overlap", "Cohen's kappa", "note"):
        table.add_column(name, justify="right" if name not in ("a", "b", "note") else "left")
    for pair in report["pairs"]:
        path = f"pairs.{pair['a']}/{pair['b']}"
        reasons = {
            report["undefined"][f"{path}.{k}"]
            for k in ("f1_exact", "cohen_kappa")
            if f"{path}.{k}" in report["undefined"]
        }
        table.add_row(
            Text(visible(pair["a"])), Text(visible(pair["b"])), str(pair["documents"]), _value(pair["f1_exact"]),
            _value(pair["f1_overlap"]), _value(pair["cohen_kappa"]), Text(visible("; ".join(sorted(reasons))), style="dim"),
        )  # fmt: skip
    return table


def labels_table(result: AgreementResult) -> Table:
    report = result.report
    table = Table(title="Per label (F1: mean over pairs)", title_justify="left")
    for name in ("label", "spans", "F1 exact", "F1 overlap", "alpha-U", "note"):
        table.add_column(name, justify="left" if name in ("label", "note") else "right")
    for label, entry in report["per_label"].items():
        reasons = sorted(
            {
                report["undefined"][p]
                for k in ("f1_exact", "alpha_u")
                if (p := f"per_label.{label}.{k}") in report["undefined"]
            }
        )
        table.add_row(
            Text(visible(label)), str(entry["count"]), _value(entry["f1_exact"]), _value(entry["f1_overlap"]),
            _value(entry["alpha_u"]), Text(visible("; ".join(reasons)), style="dim"),
        )  # fmt: skip
    return table


def diagnosis_table(result: AgreementResult) -> Table:
    diagnosis = result.report["diagnosis"]
    table = Table(title="Disagreements, summed over pairs", title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    table.add_column("meaning", style="dim")
    table.add_row("boundary", str(diagnosis["boundary"]), "same label, overlapping, different extent")
    table.add_row("label", str(diagnosis["label"]), "same extent, different label")
    table.add_row(
        "missing", str(diagnosis["missing"]), "a span the other annotator has nothing like (counted per span)"
    )
    return table


def worst_table(result: AgreementResult) -> Table:
    table = Table(title="Worst documents, most disagreement first (F1 exact over all pairs)", title_justify="left")
    table.add_column("document", justify="right")
    table.add_column("F1 exact", justify="right")
    widest = max((len(visible(entry["source"] or "")) for entry in result.report["worst_documents"]), default=0)
    table.add_column("source", overflow="fold", min_width=min(widest, 40))  # the text gives way first
    table.add_column("text", style="dim", no_wrap=True, overflow="ellipsis")  # one line per document
    for entry in result.report["worst_documents"]:
        table.add_row(
            str(entry["id"]),
            _value(entry["f1_exact"]),
            Text(visible(entry["source"] or "")),
            Text(visible(entry["text"])),
        )
    if not result.report["worst_documents"]:
        table.add_row("—", Text("no disagreement", style="dim"), "", "")
    return table


def tables(result: AgreementResult) -> Group:
    return Group(
        *(
            make(result)
            for make in (overall_table, annotators_table, pairs_table, labels_table, diagnosis_table, worst_table)
        )
    )

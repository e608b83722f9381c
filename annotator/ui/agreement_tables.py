"""The agreement report as Rich tables: the agreement screen shows them, and
`annotator agreement` prints them (data is shown literally, through ``visible``)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.core.visible import visible
from annotator.core.wording import counted
from annotator.usecases.agreement_report import AgreementResult


def _value(value: float | None) -> Text:
    return Text("—", style="dim") if value is None else Text(f"{value:.3f}")


def overall_table(result: AgreementResult) -> Table:
    report, cover = result.report, result.coverage
    raters = len(report["annotators"])
    documents = counted(report["documents"], "document")
    title = f"Agreement on '{visible(report['dataset'])}': {documents} accepted by two or more"
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
            f"mean over pairs; {counted(cover['tokens'], 'token')}, IO tags, whitespace skipped",
        ),
        (
            "fleiss_kappa",
            "Fleiss' kappa",
            f"tokens of the {counted(cover['complete_documents'], 'document')} all {raters} accepted",
        ),
        ("krippendorff_alpha", "Krippendorff's alpha", "nominal; an unanswered document is missing, not O"),
        ("percent_agreement", "Percent agreement", "tokens with equal tags, mean over pairs"),
        (
            "alpha_u",
            "Krippendorff's alpha-U",
            f"{counted(cover['characters'], 'character')} of the documents all accepted",
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
            _value(pair["f1_overlap"]), _value(pair["cohen_kappa"]),
            Text(visible("; ".join(sorted(reasons))), style="dim"),
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


def source_table(scores: dict[str, dict[str, dict]]) -> Table:
    """`annotator agreement --sources`: each suggestion source against the accepted answers."""
    table = Table(title="Suggestion sources against the accepted answers (exact spans)", title_justify="left")
    for column in ("source", "label", "precision", "recall", "F", "matched", "suggested", "answered"):
        table.add_column(column, justify="left" if column in ("source", "label") else "right")
    for source, rows in scores.items():
        for label, row in rows.items():
            table.add_row(
                Text(visible(source)),
                Text(visible(label), style="bold" if label == "all" else ""),
                *(_value(row[key]) for key in ("precision", "recall", "f1")),
                *(Text(str(row[key])) for key in ("matched", "suggested", "answered")),
            )
    return table

"""`annotator stats`: what is in a dataset and how fast it is being annotated."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from annotator.core.visible import visible

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


def _table(title: str, columns: list[str], rows: list[list]) -> Table:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*(Text("–" if value is None else visible(str(value))) for value in row))  # literal, never markup
    return table


def render(stats: dict, console: Console | None = None) -> None:
    console = console or Console()
    console.print(
        Text(f"{visible(stats['dataset'])}: ", style="bold")
        + Text(
            f"{stats['documents']} documents, {stats['answered_documents']} answered, {stats['reviewed_documents']} reviewed"
        )
    )
    if stats["suggestions"]:
        console.print(_table("suggestions", ["source", "documents"], [list(r) for r in stats["suggestions"].items()]))
    if stats["answers"]:
        rows = [[r["annotator"], r["answer"], r["documents"], r["per_hour"]] for r in stats["answers"]]
        console.print(
            _table(
                "answers (latest per document and annotator)", ["annotator", "answer", "documents", "per hour"], rows
            )
        )
    if stats["labels"]:
        console.print(
            _table("spans in accepted answers", ["label", "spans"], [list(r) for r in stats["labels"].items()])
        )
    if stats["per_day"]:
        rows = [[r["day"], r["annotator"], r["answers"], r["per_hour"]] for r in stats["per_day"]]
        console.print(_table("rate over time", ["day", "annotator", "answers", "per hour"], rows))

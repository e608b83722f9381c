"""`annotator stats` printed: the dataset's figures as Rich tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from annotator.core.source_quality import OUTCOMES
from annotator.core.visible import visible
from annotator.usecases.control_stats import FEW


def _table(title: str, columns: list[str], rows: list[list]) -> Table:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*(Text("–" if value is None else visible(str(value))) for value in row))  # literal, never markup
    return table


def print_stats(stats: dict, console: Console | None = None) -> None:
    """The figures of ``annotator.usecases.stats.with_rates`` as Rich tables."""
    console = console or Console()
    console.print(
        Text(f"{visible(stats['dataset'])}: ", style="bold")
        + Text(
            f"{stats['documents']} documents, {stats['answered_documents']} answered, "
            f"{stats['reviewed_documents']} reviewed"
        )
    )
    if stats["suggestions"]:
        console.print(_table("suggestions", ["source", "documents"], [list(r) for r in stats["suggestions"].items()]))
    if stats.get("sources"):
        columns = ["source", "answers", "suggested", *OUTCOMES]
        rows = [[source, *(counts.get(c, 0) for c in columns[1:])] for source, counts in stats["sources"].items()]
        console.print(_table("suggestions judged by the accepted answers (spans)", columns, rows))
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
    if stats.get("control"):
        print_control(stats["control"], console)


CONTROL_ROWS = (
    ("answers", "answers"),
    ("documents", "documents"),
    ("accepted / rejected / ignored", None),
    ("spans per accepted answer", "spans_per_accepted"),
    ("F against the suggestions (exact spans)", "f1_against_suggestions"),
    ("  matched / suggested / answered spans", None),
    ("median seconds per answer", "median_seconds"),
    ("  quartiles", None),
)


def _number(value) -> str | None:
    return None if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def _control_cell(figures: dict, key: str | None, row: str) -> str | None:
    if key is not None:
        return _number(figures[key])
    if row.startswith("accepted"):
        return f"{figures['accept']} / {figures['reject']} / {figures['ignore']}"
    if row.strip().startswith("matched"):
        return f"{figures['matched']} / {figures['suggested_spans']} / {figures['answered_spans']}"
    low, high = figures["seconds_quartiles"]
    return None if low is None else f"{low:.1f}–{high:.1f}"


def print_control(control: dict, console: Console) -> None:
    """Control documents (shown without suggestions) against suggested ones, side by side."""
    rows = [
        [row, _control_cell(control["control"], key, row), _control_cell(control["suggested"], key, row)]
        for row, key in CONTROL_ROWS
    ]
    console.print(
        _table("control: documents shown without suggestions (--control)", ["", "control", "suggested"], rows)
    )
    if control["few"]:
        console.print(Text(f"fewer than {FEW} answers in a group: differences this small say little yet"))

"""An export printed: documents per split, spans per label, what was left out, the files."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from annotator.core.split import DEV, TRAIN
from annotator.core.visible import visible
from annotator.usecases.export import Summary


def print_summary(summary: Summary, console=None) -> None:
    """Documents per split (or lines per answer), spans per label, what was left out and why."""
    console = console or Console()
    order = [TRAIN, DEV, "accept", "reject", "ignore"]
    columns = sorted(summary.documents, key=lambda c: (order.index(c) if c in order else len(order), c))
    held = f" (eval: '{summary.eval_dataset}')" if summary.eval_dataset else ""
    table = Table(
        title=Text(visible(f"export of '{summary.dataset}'{held} to {summary.out_dir}")), title_justify="left"
    )
    table.add_column("")
    for column in columns:
        table.add_column(Text(visible(column)), justify="right")
    table.add_column("total", justify="right")
    table.add_row("documents", *(str(summary.documents[c]) for c in columns), str(sum(summary.documents.values())))
    for label in sorted(summary.spans):
        counts = summary.spans[label]
        table.add_row(Text(visible(label)), *(str(counts[c]) for c in columns), str(sum(counts.values())))
    console.print(table)
    if summary.left_out:
        left = Table(title="left out", title_justify="left")
        left.add_column("why")
        left.add_column("documents", justify="right")
        for reason, count in summary.left_out.most_common():
            left.add_row(Text(visible(reason)), str(count))
        console.print(left)
    for path in summary.files:
        console.print(visible(f"wrote {path}"), markup=False, highlight=False, soft_wrap=True)
    for note in summary.notes:
        console.print(visible(note), markup=False, highlight=False, soft_wrap=True)

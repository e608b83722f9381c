"""`annotator train` printed: the dev scores of the trained pipeline as a Rich table."""

from __future__ import annotations

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from annotator.core.visible import visible
from annotator.usecases.train import TrainResult


def print_scores(result: TrainResult, console=None) -> None:
    """The trained pipeline's dev scores per label, and how to pre-highlight with it."""
    console = console or Console()

    table = Table(title=Text(visible(f"dev scores of {result.model}")), title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("label", "left"), ("precision", "right"), ("recall", "right"), ("F", "right")
    )  # fmt: skip
    for column, justify in columns:
        table.add_column(column, justify=justify)

    def cell(value) -> str:
        return "-" if value is None else f"{100 * value:.1f}"

    for label in sorted(result.per_label):
        scores = result.per_label[label]
        table.add_row(Text(visible(label)), cell(scores.get("p")), cell(scores.get("r")), cell(scores.get("f")))
    scores = result.scores
    table.add_row(
        "all", cell(scores.get("ents_p")), cell(scores.get("ents_r")), cell(scores.get("ents_f")), style="bold"
    )
    console.print(table)
    console.print(
        visible(f"pre-highlight new documents with it: annotator preannotate --model {result.model} --replace"),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )

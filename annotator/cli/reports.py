"""The commands that report: `agreement`, `stats`."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DatasetOption,
    DbOption,
    OptionalLabelsOption,
    app,
    optional_labels,
)


@app.command("agreement")
def agreement(
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: DatasetOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    sources: Annotated[
        bool, typer.Option("--sources", help="Score each suggestion source against the accepted answers instead.")
    ] = False,
) -> None:
    """How much the annotators agree: span F1, kappas, alpha, alpha-U, and where they differ
    (--sources: each suggestion source's precision, recall and F per label against the answers)."""
    from rich.console import Console

    from annotator.core.visible import json_for_terminal
    from annotator.store import Store
    from annotator.ui.agreement_tables import tables
    from annotator.usecases.agreement_report import compute
    from annotator.usecases.project import resolve_dataset

    config = optional_labels(labels)  # only orders the labels; the report needs no labels.yaml
    label_order = config.names if config else []
    if sources:
        from annotator.ui.agreement_tables import source_table
        from annotator.usecases.stats import source_scores

        with Store(db, read_only=True) as store:
            scores = source_scores(store, resolve_dataset(store, dataset))
        typer.echo(json_for_terminal(scores, indent=2)) if json_output else Console().print(source_table(scores))
        return
    with Store(db, read_only=True) as store:
        result = compute(store, resolve_dataset(store, dataset), label_order)
    if json_output:
        typer.echo(json_for_terminal(result.report, indent=2))
    else:
        Console().print(tables(result))


# -- annotator db: merge, backup, check ---------------------------------------------


@app.command("stats")
def stats(
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: DatasetOption = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Counts per label, annotator and answer; suggestions per source and what became of them
    in the answers; answers per day and per hour; control documents (--control) against the rest."""
    from annotator.cli.stats_tables import print_stats
    from annotator.core.visible import json_for_terminal
    from annotator.store import Store
    from annotator.usecases.control_stats import control_comparison
    from annotator.usecases.project import resolve_dataset
    from annotator.usecases.stats import judged_sources, with_rates

    optional_labels(labels)  # not needed; but one given with --labels must be there
    with Store(db, read_only=True) as store:
        name = resolve_dataset(store, dataset)
        figures = with_rates(store.stats(name))
        figures["sources"] = judged_sources(store, name)
        figures["control"] = control_comparison(store, name)
    if json_:
        typer.echo(json_for_terminal(figures, indent=2))
    else:
        print_stats(figures)

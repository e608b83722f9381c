"""`annotator db`: merge, backup, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DatasetOption,
    DbOption,
    app,
)
from annotator.core.visible import visible
from annotator.core.wording import counted

db_app = typer.Typer(help="Look after the store: merge, backup, check.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("merge")
def db_merge(
    other: Annotated[Path, typer.Argument(help="The store to bring in (e.g. an annotator's offline copy).")],
    db: DbOption = DEFAULT_DB,
    dataset: DatasetOption = None,
) -> None:
    """Bring documents, suggestions, answers and reviews from OTHER into this store (nothing twice)."""
    from annotator.store import Store

    with Store(db) as store:
        counts = store.merge_from(other, dataset)
    added = ", ".join(
        counted(counts[k], k.removesuffix("s")) for k in ("documents", "suggestions", "answers", "reviews")
    )
    present = ", ".join(
        counted(counts[k + "_present"], k.removesuffix("s")) for k in ("documents", "answers", "reviews")
    )
    typer.echo(visible(f"merged {other} into {db}: added {added}; already here: {present}"))


@db_app.command("backup")
def db_backup(
    out: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    db: DbOption = DEFAULT_DB,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Copy the store with SQLite's online backup (safe while people are annotating)."""
    from annotator.store import Store

    with Store(db, read_only=True) as store:
        store.backup_to(out, overwrite=force)
    typer.echo(visible(f"backed up {db} to {out}"))


@db_app.command("check")
def db_check(db: DbOption = DEFAULT_DB) -> None:
    """Check the store: SQLite integrity, every answer's document present, spans on token
    boundaries and not overlapping. Exit status 1 when anything is wrong."""
    from annotator.store import Store

    with Store(db, read_only=True) as store:
        problems = store.check()
    for problem in problems:
        typer.echo(visible(f"{db}: {problem}"))
    if problems:
        typer.echo(visible(f"{db}: {counted(len(problems), 'problem')}"), err=True)
        raise typer.Exit(1)
    typer.echo(visible(f"{db}: ok"))


# -- annotator export, annotator train --------------------------------------------------

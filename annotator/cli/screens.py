"""The commands that open a screen: bare `annotator`, `annotate`, `review`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DEFAULT_LABELS,
    AnnotatorOption,
    ControlOption,
    DatasetOption,
    DbOption,
    LabelsOption,
    LearnOption,
    OrderOption,
    OverlapOption,
    SeedOption,
    app,
)
from annotator.core.task_order import HandOut
from annotator.core.visible import visible


def say_model_notices(store, config, dataset: str) -> None:
    """Before the screen opens: what the model and patterns need (not installed, changed
    since the dataset was pre-highlighted); the screen repeats it, since it hides the console."""
    if config.model is None and config.patterns is None:
        return
    from annotator.usecases.preannotate import model_notices

    for notice in model_notices(store, config, dataset):
        print(visible(f"annotator: {notice}"), file=sys.stderr)


def learning_beside(db: Path, config, dataset: str, learn: bool | None):
    """The trainer's child process while the screen runs (``--learn``, or labels.yaml's
    ``learn:`` when the flag is not given), else nothing."""
    from contextlib import nullcontext

    if learn is False or (learn is None and config.learn is None):
        return nullcontext()
    from annotator.io.labels import DEFAULT_LEARN_EVERY
    from annotator.usecases.trainer_process import trainer_running

    return trainer_running(db, config, dataset, config.learn.every if config.learn else DEFAULT_LEARN_EVERY)


def import_demo_if_empty(store, config, labels: Path) -> bool:
    """On a store without documents, import seeds/ (next to labels.yaml) into the demo dataset,
    paragraph by paragraph, pre-highlighted, and say so; True if it did (no seeds/: the
    one-line mistake that says how to import)."""
    from annotator.usecases.project import DEMO_DATASET, import_seeds

    if store.count_documents() != 0:
        return False
    added, seeds, highlighted = import_seeds(store, config, labels)
    done = ", ".join(f"{source}: {n}" for source, n in highlighted.items()) or "no model or patterns"
    print(visible(f"annotator: imported {added} paragraphs of {seeds} into {DEMO_DATASET!r}; pre-highlighted ({done})"))
    return True


def open_demo(db: Path, labels: Path) -> None:
    """`annotator` with no sub-command: on a store without documents, import seeds/ (next to
    labels.yaml) into the demo dataset, paragraph by paragraph, pre-highlighted; then open
    the annotate screen (or, where there is none, print the stats)."""
    from annotator.store import Store
    from annotator.usecases.project import DEMO_DATASET, login_name, open_project, resolve_dataset

    store, config = open_project(db, labels)
    with store:
        imported = import_demo_if_empty(store, config, labels)
        names = store.datasets()
        dataset = DEMO_DATASET if DEMO_DATASET in names else resolve_dataset(store, None)
        if not imported:  # an import has just said what the model lacks, if anything
            say_model_notices(store, config, dataset)
    try:
        from annotator.ui.app import run_annotate
    except ImportError:  # the annotate screen is not there: say what is in the store instead
        from annotator.cli.stats_tables import print_stats
        from annotator.usecases.stats import with_rates

        with Store(db) as store:
            print_stats(with_rates(store.stats(dataset)))
        return
    with learning_beside(Path(db), config, dataset, None):
        run_annotate(Path(db), config, dataset, login_name(), overlap=1)


# -- annotator annotate ------------------------------------------------------------------


@app.command("annotate")
def annotate(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    annotator: AnnotatorOption = None,
    overlap: OverlapOption = 1,
    learn: LearnOption = None,
    order: OrderOption = "file",
    seed: SeedOption = 0,
    control: ControlOption = 0.0,
) -> None:
    """Accept or correct the pre-highlighted spans, one document at a time (the TUI)."""
    from annotator.ui.app import run_annotate
    from annotator.usecases.project import login_name, open_project, resolve_dataset

    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
        say_model_notices(store, config, name)
    with learning_beside(db, config, name, learn):
        run_annotate(db, config, name, annotator or login_name(), overlap, HandOut(order, seed, control))


# -- annotator review --------------------------------------------------------------------


@app.command("review")
def review(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Your name in the store (default: your login name).")
    ] = None,
    all_documents: Annotated[
        bool, typer.Option("--all", help="Every document answered by anyone, not only disagreements.")
    ] = False,
    min_answers: Annotated[
        int | None,
        typer.Option("--min-answers", min=1, help="Every document with at least N answers, not only disagreements."),
    ] = None,
    again: Annotated[
        bool, typer.Option("--again", help="Also documents already reviewed (the newest review counts).")
    ] = False,
    auto_accept: Annotated[
        bool,
        typer.Option("--auto-accept", help="Store documents all annotators agree on as gold without showing them."),
    ] = False,
) -> None:
    """Adjudicate: see every annotator's version of a document, settle on the gold version (the TUI)."""
    from annotator.ui.app import run_review
    from annotator.usecases.project import login_name, open_project, resolve_dataset

    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
    if all_documents and min_answers is None:
        min_answers = 1
    session = run_review(
        db, config, name, reviewer or login_name(), min_answers=min_answers, again=again, auto_accept=auto_accept
    )
    counts = ", ".join(
        f"{session.count(kind)} {word}"
        for kind, word in (("accept", "accepted"), ("reject", "rejected"), ("skip", "skipped"))
    )
    auto = f"; {session.auto_accepted} unanimous auto-accepted" if auto_accept else ""
    left = session.total - session.reviewed
    done = f"reviewed {session.reviewed} of {session.total} in '{name}': {counts}{auto}; {left} left to review"
    typer.echo(visible(f"{session.reviewer} {done}"))


# -- annotator agreement ------------------------------------------------------------------

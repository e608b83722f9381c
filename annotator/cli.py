"""The `annotator` command: one thin function per sub-command.

Each function parses its options, opens the project, and hands the work to the module
that owns it. A ``UserError`` anywhere becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from annotator.errors import UserError

app = typer.Typer(
    help="Accept or correct pre-highlighted named-entity spans; measure agreement; export spaCy data.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Look after the store: merge, backup, check.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="ANNOTATOR_DB", help="The SQLite store (default annotations.db, or $ANNOTATOR_DB)."),
]
LabelsOption = Annotated[Path, typer.Option("--labels", help="The project's labels.yaml.")]
DatasetOption = Annotated[Optional[str], typer.Option("--dataset", "-d", help="The dataset (default: the only one, or 'demo').")]
AnnotatorOption = Annotated[
    Optional[str], typer.Option("--annotator", help="Your name in the store (default: your login name).")
]
DEFAULT_DB = Path("annotations.db")
DEFAULT_LABELS = Path("labels.yaml")


def login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "annotator"


@app.callback(invoke_without_command=True)
def default(ctx: typer.Context) -> None:
    """With no sub-command: open the annotate screen on the project in this folder
    (importing seeds/ first on a new project)."""
    if ctx.invoked_subcommand is None:
        from annotator.project import open_demo

        open_demo(Path(os.environ.get("ANNOTATOR_DB", DEFAULT_DB)), DEFAULT_LABELS)


# -- annotator annotate ------------------------------------------------------------------


@app.command("annotate")
def annotate(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    annotator: AnnotatorOption = None,
    overlap: Annotated[int, typer.Option("--overlap", min=1, help="How many different annotators each document needs.")] = 1,
) -> None:
    """Accept or correct the pre-highlighted spans, one document at a time (the TUI)."""
    from annotator.project import open_project, resolve_dataset
    from annotator.ui.app import run_annotate

    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
    run_annotate(db, config, name, annotator or login_name(), overlap)


# -- annotator db: merge, backup, check ---------------------------------------------


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
    added = ", ".join(f"{counts[k]} {k}" for k in ("documents", "suggestions", "answers", "reviews"))
    present = ", ".join(f"{counts[k + '_present']} {k}" for k in ("documents", "answers", "reviews"))
    typer.echo(f"merged {other} into {db}: added {added}; already here: {present}")


@db_app.command("backup")
def db_backup(
    out: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    db: DbOption = DEFAULT_DB,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Copy the store with SQLite's online backup (safe while people are annotating)."""
    from annotator.store import Store

    with Store(db, create=False) as store:
        store.backup_to(out, overwrite=force)
    typer.echo(f"backed up {db} to {out}")


@db_app.command("check")
def db_check(db: DbOption = DEFAULT_DB) -> None:
    """Check the store: SQLite integrity, every answer's document present, spans on token
    boundaries and not overlapping. Exit status 1 when anything is wrong."""
    from annotator.store import Store

    with Store(db, create=False) as store:
        problems = store.check()
    for problem in problems:
        typer.echo(f"{db}: {problem}")
    if problems:
        typer.echo(f"{db}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{db}: ok")


# -- annotator export, annotator train --------------------------------------------------

EvalSplitOption = Annotated[float, typer.Option("--eval-split", help="Share of documents for the dev set (0..1).")]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the train/dev split (documents keep their side).")]
ConflictsOption = Annotated[
    str,
    typer.Option(
        "--conflicts",
        help="When accepting annotators disagree and nobody reviewed: review (leave out until reviewed), "
        "majority (spans more than half of them have), skip (leave out).",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the files of an earlier export in OUT_DIR.")]


def _export_setup(db: Path, labels: Path, dataset: str | None, conflicts: str):
    from annotator.core.consensus import POLICIES
    from annotator.project import resolve_dataset
    from annotator.store import Store

    if conflicts not in POLICIES:
        raise UserError(f"--conflicts must be one of {', '.join(POLICIES)} (not {conflicts!r})")
    store = Store(db, create=False)
    lang = None
    if labels.exists():
        from annotator.labels import load_labels

        lang = load_labels(labels).lang
    try:
        name = resolve_dataset(store, dataset)
    except UserError:
        store.close()
        raise
    info = store.dataset_info(name) or {}
    return store, name, info.get("lang") or lang or "en"


@app.command("export")
def export(
    out_dir: Annotated[Path, typer.Argument(help="Folder for train.spacy, dev.spacy and config.cfg (or annotations.jsonl).")],
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    eval_split: EvalSplitOption = 0.2,
    seed: SeedOption = 0,
    format: Annotated[str, typer.Option("--format", help="spacy (DocBin + config.cfg) or jsonl (Prodigy-compatible).")] = "spacy",
    conflicts: ConflictsOption = "review",
    force: ForceOption = False,
) -> None:
    """Export a dataset as spaCy training data, or as Prodigy-compatible JSONL (one line per answer)."""
    from annotator.export import export_spacy, print_summary, progress_bar
    from annotator.export_jsonl import export_jsonl

    if format not in ("spacy", "jsonl"):
        raise UserError(f"--format must be spacy or jsonl (not {format!r})")
    store, name, lang = _export_setup(db, labels, dataset, conflicts)
    with store, progress_bar("exporting", store.count_documents(name)) as advance:
        if format == "jsonl":
            summary = export_jsonl(store, name, out_dir, force=force, progress=advance)
        else:
            summary = export_spacy(
                store, name, out_dir, eval_split=eval_split, seed=seed, conflicts=conflicts, force=force, lang=lang,
                progress=advance,
            )
    print_summary(summary)
    if format == "spacy":
        typer.echo(
            f"train with: python -m spacy train {out_dir / 'config.cfg'} "
            f"--paths.train {out_dir / 'train.spacy'} --paths.dev {out_dir / 'dev.spacy'}"
        )


@app.command(
    "train",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def train(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Argument(help="Folder for the export and the trained pipeline (OUT_DIR/model).")],
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="A spaCy config.cfg to use instead of the exported one.")] = None,
    eval_split: EvalSplitOption = 0.2,
    seed: SeedOption = 0,
    conflicts: ConflictsOption = "review",
    force: ForceOption = False,
) -> None:
    """Export the dataset and train a spaCy NER pipeline on it (CPU); report the dev scores.
    Extra arguments go to spaCy as config overrides, e.g. --training.max_steps 200."""
    from annotator.export import print_summary
    from annotator.train import parse_overrides, print_scores
    from annotator.train import train as train_pipeline

    overrides = parse_overrides(ctx.args)
    store, name, lang = _export_setup(db, labels, dataset, conflicts)
    with store:
        result = train_pipeline(
            store, name, out_dir, config=config, overrides=overrides, force=force,
            eval_split=eval_split, seed=seed, conflicts=conflicts, lang=lang, on_exported=print_summary,
        )
    print_scores(result)


def main() -> None:
    try:
        app()
    except UserError as error:
        print(f"annotator: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()

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
OptionalLabelsOption = Annotated[
    Optional[Path],
    typer.Option("--labels", help="The project's labels.yaml, for the label order and language (default: labels.yaml if there is one)."),
]
DatasetOption = Annotated[Optional[str], typer.Option("--dataset", "-d", help="The dataset (default: the only one, or 'demo').")]
AnnotatorOption = Annotated[
    Optional[str], typer.Option("--annotator", help="Your name in the store (default: your login name).")
]
DEFAULT_DB = Path("annotations.db")
DEFAULT_LABELS = Path("labels.yaml")


def optional_labels(labels: Path | None):
    """labels.yaml for a command that can do without it: the default one only if it is
    there; one given with --labels must load. A LabelsConfig, or None."""
    from annotator.labels import load_labels

    if labels is None:
        if not DEFAULT_LABELS.exists():
            return None
        labels = DEFAULT_LABELS
    return load_labels(labels)


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


# -- annotator review --------------------------------------------------------------------


@app.command("review")
def review(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    reviewer: Annotated[Optional[str], typer.Option("--reviewer", help="Your name in the store (default: your login name).")] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Every document answered by anyone, not only disagreements.")] = False,
    min_answers: Annotated[
        Optional[int], typer.Option("--min-answers", min=1, help="Every document with at least N answers, not only disagreements.")
    ] = None,
    again: Annotated[bool, typer.Option("--again", help="Also documents already reviewed (the newest review counts).")] = False,
    auto_accept: Annotated[
        bool, typer.Option("--auto-accept", help="Store documents all annotators agree on as gold without showing them.")
    ] = False,
) -> None:
    """Adjudicate: see every annotator's version of a document, settle on the gold version (the TUI)."""
    from annotator.project import open_project, resolve_dataset
    from annotator.ui.app import run_review

    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
    if all_documents and min_answers is None:
        min_answers = 1
    session = run_review(
        db, config, name, reviewer or login_name(), min_answers=min_answers, again=again, auto_accept=auto_accept
    )
    counts = ", ".join(f"{session.count(kind)} {word}" for kind, word in (("accept", "accepted"), ("reject", "rejected"), ("skip", "skipped")))
    auto = f"; {session.auto_accepted} unanimous auto-accepted" if auto_accept else ""
    left = session.total - session.reviewed
    typer.echo(f"{session.reviewer} reviewed {session.reviewed} of {session.total} in {name!r}: {counts}{auto}; {left} left to review")


# -- annotator agreement ------------------------------------------------------------------


@app.command("agreement")
def agreement(
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: DatasetOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
) -> None:
    """How much the annotators agree: span F1, kappas, alpha, alpha-U, and where they differ."""
    from rich.console import Console

    from annotator.agreement_report import compute, tables, to_json
    from annotator.project import resolve_dataset
    from annotator.store import Store

    config = optional_labels(labels)  # only orders the labels; the report needs no labels.yaml
    label_order = config.names if config else []
    with Store(db, create=False) as store:
        result = compute(store, resolve_dataset(store, dataset), label_order)
    if json_output:
        typer.echo(to_json(result))
    else:
        Console().print(tables(result))


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
DEFAULT_EXPORTS = Path("exports")


def _export_setup(db: Path, labels: Path | None, dataset: str | None, conflicts: str):
    from annotator.core.consensus import POLICIES
    from annotator.project import resolve_dataset
    from annotator.store import Store

    if conflicts not in POLICIES:
        raise UserError(f"--conflicts must be one of {', '.join(POLICIES)} (not {conflicts!r})")
    config = optional_labels(labels)  # before the store opens: a broken labels.yaml leaves it untouched
    lang = config.lang if config else None
    store = Store(db, create=False)
    try:
        name = resolve_dataset(store, dataset)
    except UserError:
        store.close()
        raise
    info = store.dataset_info(name) or {}
    return store, name, info.get("lang") or lang or "en"


@app.command("export")
def export(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder for train.spacy, dev.spacy and config.cfg (or annotations.jsonl).")
    ] = DEFAULT_EXPORTS,
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
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
            f"train with: python -m spacy train {out_dir / 'config.cfg'} --output {out_dir / 'model'} "
            f"--paths.train {out_dir / 'train.spacy'} --paths.dev {out_dir / 'dev.spacy'}"  # without --output nothing is saved
        )


@app.command(
    "train",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    options_metavar="[OUT_DIR] [OPTIONS] [--section.key VALUE]...",
)
def train(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: DatasetOption = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="A spaCy config.cfg to use instead of the exported one.")] = None,
    eval_split: EvalSplitOption = 0.2,
    seed: SeedOption = 0,
    conflicts: ConflictsOption = "review",
    force: ForceOption = False,
) -> None:
    """Export the dataset and train a spaCy NER pipeline on it (CPU); report the dev scores.
    OUT_DIR (default exports) gets the export and the trained pipeline (OUT_DIR/model).
    Other arguments go to spaCy as config overrides, e.g. --training.max_steps 200."""
    from annotator.export import print_summary
    from annotator.train import parse_overrides, print_scores, split_arguments
    from annotator.train import train as train_pipeline

    # OUT_DIR is read here, not by Click, which would take "--training.max_steps" for it.
    out_dir, override_args = split_arguments(ctx.args)
    out_dir = Path(out_dir) if out_dir else DEFAULT_EXPORTS
    overrides = parse_overrides(override_args)
    store, name, lang = _export_setup(db, labels, dataset, conflicts)
    with store:
        result = train_pipeline(
            store, name, out_dir, config=config, overrides=overrides, force=force,
            eval_split=eval_split, seed=seed, conflicts=conflicts, lang=lang, on_exported=print_summary,
        )
    print_scores(result)


# -- annotator init, import, preannotate, stats -------------------------------------------

FORMAT_HELP = (
    "auto (from the extension, else the content), text, jsonl (text/meta/id; Prodigy and doccano lines "
    "are recognised), prodigy, doccano, spacy (.spacy DocBin) or conll (CoNLL-2003 columns or IOB)."
)
SPLIT_HELP = "Plain text only: none (a file is a document), paragraph (blank-line separated) or sentence."


@app.command("init")
def init(folder: Annotated[Path, typer.Argument(help="The project folder to make (may exist).")] = Path(".")) -> None:
    """Make a project folder with a labels.yaml to edit (labels, keys, colours, model, patterns)."""
    from annotator.project import init_project

    labels = init_project(folder)
    typer.echo(f"wrote {labels}: edit the labels, then `annotator import PATH --dataset NAME` in {folder}")


def _choose_import_dataset(store, dataset: str | None) -> str:
    if dataset:
        return dataset
    from annotator.project import resolve_dataset

    if not store.datasets():
        raise UserError("give the dataset to import into with --dataset NAME")
    return resolve_dataset(store, None)


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import (folders: every file in them).")],
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: Annotated[Optional[str], typer.Option("--dataset", "-d", help="The dataset to add to (made if new).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "auto",
    split: Annotated[str, typer.Option("--split", help=SPLIT_HELP)] = "paragraph",
    annotator: Annotated[
        Optional[str],
        typer.Option("--annotator", help="Whose answers the file's spans are, when a line names nobody (Prodigy "
                     "lines with an answer but no _annotator_id/_session_id; --as-answers)."),
    ] = None,
    as_answers: Annotated[
        bool, typer.Option("--as-answers", help="Store the file's spans (DocBin, CoNLL, doccano) as accepted answers of --annotator, not as suggestions.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good lines and report each bad one, instead of importing nothing.")
    ] = False,
    preannotate: Annotated[
        bool, typer.Option("--preannotate/--no-preannotate", help="Pre-highlight new documents with labels.yaml's model and patterns.")
    ] = True,
) -> None:
    """Add documents to a dataset (the same text twice is stored once). One transaction:
    a bad line imports nothing, and the error names the file and line."""
    from annotator.importer import import_files
    from annotator.io import FORMATS, expand_paths
    from annotator.io.text import SPLITS
    from annotator.project import open_project

    if format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)} (not {format!r})")
    if split not in SPLITS:
        raise UserError(f"--split must be one of {', '.join(SPLITS)} (not {split!r})")
    if as_answers and not annotator:
        raise UserError("--as-answers needs --annotator NAME (whose answers they are)")
    files = expand_paths(paths)  # a missing file fails before the store is touched
    store, config = open_project(db, labels)
    with store:
        name = _choose_import_dataset(store, dataset)
        result, highlighted = import_files(
            store, config, files, name, format, split, annotator, as_answers, skip_invalid, highlight=preannotate
        )
    for problem in result.skipped:
        typer.echo(f"skipped {problem}", err=True)
    typer.echo(
        f"{name}: {result.added} new documents, {result.present} already there, {result.answers} answers, "
        f"{result.suggestions} suggestions from {result.files} file(s); {len(result.skipped)} skipped"
    )
    for source, count in highlighted.items():
        typer.echo(f"{name}: pre-highlighted {count} documents with {source}")


@app.command("preannotate")
def preannotate(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="spaCy pipeline (name or path); default: labels.yaml's model.")] = None,
    patterns: Annotated[Optional[Path], typer.Option("--patterns", help="EntityRuler patterns JSONL; default: labels.yaml's patterns.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Redo the suggestions of every document nobody has answered yet.")] = False,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Processes for nlp.pipe (use every core on large corpora).")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per nlp.pipe batch.")] = 256,
) -> None:
    """Pre-highlight spans with a spaCy pipeline and/or patterns; stored per source
    ("en_core_web_sm 3.8.0", "patterns"). Fills in documents without suggestions from that source."""
    from annotator.preannotate import load_highlighters
    from annotator.preannotate import preannotate as run
    from annotator.project import open_project, resolve_dataset

    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
        highlighters = load_highlighters(config, model, str(patterns) if patterns else None)
        if not highlighters:
            raise UserError(f"{labels}: nothing to pre-highlight with; name a model or patterns (or give --model/--patterns)")
        done = run(store, config, name, highlighters, replace=replace, n_process=n_process, batch_size=batch_size)
    for source, count in done.items():
        typer.echo(f"{name}: pre-highlighted {count} documents with {source}")


@app.command("stats")
def stats(
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: DatasetOption = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Counts per label, annotator and answer; suggestions per source; answers per day and per hour."""
    import json

    from annotator.project import resolve_dataset
    from annotator.stats import render, with_rates
    from annotator.store import Store

    optional_labels(labels)  # not needed; but one given with --labels must be there
    with Store(db, create=False) as store:
        figures = with_rates(store.stats(resolve_dataset(store, dataset)))
    if json_:
        typer.echo(json.dumps(figures, indent=2))
    else:
        render(figures)


def usage_error_line(error) -> str:
    """A Click usage error as one plain line (Typer would draw a boxed panel)."""
    message = " ".join(error.format_message().split()).rstrip(".")
    ctx = getattr(error, "ctx", None)
    return f"{message} (see `{ctx.command_path} --help`)" if ctx is not None else message


def main() -> None:
    try:  # Typer 0.2x carries its own copy of Click; older ones use Click itself
        from typer._click import exceptions as click_errors
    except ImportError:
        from click import exceptions as click_errors

    try:
        # Not standalone: Click's usage errors come here, to be said in one line.
        code = app(standalone_mode=False, prog_name="annotator")
    except click_errors.NoArgsIsHelpError as error:  # `annotator db`: the help, as Click prints it
        error.show()
        sys.exit(error.exit_code)
    except click_errors.ClickException as error:  # bad option values, missing arguments: exit 2 as Click does
        print(f"annotator: {usage_error_line(error)}", file=sys.stderr)
        sys.exit(error.exit_code)
    except typer.Abort:  # Click's own Abort in older Typer
        print("annotator: aborted", file=sys.stderr)
        sys.exit(1)
    except UserError as error:
        print(f"annotator: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)  # typer.Exit(n) returns n here


if __name__ == "__main__":
    main()

"""The commands that write training data: `export`, `train`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DatasetOption,
    DbOption,
    OptionalLabelsOption,
    app,
    choice_option,
    dataset_name,
    optional_labels,
)
from annotator.core.consensus import POLICIES
from annotator.core.errors import UserError
from annotator.core.visible import visible


def _eval_split_range(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value < 1.0:
        raise typer.BadParameter(f"{value} is not at least 0 and below 1")
    return value


EvalSplitOption = Annotated[
    float | None,
    typer.Option(
        "--eval-split",
        callback=_eval_split_range,
        help="Share of the dataset's documents for the dev set, at least 0 and below 1 "
        "(default 0.2; 0 with an eval dataset; 0 alone: everything in train, no dev file).",
    ),
]
EvalDatasetOption = Annotated[
    str | None,
    typer.Option(
        "--eval-dataset",
        callback=dataset_name,
        help="A fixed evaluation dataset: dev whole (also "
        "--dataset NAME,eval:EVAL, as Prodigy's data-to-spacy); a text in both is kept out of train.",
    ),
]
DEFAULT_EVAL_SPLIT = 0.2
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the train/dev split (documents keep their side).")]
ConflictsOption = Annotated[
    str,
    choice_option(
        "--conflicts",
        choices=POLICIES,
        help="When accepting annotators disagree and nobody reviewed: review (leave out until reviewed), "
        "majority (spans more than half of them have), skip (leave out).",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the files of an earlier export in OUT_DIR.")]
DEFAULT_EXPORTS = Path("exports")
EXPORT_FORMATS = ("spacy", "jsonl", "conll")


def eval_form(dataset: str | None, eval_dataset: str | None) -> tuple[str | None, str | None]:
    """(training dataset, eval dataset) from ``--dataset NAME,eval:EVAL`` (Prodigy's
    data-to-spacy spelling, either order) and ``--eval-dataset``."""
    if dataset is None or "eval:" not in dataset:
        return dataset, eval_dataset
    parts = [part.strip() for part in dataset.split(",")]
    held = [part[len("eval:") :] for part in parts if part.startswith("eval:")]
    train = [part for part in parts if not part.startswith("eval:")]
    if eval_dataset is not None:
        raise UserError(
            f"--dataset {dataset!r} names an eval dataset and so does --eval-dataset: give the eval dataset once"
        )
    if len(held) != 1 or len(train) != 1 or not held[0] or not train[0]:
        raise UserError(f"--dataset {dataset!r}: give one dataset and one eval dataset, as NAME,eval:EVAL")
    return train[0], held[0]


def eval_settings(eval_split: float | None, eval_dataset: str | None) -> float:
    """The eval split: 0.2 by default, 0 by default beside a fixed eval dataset."""
    from annotator.usecases.export import check_eval_split

    if eval_split is None:
        return 0.0 if eval_dataset else DEFAULT_EVAL_SPLIT
    check_eval_split(eval_split)
    return eval_split


def _export_setup(db: Path, labels: Path | None, dataset: str | None, conflicts: str, eval_dataset: str | None = None):
    from annotator.store import Store
    from annotator.usecases.project import resolve_dataset

    config = optional_labels(labels)  # before the store opens: a broken labels.yaml leaves it untouched
    lang = config.lang if config else None
    store = Store(db, read_only=True)
    try:
        name = resolve_dataset(store, dataset)
        if eval_dataset is not None:
            resolve_dataset(store, eval_dataset)
            if eval_dataset == name:
                raise UserError(f"--eval-dataset must name another dataset than --dataset ({name!r})")
    except UserError:
        store.close()
        raise
    info = store.dataset_info(name) or {}
    return store, name, info.get("lang") or lang or "en"


@app.command("export")
def export(
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder for train.spacy, dev.spacy and config.cfg "
            "(or annotations.jsonl, or train.conll and dev.conll)."
        ),
    ] = DEFAULT_EXPORTS,
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            "-d",
            callback=dataset_name,
            help="The dataset (default: the only one, or 'demo'); NAME,eval:EVAL also names the eval dataset.",
        ),
    ] = None,
    eval_dataset: EvalDatasetOption = None,
    eval_split: EvalSplitOption = None,
    seed: SeedOption = 0,
    format: Annotated[
        str,
        choice_option(
            "--format",
            choices=EXPORT_FORMATS,
            help="spacy (DocBin + config.cfg), jsonl (Prodigy-compatible) or conll (CoNLL-2003, IOB tags).",
        ),
    ] = "spacy",
    conflicts: ConflictsOption = "review",
    force: ForceOption = False,
) -> None:
    """Export a dataset as spaCy training data, as Prodigy-compatible JSONL (one line per answer),
    or as CoNLL-2003 train/dev files."""
    from annotator.cli.export_summary import print_summary
    from annotator.cli.progress import progress_bar
    from annotator.usecases.export import export_conll, export_jsonl, export_spacy

    dataset, eval_dataset = eval_form(dataset, eval_dataset)
    if format == "jsonl" and eval_dataset is not None:
        raise UserError(
            "--format jsonl writes one dataset's answers, with no split: export the eval dataset with its own --dataset"
        )
    eval_split = eval_settings(eval_split, eval_dataset)
    store, name, lang = _export_setup(db, labels, dataset, conflicts, eval_dataset)
    total = store.count_documents(name) + (store.count_documents(eval_dataset) if eval_dataset else 0)
    with store, progress_bar("exporting", total, transient=True) as advance:
        if format == "jsonl":
            summary = export_jsonl(store, name, out_dir, force=force, progress=advance)
        elif format == "conll":
            summary = export_conll(
                store,
                name,
                out_dir,
                eval_dataset=eval_dataset,
                eval_split=eval_split,
                seed=seed,
                conflicts=conflicts,
                force=force,
                progress=advance,
            )
        else:
            summary = export_spacy(
                store,
                name,
                out_dir,
                eval_dataset=eval_dataset,
                eval_split=eval_split,
                seed=seed,
                conflicts=conflicts,
                force=force,
                lang=lang,
                progress=advance,
            )
    print_summary(summary)
    if format == "spacy" and (out_dir / "dev.spacy") in summary.files:
        command = (  # without --output nothing is saved
            f"python -m spacy train {out_dir / 'config.cfg'} --output {out_dir / 'model'} "
            f"--paths.train {out_dir / 'train.spacy'} --paths.dev {out_dir / 'dev.spacy'}"
        )
        typer.echo(visible(f"train with: {command}"))


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
    config: Annotated[
        Path | None, typer.Option("--config", help="A spaCy config.cfg to use instead of the exported one.")
    ] = None,
    eval_dataset: EvalDatasetOption = None,
    eval_split: EvalSplitOption = None,
    seed: SeedOption = 0,
    conflicts: ConflictsOption = "review",
    force: ForceOption = False,
) -> None:
    """Export the dataset and train a spaCy NER pipeline on it (CPU); report the dev scores.
    OUT_DIR (default exports) gets the export and the trained pipeline (OUT_DIR/model).
    Other arguments go to spaCy as config overrides, e.g. --training.max_steps 200."""
    from annotator.cli.export_summary import print_summary
    from annotator.cli.train_arguments import parse_overrides, split_arguments
    from annotator.cli.train_scores import print_scores
    from annotator.usecases.train import train as train_pipeline

    # OUT_DIR is read here, not by Click, which would take "--training.max_steps" for it.
    given, override_args = split_arguments(ctx.args)
    out_dir = Path(given) if given else DEFAULT_EXPORTS
    overrides = parse_overrides(override_args)
    dataset, eval_dataset = eval_form(dataset, eval_dataset)
    eval_split = eval_settings(eval_split, eval_dataset)
    if eval_split == 0 and eval_dataset is None:
        raise UserError(
            "--eval-split 0 leaves no dev set, and spaCy's training needs one: "
            "give --eval-dataset NAME or an --eval-split above 0"
        )
    store, name, lang = _export_setup(db, labels, dataset, conflicts, eval_dataset)
    with store:
        result = train_pipeline(
            store,
            name,
            out_dir,
            config=config,
            overrides=overrides,
            force=force,
            eval_dataset=eval_dataset,
            eval_split=eval_split,
            seed=seed,
            conflicts=conflicts,
            lang=lang,
            on_exported=print_summary,
        )
    print_scores(result)


# -- annotator init, import, preannotate, stats -------------------------------------------

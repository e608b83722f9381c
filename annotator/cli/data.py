"""The commands that write training data: `export`, `train`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DatasetOption,
    DbOption,
    OptionalLabelsOption,
    app,
    optional_labels,
)
from annotator.core.visible import visible
from annotator.errors import UserError

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
    store = Store(db, read_only=True)
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
        Path, typer.Argument(help="Folder for train.spacy, dev.spacy and config.cfg (or annotations.jsonl, or train.conll and dev.conll).")
    ] = DEFAULT_EXPORTS,
    db: DbOption = DEFAULT_DB,
    labels: OptionalLabelsOption = None,
    dataset: DatasetOption = None,
    eval_split: EvalSplitOption = 0.2,
    seed: SeedOption = 0,
    format: Annotated[
        str, typer.Option("--format", help="spacy (DocBin + config.cfg), jsonl (Prodigy-compatible) or conll (CoNLL-2003, IOB tags).")
    ] = "spacy",
    conflicts: ConflictsOption = "review",
    force: ForceOption = False,
) -> None:
    """Export a dataset as spaCy training data, as Prodigy-compatible JSONL (one line per answer),
    or as CoNLL-2003 train/dev files."""
    from annotator.export import export_spacy, print_summary
    from annotator.export_conll import export_conll
    from annotator.export_jsonl import export_jsonl
    from annotator.progress import progress_bar

    if format not in ("spacy", "jsonl", "conll"):
        raise UserError(f"--format must be spacy, jsonl or conll (not {format!r})")
    store, name, lang = _export_setup(db, labels, dataset, conflicts)
    with store, progress_bar("exporting", store.count_documents(name), transient=True) as advance:
        if format == "jsonl":
            summary = export_jsonl(store, name, out_dir, force=force, progress=advance)
        elif format == "conll":
            summary = export_conll(
                store, name, out_dir, eval_split=eval_split, seed=seed, conflicts=conflicts, force=force, progress=advance
            )
        else:
            summary = export_spacy(
                store, name, out_dir, eval_split=eval_split, seed=seed, conflicts=conflicts, force=force, lang=lang,
                progress=advance,
            )
    print_summary(summary)
    if format == "spacy":
        command = (
            f"python -m spacy train {out_dir / 'config.cfg'} --output {out_dir / 'model'} "
            f"--paths.train {out_dir / 'train.spacy'} --paths.dev {out_dir / 'dev.spacy'}"  # without --output nothing is saved
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

"""Opening a project: the store and labels.yaml together, and the dataset to work on."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.visible import visible
from annotator.io.labels import LabelsConfig, load_labels
from annotator.store import Store

DEMO_DATASET = "demo"


def open_project(db: Path, labels: Path, create: bool = True) -> tuple[Store, LabelsConfig]:
    """Load labels.yaml (validated) and open the store. Labels first: a broken labels.yaml
    must not leave a new empty store file behind."""
    config = load_labels(labels)
    return Store(db, create=create), config


def resolve_dataset(store: Store, dataset: str | None) -> str:
    """The dataset asked for, or the only one in the store; a clear error otherwise."""
    names = store.datasets()
    if dataset is not None:
        if dataset not in names:
            known = ", ".join(names) or "none yet; run `annotator import`"
            raise UserError(f"{store.path}: no dataset {dataset!r} (datasets: {known})")
        return dataset
    if len(names) == 1:
        return names[0]
    if not names:
        raise UserError(f"{store.path}: the store has no documents yet; run `annotator import PATH --dataset NAME`")
    raise UserError(f"{store.path}: several datasets ({', '.join(names)}); choose one with --dataset")


def say_model_notices(store: Store, config: LabelsConfig, dataset: str) -> None:
    """Before the screen opens: what the model and patterns need (not installed, changed
    since the dataset was pre-highlighted); the screen repeats it, since it hides the console."""
    import sys

    if config.model is None and config.patterns is None:
        return
    from annotator.usecases.preannotate import model_notices

    for notice in model_notices(store, config, dataset):
        print(visible(f"annotator: {notice}"), file=sys.stderr)


def init_project(folder: Path) -> Path:
    """A new project folder with a labels.yaml to edit; returns the labels.yaml path."""
    from importlib.resources import files

    folder = Path(folder)
    labels = folder / "labels.yaml"
    if labels.exists():
        raise UserError(f"{labels}: already exists; edit it, or choose another folder")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    labels.write_text(
        files("annotator").joinpath("templates/labels.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return labels


def open_demo(db: Path, labels: Path) -> None:
    """`annotator` with no sub-command: on a store without documents, import seeds/ (next to
    labels.yaml) into the demo dataset, paragraph by paragraph, pre-highlighted; then open
    the annotate screen (or, where there is none, print the stats)."""
    from annotator.usecases.importer import import_files

    store, config = open_project(db, labels)
    with store:
        imported = store.count_documents() == 0
        if imported:
            seeds = Path(labels).parent / "seeds"
            if not seeds.is_dir():
                raise UserError(f"{store.path}: no documents yet; run `annotator import PATH --dataset NAME`")
            result, highlighted = import_files(store, config, [seeds], DEMO_DATASET, split="paragraph")
            done = ", ".join(f"{source}: {n}" for source, n in highlighted.items()) or "no model or patterns"
            print(
                visible(
                    f"annotator: imported {result.added} paragraphs of {seeds} into {DEMO_DATASET!r}; pre-highlighted ({done})"
                )
            )
        names = store.datasets()
        dataset = DEMO_DATASET if DEMO_DATASET in names else resolve_dataset(store, None)
        if not imported:  # an import has just said what the model lacks, if anything
            say_model_notices(store, config, dataset)
    try:
        from annotator.ui.app import run_annotate
    except ImportError:  # the annotate screen is not there: say what is in the store instead
        from annotator.usecases.stats import render, with_rates

        with Store(db) as store:
            render(with_rates(store.stats(dataset)))
        return
    from annotator.cli import login_name

    run_annotate(Path(db), config, dataset, login_name(), overlap=1)

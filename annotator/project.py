"""Opening a project: the store and labels.yaml together, and the dataset to work on."""

from __future__ import annotations

from pathlib import Path

from annotator.errors import UserError
from annotator.labels import LabelsConfig, load_labels
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

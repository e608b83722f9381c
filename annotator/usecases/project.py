"""Opening a project: the store and labels.yaml together, and the dataset to work on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import UserError
from annotator.io.labels import LabelsConfig, load_labels

if TYPE_CHECKING:  # the type only: the review screens import login_name from here
    from annotator.store import Store

DEMO_DATASET = "demo"
FALLBACK_NAME = "annotator"  # who works when the system has no login name


def open_project(
    db: Path, labels: Path, create: bool = True, patterns_needed: bool = True
) -> tuple[Store, LabelsConfig]:
    """Load labels.yaml (validated) and open the store. Labels first: a broken labels.yaml
    must not leave a new empty store file behind."""
    from annotator.store import Store

    config = load_labels(labels)
    if create and patterns_needed and not Path(db).exists():
        _check_patterns_exist(config, labels)  # said later, it would leave the new store behind
    return Store(db, create=create), config


def _check_patterns_exist(config: LabelsConfig, labels: Path) -> None:
    """The patterns file labels.yaml names is there, else the one-line mistake saying where."""
    patterns = config.resolve(config.patterns)
    if patterns is not None and not Path(patterns).exists():
        raise UserError(f"{labels}: patterns: {config.patterns}: no such patterns file (looked in {config.base_dir})")


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


def login_name() -> str:
    """Who is working, when no --annotator or --reviewer names them: the login name, or
    "annotator" where there is none (some containers have no user name)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # getpass raises OSError, or KeyError from pwd, when nothing names the user
        return FALLBACK_NAME


def seeds_folder(labels: Path) -> Path:
    """Where a project keeps its demo's texts: ``seeds/`` next to labels.yaml."""
    return Path(labels).parent / "seeds"


def import_seeds(store: Store, config: LabelsConfig, labels: Path) -> tuple[int, Path, dict[str, int]]:
    """A new project's demo: ``seeds/`` (next to labels.yaml) imported into the demo dataset,
    paragraph by paragraph, pre-highlighted. (paragraphs added, the folder, suggestions per source)"""
    from annotator.usecases.importer import import_files

    seeds = seeds_folder(labels)
    if not seeds.is_dir():
        raise UserError(f"{store.path}: no documents yet; run `annotator import PATH --dataset NAME`")
    result, highlighted = import_files(store, config, [seeds], DEMO_DATASET, split="paragraph")
    return result.added, seeds, highlighted

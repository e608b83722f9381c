"""The learned models of one store and dataset, in files of ours beside the store.

``.annotator/learned/<store>-<dataset>/`` holds one folder per model the trainer kept
(``1/``, ``2/``... each a spaCy pipeline in ``model/`` and its ``meta.json``: k, trained
on, held out, F1 before and after), ``state.json`` (how many answers the last round saw,
so a restarted trainer does not train again on the same answers) and ``trainer.lock``,
held with ``fcntl.flock`` by the one trainer of this store and dataset: the kernel lets it
go when that process ends, however it ends, so a lock is never left stale.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import srsly

from annotator.core.suggestions import LEARNED_SOURCE

MODEL_FOLDER = "model"


@dataclass(frozen=True)
class LearnedMeta:
    """What is known of a kept model: written once, beside it, as meta.json."""

    k: int
    trained_on: int  # answers it was trained on
    held_out: int  # answers it was scored on
    f1_before: float  # the suggestions it replaces, on the same held-out answers
    f1_after: float
    answers: int  # accepted answers in the dataset when it was trained
    seconds: float  # training and scoring, wall clock

    @property
    def source(self) -> str:
        return f"{LEARNED_SOURCE} {self.k}"

    def summary(self) -> str:
        """One line for the status bar and the trainer's log."""
        return f"{self.source}: F {self.f1_after:.2f} on {self.held_out} held-out answers, trained on {self.trained_on}"


def learned_folder(store_path: Path, dataset: str) -> Path:
    """The folder of this store's and dataset's models. The hash keeps two datasets whose
    names differ only in characters a file name cannot hold apart."""
    store_path = Path(store_path).resolve()
    readable = re.sub(r"[^\w.-]+", "_", f"{store_path.stem}-{dataset}")[:80]
    digest = hashlib.blake2b(f"{store_path.name}\0{dataset}".encode(), digest_size=4).hexdigest()
    return store_path.parent / ".annotator" / LEARNED_SOURCE / f"{readable}-{digest}"


class TrainerBusy(Exception):
    """Another process is the trainer of this store and dataset."""


@contextmanager
def trainer_lock(folder: Path, wait: bool = False) -> Iterator[None]:
    """Be the one trainer of ``folder``'s store and dataset while inside; TrainerBusy if
    another process is (or, with ``wait``, block until it ends)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "trainer.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise TrainerBusy(str(folder)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def answers_seen(folder: Path) -> int:
    """Accepted answers the last round trained on (0 before the first)."""
    state = folder / "state.json"
    return int(srsly.read_json(state).get("answers_seen", 0)) if state.exists() else 0


def remember_answers_seen(folder: Path, count: int) -> None:
    write_json_atomically(folder / "state.json", {"answers_seen": count})


def write_json_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    srsly.write_json(temporary, data)
    os.replace(temporary, path)


def kept_models(folder: Path) -> list[LearnedMeta]:
    """The kept models, oldest first (folders without a meta.json are half-written: skipped)."""
    metas = []
    for meta_path in folder.glob("*/meta.json") if folder.is_dir() else ():
        if meta_path.parent.name.isdigit():
            metas.append(LearnedMeta(**srsly.read_json(meta_path)))
    return sorted(metas, key=lambda meta: meta.k)


def newest_model(folder: Path) -> LearnedMeta | None:
    models = kept_models(folder)
    return models[-1] if models else None


def model_path(folder: Path, k: int) -> Path:
    return folder / str(k) / MODEL_FOLDER


def keep_model(folder: Path, nlp, meta: LearnedMeta) -> Path:
    """Save the pipeline and its meta.json as model ``meta.k``: written aside, then moved
    into place, so a reader sees a whole model or none."""
    folder.mkdir(parents=True, exist_ok=True)
    aside = Path(tempfile.mkdtemp(dir=folder, prefix=f".{meta.k}."))
    try:
        nlp.to_disk(aside / MODEL_FOLDER)
        srsly.write_json(aside / "meta.json", asdict(meta))
        os.replace(aside, folder / str(meta.k))
    except BaseException:
        shutil.rmtree(aside, ignore_errors=True)
        raise
    return folder / str(meta.k)


def read_meta(folder: Path, k: int) -> LearnedMeta | None:
    """Model k's meta.json, or None if it is not (or not yet wholly) there."""
    path = folder / str(k) / "meta.json"
    return LearnedMeta(**srsly.read_json(path)) if path.exists() else None


def remember_ranked(folder: Path, source: str) -> None:
    """``source`` has re-highlighted the documents with their confidences: the uncertain
    order may rank by it now (not before: half its confidences would rank half the documents)."""
    write_json_atomically(folder / "ranked.json", {"source": source})


def ranked_source(folder: Path) -> str | None:
    """The newest learned source whose confidences are all stored, or None."""
    path = folder / "ranked.json"
    return str(srsly.read_json(path)["source"]) if path.exists() else None

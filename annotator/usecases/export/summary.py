"""What an export wrote and left out, for the report at the end; and the check that it
wrote enough to train on."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.split import DEV, TRAIN
from annotator.store import Store


@dataclass
class Summary:
    """What an export wrote and what it left out, for the report at the end."""

    dataset: str
    out_dir: Path
    eval_dataset: str | None = None
    notes: list[str] = field(default_factory=list)  # said after the tables (no dev set written)
    files: list[Path] = field(default_factory=list)
    documents: Counter = field(default_factory=Counter)  # side (or answer) -> documents (or lines)
    spans: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # label -> side -> spans
    left_out: Counter = field(default_factory=Counter)  # reason -> documents


def check_sides(store: Store, summary: Summary, wants_dev: bool) -> None:
    """Bad stored spans may take the last document of a side."""
    if not summary.documents[TRAIN] or (wants_dev and not summary.documents[DEV]):
        raise UserError(f"{store.path}: too few good documents for a train and a dev set; run `annotator db check`")

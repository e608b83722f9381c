"""A small dataset a NER model can learn from context ("took X", "on X"), with patterns
that know only one of the drug names: a real store and a real labels.yaml for the trainer."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.spans import Span
from annotator.io.labels import load_labels
from tests.helpers.stores import open_store

DRUGS = ("aspirin", "ibuprofen", "codeine", "morphine", "valium", "xanax", "tramadol", "insulin")
FRAMES = (
    "i took {} yesterday and slept",
    "my doctor gave me {} for the pain",
    "never mix {} with alcohol please",
    "she was on {} for two weeks",
    "how much {} is too much",
)
KNOWN = "aspirin"  # the only drug the patterns know


def drug_texts(count: int) -> list[tuple[str, Span]]:
    """``count`` distinct texts, each with its one DRUG span."""
    out = []
    for n in range(count):
        frame, drug = FRAMES[n % len(FRAMES)], DRUGS[(n // len(FRAMES) + n) % len(DRUGS)]
        text = f"{frame.format(drug)} {n}"  # the number keeps the texts apart
        start = text.index(drug)
        out.append((text, Span(start, start + len(drug), "DRUG")))
    return out


def drug_project(folder: Path, count: int = 60, patterns: tuple[str, ...] = (KNOWN,), model: str | None = None):
    """(store, config, ids, gold spans by id): a store of ``count`` drug texts, none answered."""
    pattern_file = folder / "patterns.jsonl"
    pattern_file.write_text("".join(json.dumps({"label": "DRUG", "pattern": p}) + "\n" for p in patterns))
    labels = folder / "labels.yaml"
    labels.write_text(
        f"lang: en\nmodel: {model or 'null'}\npatterns: patterns.jsonl\nlabels:\n  - name: DRUG\n    key: '1'\n"
    )
    texts = drug_texts(count)
    store, ids = open_store(folder / "drugs.db", [text for text, _ in texts], dataset="drugs", labels=("DRUG",))
    return store, load_labels(labels), ids, {i: (span,) for i, (_, span) in zip(ids, texts, strict=True)}


def answer_all(store, gold: dict[int, tuple[Span, ...]], ids: list[int], annotator: str = "ann") -> None:
    for document in ids:
        store.add_answer(document, annotator, "accept", gold[document], started_at=0.0, answered_at=1.0)

"""Helpers for the importer tests: a project's labels and real files in each format."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.io.labels import load_labels
from annotator.store import Store
from annotator.usecases.importer import Importer
from tests.helpers.paths import LABELS_YAML

TEXT_A = "Ahmed al-Sharaa met officials in Damascus on Thursday."
TEXT_B = "Iraq sent 1,905 soldiers back to Syria."


def labels_config(tmp_path: Path, model: str | None = None, patterns: str | None = None):
    text = LABELS_YAML.read_text(encoding="utf-8")
    text = text.replace("model: en_core_web_sm", f"model: {model or 'null'}")
    text = text.replace("patterns: patterns.jsonl", f"patterns: {patterns or 'null'}")
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    return load_labels(path)


def run_import(store: Store, config, paths, dataset: str = "news", **options):
    fmt, split = options.pop("fmt", "auto"), options.pop("split", "paragraph")
    return Importer(store, config, dataset, **options).run([Path(p) for p in paths], fmt, split)


def prodigy_line(text: str, spans, answer=None, **extra) -> dict:
    """A Prodigy task with spaCy's tokens, as Prodigy writes them."""
    import spacy

    doc = spacy.blank("en").make_doc(text)
    tokens = [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i, "ws": bool(t.whitespace_)} for t in doc
    ]
    out = []
    for phrase, label in spans:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase))
        out.append(
            {
                "start": start,
                "end": start + len(phrase),
                "label": label,
                "token_start": span.start,
                "token_end": span.end - 1,
            }
        )
    line = {
        "text": text,
        "tokens": tokens,
        "spans": out,
        "_input_hash": 1,
        "_task_hash": 2,
        "meta": {"source": "wire"},
        **extra,
    }
    if answer:
        line["answer"] = answer
    return line


def write_jsonl(path: Path, lines) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path

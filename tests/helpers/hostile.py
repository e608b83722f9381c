"""A project whose every field is full of what steers a terminal: OSC (window title), CSI
(clear screen), BEL, C1 (a one-byte CSI), right-to-left overrides and isolates, and Rich
markup; and the check that none of it reaches a terminal raw."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import srsly

# In names and texts; FILE has no "/" (a file name cannot).
EVIL = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\x85\u202eevil\u2066[bold]b[/]"
FILE = "f\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202efile[red]"
DATASET = "d" + EVIL
ANNOTATORS = ("ana" + EVIL, "ben" + EVIL)
LABELS = ("PER" + EVIL, "LOC" + EVIL)
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def raw_controls(output: str) -> list[str]:
    """Characters in ``output`` a terminal would act on (newlines and tabs aside), or that
    reorder text; also U+FFFD, a byte that was not UTF-8."""
    return sorted(
        {c for c in output if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in BIDI or c == "\ufffd"}
    )


def labels_yaml(patterns: str | None = None) -> str:
    lines = ["lang: en", "model: null", f"patterns: {json.dumps(patterns)}", "labels:"]
    for key, name in enumerate(LABELS, start=1):
        lines.append(f'  - {{name: {json.dumps(name)}, key: "{key}", description: {json.dumps("about " + EVIL)}}}')
    return "\n".join(lines) + "\n"


def texts() -> list[str]:
    return [f"Alice met Bob in Paris {EVIL} today.", f"Bob flew to Rome {EVIL} on Monday.", f"Carol saw Oslo {EVIL}."]


def spans(text: str, words: dict[str, str]) -> list[dict]:
    import spacy

    doc = spacy.blank("en")(text)
    out = []
    for word, label in words.items():
        start = text.index(word)
        span = doc.char_span(start, start + len(word), alignment_mode="expand")
        out.append({"start": span.start_char, "end": span.end_char, "label": label})
    return out


def write_project(folder: Path) -> Path:
    """labels.yaml, a patterns file and a Prodigy JSONL file (named FILE.jsonl) in which
    the two annotators disagree on every document; returns the JSONL file."""
    per, loc = LABELS
    (folder / "labels.yaml").write_text(labels_yaml(), encoding="utf-8")
    srsly.write_jsonl(folder / f"{FILE}.patterns.jsonl", [{"label": loc, "pattern": "Oslo"}])
    lines = []
    for number, text in enumerate(texts()):
        first, second = text.split()[0], text.split()[4 if number == 0 else 3]
        lines.append({"text": text, "meta": {"note": EVIL, EVIL: 1}, "answer": "accept", "_annotator_id": ANNOTATORS[0],
                      "spans": spans(text, {first: per, second: loc})})  # fmt: skip
        lines.append(
            {"text": text, "answer": "accept", "_annotator_id": ANNOTATORS[1], "spans": spans(text, {first: per})}
        )
    path = folder / f"{FILE}.jsonl"
    srsly.write_jsonl(path, lines)
    return path

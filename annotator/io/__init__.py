"""Readers for every input format, and which one a file is in.

The format comes from ``--format`` or, with ``auto``, from the file's extension, and
for an unknown extension from its first bytes. JSONL lines are told apart (plain,
Prodigy, doccano) one line at a time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.errors import UserError
from annotator.io.spacy_docs import TAG
from annotator.io.records import SNIFF_BYTES, Problem, Record, check_not_binary, check_readable

FORMATS = ("auto", "text", "jsonl", "prodigy", "doccano", "spacy", "conll", "csv", "tsv", "label-studio")
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".spacy": "spacy", ".docbin": "spacy",
    ".conll": "conll", ".conll03": "conll", ".iob": "conll", ".bio": "conll", ".ner": "conll",
    ".csv": "csv", ".tsv": "tsv",
}  # fmt: skip

__all__ = ["FORMATS", "Problem", "Record", "detect_format", "expand_paths", "read_path"]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files in folders named (sorted, hidden files left out).
    Every path is checked before anything is read, so a typo fails at once."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                raise UserError(f"{path}: the folder holds no files")
            files.extend(found)
        else:
            check_readable(path)
            files.append(path)
    return files


def _sniff(path: Path) -> str:
    """The format of a file with an unknown extension, from its first bytes."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    try:
        zlib.decompressobj().decompress(head[:512])
        return "spacy"  # a DocBin is a zlib stream (checked in full when read)
    except zlib.error:
        pass
    first = next((line.strip() for line in head.decode("utf-8", "replace").splitlines() if line.strip()), "")
    words = first.split()
    if first.startswith("{"):
        return "jsonl"
    if first.startswith("["):
        return "label-studio"
    if first.startswith("-DOCSTART-") or (len(words) >= 2 and TAG.match(words[-1])):
        return "conll"
    if words and all("|" in word and TAG.match(word.rsplit("|", 1)[-1]) for word in words):
        return "conll"
    return "text"  # binary files are refused when read as text


def detect_format(path: Path) -> str:
    from annotator.io.label_studio import is_label_studio

    if path.suffix.lower() == ".json":  # Label Studio's tasks, else JSON lines
        return "label-studio" if is_label_studio(path) else "jsonl"
    return EXTENSIONS.get(path.suffix.lower()) or _sniff(path)


def read_path(path: Path, fmt: str = "auto", split: str = "paragraph", lang: str = "en", *,
              text_column: str | None = None, as_answers: bool = False) -> Iterator[Record | Problem]:  # fmt: skip
    """Records (and line problems) from one file; a problem with the whole file raises UserError."""
    from annotator.io.jsonl import read_jsonl
    from annotator.io.label_studio import read_label_studio
    from annotator.io.spacy_docs import read_conll, read_docbin
    from annotator.io.table import read_table
    from annotator.io.text import read_text

    check_readable(path)
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "spacy":
        return read_docbin(path, as_answers)
    check_not_binary(path)
    if fmt == "text":
        return read_text(path, split, lang)
    if fmt in ("jsonl", "prodigy", "doccano"):
        return read_jsonl(path, "auto" if fmt == "jsonl" else fmt)
    if fmt == "conll":
        return read_conll(path)
    if fmt in ("csv", "tsv"):
        return read_table(path, fmt, text_column)
    if fmt == "label-studio":
        return read_label_studio(path, text_column)
    raise UserError(f"{path}: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")

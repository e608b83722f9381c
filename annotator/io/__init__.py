"""Readers for every input format, and which one a file is in.

The format comes from ``--format`` or, with ``auto``, from the file's extension, and
for an unknown extension from its first bytes; a text (or TSV) file whose first bytes are
CoNLL/IOB is read as CoNLL. JSONL lines are told apart (plain,
Prodigy, doccano) one line at a time.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import UserError
from annotator.io.checks import SPLIT_FURTHER, too_long
from annotator.io.records import SNIFF_BYTES, Item, Problem, Record, check_not_binary, check_readable

FORMATS = ("auto", "text", "jsonl", "prodigy", "doccano", "spacy", "conll", "csv", "tsv", "label-studio")
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".spacy": "spacy", ".docbin": "spacy",
    ".conll": "conll", ".conll03": "conll", ".iob": "conll", ".bio": "conll", ".ner": "conll",
    ".csv": "csv", ".tsv": "tsv",
}  # fmt: skip

TEXT_COLUMN_FORMATS = ("csv", "tsv", "label-studio")  # the formats --text-column applies to

__all__ = ["FORMATS", "Item", "Problem", "Record", "detect_format", "expand_paths", "read_path"]


def _folder_files(folder: Path) -> list[Path]:
    """Every file under a folder, hidden ones left out; a subfolder that cannot be read is
    an error, not a silent gap in the import."""

    def unreadable(error: OSError) -> None:
        raise UserError(f"{error.filename}: the folder cannot be read ({error.strerror})")

    found: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(Path(root) / name for name in names if not name.startswith("."))
    return sorted(found)


STORE_SIDECARS = ("", "-wal", "-shm", "-journal")


def expand_paths(paths: Iterable[Path], store: Path | None = None) -> list[Path]:
    """Files named, and the files in folders named (sorted, hidden files left out).
    Every path is checked before anything is read, so a typo fails at once.

    ``store`` and its -wal/-shm are never documents: named, they are refused; in a folder,
    left out. Reading them while the store is open would also drop this process's SQLite
    locks on it (a POSIX lock goes with the close of any descriptor of the file)."""
    own = _store_files(store)
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if _identity(path) in own:
            raise UserError(f"{path}: is the store itself, not documents to import")
        found = [f for f in _folder_files(path) if _identity(f) not in own] if path.is_dir() else [path]
        if not found:
            raise UserError(f"{path}: the folder holds no files")
        for file in found:
            check_readable(file)
        files.extend(found)
    return files


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _store_files(store: Path | None) -> set[tuple[int, int]]:
    if store is None:
        return set()
    found = {_identity(store.with_name(store.name + suffix)) for suffix in STORE_SIDECARS}
    return {identity for identity in found if identity is not None}


def _sniff(path: Path) -> str:
    """The format of a file with an unknown extension, from its first bytes."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    try:
        zlib.decompressobj().decompress(head[:512])
        return "spacy"  # a DocBin is a zlib stream (checked in full when read)
    except zlib.error:
        pass
    text = head.decode("utf-8", "replace")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("{"):
        return "jsonl"
    if first.startswith("["):
        return "label-studio"
    from annotator.io.conll import looks_like_conll  # here: labels.yaml's loading (every start) needs none of it

    return "conll" if looks_like_conll(text) else "text"  # binary files are refused when read as text


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES).decode("utf-8", "replace")


def detect_format(path: Path) -> str:
    from annotator.io.conll import looks_like_conll
    from annotator.io.label_studio import is_label_studio

    if path.suffix.lower() == ".json":  # Label Studio's tasks, else JSON lines
        return "label-studio" if is_label_studio(path) else "jsonl"
    found = EXTENSIONS.get(path.suffix.lower())
    if found in ("text", "tsv") and looks_like_conll(_head(path)):
        return "conll"  # the content decides: CoNLL data is often named .txt (or .tsv, tab-separated)
    return found or _sniff(path)


def _what_to_do(fmt: str, split: str) -> str:
    """For a document over the size limit: how to import it in smaller documents."""
    if fmt == "text" and split == "none":
        return "import it with --split paragraph"
    if fmt == "text" and split == "paragraph":
        return "import it with --split sentence"
    return SPLIT_FURTHER


def _checked(path: Path, records: Iterator[Item], what_to_do: str) -> Iterator[Item]:
    """The reader's records, one that is too long as a Problem (before it is tokenized); a
    file that cannot be read part way is one line, not a traceback."""
    try:
        for record in records:
            if isinstance(record, Record):
                record.resplit = what_to_do
                problem = too_long(
                    len(record.text), len(record.tokens) if record.tokens is not None else None, what_to_do
                )
                if problem:
                    record = Problem(record.where, problem)
            yield record
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror or error})") from None


def read_path(path: Path, fmt: str = "auto", split: str = "paragraph", lang: str = "en", *,
              text_column: str | None = None, as_answers: bool = False) -> Iterator[Item]:  # fmt: skip
    """Records (and line problems) from one file; a problem with the whole file raises UserError."""
    check_readable(path)
    fmt = detect_format(path) if fmt == "auto" else fmt
    return _checked(path, _reader(path, fmt, split, lang, text_column, as_answers), _what_to_do(fmt, split))


def _reader(path: Path, fmt: str, split: str, lang: str, text_column: str | None, as_answers: bool) -> Iterator[Item]:
    from annotator.io.conll import read_conll
    from annotator.io.jsonl import read_jsonl
    from annotator.io.label_studio import read_label_studio
    from annotator.io.spacy_docs import read_docbin
    from annotator.io.table import read_table
    from annotator.io.text import read_text

    if fmt == "spacy":
        return read_docbin(path, as_answers)
    check_not_binary(path)
    if fmt == "text":
        return read_text(path, split, lang)
    if fmt in ("jsonl", "prodigy", "doccano"):
        return read_jsonl(path, "auto" if fmt == "jsonl" else fmt)
    if fmt == "conll":
        return read_conll(path, split)
    if fmt in ("csv", "tsv"):
        return read_table(path, fmt, text_column)
    if fmt == "label-studio":
        return read_label_studio(path, text_column)
    raise UserError(f"{path}: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")

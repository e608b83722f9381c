"""What every reader yields: a ``Record`` per document, or a ``Problem`` for a bad line.

Readers never touch the store. A problem with one line or document is yielded as a
``Problem`` (the importer stops on it, or skips it with ``--skip-invalid``); a problem
with a whole file (missing, binary, not a DocBin) raises ``UserError`` at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import Span

# How spans off token boundaries are taken: spaCy's Doc.char_span(alignment_mode=...).
ALIGNS = ("strict", "contract", "expand")
# Why a writer leaves a document out whose stored spans do not fall on its tokens.
OFF_BOUNDARIES = "spans off token boundaries"
# A file this size or bigger is read in chunks; the first chunk is also sniffed.
SNIFF_BYTES = 8192


@dataclass
class Record:
    """One document as a reader found it."""

    text: str
    where: str  # "file:line" (or "file: doc N"), for messages
    meta: dict = field(default_factory=dict)
    # Kept as given (Prodigy, DocBin, CoNLL); the importer's tokenizer gives them packed
    # (core/token_codec.py) straight from each Doc's arrays.
    tokens: list[tuple[int, int]] | bytes | None = None
    spans: tuple[Span, ...] | None = None  # None: the file gave no spans
    answer: str | None = None  # accept | reject | ignore, when the file says so
    answer_default: str | None = None  # the answer the spans are when an annotator is named
    annotator: str | None = None
    answered_at: float | None = None
    task: dict | None = None  # the task's own fields, kept with its answer (Prodigy's hashes, _view_id, meta...)
    source: str = "import"  # suggestion source when the spans are not an answer
    # Another answer or suggestion source for the document yielded just before (one Label
    # Studio task, one DocBin doc's spans groups): stored, but not counted as read again.
    same_document: bool = False
    resplit: str = "split it into several documents"  # what to do when it is too long


@dataclass
class Problem:
    """A line or document that cannot be imported, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class NotImported:
    """What a file holds that the store has no place for: counted in the import summary,
    never dropped in silence (Label Studio results other than labels, overlapping spans)."""

    file: str
    what: str  # "'choices' results (only 'labels' results become spans)": what, without the count
    count: int = 1


# What a reader yields: a document, a line that cannot be imported, or a count of what was left out.
Item = Record | Problem | NotImported


NOT_REGULAR = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def check_readable(path: Path) -> None:
    """A clear error for a file that is missing, a folder, not a regular file (a FIFO would
    block the import forever, holding the write lock) or not readable; checked before the
    store is opened for writing. Nothing is read: a FIFO is never opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UserError(
            f"{path}: a broken symbolic link" if os.path.islink(path) else f"{path}: no such file"
        ) from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(mode):
        raise UserError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        kind = NOT_REGULAR.get(stat.S_IFMT(mode), "a special file")
        raise UserError(f"{path}: not a regular file ({kind}); give a file or a folder")
    try:
        os.close(os.open(path, os.O_RDONLY))
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None


def check_not_binary(path: Path) -> None:
    """Text formats refuse binary files up front (a NUL byte is never in text)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if b"\0" in head:
        raise UserError(f"{path}: a binary file, not text (give a .spacy DocBin, JSONL, CoNLL or plain text)")


def text_lines(path: Path) -> Iterator[tuple[int, str | Problem]]:
    """(line number, line text with its newline) for a UTF-8 file, streamed.

    Decoding line by line is what lets a bad byte be reported with its line. A UTF-8
    byte order mark (Windows editors write one) is dropped, not read as text.
    """
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                yield number, Problem(f"{path}:{number}", f"not UTF-8 text ({error.reason} at byte {error.start})")


def json_error(line: str | bytes, error: Exception) -> str:
    """Why a line is not JSON, as Python's json module says it ("Expecting ',' delimiter
    at column 17"): ujson, which reads the lines fast, words its errors poorly."""
    import json

    try:
        json.loads(line.rstrip())  # the newline would read as a control character in a string
    except json.JSONDecodeError as reason:
        return f"{reason.msg.removesuffix(' at')} at column {reason.colno}"
    except (ValueError, RecursionError) as reason:
        return str(reason)
    return str(error)  # json reads it, ujson does not (a number too big for it)

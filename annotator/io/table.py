"""CSV and TSV: one document per row, the text from one column, the other columns into ``meta``.

A header row is required. The text is the column ``--text-column`` names, else the one
named ``text``. The dialect (delimiter, quoting) is sniffed from the first lines, so
Excel's ``;`` files and pandas' TSV read as written; quoted fields may span lines. The
file is decoded line by line, so a bad byte is reported with its physical line, and
every message names the physical line a record starts on, not its record number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import UserError
from annotator.io.checks import empty_text
from annotator.io.records import SNIFF_BYTES, Item, Problem, Record, text_lines

DELIMITERS = {"csv": ",", "tsv": "\t"}
SNIFFED_DELIMITERS = ",;\t|"
TEXT_COLUMN = "text"
# A document in one cell may be long; the csv module stops at 128 KiB by default.
FIELD_LIMIT = 1 << 30


class _Lines:
    """The file's decoded lines for csv.reader, remembering which are not UTF-8 and
    which physical line the reader has reached (so each record knows its lines)."""

    def __init__(self, path: Path):
        self._lines = text_lines(path)
        self.number = 0
        self.bad: list[Problem] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        number, line = next(self._lines)
        self.number = number
        if isinstance(line, Problem):
            self.bad.append(line)
            return "\n"  # the record this line was in is reported; its text is not guessed at
        return line


def _dialect(path: Path, fmt: str) -> type[csv.Dialect]:
    """Excel's quoting (RFC 4180: ``"`` quotes, doubled inside), which Excel, LibreOffice
    and pandas all write, with the delimiter sniffed from the first lines. The sniffer's
    guess at quoting is not used: it misses doubled quotes."""
    with path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES).decode("utf-8-sig", "replace")
    if len(sample) >= SNIFF_BYTES:  # a cut last line would mislead the sniffer
        sample = sample[: sample.rfind("\n") + 1] or sample
    try:
        found = csv.Sniffer().sniff(sample, delimiters=SNIFFED_DELIMITERS).delimiter
    except csv.Error:  # one column, or too little to tell: the extension's delimiter
        found = DELIMITERS.get(fmt, ",")

    class Dialect(csv.excel):
        delimiter = found
        strict = True  # an unclosed quote is an error, not the rest of the file in one cell

    return Dialect


def _columns(header: list[str], path: Path) -> list[str]:
    """The header's names; an unnamed column (pandas' index) is called "column N"."""
    names = [name.strip() or f"column {at}" for at, name in enumerate(header, start=1)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise UserError(f"{path}:1: the header names column {name!r} twice")
        seen.add(name)
    return names


def _shown(header: list[str]) -> str:
    return ", ".join(raw.strip() or "''" for raw in header)


def read_table(path: Path, fmt: str = "csv", text_column: str | None = None) -> Iterator[Item]:
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    lines = _Lines(path)
    reader = csv.reader(lines, _dialect(path, fmt))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise UserError(f"{path}:1: not a CSV header ({error})") from None
    if lines.bad and lines.bad[0].where == f"{path}:1":
        raise UserError(str(lines.bad[0]))
    if not header or not any(name.strip() for name in header):
        raise UserError(f"{path}:1: empty file (a CSV/TSV file needs a header row naming its columns)")
    columns = _columns(header, path)
    wanted = text_column or TEXT_COLUMN
    if wanted not in columns:
        raise UserError(
            f"{path}:1: no column named {wanted!r} (the columns are: {_shown(header)}); "
            "name the text's column with --text-column NAME"
        )
    text_at = columns.index(wanted)
    yield from _rows(path, reader, lines, columns, text_at)


def _rows(path: Path, reader, lines: _Lines, columns: list[str], text_at: int) -> Iterator[Item]:
    rows = 0
    while True:
        first_line = lines.number + 1
        bad_before = len(lines.bad)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            unclosed = "unexpected end of data" in str(error)
            reason = "a quoted field that is never closed" if unclosed else f"not CSV ({error})"
            yield Problem(f"{path}:{first_line}", reason)
            break  # the reader cannot find where the next record starts
        if len(lines.bad) > bad_before:
            yield lines.bad[bad_before]
            rows += 1
            continue
        if not row:
            continue  # a blank line between records
        rows += 1
        where = f"{path}:{first_line}"
        if len(row) != len(columns):
            yield Problem(where, f"{len(row)} fields, the header has {len(columns)}")
            continue
        text = row[text_at].replace("\r\n", "\n")  # CRLF inside a quoted cell reads as LF, as in text files
        if empty := empty_text(text):
            yield Problem(where, empty)
            continue
        meta = {name: value for at, (name, value) in enumerate(zip(columns, row, strict=True)) if at != text_at}
        yield Record(text=text, where=where, meta={**meta, "file": str(path), "line": first_line}, source="csv")
    if not rows:
        yield Problem(f"{path}:1", "no rows under the header")

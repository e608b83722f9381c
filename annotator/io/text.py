"""Plain text: a whole file, its paragraphs, or its sentences as documents.

Each document keeps where it came from in ``meta``: the file, the character offset of
its first character in the file, and its line. Files are streamed line by line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.io.records import Problem, Record, text_lines

SPLITS = ("none", "paragraph", "sentence")


def _stripped(text: str, offset: int) -> tuple[str, int]:
    """The text without surrounding whitespace, and the offset of what is left."""
    lead = len(text) - len(text.lstrip())
    return text.strip(), offset + lead


def _record(path: Path, text: str, offset: int, line: int) -> Record:
    return Record(text=text, where=f"{path}:{line}", meta={"file": str(path), "offset": offset, "line": line})


def _paragraphs(path: Path) -> Iterator[Record | Problem]:
    """Blocks of text between blank lines."""
    found = False
    for item in _blocks(path):
        found = found or isinstance(item, Record)
        yield item
    if not found:
        yield Problem(f"{path}:1", "empty text (the file holds no text)")


def _blocks(path: Path) -> Iterator[Record | Problem]:
    lines: list[str] = []
    start_offset = start_line = offset = 0
    for number, line in text_lines(path):
        if isinstance(line, Problem):
            yield line
            continue
        if line.strip():
            if not lines:
                start_offset, start_line = offset, number
            lines.append(line)
        elif lines:
            yield _record(path, *_stripped("".join(lines), start_offset), start_line)
            lines = []
        offset += len(line)
    if lines:
        yield _record(path, *_stripped("".join(lines), start_offset), start_line)


def _whole(path: Path) -> Iterator[Record | Problem]:
    parts: list[str] = []
    for _, line in text_lines(path):
        if isinstance(line, Problem):
            yield line
        else:
            parts.append(line)
    text, offset = _stripped("".join(parts), 0)
    if not text:
        yield Problem(f"{path}:1", "empty text (the file holds no text)")
    else:
        yield _record(path, text, offset, 1)


def _sentences(path: Path, lang: str) -> Iterator[Record | Problem]:
    """Paragraphs cut into sentences by spaCy's rule-based sentencizer."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    problems: list[Problem] = []

    def paragraphs():
        for item in _paragraphs(path):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                yield item.text, item

    for doc, paragraph in nlp.pipe(paragraphs(), as_tuples=True, batch_size=256):
        yield from problems
        problems.clear()
        for sent in doc.sents:
            text, offset = _stripped(sent.text, paragraph.meta["offset"] + sent.start_char)
            if text:
                line = paragraph.meta["line"] + doc.text[: sent.start_char].count("\n")
                yield _record(path, text, offset, line)
    yield from problems


def read_text(path: Path, split: str = "paragraph", lang: str = "en") -> Iterator[Record | Problem]:
    if split == "none":
        return _whole(path)
    if split == "paragraph":
        return _paragraphs(path)
    if split == "sentence":
        return _sentences(path, lang)
    raise ValueError(f"unknown split {split!r}")

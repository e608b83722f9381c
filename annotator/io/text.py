"""Plain text: a whole file, its paragraphs, or its sentences as documents.

Each document keeps where it came from in ``meta``: the file, the character offset of
its first character in the file, and its line. Files are streamed line by line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.io.checks import MAX_CHARS, SPLIT_FURTHER
from annotator.io.records import Item, Problem, Record, text_lines

SPLITS = ("none", "paragraph", "sentence")
# The sentencizer is rule-based (memory in proportion to the text), so a paragraph may be longer
# than spaCy's nlp.max_length for a parser; its sentences still have to fit the document limit.
MAX_PARAGRAPH_CHARS = 10 * MAX_CHARS


def _stripped(text: str, offset: int) -> tuple[str, int]:
    """The text without surrounding whitespace, and the offset of what is left."""
    lead = len(text) - len(text.lstrip())
    return text.strip(), offset + lead


def _record(path: Path, text: str, offset: int, line: int) -> Record:
    # Windows line ends inside a document read as "\n": the same text (and input hash) as
    # the file saved on Unix, and no ␍ on screen. ``offset`` is still where it starts in the file.
    return Record(
        text=text.replace("\r\n", "\n"),
        where=f"{path}:{line}",
        meta={"file": str(path), "offset": offset, "line": line},
    )


def _paragraphs(path: Path) -> Iterator[Item]:
    """Blocks of text between blank lines."""
    for item in _blocks(path):
        yield item if isinstance(item, Problem) else _record(path, *item)


def _blocks(path: Path) -> Iterator[tuple[str, int, int] | Problem]:
    """(text as in the file, its offset, its line) of each paragraph, or a Problem."""
    found = False
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
            yield (*_stripped("".join(lines), start_offset), start_line)
            found, lines = True, []
        offset += len(line)
    if lines:
        yield (*_stripped("".join(lines), start_offset), start_line)
    elif not found:
        yield Problem(f"{path}:1", "empty text (the file holds no text)")


def _whole(path: Path) -> Iterator[Item]:
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


def _sentences(path: Path, lang: str) -> Iterator[Item]:
    """Paragraphs cut into sentences by spaCy's rule-based sentencizer."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_PARAGRAPH_CHARS
    problems: list[Problem] = []

    def paragraphs():  # as in the file, so that sentence offsets are offsets in the file
        for item in _blocks(path):
            if isinstance(item, Problem):
                problems.append(item)
            elif len(item[0]) > MAX_PARAGRAPH_CHARS:
                problems.append(
                    Problem(
                        f"{path}:{item[2]}",
                        f"a paragraph of {len(item[0]):,} characters, over the limit of "
                        f"{MAX_PARAGRAPH_CHARS:,} for --split sentence; {SPLIT_FURTHER}",
                    )
                )
            else:
                yield item[0], item[1:]

    for doc, (start, first_line) in nlp.pipe(paragraphs(), as_tuples=True, batch_size=256):
        yield from problems
        problems.clear()
        # doc.text is rebuilt from the tokens on every call: once per paragraph, and the newlines
        # counted as the sentences go (per sentence from the start was quadratic: minutes on 1 MB).
        whole, line, counted = doc.text, first_line, 0
        for sent in doc.sents:
            text, offset = _stripped(sent.text, start + sent.start_char)
            if text:  # its line is the line of its first character, not of the newline before it
                line += whole.count("\n", counted, offset - start)
                counted = offset - start
                yield _record(path, text, offset, line)
    yield from problems


def read_text(path: Path, split: str = "paragraph", lang: str = "en") -> Iterator[Item]:
    if split == "none":
        return _whole(path)
    if split == "paragraph":
        return _paragraphs(path)
    if split == "sentence":
        return _sentences(path, lang)
    raise ValueError(f"unknown split {split!r}")

"""Wrapping a document into screen lines, with a label badge after each span.

Pure layout (no Textual): the text is cut into paragraphs at newlines, each paragraph
into word and space chunks, and the chunks are packed greedily into lines of a given
width. A paragraph's lines only depend on its text, the width and the span ends inside
it, so they are cached per paragraph: an edit re-wraps one paragraph, not a 20,000-token
document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len

from annotator.core.spans import Span, Tokens
from annotator.core.visible import visible

CHUNK = re.compile(r"\S+|\s+")


class Piece(NamedTuple):
    """Characters ``start:end`` of the text, or (when ``badge`` is set) a span's label."""

    start: int
    end: int
    cells: int
    badge: str | None = None


class Line(NamedTuple):
    start: int  # first character offset on this line (for cursor -> line look-ups)
    pieces: tuple[Piece, ...]


def badge_text(label: str) -> str:
    return " " + visible(label)


def _chunks(text: str, start: int, end: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """Word and space chunks of ``text[start:end]``, also cut at the given offsets."""
    out = []
    for match in CHUNK.finditer(text, start, end):
        a, b = match.span()
        for cut in cuts[bisect_right(cuts, a) : bisect_left(cuts, b)]:
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out


def _split_wide(text: str, a: int, b: int, width: int) -> list[Piece]:
    """A chunk wider than the screen, cut into screen-wide pieces."""
    pieces, start, cells = [], a, 0
    for index in range(a, b):
        size = cell_len(visible(text[index]))
        if cells + size > width and index > start:
            pieces.append(Piece(start, index, cells))
            start, cells = index, 0
        cells += size
    pieces.append(Piece(start, b, cells))
    return pieces


def wrap_paragraph(text: str, start: int, end: int, badges: Sequence[Span], width: int) -> list[Line]:
    """Lines for ``text[start:end]`` (no newline inside); ``badges`` are the spans ending in it."""
    width = max(1, width)
    ends = sorted({span.end for span in badges})
    labels_at: dict[int, list[str]] = {}
    for span in badges:
        labels_at.setdefault(span.end, []).append(span.label)
    lines: list[Line] = []
    pieces: list[Piece] = []
    used = 0
    line_start = start

    def place(piece: Piece) -> None:
        nonlocal pieces, used, line_start
        if used + piece.cells > width and pieces:
            # A label does not start a line: it moves down with the word it follows.
            last = pieces[-1]
            glue = (
                piece.badge is not None
                and len(pieces) > 1
                and last.badge is None
                and text[last.start : last.end].strip()
            )
            carried = [pieces.pop()] if glue else []
            lines.append(Line(line_start, tuple(pieces)))
            pieces, used = carried, sum(p.cells for p in carried)
            line_start = carried[0].start if carried else piece.start
            if not carried and piece.badge is None and not text[piece.start : piece.end].strip():
                return  # a line does not start with the space that broke it
        pieces.append(piece)
        used += piece.cells

    for a, b in _chunks(text, start, end, ends):
        cells = cell_len(visible(text[a:b]))
        for piece in _split_wide(text, a, b, width) if cells > width else [Piece(a, b, cells)]:
            place(piece)
        for label in labels_at.get(b, ()):
            badge = badge_text(label)
            place(Piece(b, b, cell_len(badge), label))
    lines.append(Line(line_start, tuple(pieces)))
    return lines


class Layout:
    """The whole document as screen lines, re-wrapping only paragraphs that changed."""

    def __init__(self, text: str):
        self.text = text
        self.paragraphs: list[tuple[int, int]] = []
        start = 0
        for index, char in enumerate(text):
            if char == "\n":
                self.paragraphs.append((start, index))
                start = index + 1
        self.paragraphs.append((start, len(text)))
        self._cache: dict[tuple, list[Line]] = {}
        self.lines: list[Line] = []
        self.starts: list[int] = []

    def update(self, spans: Sequence[Span], width: int) -> None:
        """Re-wrap for these spans and this width (cheap when little changed)."""
        by_end = sorted(spans, key=lambda span: span.end)
        span_ends = [span.end for span in by_end]
        cache: dict[tuple, list[Line]] = {}
        lines: list[Line] = []
        for start, end in self.paragraphs:
            # A span ending at a paragraph's end belongs to it (its badge follows the span).
            inside = tuple(by_end[bisect_right(span_ends, start) : bisect_right(span_ends, end)])
            if start == end:
                inside = ()
            key = (start, width, inside)
            wrapped = self._cache.get(key)
            if wrapped is None:
                wrapped = wrap_paragraph(self.text, start, end, inside, width)
            cache[key] = wrapped
            lines.extend(wrapped)
        self._cache = cache
        self.lines = lines
        self.starts = [line.start for line in lines]

    def line_of(self, char: int) -> int:
        """The screen line showing character ``char``."""
        return max(0, bisect_right(self.starts, char) - 1)

    def char_at(self, y: int, x: int) -> int | None:
        """The character at screen cell (x, y); a badge counts as its span's last character."""
        if not 0 <= y < len(self.lines):
            return None
        line = self.lines[y]
        column = 0
        last = line.start
        for piece in line.pieces:
            if piece.badge is not None:
                if x < column + piece.cells:
                    return max(piece.start - 1, 0)
            else:
                for index in range(piece.start, piece.end):
                    column += cell_len(visible(self.text[index]))
                    if x < column:
                        return index
                last = piece.end
                continue
            column += piece.cells
        return max(last - 1, line.start)

    def x_of(self, y: int, char: int) -> int:
        """The screen column of character ``char`` on line ``y``."""
        column = 0
        for piece in self.lines[y].pieces:
            if piece.badge is None and piece.start <= char < piece.end:
                return column + cell_len(visible(self.text[piece.start : char]))
            column += piece.cells
        return column


def token_on_next_line(layout: Layout, tokens: Tokens, cursor: int, delta: int) -> int | None:
    """The word token at token ``cursor``'s column ``delta`` screen lines away, skipping lines
    with no word on them (blank lines between paragraphs); None at the text's edge. Pure, so
    the screens' up and down and the effort benchmark's planner move alike."""
    if not tokens.offsets:
        return None
    y = layout.line_of(tokens.starts[cursor])
    x = layout.x_of(y, tokens.starts[cursor])
    target = y + delta
    while 0 <= target < len(layout.lines):
        char = layout.char_at(target, x)
        if char is None:  # not on a line (cannot happen inside the range): no target
            break
        token = tokens.index_at(char)
        if tokens.ends[token] <= char:  # in the space after a token: take the next one
            token += 1
        while token < len(tokens) and tokens.is_space[token]:
            token += 1
        if token < len(tokens) and layout.line_of(tokens.starts[token]) == target:
            return token
        target += delta
    return None

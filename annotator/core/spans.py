"""Spans on a tokenized text: snapping, validation and the edits an annotator makes.

Character offsets are the truth (as in spaCy); token indices are derived from the
stored token offsets. Spans never overlap and always sit on token boundaries, like
``doc.ents``. Everything here is pure: no I/O, no Textual, no spaCy.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import NamedTuple

Token = tuple[int, int]


class Span(NamedTuple):
    start: int
    end: int
    label: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label}

    @classmethod
    def from_dict(cls, data: dict) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data["label"]))


def spans_from_json(items: Iterable[dict]) -> tuple[Span, ...]:
    return tuple(sorted(Span.from_dict(item) for item in items))


def spans_to_json(spans: Iterable[Span]) -> list[dict]:
    return [span.to_dict() for span in sorted(spans)]


def overlaps(a: Span | Token, b: Span | Token) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Tokens:
    """Token offsets with the look-ups span editing needs (bisect, not scans)."""

    def __init__(self, offsets: Sequence[Sequence[int]], text: str = ""):
        self.offsets: list[Token] = [(int(s), int(e)) for s, e in offsets]
        self.starts = [s for s, _ in self.offsets]
        self.ends = [e for _, e in self.offsets]
        # Whitespace tokens (spaCy keeps "\n\n" as a token) are never a span edge.
        self.is_space = [not text[s:e].strip() for s, e in self.offsets] if text else [False] * len(self.offsets)

    def __len__(self) -> int:
        return len(self.offsets)

    def index_at(self, char: int) -> int:
        """The token that holds ``char``, or the nearest one before it."""
        return max(0, min(len(self.offsets) - 1, bisect_right(self.starts, char) - 1))

    def index_starting(self, char: int) -> int | None:
        i = bisect_left(self.starts, char)
        return i if i < len(self.starts) and self.starts[i] == char else None

    def index_ending(self, char: int) -> int | None:
        i = bisect_left(self.ends, char)
        return i if i < len(self.ends) and self.ends[i] == char else None

    def token_range(self, span: Span | Token) -> tuple[int, int]:
        """First and last token index (inclusive) that a span covers."""
        first = bisect_right(self.ends, span[0])
        last = bisect_left(self.starts, span[1]) - 1
        return first, max(first, last)

    def span(self, first: int, last: int, label: str) -> Span:
        """The span from token ``first`` to token ``last`` (inclusive, any order), trimmed of space tokens."""
        first, last = min(first, last), max(first, last)
        while first < last and self.is_space[first]:
            first += 1
        while last > first and self.is_space[last]:
            last -= 1
        return Span(self.starts[first], self.ends[last], label)

    def snap(self, start: int, end: int) -> Token | None:
        """Widen a character range to the tokens it touches (``alignment_mode="expand"``)."""
        if not self.offsets or end <= start:
            return None
        first, last = self.token_range((start, end))
        if first >= len(self.offsets) or not overlaps(self.offsets[first], (start, end)):
            return None  # the range holds only whitespace between tokens: nothing to widen to
        return self.starts[first], self.ends[last]


def span_problems(text: str, tokens: Tokens, spans: Sequence[Span], labels: Iterable[str] | None = None) -> list[str]:
    """Why these spans cannot be stored, one message each; empty when they are fine."""
    problems = []
    known = set(labels) if labels is not None else None
    ordered = sorted(spans)
    for span in ordered:
        if not (0 <= span.start < span.end <= len(text)):
            problems.append(f"span {span.start}-{span.end} is out of range for a text of {len(text)} characters")
            continue
        if tokens.index_starting(span.start) is None or tokens.index_ending(span.end) is None:
            problems.append(
                f"span {span.start}-{span.end} ({text[span.start : span.end]!r}) does not fall on token boundaries"
            )
        if known is not None and span.label not in known:
            problems.append(f"label {span.label!r} is not in labels.yaml")
    for a, b in pairwise(ordered):
        if overlaps(a, b):
            problems.append(f"spans {a.start}-{a.end} and {b.start}-{b.end} overlap")
    return problems


def add_span(spans: Sequence[Span], new: Span) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Add ``new``, replacing the spans it overlaps. Returns (spans, replaced)."""
    replaced = tuple(s for s in spans if overlaps(s, new))
    kept = [s for s in spans if not overlaps(s, new)]
    return tuple(sorted([*kept, new])), replaced


def occurrences(text: str, tokens: Tokens, span: Span) -> list[Span]:
    """The other places ``span``'s words appear (the same characters, on token boundaries),
    with its label, in order."""
    words = text[span.start : span.end]
    found, at = [], text.find(words)
    while at >= 0 and words:
        end = at + len(words)
        if at != span.start and tokens.index_starting(at) is not None and tokens.index_ending(end) is not None:
            found.append(Span(at, end, span.label))
        at = text.find(words, at + 1)
    return found


def span_at(spans: Sequence[Span], tokens: Tokens, token: int) -> Span | None:
    """The span covering token index ``token``, if any."""
    if not 0 <= token < len(tokens):
        return None
    start, end = tokens.offsets[token]
    for span in spans:
        if span.start < end and start < span.end:
            return span
    return None


def resize_span(spans: Sequence[Span], tokens: Tokens, span: Span, edge: str, delta: int) -> tuple[Span, ...] | None:
    """Move the ``edge`` ("start" or "end") of ``span`` by ``delta`` non-space tokens.

    Returns the new spans, or None when the move would empty the span, leave the
    text, or run into a neighbour (spans never overlap).
    """
    first, last = tokens.token_range(span)
    index = first if edge == "start" else last
    step = 1 if delta > 0 else -1
    for _ in range(abs(delta)):
        index += step
        while 0 <= index < len(tokens) and tokens.is_space[index]:
            index += step
        if not 0 <= index < len(tokens):
            return None
    first, last = (index, last) if edge == "start" else (first, index)
    if first > last:
        return None
    moved = Span(tokens.starts[first], tokens.ends[last], span.label)
    others = [s for s in spans if s != span]
    if any(overlaps(moved, other) for other in others):
        return None
    return tuple(sorted([*others, moved]))

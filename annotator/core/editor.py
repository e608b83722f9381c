"""The span editing state both the annotate and the review screen drive.

A token cursor, an optional selection (anchor .. cursor), the spans, and an undo stack
of earlier span states. Pure: the screens translate keys into these calls and render
what they read back.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from annotator.core.candidates import candidate_tokens, name_end
from annotator.core.spans import Span, Tokens, add_span, occurrences, overlaps, resize_span, span_at
from annotator.core.visible import quoted


class SpanEditor:
    def __init__(self, text: str, tokens: Tokens, spans: Sequence[Span] = (), disputed: Sequence[Span] = ()):
        """``disputed``: spans other suggestion sources give that ``spans`` do not (candidates)."""
        self.text = text
        self.tokens = tokens
        self.spans: tuple[Span, ...] = tuple(sorted(spans))
        self.disputed = tuple(disputed)
        self.anchor: int | None = None
        self.cursor = 0
        self._history: list[tuple[Span, ...]] = []
        self._words = [i for i, space in enumerate(tokens.is_space) if not space]
        if self._words:
            self.cursor = self._words[0]
        # True until the cursor first moves or an edit is made: the first forward jump
        # then visits a span that starts under the cursor, so tab walks every span in
        # order from the first (a document that opens on a span does not skip it).
        self.fresh = True
        self._by_first: dict[str, list[int]] | None = None
        self._candidates: tuple[tuple[Span, ...], list[int]] | None = None  # for these spans

    # -- cursor and selection ------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """First and last selected token (inclusive), or None."""
        if self.anchor is None:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def _step(self, index: int, delta: int) -> int:
        """The word token ``delta`` words away from ``index`` (space tokens are skipped)."""
        if not self._words:
            return 0
        position = bisect_left(self._words, index)
        position = max(0, min(len(self._words) - 1, position + delta))
        return self._words[position]

    def move(self, delta: int, extend: bool = False) -> None:
        self.fresh = False
        self._begin_or_end_selection(extend)
        self.cursor = self._step(self.cursor, delta)

    def move_to(self, token: int, extend: bool = False) -> None:
        self.fresh = False
        self._begin_or_end_selection(extend)
        if self._words:
            self.cursor = self._step(max(0, min(len(self.tokens) - 1, token)), 0)

    def _begin_or_end_selection(self, extend: bool) -> None:
        if extend and self.anchor is None:
            self.anchor = self.cursor
        elif not extend:
            self.anchor = None

    def clear_selection(self) -> None:
        self.anchor = None

    def select_name(self) -> bool:
        """Extend the selection (from the cursor when there is none) to the end of the name the
        cursor is in (``core.candidates.name_end``); False when it goes no further."""
        self.fresh = False
        first, last = self.selection or (self.cursor, self.cursor)
        end = name_end(self.text, self.tokens, last) if self._words else last
        self.anchor, self.cursor = first, end
        return end != last

    def jump_span(self, forward: bool = True) -> Span | None:
        """Put the cursor on the first token of the next (or previous) span, wrapping
        around. The next span starts after the cursor's token; before the cursor has
        moved (``fresh``), a span starting at the cursor's token counts as next."""
        self.anchor = None
        first_jump, self.fresh = self.fresh, False
        if not self.spans:
            return None
        here = self.tokens.starts[self.cursor] if self.tokens.offsets else 0
        if forward:
            target = next((s for s in self.spans if s.start > here or (first_jump and s.start == here)), self.spans[0])
        else:
            target = next((s for s in reversed(self.spans) if s.end <= here), self.spans[-1])
        self.cursor = self.tokens.token_range(target)[0]
        return target

    def find(self, character: str) -> bool:
        """Put the cursor on the next word starting with ``character`` (any case), wrapping
        around; False when no word does."""
        self.anchor, self.fresh = None, False
        if self._by_first is None:  # the words by first character, made at the first find
            self._by_first = {}
            for index in self._words:
                self._by_first.setdefault(self.text[self.tokens.starts[index]].casefold(), []).append(index)
        found = self._by_first.get(character.casefold())
        if not found:
            return False
        self.cursor = self._after(found, forward=True)
        return True

    def jump_candidate(self, forward: bool = True) -> bool:
        """Put the cursor on the next (or previous) word that looks like a missed name or
        number, or where another source disagrees (``core.candidates``), wrapping around;
        False when there is none."""
        self.anchor, self.fresh = None, False
        if self._candidates is None or self._candidates[0] != self.spans:
            self._candidates = (self.spans, candidate_tokens(self.text, self.tokens, self.spans, self.disputed))
        found = self._candidates[1]
        if not found:
            return False
        self.cursor = self._after(found, forward)
        return True

    def _after(self, indices: list[int], forward: bool) -> int:
        """The first of the sorted ``indices`` after the cursor (or the last before it), wrapping."""
        if forward:
            at = bisect_right(indices, self.cursor)
            return indices[at] if at < len(indices) else indices[0]
        at = bisect_left(indices, self.cursor)
        return indices[at - 1] if at > 0 else indices[-1]

    @property
    def span_under_cursor(self) -> Span | None:
        return span_at(self.spans, self.tokens, self.cursor)

    # -- edits: each returns a short message for the status line --------------------

    def _commit(self, spans: tuple[Span, ...]) -> None:
        self.fresh = False
        self._history.append(self.spans)
        self.spans = spans

    def label(self, label: str) -> str:
        """Label the selection (replacing what it overlaps), or relabel the span under the cursor."""
        if not self._words:
            return "nothing to label"
        selection = self.selection
        current = self.span_under_cursor
        if selection is None and current is not None:
            if current.label == label:
                return f"already {label}"
            self._commit(tuple(sorted([*(s for s in self.spans if s != current), current._replace(label=label)])))
            return f"relabelled {self._quote(current)} {current.label} -> {label}"
        first, last = selection if selection is not None else (self.cursor, self.cursor)
        new = self.tokens.span(first, last, label)
        spans, replaced = add_span(self.spans, new)
        self._commit(spans)
        self.anchor = None
        message = f"added {self._quote(new)} as {label}"
        if replaced:
            message += "; replaced " + ", ".join(f"{self._quote(s)} {s.label}" for s in replaced)
        return message

    def label_others(self) -> str:
        """Label every other occurrence of the span under the cursor's words as it is labelled,
        where no span is yet (one undoable edit)."""
        current = self.span_under_cursor
        if current is None:
            return "no span under the cursor"
        free: list[Span] = []
        for place in occurrences(self.text, self.tokens, current):  # in order: two may overlap
            if not any(overlaps(place, other) for other in (*self.spans, *free)):
                free.append(place)
        if not free:
            return f"no other {self._quote(current)} outside the spans"
        self._commit(tuple(sorted([*self.spans, *free])))
        return f"labelled {len(free)} more {self._quote(current)} as {current.label}"

    def remove(self) -> str:
        current = self.span_under_cursor
        if current is None:
            return "no span under the cursor"
        self._commit(tuple(s for s in self.spans if s != current))
        return f"removed {self._quote(current)} {current.label}"

    def resize(self, edge: str, delta: int) -> str:
        current = self.span_under_cursor
        if current is None:
            return "no span under the cursor"
        spans = resize_span(self.spans, self.tokens, current, edge, delta)
        if spans is None:
            return f"cannot move the {edge} of {self._quote(current)} further"
        moved = next(s for s in spans if s not in self.spans)
        self._commit(spans)
        # Keep the cursor inside the span it is resizing.
        first, last = self.tokens.token_range(moved)
        self.cursor = min(max(self.cursor, first), last)
        return f"{edge} moved: {self._quote(moved)}"

    def replace_all(self, spans: Sequence[Span]) -> None:
        """Put in a whole new set of spans (e.g. the reviewer takes one version) as one undoable edit."""
        self._commit(tuple(sorted(spans)))
        self.anchor = None

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> bool:
        if not self._history:
            return False
        self.spans = self._history.pop()
        self.anchor = None
        return True

    def _quote(self, span: Span) -> str:
        words = self.text[span.start : span.end]
        return quoted(words if len(words) <= 40 else words[:37] + "...")  # as the document shows it

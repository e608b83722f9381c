"""A document with its spans highlighted: read-only, or editable through a ``SpanEditor``.

Line API widget: only the visible lines are drawn (``render_line``) from a cached
layout (``layout.Layout``), so a 20,000-token document scrolls and edits without lag.
The text is always literal: segments are built from the characters themselves, never
parsed as markup, and control characters are drawn as visible symbols.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens
from annotator.core.visible import visible
from annotator.ui.widgets.layout import Layout, badge_text, token_on_next_line

SELECTION = Style(bgcolor="#2f5f9f", color="#ffffff", underline=True)
CURSOR = Style(reverse=True, bold=True, underline=True)
UNKNOWN_LABEL = "#808080"


class SpanText(ScrollView, can_focus=False, inherit_bindings=False):
    """``show()`` a document; with an ``editor`` it also draws the cursor and selection
    and takes mouse drags as token selections.

    It takes no keys itself (no focus, no scroll bindings): the screen's bindings, which
    the keymap can change, move the editor's cursor and the view follows it."""

    DEFAULT_CSS = """
    SpanText { height: 1fr; padding: 0 1; overflow-x: hidden; }
    /* An editable text keeps its width when the scrollbar comes and goes: the cursor's
       line must not re-wrap under it. */
    SpanText.-editable { scrollbar-gutter: stable; }
    """

    class Selected(Message):
        """The mouse moved the editor's cursor or selection."""

    def __init__(
        self,
        text: str = "",
        tokens: Tokens | None = None,
        spans: Sequence[Span] = (),
        colors: Mapping[str, str] | None = None,
        editor: SpanEditor | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._dragging = False
        self.show(text, tokens or Tokens([], text), spans, colors or {}, editor)

    # -- what is shown -------------------------------------------------------------------

    def show(
        self,
        text: str,
        tokens: Tokens,
        spans: Sequence[Span] = (),
        colors: Mapping[str, str] | None = None,
        editor: SpanEditor | None = None,
    ) -> None:
        self.text, self.tokens, self.editor = text, tokens, editor
        self.set_class(editor is not None, "-editable")
        self._spans = tuple(sorted(spans))
        if colors is not None:
            self._styles = {label: _span_styles(color) for label, color in colors.items()}
        self.layout_cache = Layout(text)
        self._laid_out: tuple | None = None
        self._painted: tuple = (None, None)
        self._strips: dict[int, tuple] = {}  # screen line -> (line, what it showed, strip)
        self._base_style: Style | None = None
        self.scroll_to(0, 0, animate=False, immediate=True) if self.is_mounted else None
        self.update()

    @property
    def spans(self) -> tuple[Span, ...]:
        return self.editor.spans if self.editor is not None else self._spans

    def set_spans(self, spans: Sequence[Span]) -> None:
        """New spans for a read-only view."""
        self._spans = tuple(sorted(spans))
        self.update()

    def update(self) -> None:
        """Re-read the spans (and the editor's cursor), re-wrap what changed, repaint.

        Only the lines the cursor or the selection left or reached are repainted, unless
        the spans, the width or the scroll position changed."""
        if not self.is_mounted or not self.size.width:
            self._span_starts = [span.start for span in self.spans]
            return  # wrapped once the width is known (on_resize): no layout at a guessed width
        full = self._wrap(max(1, self.scrollable_content_region.width))
        marks, painted = self._marks(), self._painted
        self._painted = marks
        scrolled = self.editor is not None and self.is_mounted and self._scroll_to_cursor()
        if full or scrolled:
            self.refresh()
        elif marks != painted:
            for y in sorted(self._lines_under(marks) | self._lines_under(painted)):
                self.refresh_line(y)

    def _wrap(self, width: int) -> bool:
        """Lay the text out for this width and these spans; True when anything changed."""
        key = (self.spans, width)
        if key == self._laid_out:
            return False
        self.layout_cache.update(self.spans, width)
        self._laid_out = key
        self._base_style = None
        self._span_starts = [span.start for span in self.spans]
        if self.virtual_size != (size := Size(width, len(self.layout_cache.lines))):
            self.virtual_size = size
        return True

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # With `height: auto` (stacked read-only versions) the height is the wrapped text's.
        self._wrap(max(1, width))
        return len(self.layout_cache.lines)

    def _lines_under(self, marks) -> set[int]:
        lines: set[int] = set()
        for mark in marks:
            if mark is not None:
                lines.update(
                    range(self.layout_cache.line_of(mark[0]), self.layout_cache.line_of(max(mark[0], mark[1] - 1)) + 1)
                )
        return lines

    def on_resize(self, event: events.Resize) -> None:
        self.update()

    def cursor_line(self) -> int:
        editor = self.editor
        if editor is None or not self.tokens.offsets:
            return 0
        return self.layout_cache.line_of(self.tokens.starts[editor.cursor])

    def token_on_next_line(self, delta: int) -> int | None:
        """The word token at the cursor's column ``delta`` screen lines away (None at the edge)."""
        if self.editor is None:
            return None
        return token_on_next_line(self.layout_cache, self.tokens, self.editor.cursor, delta)

    def _scroll_to_cursor(self) -> bool:
        """Scroll so that the cursor's line is in view (with a little margin); True if it moved."""
        y, height = self.cursor_line(), self.scrollable_content_region.height
        top = self.scroll_offset.y
        margin = min(2, max(0, height // 4))
        if y < top + margin and top > 0:
            self.scroll_to(y=max(0, y - margin), animate=False, immediate=True)
        elif y >= top + height - margin:
            self.scroll_to(y=y - height + margin + 1, animate=False, immediate=True)
        else:
            return False
        return self.scroll_offset.y != top

    # -- painting ------------------------------------------------------------------------

    def _marks(self) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """Character ranges of the cursor token and of the selection."""
        editor, tokens = self.editor, self.tokens
        if editor is None or not tokens.offsets:
            return None, None
        cursor = tokens.offsets[editor.cursor]
        selection = editor.selection
        if selection is None:
            return cursor, None
        return cursor, (tokens.starts[selection[0]], tokens.ends[selection[1]])

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if self._laid_out is None or self._laid_out[1] != max(1, width):
            # The first paint comes before on_resize: lay out now, at the width being
            # painted, so that paint already shows the text (not one frame later).
            self._wrap(max(1, width))
        lines = self.layout_cache.lines
        if self._base_style is None:  # computing it walks the CSS: once per layout, not per line
            self._base_style = self.rich_style
        base: Style = self._base_style
        if index >= len(lines):
            return Strip.blank(width, base)
        line = lines[index]
        end = max((piece.end for piece in line.pieces), default=line.start)
        cursor, selection = (_clip(mark, line.start, end) for mark in self._marks())
        # A line is drawn again only when its own spans, cursor or selection changed: an
        # edit elsewhere (or a scroll) reuses it, which keeps long documents fast.
        starts = self._span_starts
        nearby = self.spans[max(0, bisect_right(starts, line.start) - 1) : bisect_left(starts, end)]
        key = (nearby, cursor, selection, scroll_x, width)
        cached = self._strips.get(index)
        if cached is not None and cached[0] is line and cached[1] == key:
            return cached[2]
        segments: list[Segment] = []
        for piece in line.pieces:
            if piece.badge is not None:
                segments.append(Segment(badge_text(piece.badge), self._label_styles(piece.badge)[1]))
                continue
            segments.extend(self._text_segments(piece.start, piece.end, cursor, selection))
        strip = Strip(segments).apply_style(base).crop_extend(scroll_x, scroll_x + width, base)
        self._strips[index] = (line, key, strip)
        return strip

    def _text_segments(self, start: int, end: int, cursor, selection) -> list[Segment]:
        # Styles are decided on character ranges; only then is each range made visible
        # (one character may become several cells: "<U+009B>").
        return [
            Segment(visible(self.text[a:b]), style)
            for a, b, style in self._styled_ranges(start, end, cursor, selection)
        ]

    def _styled_ranges(self, start: int, end: int, cursor, selection) -> list[tuple[int, int, Style]]:
        """``text[start:end]`` cut at span, cursor and selection edges: (a, b, style) each."""
        cuts = {start, end}
        spans = self.spans
        first = max(0, bisect_right(self._span_starts, start) - 1)
        last = bisect_left(self._span_starts, end)
        nearby = spans[first:last]
        for span in nearby:
            cuts.update((span.start, span.end))
        for mark in (cursor, selection):
            if mark is not None:
                cuts.update(mark)
        points = sorted(c for c in cuts if start <= c <= end)
        ranges = []
        for a, b in pairwise(points):
            style = Style()
            for span in nearby:
                if span.start <= a < span.end:
                    style = self._label_styles(span.label)[0]
                    break
            if selection is not None and selection[0] <= a < selection[1]:
                style += SELECTION
            if cursor is not None and cursor[0] <= a < cursor[1]:
                style += CURSOR
            ranges.append((a, b, style))
        return ranges

    def _label_styles(self, label: str) -> tuple[Style, Style]:
        styles = self._styles.get(label)
        if styles is None:
            styles = self._styles[label] = _span_styles(UNKNOWN_LABEL)
        return styles

    # -- mouse: drag to select tokens -----------------------------------------------------

    def _token_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not self.tokens.offsets:
            return None
        char = self.layout_cache.char_at(offset.y + self.scroll_offset.y, offset.x + self.scroll_offset.x)
        return None if char is None else self.tokens.index_at(char)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        token = self._token_at(event)
        if self.editor is None or token is None:
            return
        self.editor.move_to(token)
        self._dragging = True
        self.capture_mouse()
        self.update()
        self.post_message(self.Selected())

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging or self.editor is None:
            return
        token = self._token_at(event)
        if token is not None and token != self.editor.cursor:
            self.editor.move_to(token, extend=True)
            self.update()
            self.post_message(self.Selected())

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()


def _clip(mark: tuple[int, int] | None, start: int, end: int) -> tuple[int, int] | None:
    """The part of a character range that falls on one screen line, if any."""
    if mark is None or mark[0] >= max(end, start + 1) or mark[1] <= start:
        return None
    return max(mark[0], start), min(mark[1], end)


def _span_styles(color: str) -> tuple[Style, Style]:
    """(span text, label badge) styles for a label colour: dark text on the colour, the
    badge on a darker shade of it so the name reads as a tag, not as part of the text."""
    base = Color.parse(color)
    text = Style(bgcolor=base.rich_color, color="#101010")
    badge = Style(bgcolor=base.darken(0.25).rich_color, color="#101010", bold=True)
    return text, badge

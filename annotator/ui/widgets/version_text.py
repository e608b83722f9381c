"""``SpanText`` for the review screen: spans that not every version has are underlined,
and a read-only version can follow the gold version's cursor."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style

from annotator.core.spans import Span
from annotator.ui.widgets.span_text import SpanText

DISPUTED = Style(underline=True, bold=True)


class VersionText(SpanText):
    disputed: Callable[[Span], bool] = staticmethod(lambda span: False)

    def _text_segments(self, start: int, end: int, cursor, selection) -> list[Segment]:
        # The segments are cut at span boundaries and one character is one character of
        # text, so each segment lies wholly inside a span or outside all of them.
        segments = super()._text_segments(start, end, cursor, selection)
        starts = self._span_starts
        nearby = self.spans[max(0, bisect_right(starts, start) - 1) : bisect_left(starts, end)]
        spans = [span for span in nearby if span.end > start and self.disputed(span)]
        if not spans:
            return segments
        marked, offset = [], start
        for segment in segments:
            if any(span.start <= offset < span.end for span in spans):
                segment = Segment(segment.text, (segment.style or Style()) + DISPUTED)
            marked.append(segment)
            offset += len(segment.text)
        return marked

    def follow(self, char: int) -> None:
        """Scroll so that the line holding character ``char`` is in view."""
        if not self.is_mounted:
            return
        y, height, top = self.layout_cache.line_of(char), self.scrollable_content_region.height, self.scroll_offset.y
        if y < top or y >= top + height:
            self.scroll_to(y=max(0, y - height // 2), animate=False, immediate=True)

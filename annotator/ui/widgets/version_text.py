"""``SpanText`` for the review screen: spans that not every version has are underlined,
and a read-only version can follow the gold version's cursor."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from rich.style import Style

from annotator.core.spans import Span
from annotator.ui.widgets.span_text import SpanText

DISPUTED = Style(underline=True, bold=True)


class VersionText(SpanText):
    disputed: Callable[[Span], bool] = staticmethod(lambda span: False)

    def _styled_ranges(self, start: int, end: int, cursor, selection) -> list[tuple[int, int, Style]]:
        # The ranges are cut at span boundaries, so each lies wholly inside a span or outside all of them.
        ranges = super()._styled_ranges(start, end, cursor, selection)
        starts = self._span_starts
        nearby = self.spans[max(0, bisect_right(starts, start) - 1) : bisect_left(starts, end)]
        spans = [span for span in nearby if span.end > start and self.disputed(span)]
        if not spans:
            return ranges
        return [
            (a, b, style + DISPUTED if any(span.start <= a < span.end for span in spans) else style)
            for a, b, style in ranges
        ]

    def follow(self, char: int) -> None:
        """Scroll so that the line holding character ``char`` is in view."""
        if not self.is_mounted:
            return
        y, height, top = self.layout_cache.line_of(char), self.scrollable_content_region.height, self.scroll_offset.y
        if y < top or y >= top + height:
            self.scroll_to(y=max(0, y - height // 2), animate=False, immediate=True)

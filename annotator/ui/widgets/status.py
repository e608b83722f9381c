"""One line of feedback after each key (what was added, replaced, where the cursor is)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from annotator.core.visible import visible


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; color: $text-muted; }
    """

    message = ""

    def say(self, message: str) -> None:
        # A plain repaint of one fixed-height line: no layout pass (Static.update does one).
        if message != self.message:
            self.message = message
            self.refresh()

    def render(self) -> Text:
        return Text(visible(self.message), no_wrap=True, overflow="ellipsis")

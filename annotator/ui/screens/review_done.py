"""Shown when no document is left to review: what was decided, and the way back
(the annotate screen's finished screen with the reviewer's numbers)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from annotator.core.visible import visible
from annotator.ui.screens.finished import EndScreen
from annotator.ui.widgets.keys_line import KeysLine
from annotator.usecases.review_session import ReviewSession


class ReviewDoneScreen(EndScreen[ReviewSession]):
    """Dismissed with True to go back to the last document (undo), else quits."""

    @property
    def who(self) -> str:
        return self.session.reviewer  # a review session has a reviewer, not an annotator

    def compose(self) -> ComposeResult:
        session = self.session
        table = Table(box=None, show_header=False, title=Text("Nothing left to review", style="bold"))
        table.add_column(style="bold")
        table.add_column(justify="right")
        rows = [("dataset", session.dataset), ("reviewer", session.reviewer)]
        rows += [
            (name, str(session.count(kind)))
            for name, kind in (("accepted", "accept"), ("rejected", "reject"), ("skipped", "skip"))
        ]
        if session.auto_accepted:
            rows.append(("auto-accepted", str(session.auto_accepted)))
        for name, value in rows:
            table.add_row(name, Text(visible(value)))
        if session.skipped:
            table.add_row("", Text("skipped documents stay to review", style="dim"))
        with Middle():
            with Center():
                yield Static(table)
        yield KeysLine()

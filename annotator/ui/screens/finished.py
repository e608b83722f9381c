"""Shown when nothing is left for this annotator: a summary instead of an empty view."""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from annotator.core import actions
from annotator.core.visible import visible
from annotator.ui.keys import bindings, describe
from annotator.ui.widgets.keys_line import KeysLine
from annotator.usecases.annotate_session import AnnotateSession
from annotator.usecases.review_session import ReviewSession

SessionT = TypeVar("SessionT", AnnotateSession, ReviewSession)


class EndScreen(Screen[bool], Generic[SessionT]):
    """What is left when the work is done, for an annotate or a review session: dismissed
    with True to go back to the last document (undo), else quits. The agreement report is
    one key away: the end of the work is when a team wants it."""

    BINDINGS = bindings(actions.FINISHED)
    DEFAULT_CSS = """
    EndScreen Static { width: auto; border: round $success; padding: 1 2; }
    """

    def __init__(self, session: SessionT, **kwargs):
        super().__init__(**kwargs)
        self.session: SessionT = session

    @property
    def who(self) -> str:
        """Whose session this is: a review opened from the agreement report is saved as them."""
        raise NotImplementedError

    def action_undo(self) -> None:
        self.dismiss(True)

    def action_agreement(self) -> None:
        from annotator.ui.screens.agreement import AgreementScreen

        session = self.session
        self.app.push_screen(AgreementScreen(session.store.path, session.dataset, session.config, reviewer=self.who))

    def action_help(self) -> None:
        from annotator.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(describe(self, actions.FINISHED)))

    def action_quit(self) -> None:
        self.session.close()
        self.app.exit()


class FinishedScreen(EndScreen[AnnotateSession]):
    """Shown when nothing is left for this annotator."""

    @property
    def who(self) -> str:
        return self.session.annotator

    def compose(self) -> ComposeResult:
        session = self.session
        summary = session.summary()
        table = Table(box=None, show_header=False, title=Text("Nothing left to annotate", style="bold"))
        table.add_column(style="bold")
        table.add_column(justify="right")
        table.add_row("dataset", Text(visible(session.dataset)))
        table.add_row("annotator", Text(visible(session.annotator)))
        for kind in ("accept", "reject", "ignore"):
            table.add_row(f"{kind}ed" if kind != "ignore" else "ignored", str(summary.answers.get(kind, 0)))
        table.add_row("this session", str(session.answered_here))
        if summary.answers.get("ignore"):
            table.add_row("", Text("the skipped ones come back next session", style="dim"))
        for label in session.config.names:
            if summary.labels.get(label):
                table.add_row(Text(visible(label), style=session.config.color(label)), str(summary.labels[label]))
        with Middle():
            with Center():
                yield Static(table)
        yield KeysLine()

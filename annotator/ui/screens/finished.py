"""Shown when nothing is left for this annotator: a summary instead of an empty view."""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from annotator.core.visible import visible
from annotator.ui.keys import ANNOTATE_ACTIONS, bindings, describe
from annotator.ui.widgets.keys_line import KeysLine
from annotator.usecases.annotate_session import AnnotateSession

FINISHED_ACTIONS = {key: ANNOTATE_ACTIONS[key] for key in ("undo", "agreement", "help", "quit")}


class FinishedScreen(Screen[bool]):
    """Dismissed with True to go back to the last document (undo), else quits. The
    agreement report is one key away: the end of the work is when a team wants it."""

    BINDINGS = [
        replace(binding, show=True, description="agreement") if binding.id == "agreement" else binding
        for binding in bindings(FINISHED_ACTIONS)
    ]
    DEFAULT_CSS = """
    FinishedScreen Static { width: auto; border: round $success; padding: 1 2; }
    """

    def __init__(self, session: AnnotateSession, **kwargs):
        super().__init__(**kwargs)
        self.session = session

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

    def action_undo(self) -> None:
        self.dismiss(True)

    @property
    def who(self) -> str:
        """Whose session this is: a review opened from the agreement report is saved as them."""
        return self.session.annotator

    def action_agreement(self) -> None:
        from annotator.ui.screens.agreement import AgreementScreen

        session = self.session
        self.app.push_screen(AgreementScreen(session.store.path, session.dataset, session.config, reviewer=self.who))

    def action_help(self) -> None:
        from annotator.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(describe(self._binding_chain, FINISHED_ACTIONS)))

    def action_quit(self) -> None:
        self.session.close()
        self.app.exit()

"""Asked when quitting while an answer is still on its way to the store."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from annotator.core import actions
from annotator.ui.keys import bindings


class UnsavedScreen(ModalScreen[bool]):
    """Dismissed with True to quit and lose what is not saved, False to keep waiting.
    The screen below dismisses it and quits by itself if the write goes through meanwhile."""

    asks_before_quitting = True
    BINDINGS = bindings(actions.UNSAVED)
    DEFAULT_CSS = """
    UnsavedScreen { align: center middle; }
    UnsavedScreen > Vertical { width: 76; max-width: 100%; height: auto; border: round $warning;
        background: $surface; padding: 1 2; }
    UnsavedScreen Horizontal { height: auto; margin-top: 1; }
    UnsavedScreen Button { margin-right: 2; }
    """

    def __init__(self, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.message, markup=False, id="unsaved")
            with Horizontal():
                yield Button("Keep waiting (w)", id="keep", variant="primary")
                yield Button("Quit and lose it", id="lose", variant="error")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "lose")

    def action_keep(self) -> None:
        self.dismiss(False)

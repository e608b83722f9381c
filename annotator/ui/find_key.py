"""The one key after / : the first letter of the word to put the cursor on."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static


class FindKeyScreen(ModalScreen[str | None]):
    """Dismissed with the character typed (any printable one), or None for any other key
    (escape): the screen below moves its cursor. Every key ends it, so a slip costs nothing."""

    DEFAULT_CSS = """
    FindKeyScreen { align: center bottom; background: transparent; }
    FindKeyScreen > Static { width: auto; height: 1; padding: 0 1; margin-bottom: 2; background: $warning;
        color: $text; }
    """

    def compose(self) -> ComposeResult:
        yield Static("find: type the first letter of the word", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        character = event.character
        self.dismiss(
            character if character is not None and character.isprintable() and not character.isspace() else None
        )

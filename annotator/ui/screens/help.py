"""The help screen: the bindings as they are now, after labels.yaml's keymap."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.core import actions
from annotator.core.visible import visible
from annotator.ui.keys import HelpRow, bindings


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings(actions.HELP)
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, rows: list[HelpRow], **kwargs):
        super().__init__(**kwargs)
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, title="Keys (rebind any by its id in labels.yaml: keymap)")
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("id", style="dim", no_wrap=True)
        table.add_column("does")
        for keys, binding_id, description in self.rows:
            table.add_row(Text(visible(self._shown(keys))), Text(binding_id), Text(visible(description)))
        closing = [key for key, active in self.active_bindings.items() if active.binding.id == "help_close"]
        with VerticalScroll():
            yield Static(table)
            yield Static(Text(visible(f"{self._shown(closing, ' or ')} closes this help"), style="dim"))

    def _shown(self, keys: list[str], between: str = ", ") -> str:
        return between.join(self.app.get_key_display(Binding(key, "")) for key in keys)

    def action_close(self) -> None:
        self.dismiss(None)

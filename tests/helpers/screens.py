"""Reading and hosting Textual screens under ``App.run_test()``."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from annotator.ui import app as app_module
from annotator.ui import textual_private
from annotator.ui.app import AnnotatorApp


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    return textual_private.screen_text(app.screen)


class Host(AnnotatorApp):
    """The real app with the agreement screen pushed over a blank one, as `g` pushes it (the
    app opens a worst document's review)."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # Textual reads it beside the subclass

    def __init__(self, screen, config):
        super().__init__(config, Screen)
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)

"""Reading and hosting Textual screens under ``App.run_test()``."""

from __future__ import annotations

from textual.app import App

from annotator.ui import textual_private


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    return textual_private.screen_text(app.screen)


class Host(App):
    """An app that shows one given screen first."""

    def __init__(self, screen):
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)

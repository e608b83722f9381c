"""Reading and hosting Textual screens under ``App.run_test()``."""

from __future__ import annotations

from textual.app import App


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class Host(App):
    """An app that shows one given screen first."""

    def __init__(self, screen):
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)

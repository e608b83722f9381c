"""Child process for bench/ui.py: start, show the first screen headless, print "shown", exit.

    python -m bench._ui_start empty|annotate DB LABELS

Imports only what its mode needs, so the empty Textual app is not charged for annotator's
imports, and `annotate` goes through the real CLI (labels.yaml, store, dataset, app).
"""

from __future__ import annotations

import sys
import time

from textual.app import App

SIZE = (120, 40)


def run_headless(app: App, is_ready) -> None:
    """Run ``app`` headless; at the first screen update drawn while ``is_ready(app)``,
    print "shown <time.monotonic()>" and exit."""
    display = app._display
    shown = False

    def display_and_signal(screen, renderable) -> None:
        nonlocal shown
        display(screen, renderable)
        drawn = time.monotonic()  # before the check: what it costs is the benchmark's, not the app's
        if renderable is not None and not shown and is_ready(app):
            shown = True
            print(f"shown {drawn!r}", flush=True)
            app.exit()

    app._display = display_and_signal
    App.run(app, headless=True, size=SIZE)


def document_on_screen(app: App) -> bool:
    """The annotate screen's document is drawn: its first words are on the screen."""
    current = getattr(app.screen, "current", None)
    if current is None:
        return False
    first_words = " ".join(current.document.text.split()[:3])
    return any(first_words in strip.text for strip in app.screen._compositor.render_strips())


def main(mode: str, db: str, labels: str) -> None:
    if mode == "empty":
        run_headless(App(), lambda app: True)
        return
    from annotator.cli import app as cli
    from annotator.ui.app import AnnotatorApp

    AnnotatorApp.run = lambda self, **_: run_headless(self, document_on_screen)
    cli(["annotate", "--db", db, "--labels", labels, "--annotator", "bench"], standalone_mode=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])

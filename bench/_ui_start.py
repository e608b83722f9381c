"""Child process for bench/ui.py: start, show the first screen headless, print "shown", exit.

    python -m bench._ui_start empty|annotate DB LABELS

Imports only what its mode needs, so the empty Textual app is not charged for annotator's
imports, and `annotate` goes through the real CLI (labels.yaml, store, dataset, app).
"""

from __future__ import annotations

import asyncio
import sys

from textual.app import App

SIZE = (120, 40)


def run_headless(app: App, is_ready) -> None:
    painted = asyncio.Event()
    display = app._display

    def display_and_signal(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:
            painted.set()

    app._display = display_and_signal

    async def stop_when_ready() -> None:
        while True:
            painted.clear()
            await painted.wait()
            if is_ready(app):
                print("shown", flush=True)
                app.exit()
                return

    app.call_later(lambda: app.run_worker(stop_when_ready()))
    App.run(app, headless=True, size=SIZE)


def main(mode: str, db: str, labels: str) -> None:
    if mode == "empty":
        run_headless(App(), lambda app: True)
        return
    from annotator.cli import app as cli
    from annotator.ui.app import AnnotatorApp

    AnnotatorApp.run = lambda self, **_: run_headless(self, lambda a: getattr(a.screen, "current", None) is not None)
    cli(["annotate", "--db", db, "--labels", labels, "--annotator", "bench"], standalone_mode=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])

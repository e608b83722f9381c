"""The annotate screen, through the real app (headless): key press to repainted screen on a
300-token and a 20,000-token document (the 300-token one also while the trainer of
`annotate --learn` trains on the same store: ``bench/_ui_training.py``), and start to first
document on a 100,000-document store against the start of an empty Textual app in the same run.

docs/design.md's targets: median repaint under 16 ms (300 tokens) and 50 ms (20,000 tokens);
start to first task at most 1.5x an empty Textual app's start.

Start is measured twice, like with like, both headless at 120x40, interleaved, median of 9:
- in-process: from making the app object to the first screen update that shows the
  document's text, against from making ``textual.app.App()`` to its first screen update;
- whole process: from launching `python -m bench._ui_start annotate` (the real
  `annotator annotate` command: labels.yaml, store, dataset, app) to that first paint,
  against launching `python -m bench._ui_start empty` (imports only Textual, runs ``App()``)
  to its first paint. The child stamps the paint with the system-wide monotonic clock, so
  its exit is not counted. Both children run with their bytecode cached (in a temporary
  PYTHONPYCACHEPREFIX, after one unmeasured warm-up run each), as an installed package has
  it: with PYTHONDONTWRITEBYTECODE set, annotator alone would be compiled from source on
  every start while Textual's site-packages bytecode is already there.

    python -m bench ui          # or: python bench/ui.py
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import annotator.ui  # noqa: F401  (before Textual, as in the program: it sets Textual's frame rate, TEXTUAL_FPS)

# isort: split
from textual import events
from textual.app import App

from annotator.core.spans import Span
from annotator.core.tasks import NewDocument
from annotator.io.labels import LabelsConfig
from annotator.store import Store
from annotator.ui.app import annotate_app
from bench._ui_training import TRAIN_DOCS, rows_while_training
from bench.common import percentile, row

PARAGRAPH = (
    "BAGHDAD: Iraq sent back nearly 2,000 Syrian soldiers on Thursday to their homeland after they had "
    "sought refuge in Iraq during the advance of rebel forces that toppled President Bashar al-Assad "
    "earlier this month, according to an Iraqi military statement. The Syrian soldiers were returned at "
    "their request and entered via a border crossing between Iraq and Syria, it said."
)
PHRASES = {
    "Iraq": "GPE",
    "Syria": "GPE",
    "Syrian": "NORP",
    "Iraqi": "NORP",
    "Thursday": "DATE",
    "Bashar al-Assad": "PERSON",
    "BAGHDAD": "GPE",
    "2,000": "CARDINAL",
}
# Cursor moves, a selection, a label and its undo, a line down and up, a span jump.
KEYS = ["right", "shift+right", "5", "u", "down", "tab", "up", "left"]
PRESSES = 120
SIZE = (120, 40)
STORE_SIZE = 100_000


def config() -> LabelsConfig:
    return LabelsConfig.model_validate(
        {
            "labels": [
                {"name": n, "key": k}
                for n, k in [("PERSON", "1"), ("NORP", "2"), ("GPE", "5"), ("DATE", "8"), ("CARDINAL", "9")]
            ]
        }
    )


def document(tokens_wanted: int) -> tuple[NewDocument, list[Span]]:
    import spacy

    nlp = spacy.blank("en")
    per_paragraph = len(nlp.make_doc(PARAGRAPH + "\n\n"))
    return with_spans(nlp, "\n\n".join([PARAGRAPH] * max(1, round(tokens_wanted / per_paragraph))))


def paragraphs(count: int) -> list[tuple[NewDocument, list[Span]]]:
    """``count`` different one-paragraph documents with their spans (answers to train on)."""
    import spacy

    nlp = spacy.blank("en")
    return [with_spans(nlp, f"{PARAGRAPH} ({i})") for i in range(count)]


def with_spans(nlp, text: str) -> tuple[NewDocument, list[Span]]:
    doc = nlp.make_doc(text)
    spans = sorted(
        {
            Span(m.start(), m.end(), label)
            for phrase, label in PHRASES.items()
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", text)
        }
    )
    return NewDocument(text, [(t.idx, t.idx + len(t)) for t in doc]), spans


def store_with(path: Path, documents: list[tuple[NewDocument, list[Span]]]) -> None:
    with Store(path) as store:
        ids = store.add_documents("bench", [d for d, _ in documents])
        store.add_suggestions([(ids[d.input_hash], "bench", spans) for d, spans in documents], replace=True)


def watch_paints(app: App, is_ready=None) -> asyncio.Event:
    """An event set each time the app writes a screen update to the terminal (with
    ``is_ready``: only an update drawn when ``is_ready(app)`` holds); ``event.at`` is the
    perf_counter time of the last one, taken as it is drawn."""
    painted = asyncio.Event()
    original = app._display

    def display(screen, renderable) -> None:
        original(screen, renderable)
        drawn = time.perf_counter()  # before the check: what it costs is the benchmark's, not the app's
        if renderable is not None and (is_ready is None or is_ready(app)):
            painted.at = drawn
            painted.set()

    app._display = display
    return painted


async def key_latencies(db: Path) -> list[float]:
    with Store(db) as store:
        app = annotate_app(store, config(), "bench", "bench")
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            painted = watch_paints(app)
            timings = []
            for index in range(PRESSES):
                await pilot.pause()
                painted.clear()
                key = events.Key(KEYS[index % len(KEYS)], None)
                key.set_sender(app)
                started = time.perf_counter()
                app._driver.send_message(key)
                try:  # a key that changes nothing (right on the last word) paints nothing
                    await asyncio.wait_for(painted.wait(), 0.5)
                except TimeoutError:
                    continue
                timings.append(time.perf_counter() - started)
            return timings


async def start_time(make_app, is_ready) -> float:
    """Seconds from making the app to the first screen update that shows it ready. The
    paint is caught as it is drawn, not after Pilot's own start-up, so an app that paints
    early is not charged for the test harness's waiting."""
    started = time.perf_counter()
    app = make_app()
    shown = watch_paints(app, is_ready)
    async with app.run_test(size=SIZE):
        await shown.wait()
    return shown.at - started


def document_shown(app: App) -> bool:
    """The document is on the terminal: its first words are among the lines drawn (a
    paint of the screen before the text is laid out does not count)."""
    from bench._ui_start import document_on_screen

    return document_on_screen(app)


async def starts(db: Path, rounds: int = 9) -> tuple[float, float]:
    annotate, empty = [], []
    for _ in range(rounds):  # interleaved, so both see the same machine load
        empty.append(await start_time(App, lambda app: True))
        with Store(db) as store:

            def make():
                return annotate_app(store, config(), "bench", "bench")

            annotate.append(await start_time(make, document_shown))
    return statistics.median(annotate), statistics.median(empty)


def child_environment(pycache: Path) -> dict[str, str]:
    """The children's environment: bytecode written to and read from ``pycache``."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def process_start(mode: str, db: Path, labels: Path, env: dict[str, str]) -> float:
    """Seconds from starting a Python process to its first screen: ``empty`` (a bare Textual
    app) or ``annotate`` (`annotator annotate` through its CLI, up to the first document).
    The child prints the (system-wide monotonic) time at which that screen was drawn, so
    the figure is start to first paint, not counting the child's exit."""
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-m", "bench._ui_start", mode, str(db), str(labels)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        env=env,
    )
    shown = re.search(r"^shown (\S+)$", child.stdout, re.M)
    if shown is None:
        raise RuntimeError(f"{mode}: no first screen ({child.stdout} {child.stderr})")
    return float(shown.group(1)) - started


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for tokens, limit in ((300, 0.016), (20_000, 0.050)):
            db = Path(folder) / f"doc{tokens}.db"
            store_with(db, [document(tokens)])
            timings = asyncio.run(key_latencies(db))
            rows.append(row(f"key to repaint, {tokens} tokens: median s", statistics.median(timings), limit))
            rows.append(row(f"key to repaint, {tokens} tokens: p95 s", percentile(timings, 95), limit))
            if tokens == 300:
                rows += rows_while_training(db, Path(folder), config().content(), paragraphs(TRAIN_DOCS), key_latencies)
        db = Path(folder) / "big.db"
        short = [(NewDocument(f"Document {i}: Iraq sent back soldiers to Syria.", []), []) for i in range(STORE_SIZE)]
        for new, _ in short:
            object.__setattr__(new, "tokens", _tokens(new.text))
        store_with(db, short)
        annotate, empty = asyncio.run(starts(db))
        rows.append(
            row(f"in-process start to first document, {STORE_SIZE:,} docs (vs empty app)", annotate, empty, 1.5)
        )
        labels = Path(folder) / "labels.yaml"
        labels.write_text(json.dumps(config().content()), encoding="utf-8")
        runs: dict[str, list[float]] = {"empty": [], "annotate": []}
        env = child_environment(Path(folder) / "pycache")
        for mode in runs:  # the warm-up: writes the bytecode
            process_start(mode, db, labels, env)
        for _ in range(9):  # interleaved, so both see the same machine load
            for mode in runs:
                runs[mode].append(process_start(mode, db, labels, env))
        rows.append(
            row(
                f"process start to first document, {STORE_SIZE:,} docs (vs empty app)",
                statistics.median(runs["annotate"]),
                statistics.median(runs["empty"]),
                1.5,
            )
        )
    return rows


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]


if __name__ == "__main__":
    for r in run():
        print(
            f"{r['measure']:<70} {r['value'] * 1000:9.2f} ms  limit {r['limit'] * 1000:8.2f} ms  "
            f"ratio {r['ratio']:.2f} (target {r['target']:.2f}) {'met' if r['met'] else 'NOT MET'}"
        )

"""`annotate --learn`: the trainer runs in its own process beside the real app (Pilot); once
enough answers are in, the next document opens with the learned model's suggestions and the
progress line says which model made them and how good it was on held-out answers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.usecases.learned import learned_folder, read_meta
from annotator.usecases.trainer_process import trainer_running
from tests.helpers.learning import answer_all, drug_project
from tests.helpers.paths import ROOT
from tests.helpers.screens import screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
EVERY = 40
SIZE = (120, 30)


async def until(check, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the trainer did not get there in time"
        await asyncio.sleep(0.2)


def learned_everywhere(db: Path) -> bool:
    with Store(db) as store:
        return not store.documents_without_suggestions("drugs", "learned 1", unanswered_only=True)


async def test_after_enough_answers_the_next_document_shows_the_learned_suggestions(tmp_path):
    store, config, ids, gold = drug_project(tmp_path)
    with store:
        answer_all(store, gold, ids[: EVERY - 1], annotator="bob")  # one answer short of a round
    db = tmp_path / "drugs.db"
    with trainer_running(db, config, "drugs", EVERY) as trainer, Store(db) as store:
        app = annotate_app(store, config, "drugs", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.current.learned is None  # the patterns' suggestions
            assert "learned" not in screen_text(app)
            await pilot.press("a")  # the answer that makes the round due
            await until(lambda: learned_everywhere(db))
            await pilot.press("a")  # the document on screen was shown before the model
            await pilot.pause()
            task = app.screen.current
            assert task.learned == "learned 1"
            assert task.spans == store.suggestions(task.document.id)["learned 1"]
            meta = read_meta(learned_folder(db, "drugs"), 1)
            assert meta is not None and meta.trained_on + meta.held_out == EVERY
            assert f"learned 1: F {meta.f1_after:.2f} on {meta.held_out} held-out answers" in screen_text(app)
        assert trainer.poll() is None  # it runs as long as the screen's process
    assert trainer.returncode is not None  # and stops with it


def test_the_trainer_ends_when_the_screens_process_is_killed(tmp_path):
    store, config, *_ = drug_project(tmp_path)
    store.close()
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom annotator.io.labels import load_labels\n"
        "from annotator.usecases.trainer_process import trainer_running\n"
        "with trainer_running(Path(sys.argv[1]), load_labels(sys.argv[2]), 'drugs', 40) as child:\n"
        " print(child.pid, flush=True); time.sleep(120)"
    )
    screen = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "drugs.db"), str(config.path)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert screen.stdout is not None
    trainer = int(screen.stdout.readline())
    time.sleep(1.0)  # the trainer is up and watching
    assert running(trainer)
    screen.send_signal(signal.SIGKILL)
    screen.wait()
    deadline = time.monotonic() + 20
    while running(trainer):
        assert time.monotonic() < deadline, "the trainer outlived the screen's process"
        time.sleep(0.1)


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that no longer reaps it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")

"""Killed at any moment: the real `annotator annotate` in tmux, fed keys, SIGKILLed at a
random moment (and restarted, and killed again). Every answer the screen had counted
before the kill is in the store, and the store passes SQLite's integrity check.

CI kills a couple of times; ANNOTATOR_FAULT_RUNS=50 (or more) for the full fault run.
"""

from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from annotator.store import Store
from bench.concurrency import DATASET, make_store

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("ANNOTATOR_FAULT_RUNS", "2"))
DOCUMENTS = 300
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]
# Keys an annotator types: mostly answers, some edits in between (no undo: it reopens an answer).
FEED = ["a"] * 8 + ["x", "Space", "Tab", "d", "Right", "S-Right", "1", "Enter"]


class KillableAnnotator:
    """`annotator annotate` exec'd in a tmux pane, so the pane's process is the program itself.
    Each has its own tmux server (-L): killing it cannot race another test's session."""

    def __init__(self, folder: Path):
        self.name = f"annotator-kill-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        command = "exec annotator annotate --db store.db --labels labels.yaml --annotator killer"
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", f"cd {shlex.quote(str(folder))} && {command}"],
            check=True,
        )
        self.pid = int(subprocess.run([*self.tmux, "display", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True, text=True).stdout)

    def done(self) -> int | None:
        """The progress the screen shows (answered so far), or None if not drawn yet."""
        screen = subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout
        match = re.search(rf"(\d+)/{DOCUMENTS}\b", screen)
        return int(match.group(1)) if match else None

    def wait_until_drawn(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (done := self.done()) is not None:
                return done
            time.sleep(0.1)
        raise AssertionError("the annotate screen never appeared")

    def press(self, key: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def project(tmp_path) -> Path:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (tmp_path / "labels.yaml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "patterns.jsonl", tmp_path / "patterns.jsonl")
    make_store(tmp_path / "store.db", DOCUMENTS)
    return tmp_path


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_at_a_random_moment_loses_no_counted_answer(project, run):
    rng = random.Random(run)
    counted = 0
    for _ in range(2):  # killed, restarted on the same store, killed again
        program = KillableAnnotator(project)
        try:
            assert program.wait_until_drawn() >= counted  # what was counted survived the last kill
            for _ in range(rng.randint(3, 25)):
                program.press(rng.choice(FEED))
                time.sleep(rng.uniform(0.0, 0.12))
                counted = max(counted, program.done() or 0)
            program.press("a")  # and die while handling a key
            time.sleep(rng.uniform(0.0, 0.05))
        finally:
            program.kill()
    with Store(project / "store.db") as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.check() == []
        answered = {a.document for a in store.latest_answers(DATASET, "killer") if a.answer != "ignore"}
    assert len(answered) >= counted

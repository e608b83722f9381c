"""The real `annotator` command in tmux on a copy of the demo: keys in, screen read, store checked."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from annotator.store import Store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


class Terminal:
    def __init__(self, folder: Path, command: str):
        self.name = f"annotator-e2e-{uuid.uuid4().hex[:8]}"
        # Its own tmux server (-L): a new server takes this process's environment (PYTHONPATH:
        # the checkout under test), where a running one would hand out its own.
        self.tmux = ["tmux", "-L", self.name]
        script = f"cd {shlex.quote(str(folder))} && {command}; echo $? > exit-status; sleep 30"
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", script], check=True)

    def screen(self) -> str:
        result = subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def press(self, *keys: str, expect: str | None = None) -> str:
        for key in keys:  # one at a time, as a person types (ESC + key would read as alt+key)
            subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)
        return self.wait_for(expect) if expect else self.screen()

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def demo(tmp_path) -> Path:
    for name in ("labels.yaml", "patterns.jsonl"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_annotate_the_demo_in_a_real_terminal(demo):
    terminal = Terminal(demo, "LOGNAME=e2e-tester annotator")
    try:
        first = terminal.wait_for("accept", timeout=60)
        assert "e2e-tester" in first and "Iraq GPE" in first  # the patterns pre-highlighted it
        terminal.press("a", expect="1/")  # accept the first paragraph as shown
        terminal.press("Tab", expect="on ")  # to the first span of the second paragraph
        terminal.press("d", expect="removed")
        terminal.press("?", expect="remove_span")
        terminal.press("Escape")
        terminal.press("Enter", expect="2/")
        terminal.press("x", expect="rejected")
        terminal.press("q")
        deadline = time.monotonic() + 20
        while not (demo / "exit-status").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (demo / "exit-status").read_text().strip() == "0"
    finally:
        terminal.close()
    with Store(demo / "annotations.db") as store:
        answers = store.answer_history(dataset="demo", annotator="e2e-tester")
        assert [a.answer for a in answers] == ["accept", "accept", "reject"]
        first, second = answers[0], answers[1]
        assert set(first.spans) == set(_suggested(store, first.document))
        assert len(second.spans) == len(_suggested(store, second.document)) - 1
        assert store.leases() == []  # quitting gave the fourth paragraph back


def _suggested(store: Store, document: int):
    return {span for spans in store.suggestions(document).values() for span in spans}

"""The real `annotator` command in tmux on a copy of the demo: keys in, screen read, store checked."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from annotator.store import Store
from tests.helpers.paths import ROOT
from tests.helpers.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


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
        terminal.wait_gone("remove_span")  # the help closed before the next key
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

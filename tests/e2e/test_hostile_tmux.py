"""The real program in tmux on a hostile project (documents, sources, annotator, label and
dataset names full of OSC, CSI, BEL, C1 and right-to-left controls): the raw bytes it
writes to the terminal, read with `tmux pipe-pane`, hold none of those characters from the
data, on every screen of `annotator annotate` and `annotator review` and in review's summary."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest

from tests.helpers.hostile import BIDI, DATASET, EVIL, write_project
from tests.helpers.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]
# What Textual itself writes that a data leak could look like: the mouse pointer's shape (OSC 22 ... BEL).
POINTER_SHAPE = re.compile(rb"\x1b\]22;[a-z-]*\x07")
C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
LEAVE_SCREEN = b"\x1b[?1049l"  # Textual's last words: back from the alternate screen


def leaks(raw: bytes) -> list[str]:
    """What in the terminal's byte stream could only have come raw from the data."""
    rest = POINTER_SHAPE.sub(b"", raw)
    found = []
    if b"\x07" in rest:
        found.append("BEL")
    if b"\x1b]" in rest:
        found.append("OSC")
    if C1_IN_UTF8.search(rest):
        found.append("C1")
    # (A raw CSI from the data cannot be told from Textual's own; in the data each one follows a BEL.)
    return found + [f"U+{ord(c):04X}" for c in sorted(BIDI) if c.encode() in rest]


class Recorded(Terminal):
    """A tmux pane whose raw output is appended to a file as the program writes it."""

    def __init__(self, folder, args: list[str]):
        (folder / "run.sh").write_bytes(("sleep 1; exec " + " ".join(shlex.quote(a) for a in args) + "\n").encode())
        super().__init__(folder, "sh run.sh")
        self.raw = folder / f"raw-{self.name}.bin"
        subprocess.run(
            [*self.tmux, "pipe-pane", "-o", "-t", self.name, f"cat >> {shlex.quote(str(self.raw))}"], check=True
        )

    def close_screen(self, shown: str, timeout: float = 60) -> None:
        """Escape, and wait until ``shown`` is gone: a key sent sooner could reach the program
        together with the ESC byte and read as alt+key."""
        self.press("Escape")
        deadline = time.monotonic() + timeout
        while shown in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{shown!r} stayed after Escape; the screen:\n{self.screen()}")
            time.sleep(0.1)

    def finish(self, folder, last: bytes) -> tuple[str, bytes]:
        """The exit status, and the raw output once it holds ``last`` (the pipe lags the pane)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if (folder / "exit-status").exists() and self.raw.exists() and last in self.raw.read_bytes():
                break
            time.sleep(0.1)
        status = (folder / "exit-status").read_text().strip() if (folder / "exit-status").exists() else "never exited"
        (folder / "exit-status").unlink(missing_ok=True)
        return status, self.raw.read_bytes()


@pytest.fixture
def hostile(tmp_path):
    data = write_project(tmp_path)
    subprocess.run([sys.executable, "-m", "annotator.cli", "import", data.name, "--dataset", DATASET],
                   cwd=tmp_path, check=True, capture_output=True)  # fmt: skip
    return tmp_path


def test_annotate_and_review_write_no_raw_control_from_the_data(hostile):
    cli = [sys.executable, "-m", "annotator.cli"]
    terminal = Recorded(hostile, [*cli, "annotate", "--dataset", DATASET, "--annotator", "cy" + EVIL, "--overlap", "3"])
    try:
        terminal.wait_for("0/3", timeout=60)
        terminal.press("?", expect="remove_span")
        terminal.close_screen("remove_span")
        terminal.press("g", expect="Worst documents")
        terminal.close_screen("Worst documents")
        terminal.press("a", expect="1/3")
        terminal.press("a", expect="2/3")
        terminal.press("a", expect="Nothing left to annotate")
        terminal.press("g", expect="Worst documents")
        terminal.close_screen("Worst documents")
        terminal.press("q")
        status, annotate = terminal.finish(hostile, LEAVE_SCREEN)
    finally:
        terminal.close()
    assert status == "0"
    assert "␛]0;PWNED".encode() in annotate  # the data was drawn, visibly
    terminal = Recorded(hostile, [*cli, "review", "--dataset", DATASET, "--reviewer", "rev" + EVIL])
    try:
        terminal.wait_for("reviewed 0/3", timeout=60)
        terminal.press("?", expect="take_version_1")
        terminal.close_screen("take_version_1")
        terminal.press("Space")
        terminal.press("Space")
        terminal.press("Space", expect="Nothing left to review")
        terminal.press("g", expect="Worst documents")
        terminal.close_screen("Worst documents")
        terminal.press("q")
        status, review = terminal.finish(hostile, b" left to review")
    finally:
        terminal.close()
    assert status == "0"
    assert b"reviewed 0 of 3 in" in review  # the summary line after the screen
    assert {"annotate": leaks(annotate), "review": leaks(review)} == {"annotate": [], "review": []}

"""A real terminal: a program in its own tmux server, keys sent, the screen captured."""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid
from pathlib import Path


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

    def wait_gone(self, text: str, timeout: float = 30) -> str:
        """Wait until ``text`` has left the screen (a closed help, say): on a loaded machine the
        next key sent too soon after ESC would read as alt+key."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never went; the screen:\n{self.screen()}")

    def press(self, *keys: str, expect: str | None = None) -> str:
        for key in keys:  # one at a time, as a person types (ESC + key would read as alt+key)
            subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)
        return self.wait_for(expect) if expect else self.screen()

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)

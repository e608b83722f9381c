"""The real `annotator` command for the corpus tests: through `warm_cli.py` (a fork per
run; fast), or with ANNOTATOR_CORPUS_COLD=1 as `python -m annotator.cli` each time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WARM = Path(__file__).with_name("warm_cli.py")


class CLI:
    def __init__(self):
        self.cold = os.environ.get("ANNOTATOR_CORPUS_COLD") == "1"
        self.server = None
        if not self.cold:
            self.server = subprocess.Popen(
                [sys.executable, str(WARM)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )

    def run(self, folder: Path, *args: str) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of `annotator ARGS...` run in ``folder``."""
        if self.cold:
            done = subprocess.run(
                [sys.executable, "-m", "annotator.cli", *args],
                cwd=folder,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                timeout=120,
            )
            return done.returncode, done.stdout, done.stderr
        self.server.stdin.write(json.dumps([str(folder), list(args)]) + "\n")
        self.server.stdin.flush()
        status, out, err = json.loads(self.server.stdout.readline())
        return status, out, err

    def close(self) -> None:
        if self.server is not None:
            self.server.stdin.close()
            self.server.wait(timeout=30)

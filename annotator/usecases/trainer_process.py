"""The trainer beside an annotate screen: `annotator learn` in a child process, never in
the screen's (so no key press ever waits for training), that ends with the screen's process.

The child asks the kernel for SIGTERM when its parent dies (Linux's PR_SET_PDEATHSIG),
and also looks every few seconds whether its parent is still there (elsewhere, or if the
signal was missed), so it never outlives the screen, even a killed one. It writes its
lines to ``trainer.log`` in the learned folder: the terminal is the screen's.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import UserError
from annotator.io.labels import LabelsConfig
from annotator.usecases.learned import learned_folder

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
STOP_SECONDS = 5.0


def trainer_command(db: Path, config: LabelsConfig, dataset: str, every: int) -> list[str]:
    if config.path is None:
        raise UserError("the trainer needs the project's labels.yaml as a file")
    return [
        sys.executable, "-c", "from annotator.cli import main; main()", "learn",
        "--db", str(db), "--labels", str(config.path), "--dataset", dataset, "--every", str(every),
        "--wait", "--parent", str(os.getpid()),
    ]  # fmt: skip


@contextmanager
def trainer_running(db: Path, config: LabelsConfig, dataset: str, every: int) -> Iterator[subprocess.Popen]:
    """A trainer for the dataset while inside (or a waiting one, if another screen's runs)."""
    folder = learned_folder(db, dataset)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "trainer.log", "ab") as log:
        child = subprocess.Popen(
            trainer_command(db, config, dataset, every), stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def die_with_parent(parent: int) -> None:
    """In the child: be sent SIGTERM when ``parent`` ends; end now if it already has. And
    yield the CPU to the screen: on a small machine a key press comes before a training step."""
    os.nice(10)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # no prctl: the parent check in the loop is enough
            pass
    if os.getppid() != parent:  # it ended before the request was in place
        raise SystemExit(0)

"""Unexpected errors: the full report goes to a file, the user gets one line.

A bug must not print a traceback over someone's terminal, nor exit 0 as if all went well.
The report (traceback, command line, versions) is written under ``$XDG_STATE_HOME/annotator``
(``~/.local/state/annotator``), else the temp folder; the line names the error and the file.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from annotator.core.visible import visible


@dataclass(frozen=True)
class Crash:
    error: BaseException
    report: Path | None  # None when no folder would take the file


def report_folders() -> list[Path]:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return [Path(state) / "annotator", Path(tempfile.gettempdir()) / "annotator"]


def write_report(error: BaseException) -> Path | None:
    """Write the report of ``error`` (with its traceback); its path, or None if nowhere would take it."""
    from annotator import __version__

    stamp = time.strftime("%Y%m%d-%H%M%S")
    lines = [
        f"annotator {__version__}: unexpected error at {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"command: {' '.join(sys.argv)}",
        f"python {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    for folder in report_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}.txt"
            path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def summary(error: BaseException) -> str:
    """``KeyError: 'x'`` on one line, safe to print (the message may quote data)."""
    message = str(error)
    head = f"{type(error).__name__}: {' '.join(message.split())}" if message else type(error).__name__
    return visible(head if len(head) <= 200 else head[:199] + "…")


def crash_line(crash: Crash, answers_kept: bool = False) -> str:
    where = f"the full report is in {visible(str(crash.report))}" if crash.report else "no report could be written"
    kept = "; every answer given before it is saved" if answers_kept else ""
    return f"annotator: unexpected error ({summary(crash.error)}); {where}{kept}"

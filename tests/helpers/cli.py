"""The real `annotator` command: in this process (fast; monkeypatch and capsys) or in a child."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the real `annotator` entry point in this process: (exit status, stdout, stderr)."""
    from annotator.cli import main

    monkeypatch.setattr(sys, "argv", ["annotator", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real `annotator` command in a child process (so exit status and stderr are real)."""
    return subprocess.run(
        [sys.executable, "-c", "from annotator.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def round_trip_jsonl(monkeypatch, capsys, dataset: str, again: str = "again.db"):
    """Export ``dataset`` of the store in the current folder as JSONL into out/, then import that
    file into the store ``again`` (a new one): the import's (exit status, stdout, stderr)."""
    exported = run_main(monkeypatch, capsys, "export", "out", "--dataset", dataset, "--format", "jsonl")
    assert exported[0] == 0, exported[2]
    return run_main(monkeypatch, capsys, "import", "out/annotations.jsonl", "--dataset", dataset,
                    "--db", again, "--no-preannotate")  # fmt: skip

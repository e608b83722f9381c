"""Another program holding the store's write lock: the commands that write wait for it (the
busy timeout, ANNOTATOR_BUSY_TIMEOUT seconds) and then say so in one line, exit status 1, the
store as it was; the commands that only read go on (WAL readers do not wait for writers)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.helpers.paths import ROOT
from tests.helpers.stores import dump, open_store


def _run(folder, *args, timeout_env="0.5"):
    env = {**os.environ, "ANNOTATOR_BUSY_TIMEOUT": timeout_env}
    return subprocess.run([sys.executable, "-m", "annotator.cli", *args], cwd=folder, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip


@pytest.fixture
def locked(tmp_path):
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (tmp_path / "labels.yaml").write_text(
        labels.replace("patterns: patterns.jsonl", "patterns: null"), encoding="utf-8"
    )
    (tmp_path / "corpus.txt").write_text("Iraq sent troops.\n", encoding="utf-8")
    open_store(tmp_path / "store.db", ["Iraq sent troops", "Bob met Syria"])[0].close()
    before = dump(tmp_path / "store.db")
    holder = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield tmp_path, before
    holder.rollback()
    holder.close()


@pytest.mark.parametrize(
    "args",
    [
        "import corpus.txt --db store.db --labels labels.yaml --dataset d",
        # the screens open and wait instead (tests/faults/test_lock_tmux.py); review's
        # --auto-accept writes before its screen opens
        "review --db store.db --labels labels.yaml --dataset d --auto-accept",
        "db merge other.db --db store.db",
    ],
)
def test_a_held_write_lock_is_one_line_saying_busy(locked, args):
    folder, before = locked
    open_store(folder / "other.db", ["Something else"])[0].close()
    started = time.monotonic()
    done = _run(folder, *args.split())
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stderr.strip().splitlines() == [
        "annotator: store.db: busy: another program holds the write lock (waited 0.5 s); try again"
    ]
    assert time.monotonic() - started < 30
    assert dump(folder / "store.db") == before


def test_reading_commands_do_not_wait_for_a_writer(locked):
    folder, _ = locked
    done = _run(folder, "stats", "--db", "store.db", "--json")
    assert done.returncode == 0 and '"documents": 2' in done.stdout, done.stderr


def test_a_bad_busy_timeout_is_one_line(tmp_path):
    open_store(tmp_path / "store.db", ["Iraq sent troops"])[0].close()
    done = _run(tmp_path, "stats", "--db", "store.db", timeout_env="soon")
    assert done.returncode == 1
    assert done.stderr.strip() == "annotator: ANNOTATOR_BUSY_TIMEOUT: a number of seconds, not 'soon'"

"""A store held by another writer for minutes: the real `annotator annotate` in tmux stays
alive, says what is wrong, keeps answering keys, and every answer given is in the store,
once, when the lock is gone.

ANNOTATOR_LOCK_SECONDS (default 8) is how long the other writer holds the lock; the issue's
case is two minutes: ANNOTATOR_LOCK_SECONDS=120 python -m pytest tests/faults/test_lock_tmux.py
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from tests.helpers.kill_harness import ANNOTATOR, DATASET, Annotating, make_project

ROOT = Path(__file__).resolve().parents[2]
LOCK_SECONDS = float(os.environ.get("ANNOTATOR_LOCK_SECONDS", "8"))
WAITING = re.compile(r"another writer has held it for (\d+) s")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


def wait_for(program: Annotating, pattern: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = program.screen()
        if re.search(pattern, screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} never appeared; the screen:\n{program.screen()}")


def stored(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)  # plain SQLite: a Store would wait for the lock to open
    try:
        sql = (
            "SELECT d.meta, a.answer FROM answers a JOIN documents d ON d.id = a.document "
            "WHERE d.dataset = ? AND a.annotator = ? ORDER BY a.id"
        )
        return [
            (re.search(r"doc-\d{4}", meta).group(0), answer) for meta, answer in conn.execute(sql, [DATASET, ANNOTATOR])
        ]
    finally:
        conn.close()


def test_a_lock_held_for_minutes_leaves_the_screen_alive_and_loses_no_answer(tmp_path):
    make_project(tmp_path, ROOT / "labels.yaml")
    db = tmp_path / "store.db"
    program = Annotating(tmp_path)
    holder = None
    try:
        program.wait_for_document()
        program.press("a")
        assert program.wait_for_document(other_than=1) == 2
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer takes the store
        held_at = time.monotonic()
        program.press("x")  # the answer to doc-0002 has to wait
        wait_for(program, WAITING.pattern)
        said = 0
        while time.monotonic() - held_at < LOCK_SECONDS:
            screen = program.screen()
            seconds = WAITING.search(screen)
            assert seconds, f"the screen stopped saying why it waits:\n{screen}"
            assert int(seconds.group(1)) >= said  # the count goes on
            said = int(seconds.group(1))
            assert program.look() == 2  # the document stays
            time.sleep(1.0)
        program.press("?")  # keys still work
        wait_for(program, "remove_span")
        program.press("Escape")
        assert stored(db) == [("doc-0001", "accept")]
        holder.execute("COMMIT")
        holder.close()
        holder = None
        assert program.wait_for_document(other_than=2) == 3  # saved, and on to the next
        assert said >= LOCK_SECONDS - 3
    finally:
        if holder is not None:
            holder.close()
        program.kill()
    assert stored(db) == [("doc-0001", "accept"), ("doc-0002", "reject")]


def test_quitting_while_the_lock_is_held_asks_then_says_what_was_lost(tmp_path):
    import shlex
    import subprocess
    import uuid

    make_project(tmp_path, ROOT / "labels.yaml")
    db = tmp_path / "store.db"
    name = f"annotator-lock-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", name]
    command = f"annotator annotate --db store.db --labels labels.yaml --dataset {DATASET} --annotator {ANNOTATOR}"
    script = f"cd {shlex.quote(str(tmp_path))} && {command}; echo $? > exit-status; sleep 30"
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-x", "110", "-y", "30", script], check=True)

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout

    def until(text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in screen():
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{screen()}"
            time.sleep(0.1)
        return screen()

    holder = sqlite3.connect(db, isolation_level=None)
    try:
        until("doc-0001")
        holder.execute("BEGIN IMMEDIATE")
        for key in ("a", "q"):
            subprocess.run([*tmux, "send-keys", "-t", name, key], check=True)
            until("another writer has held it for" if key == "a" else "1 answer not yet saved")
        for key in ("Tab", "Enter"):  # to "Quit and lose it"
            subprocess.run([*tmux, "send-keys", "-t", name, key], check=True)
            time.sleep(0.3)
        until("not saved: 1 answer (waiting for the store")
        deadline = time.monotonic() + 20
        while not (tmp_path / "exit-status").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "exit-status").read_text().strip() == "1"
        assert "Traceback" not in screen()
    finally:
        holder.close()
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert stored(db) == []


def test_started_while_another_writer_holds_the_store_the_screen_waits_then_works(tmp_path):
    """Opening a store of this version reads it (no write lock); the screen's first lease
    waits in its worker, saying so, and the document comes once the lock is gone."""
    make_project(tmp_path, ROOT / "labels.yaml")
    db = tmp_path / "store.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    program = Annotating(tmp_path)
    try:
        wait_for(program, WAITING.pattern)
        assert program.look() is None  # no document before the store can lease it
        holder.execute("COMMIT")
        holder.close()
        holder = None
        assert program.wait_for_document() == 1
        program.press("a")
        assert program.wait_for_document(other_than=1) == 2
    finally:
        if holder is not None:
            holder.close()
        program.kill()
    assert stored(db) == [("doc-0001", "accept")]

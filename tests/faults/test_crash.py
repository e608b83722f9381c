"""No traceback ever reaches a user, and no failure exits 0: an unexpected error, in a
screen or in a command, is one line saying where the full report was written, exit
status 1, and every answer given before it still in the store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store import Store
from annotator.ui import textual_private
from annotator.ui.app import annotate_app
from tests.helpers.news import NEWS, OTHER, THIRD, news_store, write_labels
from tests.helpers.terminal import Terminal

FAULTY = Path(__file__).with_name("faulty_cli.py")


@pytest.fixture
def state(tmp_path, monkeypatch) -> Path:
    """Where crash reports go ($XDG_STATE_HOME/annotator/)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "annotator"


def reports(state: Path) -> list[Path]:
    return sorted(state.glob("crash-*.txt")) if state.exists() else []


@pytest.mark.anyio
async def test_an_error_in_a_screen_is_written_to_a_report_and_the_app_exits_1(tmp_path, state, monkeypatch):
    config = write_labels(tmp_path)
    db = tmp_path / "annotations.db"
    news_store(db, [NEWS, OTHER, THIRD])
    add_answer, calls = Store.add_answer, []

    def second_answer_fails(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise KeyError("injected fault")
        return add_answer(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_answer", second_answer_fails)
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        from textual.worker import WorkerFailed

        # The Pilot re-raises it for the test (a user never sees it); answers are written by
        # a worker, so it comes wrapped as the worker's failure.
        with pytest.raises((KeyError, WorkerFailed)):
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await pilot.press("a")
                await pilot.pause()
                await pilot.press("a")
                await pilot.pause()
    assert app.return_code == 1
    assert app.crash is not None and app.crash.report in reports(state)
    text = app.crash.report.read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError: 'injected fault'" in text
    assert textual_private.exit_messages(app) == []  # Textual's own traceback is not printed
    with Store(db) as store:
        assert [a.answer for a in store.answer_history(dataset="news", annotator="alice")] == ["accept"]


@pytest.mark.anyio
async def test_an_error_in_a_screens_worker_is_reported_as_itself(tmp_path, state, monkeypatch):
    from textual.worker import WorkerFailed

    from annotator.ui.screens import agreement
    from tests.helpers.review_fixtures import disagreeing_store

    config = write_labels(tmp_path)
    db = tmp_path / "annotations.db"
    disagreeing_store(db)  # alice answered everything: the finished screen, where g computes agreement

    def broken(*args, **kwargs):
        raise KeyError("injected fault")

    monkeypatch.setattr(agreement, "compute", broken)
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        with pytest.raises(WorkerFailed):
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await pilot.press("g")
                await app.workers.wait_for_complete()
                await pilot.pause()
    assert app.return_code == 1 and isinstance(app.crash.error, KeyError)
    assert "KeyError: 'injected fault'" in app.crash.report.read_text(encoding="utf-8")


def run_faulty(folder: Path, fault: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANNOTATOR_FAULT": fault}
    return subprocess.run([sys.executable, str(FAULTY), *args], cwd=folder, env=env, capture_output=True, timeout=120)


def test_an_unexpected_error_in_a_command_is_one_line_and_exit_1(tmp_path, state):
    db = tmp_path / "annotations.db"
    news_store(db, [NEWS, OTHER])
    before = db.read_bytes()
    done = run_faulty(tmp_path, "annotator.cli.stats_tables:print_stats:0", "stats", "--db", str(db))
    assert done.returncode == 1
    (line,) = done.stderr.decode().splitlines()
    (report,) = reports(state)
    assert line == f"annotator: unexpected error (KeyError: 'injected fault'); the full report is in {report}"
    assert "Traceback" in report.read_text(encoding="utf-8") and b"Traceback" not in done.stdout
    assert db.read_bytes() == before


def test_the_real_program_crashing_in_a_screen_keeps_the_answers_and_exits_1(tmp_path, state):
    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    write_labels(tmp_path)
    news_store(tmp_path / "annotations.db", [NEWS, OTHER, THIRD])
    command = (f"XDG_STATE_HOME={tmp_path / 'state'} ANNOTATOR_FAULT=annotator.store:Store.add_answer:2 "
               f"{sys.executable} {FAULTY} annotate --dataset news --annotator ana")  # fmt: skip
    terminal = Terminal(tmp_path, command)
    try:
        terminal.wait_for("0/3", timeout=60)
        terminal.press("a", expect="1/3")
        terminal.press("x", expect="2/3")
        terminal.press("a")
        deadline = time.monotonic() + 20
        while not (tmp_path / "exit-status").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        screen = "".join(terminal.screen().splitlines())  # the pane wraps the long line
    finally:
        terminal.close()
    assert (tmp_path / "exit-status").read_text().strip() == "1"
    (report,) = reports(state)
    line = (
        f"annotator: unexpected error (KeyError: 'injected fault'); the full report is in {report};"
        " every answer given before it is saved"
    )
    assert screen.strip() == line and "Traceback" in report.read_text(encoding="utf-8")
    with Store(tmp_path / "annotations.db") as store:
        assert [a.answer for a in store.answer_history(dataset="news", annotator="ana")] == ["accept", "reject"]


def test_the_report_folder_falls_back_to_the_temp_folder(tmp_path, monkeypatch):
    from annotator.usecases.crash import write_report

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    try:
        raise ValueError("boom")
    except ValueError as error:
        report = write_report(error)
    assert report is not None and report.parent.parent == tmp_path / "tmp"
    assert "ValueError: boom" in report.read_text(encoding="utf-8")


@pytest.fixture
def anyio_backend():
    return "asyncio"


def test_output_to_a_closed_pipe_is_not_a_crash(tmp_path, state):
    """`annotator db check | head -0`: the reader went away; no report, no traceback, exit 1."""
    db = tmp_path / "annotations.db"
    news_store(db, [NEWS])
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "annotator.cli", "db", "check", "--db", str(db)], cwd=tmp_path,
                              stdout=write, stderr=subprocess.PIPE, timeout=120)  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == 1 and done.stderr == b"" and reports(state) == []

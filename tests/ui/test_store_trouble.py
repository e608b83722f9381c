"""A store that cannot take an answer now (another writer holds it, the disk is full, the file
is read-only): the screen keeps the document and the answer, says what is wrong, stays
usable, and saves the answer once the cause is gone: exactly once, then the next document.

Real conditions: another SQLite connection holding ``BEGIN IMMEDIATE``; a store on a small
tmpfs filled to the last byte (needs root, skipped otherwise); ``PRAGMA query_only`` on the
connection the screen writes through (root ignores file modes, and a read-only remount is
refused while the store's files are open for writing).
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest

from annotator.store import Store
from annotator.ui import textual_private
from annotator.ui.app import annotate_app, review_app
from annotator.ui.screens.help import HelpScreen
from tests.helpers.disks import fill
from tests.helpers.news import NEWS, OTHER, news_store, write_labels
from tests.helpers.screens import screen_text
from tests.helpers.stores import WriteLock

SIZE = (110, 30)
pytestmark = pytest.mark.anyio


async def until(pilot, condition, timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}; the screen:\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


def status(app) -> str:
    return app.screen.query_one("#status").message


def rows(db: Path, annotator: str = "alice") -> list[tuple[int, str]]:
    """The answers stored, read with plain SQLite (opening a Store writes, and waits for the lock)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT document, answer FROM answers WHERE annotator = ? ORDER BY id", [annotator]
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
async def test_busy_store_the_screen_waits_says_so_and_saves_once_free(db, config):
    ids = news_store(db, [NEWS, OTHER])
    with Store(db, busy_timeout=3) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            holder = WriteLock(db)
            try:
                await pilot.press("tab", "d")  # an edit, kept while the answer waits
                await pilot.press("a")
                await until(
                    pilot, lambda: re.search(r"another writer has held it for [1-9]\d* s", status(app)), what="waiting"
                )
                await pilot.pause(1.5)  # longer than the screen's own busy timeout: still waiting
                assert screen.current.document.id == ids[0]
                assert re.search(r"waiting for the store: another writer has held it for [2-9]\d* s", status(app))
                assert rows(db) == []
                await pilot.press("question_mark")  # the keys still work
                assert isinstance(app.screen, HelpScreen)
                await pilot.press("escape")
                await pilot.press("x")  # answer keys are not taken for the next document meanwhile
                assert "not saved yet" in status(app)
            finally:
                holder.release()
            await until(
                pilot, lambda: screen.current is not None and screen.current.document.id == ids[1], what="next document"
            )
            assert "accepted" in status(app)
        answers = store.answer_history(dataset="news", annotator="alice")
    assert [(a.document, a.answer) for a in answers] == [(ids[0], "accept")]
    with Store(db) as check:  # the edit made before the answer was kept: one span fewer
        suggested = {s for spans in check.suggestions(ids[0]).values() for s in spans}
    assert len(answers[0].spans) == len(suggested) - 1


async def test_keys_typed_before_the_screen_says_it_waits_apply_to_the_next_document(db, config):
    # Typing ahead as before: keys given while an answer is on its way act on the document
    # that follows it, in order, once the answer is saved.
    ids = news_store(db, [NEWS, OTHER, NEWS + " Again."])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("a", "x", "space")
            await until(pilot, lambda: len(rows(db)) == 3, what="three answers")
    assert rows(db) == [(ids[0], "accept"), (ids[1], "reject"), (ids[2], "ignore")]


@pytest.mark.slow
async def test_full_disk_the_screen_keeps_the_answer_and_saves_it_once_there_is_room(small_disk, tmp_path):
    config = write_labels(tmp_path)
    db = small_disk / "annotations.db"
    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            filler = fill(small_disk)
            await pilot.press("a")
            await until(pilot, lambda: "the disk is full" in status(app), what="disk full")
            assert screen.current.document.id == ids[0]
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            filler.unlink()
            await until(
                pilot, lambda: screen.current is not None and screen.current.document.id == ids[1], what="saved"
            )
    assert rows(db) == [(ids[0], "accept")]


@pytest.mark.slow
async def test_read_only_store_the_screen_keeps_the_answer_and_saves_it_once_writable(db, config):
    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            writer = screen.saver.store  # the connection the screen writes answers through
            writer.db.execute("PRAGMA query_only = ON")
            await pilot.press("x")
            await until(pilot, lambda: "the store is read-only" in status(app), what="read-only")
            await pilot.pause(1.0)
            assert screen.current.document.id == ids[0] and rows(db) == []
            writer.db.execute("PRAGMA query_only = OFF")
            await until(
                pilot, lambda: screen.current is not None and screen.current.document.id == ids[1], what="saved"
            )
    assert rows(db) == [(ids[0], "reject")]


def reviews(db: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT document, answer FROM reviews ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.slow
async def test_busy_store_the_review_screen_waits_and_saves_the_decision_once_free(db, config):
    from tests.helpers.review_fixtures import disagreeing_store

    ids = disagreeing_store(db)
    with Store(db) as store:
        app, session = review_app(store, config, "news", "rita")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            first = screen.case.document.id
            holder = WriteLock(db)
            try:
                await pilot.press("x")
                await until(pilot, lambda: "another writer has held it for" in status(app), what="waiting")
                assert screen.case.document.id == first and reviews(db) == []
                assert "your decision is kept" in status(app)
                await pilot.press("question_mark")
                assert isinstance(app.screen, HelpScreen)
                await pilot.press("escape")
            finally:
                holder.release()
            await until(
                pilot, lambda: screen.case is not None and screen.case.document.id != first, what="next document"
            )
    assert reviews(db) == [(first, "reject")]
    assert first in ids.values()


@pytest.mark.slow
async def test_quitting_with_an_answer_unsaved_asks_and_keeps_waiting_or_loses_it(db, config):
    from annotator.ui.screens.unsaved import UnsavedScreen

    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            holder = WriteLock(db)
            await pilot.press("a")
            await until(pilot, lambda: "another writer" in status(app), what="waiting")
            await pilot.press("q")
            assert isinstance(app.screen, UnsavedScreen)
            said = str(app.screen.query_one("#unsaved").render())
            assert re.match(
                r"1 answer not yet saved \(waiting for the store: another writer has held it for \d+ s\)", said
            ), said
            await pilot.press("w")  # keep waiting
            assert app.screen is screen and screen.current.document.id == ids[0]
            await pilot.press("q")
            await pilot.click("#lose")
            await until(pilot, lambda: app.return_code is not None, what="quit")
            assert app.return_code == 1  # a lost answer is a failed run, and the line printed says so
            said = textual_private.exit_messages(app)
            assert any("not saved: 1 answer" in str(note) for note in said), said
            await pilot.pause(1.0)  # past the attempt in flight (that one could still land: saved, not lost)
            holder.release()  # the answer given up on must not be written after all
            await pilot.pause(1.0)
    assert rows(db) == []


async def test_an_answer_saved_while_the_quit_question_shows_then_quits(db, config):
    from annotator.ui.screens.unsaved import UnsavedScreen

    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            holder = WriteLock(db)
            try:
                await pilot.press("a")
                await until(pilot, lambda: "another writer" in status(app), what="waiting")
                await pilot.press("q")
                assert isinstance(app.screen, UnsavedScreen)
            finally:
                holder.release()
            await until(pilot, lambda: app.return_code is not None, what="quit once saved")
    assert rows(db) == [(ids[0], "accept")]
    with Store(db) as check:
        assert check.leases() == []  # the next document, leased with the answer, given back


@pytest.mark.slow
async def test_the_screens_write_durably(db, config):
    """Answers and decisions survive a power loss: synchronous = FULL (2) on the store the
    program opens and on the connection the screens write through."""
    from annotator.ui.app import annotate_program, review_program
    from tests.helpers.review_fixtures import disagreeing_store

    disagreeing_store(db)
    with annotate_program(db, config, "news", "dana", overlap=4) as app:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.session.store.db.execute("PRAGMA synchronous").fetchone()[0] == 2
            assert app.screen.saver.store.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    with review_program(db, config, "news", "rita") as (app, _session):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.session.store.db.execute("PRAGMA synchronous").fetchone()[0] == 2
            await pilot.press("x")
            await pilot.pause()
            assert app.screen.saver.store.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert reviews(db)[0][1] == "reject"


@pytest.mark.slow
async def test_a_store_busy_when_the_screen_opens_brings_the_first_document_once_free(db, config):
    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        holder = WriteLock(db)
        try:
            app = annotate_app(store, config, "news", "alice")
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: "another writer has held it for" in status(app), what="waiting")
                assert app.screen.current is None and "the document comes when it can" in status(app)
                holder.release()
                holder = None
                await until(pilot, lambda: app.screen.current is not None, what="first document")
                assert app.screen.current.document.id == ids[0]
                await pilot.press("a")
                await until(pilot, lambda: rows(db) == [(ids[0], "accept")], what="answer")
        finally:
            if holder is not None:
                holder.release()


@pytest.mark.slow
async def test_read_only_store_the_review_screen_keeps_the_decision_and_saves_it_once_writable(db, config):
    from tests.helpers.review_fixtures import disagreeing_store

    disagreeing_store(db)
    with Store(db) as store:
        app, _session = review_app(store, config, "news", "rita")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            first = screen.case.document.id
            writer = screen.saver.now(lambda store: store)  # the connection decisions are written through
            writer.db.execute("PRAGMA query_only = ON")
            await pilot.press("a")
            await until(pilot, lambda: "the store is read-only" in status(app), what="read-only")
            assert "your decision is kept" in status(app)
            await pilot.pause(1.0)
            assert screen.case.document.id == first and reviews(db) == []
            writer.db.execute("PRAGMA query_only = OFF")
            await until(pilot, lambda: screen.case is None or screen.case.document.id != first, what="saved")
    assert reviews(db) == [(first, "accept")]

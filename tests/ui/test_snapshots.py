"""Snapshots of the main states (fixed size; cursor blink and animations off)."""

from __future__ import annotations

import time

from annotator.store import Store
from annotator.ui.app import annotate_app
from tests.helpers.news import NEWS, OTHER, news_store

SIZE = (100, 32)


def app_on(closing, db, config, answered: bool = False):
    ids = news_store(db, [NEWS, OTHER])
    store = closing(Store(db))  # the app only lives for the snapshot; the test's teardown closes it
    if answered:
        for document in ids:
            store.add_answer(document, "alice", "accept", store.suggestions(document)["test"], started_at=time.time())
    app = annotate_app(store, config, "news", "alice")
    app.animation_level = "none"
    return app


async def settle(pilot) -> None:
    """Let the background progress count land so that every run looks the same."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_pre_highlighted_news_paragraph(snap_compare, closing, db, config):
    assert snap_compare(app_on(closing, db, config), terminal_size=SIZE, run_before=settle)


def test_selection_in_progress(snap_compare, closing, db, config):
    async def select(pilot):
        await settle(pilot)
        for key in ("right", "right", "right", "shift+right", "shift+right"):
            await pilot.press(key)
        await settle(pilot)

    assert snap_compare(app_on(closing, db, config), terminal_size=SIZE, run_before=select)


def test_help_screen(snap_compare, closing, db, config):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_on(closing, db, config), terminal_size=(100, 50), run_before=open_help)


def test_finished_screen(snap_compare, closing, db, config):
    assert snap_compare(app_on(closing, db, config, answered=True), terminal_size=SIZE, run_before=settle)

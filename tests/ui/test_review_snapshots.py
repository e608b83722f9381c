"""Snapshots of the review screen (fixed size; animations off), as for the annotate screen."""

from __future__ import annotations

from annotator.store import Store
from annotator.ui.app import review_app
from tests.helpers.news import NEWS, OTHER
from tests.helpers.review_fixtures import disagreeing_store

SIZE = (100, 34)


def app_on(closing, db, config, text):
    ids = disagreeing_store(db)
    store = closing(Store(db))  # the app only lives for the snapshot; the test's teardown closes it
    app, _ = review_app(store, config, "news", "rita", documents=[ids[text]])
    app.animation_level = "none"
    return app


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_three_way_disagreement(snap_compare, closing, db, config):
    assert snap_compare(app_on(closing, db, config, OTHER), terminal_size=SIZE, run_before=settle)


def test_gold_version_being_edited(snap_compare, closing, db, config):
    async def edit(pilot):
        await settle(pilot)
        # Take carol's version, on to her "al-Assad", start it a token earlier, then
        # select "President Bashar" (shift+3 is number_sign).
        for key in ("number_sign", "]", "]", "less_than_sign", "left", "shift+left"):
            await pilot.press(key)
        await settle(pilot)

    assert snap_compare(app_on(closing, db, config, NEWS), terminal_size=SIZE, run_before=edit)

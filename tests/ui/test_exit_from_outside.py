"""An exit asked from outside the app (the web driver's "quit" when a browser tab closes, the
drivers' SIGTERM: Textual's ExitApp message, with nobody left to ask) while an answer waits
for a busy store: the app stays until the answer is stored, then gives its leases back and
exits. With nothing on its way, it exits at once."""

from __future__ import annotations

import pytest
from textual import messages

from annotator.store import Store
from annotator.ui.app import annotate_app
from tests.helpers.news import NEWS, OTHER, news_store
from tests.helpers.stores import WriteLock, plain_rows

SIZE = (110, 30)
pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # waits on a lock held for seconds


def answers(db) -> list[tuple]:
    return plain_rows(db, "SELECT document, annotator, answer FROM answers ORDER BY id")


async def test_an_answer_on_its_way_is_stored_before_the_app_exits(db, config):
    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            lock = WriteLock(db)
            try:
                await pilot.press("a")
                await pilot.pause(1.0)  # two of the saver's attempts have found the store busy
                assert app.screen.saver.pending is not None and app.screen.saver.pending.problem is not None
                app.post_message(messages.ExitApp())  # as the web driver posts it
                app.post_message(messages.ExitApp())  # and again, as SIGTERM after it
                await pilot.pause(1.5)
                assert app.is_running and answers(db) == []
            finally:
                lock.release()
            for _ in range(100):
                if not app.is_running:
                    break
                await pilot.pause(0.1)
        assert not app.is_running
    assert answers(db) == [(ids[0], "alice", "accept")]
    assert plain_rows(db, "SELECT * FROM leases") == []  # the next document's lease went back too
    assert app.return_code == 0


async def test_with_nothing_on_its_way_the_app_exits_at_once(db, config):
    news_store(db, [NEWS, OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.post_message(messages.ExitApp())
            await pilot.pause(0.3)
            assert not app.is_running
    assert answers(db) == [] and plain_rows(db, "SELECT * FROM leases") == []

"""The finished screen ("Nothing left to annotate"): the agreement report and the help
are one key away there, and a review opened from it is saved as the session's annotator."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.screens.agreement import AgreementScreen
from annotator.ui.screens.finished import FinishedScreen
from annotator.ui.screens.help import HelpScreen
from annotator.ui.screens.review import ReviewScreen
from tests.helpers.review_fixtures import disagreeing_store
from tests.helpers.screens import screen_text

pytestmark = pytest.mark.anyio
SIZE = (130, 50)


async def test_help_and_agreement_from_the_finished_screen(db, config):
    disagreeing_store(db)  # alice answered every document: she lands on the finished screen
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)
            assert "g agreement" in screen_text(app) and "? help" in screen_text(app)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen) and "agreement report" in screen_text(app)
            await pilot.press("escape")
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, AgreementScreen)


async def test_a_review_from_the_agreement_screen_is_saved_as_the_sessions_annotator(db, config):
    ids = disagreeing_store(db)
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("g")
            await app.workers.wait_for_complete()
            await pilot.pause()
            worst = app.screen.query_one("#worst", DataTable)
            chosen = int(worst.coordinate_to_cell_key((0, 0)).row_key.value)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert "alice" in app.screen.query_one("#progress").render().plain
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AgreementScreen)
    with Store(db) as store:
        assert chosen in ids.values()
        assert [r.reviewer for r in store.review_history(chosen)] == ["alice"]


async def test_g_on_the_review_end_screen_opens_the_agreement_report_reviewing_as_the_reviewer(db, config):
    from annotator.ui.app import review_app
    from annotator.ui.screens.review_done import ReviewDoneScreen

    ids = disagreeing_store(db)
    with Store(db) as store:
        app, _ = review_app(store, config, "news", "rita")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("space", "space")  # skip both disagreements: nothing left to review
            await pilot.pause()
            assert isinstance(app.screen, ReviewDoneScreen) and "g agreement" in screen_text(app)
            await pilot.press("g")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, AgreementScreen) and app.screen.result is not None
            worst = app.screen.query_one("#worst", DataTable)
            chosen = int(worst.coordinate_to_cell_key((0, 0)).row_key.value)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
        assert app.crash is None
    with Store(db) as store:
        assert chosen in ids.values()
        assert [(r.reviewer, r.answer) for r in store.review_history(chosen)] == [("rita", "reject")]

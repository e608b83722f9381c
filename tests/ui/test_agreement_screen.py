"""The agreement screen in the real app: tables computed in a worker from a real store,
then one of the worst documents shown with every annotator's spans."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from annotator.core.spans import Span
from annotator.store import Store
from annotator.ui.screens.agreement import AgreementScreen
from annotator.ui.screens.review import ReviewScreen
from annotator.ui.widgets.span_text import SpanText
from tests.helpers.news import NEWS, OTHER, news_store
from tests.helpers.screens import Host, screen_text

pytestmark = pytest.mark.anyio
SIZE = (130, 60)


def answer_three(db):
    """alice and bob disagree on NEWS's boundaries; carol rejected it. All agree on OTHER."""
    first, second = news_store(db, [NEWS, OTHER], suggest=False)
    iraq = NEWS.index("Iraq")
    assad = NEWS.index("Bashar al-Assad")
    with Store(db) as store:
        store.add_answer(first, "alice", "accept", [Span(iraq, iraq + 4, "GPE"), Span(assad, assad + 15, "PERSON")], 0)
        store.add_answer(
            first, "bob", "accept", [Span(iraq, iraq + 4, "GPE"), Span(assad + 7, assad + 15, "PERSON")], 0
        )
        store.add_answer(first, "carol", "reject", [], 0)
        baghdad = OTHER.index("Baghdad")
        for name in ("alice", "bob", "carol"):
            store.add_answer(second, name, "accept", [Span(baghdad, baghdad + 7, "GPE")], 0)
    return first


async def test_tables_then_a_worst_document_with_each_annotators_spans(db, config):
    first = answer_three(db)
    app = Host(AgreementScreen(db, "news", config), config)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        for words in ("Span F1, exact", "Fleiss' kappa", "Pairs of annotators", "alice", "carol", "boundary"):
            assert words in shown, words
        worst = app.screen.query_one("#worst", DataTable)
        assert worst.row_count == 1 and worst.get_row_at(0)[0] == str(first)

        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # the worst documents open in review
        versions = list(app.screen.query(".version").results(SpanText))
        assert [len(v.spans) for v in versions] == [2, 2, 0]  # carol rejected: no spans shown
        assert versions[0].spans != versions[1].spans
        text = screen_text(app)
        assert "alice  accept · 2 spans" in text and "carol  reject" in text

        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)


async def test_with_one_annotator_the_screen_says_why_there_are_no_values(db, config):
    first, _ = news_store(db, [NEWS, OTHER], suggest=False)
    with Store(db) as store:
        store.add_answer(first, "alice", "accept", [Span(0, 4, "GPE")], 0)
    app = Host(AgreementScreen(db, "news", config), config)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "undefined: fewer than two annotators" in shown and "No document with disagreement" in shown
        assert app.screen.query_one("#worst", DataTable).row_count == 0


async def test_the_annotate_screen_opens_it_with_its_key(db, config):
    from annotator.ui.app import annotate_app

    answer_three(db)
    with Store(db) as store:
        app = annotate_app(store, config, "news", "dave", overlap=4)  # dave still has work
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("g")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, AgreementScreen)
            assert "Span F1, exact" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, AgreementScreen)

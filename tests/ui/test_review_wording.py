"""What the review screen says: the proposal when most annotators rejected, and the list
of differences counted as it is listed."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.ui.app import review_app
from tests.helpers.news import news_store
from tests.helpers.review_fixtures import at
from tests.helpers.screens import screen_text

pytestmark = pytest.mark.anyio
SIZE = (120, 35)
TEXT = "Iraq sent troops to Syria on Thursday."
KURDISTAN = "Turkish forces shelled villages in Kurdistan Region near the border with Iraq on Monday."


async def shown(db, config) -> tuple[str, str]:
    """(the whole screen, the gold title) of the first document to review."""
    with Store(db) as store:
        app, _ = review_app(store, config, "news", "rita")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return screen_text(app), str(app.screen.query_one("#gold-title").render())


async def test_when_most_rejected_the_gold_proposes_rejecting(db, config):
    [doc] = news_store(db, [TEXT], suggest=False)
    with Store(db) as store:
        store.add_answer(doc, "ana", "reject", [], 0)
        store.add_answer(doc, "ben", "accept", [at(TEXT, "Iraq", "GPE"), at(TEXT, "Syria", "GPE")], 0)
        store.add_answer(doc, "cy", "reject", [], 0)
    screen, title = await shown(db, config)
    assert "2 of 3 rejected: x rejects, a ⏎ accepts ben's version" in title
    assert "same as" not in title
    assert "ben  accept · 2 spans · the only accepted version" in screen
    assert "as every version" not in screen


async def test_with_a_majority_accepting_the_gold_is_the_most_common_version(db, config):
    [doc] = news_store(db, [TEXT], suggest=False)
    with Store(db) as store:
        store.add_answer(doc, "ana", "accept", [at(TEXT, "Iraq", "GPE")], 0)
        store.add_answer(doc, "ben", "accept", [at(TEXT, "Iraq", "GPE")], 0)
        store.add_answer(doc, "cy", "reject", [], 0)
    screen, title = await shown(db, config)
    assert "same as 1 ana, 2 ben" in title and "rejected" not in title
    assert "ana  accept · 1 span · as every accepted version" in screen


async def test_spans_starting_together_are_one_difference_in_the_list(db, config):
    [doc] = news_store(db, [KURDISTAN], suggest=False)
    iraq = at(KURDISTAN, "Iraq", "GPE")
    with Store(db) as store:
        store.add_answer(doc, "ana", "accept", [at(KURDISTAN, "Kurdistan", "GPE"), iraq], 0)
        store.add_answer(doc, "ben", "accept", [at(KURDISTAN, "Kurdistan Region", "GPE"), iraq], 0)
        store.add_answer(
            doc, "cy", "accept", [at(KURDISTAN, "Kurdistan Region", "GPE"), at(KURDISTAN, "Monday", "DATE")], 0
        )
    screen, _ = await shown(db, config)
    assert "3 differences" in screen
    assert "Kurdistan GPE in 1 or Kurdistan Region GPE in 2,3  Iraq GPE in 1,2  Monday DATE in 3" in screen

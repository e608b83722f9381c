"""The review screen on a small terminal (80x24): less chrome, three lines per version,
and the versions scroll with the gold's cursor so the disputed part is in view."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.ui.app import review_app
from tests.helpers.news import news_store
from tests.helpers.review_fixtures import at
from tests.helpers.screens import screen_text

pytestmark = pytest.mark.anyio
TEXT = (
    "Turkish forces shelled villages in Kurdistan Region near the border crossing with Iraq on Monday, "
    "officials in Erbil said. The Kurdistan Regional Government condemned the attack and asked Baghdad "
    "and Ankara to talk. Thousands of families left their homes in the mountains of northern Iraq, "
    "according to the United Nations, while Turkey said it targeted PKK positions only."
)


def three_versions(db):
    [doc] = news_store(db, [TEXT], suggest=False)
    shared = [
        at(TEXT, "Turkish", "NORP"),
        at(TEXT, "Erbil", "GPE"),
        at(TEXT, "Baghdad", "GPE"),
        at(TEXT, "Turkey", "GPE"),
    ]
    with Store(db) as store:
        store.add_answer(doc, "ana", "accept", [*shared, at(TEXT, "Kurdistan", "GPE"), at(TEXT, "Iraq", "GPE")], 0)
        store.add_answer(
            doc, "ben", "accept", [*shared, at(TEXT, "Kurdistan Region", "GPE"), at(TEXT, "Iraq", "GPE")], 0
        )
        store.add_answer(
            doc, "cy", "accept", [*shared, at(TEXT, "Kurdistan Region", "GPE"), at(TEXT, "Monday", "DATE")], 0
        )


@pytest.mark.parametrize("size, compact, lines", [((80, 24), True, 3), ((120, 35), False, 4)])
async def test_versions_get_the_rows_and_follow_the_cursor(db, config, size, compact, lines):
    three_versions(db)
    with Store(db) as store:
        app, _ = review_app(store, config, "news", "rita")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            assert screen.has_class("-compact") is compact
            assert [view.size.height for view in screen.query(".version")] == [lines] * 3

            def version_rows() -> list[list[str]]:
                shown = screen_text(app).splitlines()
                return [shown[view.content_region.y : view.content_region.bottom] for view in screen.query(".version")]

            assert any("positions only." not in "".join(rows) for rows in version_rows()) is compact
            for _ in range(6):  # the gold's cursor down to its last line
                await pilot.press("down")
            await pilot.pause()
            for rows in version_rows():
                assert any("positions only." in row for row in rows), rows

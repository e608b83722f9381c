"""A mouse drag selects tokens; the background worker pre-highlights documents that have no suggestions."""

from __future__ import annotations

import pytest

from annotator.core.spans import Span
from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.widgets.span_text import SpanText
from tests.helpers.news import NEWS, NEWS_LABELS, OTHER, news_store, write_labels

pytestmark = pytest.mark.anyio


def cell_of(view: SpanText, char: int) -> tuple[int, int]:
    """The (x, y) of a character inside the widget (its border and padding included)."""
    layout = view.layout_cache
    y = layout.line_of(char)
    return view.gutter.left + layout.x_of(y, char), view.gutter.top + y - view.scroll_offset.y


async def test_a_mouse_drag_selects_tokens_and_a_label_key_labels_them(db, config):
    news_store(db, [NEWS], suggest=False)
    start, end = NEWS.index("nearly"), NEWS.index("2,000") + len("2,000")
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            view = app.screen.query_one(SpanText)
            await pilot.mouse_down(view, offset=cell_of(view, start))
            await pilot.hover(view, offset=cell_of(view, end - 1))
            await pilot.mouse_up(view, offset=cell_of(view, end - 1))
            await pilot.press("9", "a")
        answer = store.answer_history(dataset="news", annotator="alice")[0]
    assert answer.spans == (Span(start, end, "CARDINAL"),)


async def test_the_worker_pre_highlights_documents_without_suggestions(db, tmp_path):
    (tmp_path / "patterns.jsonl").write_text('{"label": "GPE", "pattern": "Baghdad"}\n', encoding="utf-8")
    config = write_labels(tmp_path, labels=NEWS_LABELS.replace("patterns: null", "patterns: patterns.jsonl"))
    ids = news_store(db, [NEWS, OTHER], suggest=False)
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()  # spaCy ran in a thread, not on a key press
            await pilot.pause()
            await pilot.press("a", "a")
        assert store.suggestions(ids[1])  # stored by the worker, ahead of the annotator
        second = store.answer_history(dataset="news", annotator="alice")[1]
    start = OTHER.index("Baghdad")
    assert second.spans == (Span(start, start + len("Baghdad"), "GPE"),)

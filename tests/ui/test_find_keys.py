"""/ then a letter moves the cursor, and the letter never acts as the screen's own key."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.ui.app import annotate_app
from tests.helpers.news import OTHER, news_store

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


def word_under_cursor(app) -> str:
    editor = app.screen.editor
    start, end = editor.tokens.offsets[editor.cursor]
    return editor.text[start:end]


async def test_slash_then_a_letter_finds_a_word_and_the_letter_is_not_accept(db, config):
    news_store(db, [OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("slash", "a")  # "a" is accept's key: here it is the letter
            await pilot.pause()
            assert word_under_cursor(app) == "and"
            await pilot.press("semicolon")  # the next candidate: a number outside the spans
            assert word_under_cursor(app) == "2,000"
            await pilot.press("slash", "escape")  # a key that is no letter ends the find
            assert word_under_cursor(app) == "2,000"
            await pilot.press("1")  # label the word: PERSON is the first label
            await pilot.press("a")
            await pilot.pause()
        answers = store.latest_answers("news", "alice")
    assert len(answers) == 1
    assert [OTHER[s.start : s.end] for s in answers[0].spans if s.label == "PERSON"] == ["2,000"]


async def test_a_label_key_older_than_the_candidate_keys_keeps_its_key(tmp_path, db):
    """A labels.yaml written before ; : / were bound still loads, and its label takes the key."""
    from tests.helpers.news import NEWS_LABELS, write_labels

    config = write_labels(tmp_path, labels=NEWS_LABELS.replace('key: "1"', 'key: ";"', 1))
    assert config.bindings()["next_candidate"] == ""
    news_store(db, [OTHER])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("slash", "2")  # to 2,000: no candidate jump takes ; here
            await pilot.press("semicolon", "a")
            await pilot.pause()
        answers = store.latest_answers("news", "alice")
    assert [OTHER[s.start : s.end] for s in answers[0].spans if s.label == config.labels[0].name] == ["2,000"]


async def test_the_candidate_key_stops_where_another_source_disagrees(db, config):
    """A learned model's spans alone are shown; the patterns' span it left out is a candidate."""
    from annotator.core.spans import Span

    (document,) = news_store(db, [OTHER], suggest=False)
    start = OTHER.index("soldiers")
    with Store(db) as store:
        store.add_suggestions([(document, "patterns", [Span(start, start + 8, "NORP")])], replace=False)
        store.add_suggestions([(document, "learned 1", [])], replace=False)
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.current.learned == "learned 1" and app.screen.editor.spans == ()
            for _ in range(5):  # Baghdad, Monday, Iraq, 2,000, then soldiers
                await pilot.press("semicolon")
            assert word_under_cursor(app) == "soldiers"
            await pilot.press("2", "a")
            await pilot.pause()
        answers = store.latest_answers("news", "alice")
    assert [(OTHER[s.start : s.end], s.label) for s in answers[0].spans] == [("soldiers", "NORP")]

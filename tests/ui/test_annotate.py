"""Pilot tests: press keys in the real app, then look at what the store holds."""

from __future__ import annotations

import pytest

from annotator.core.spans import Span
from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.screens.finished import FinishedScreen
from tests.helpers.news import NEWS, OTHER, SUGGESTED, THIRD, news_store, phrase_spans, write_labels
from tests.helpers.screens import screen_text

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


async def run(db, config, keys, annotator="alice", texts=(NEWS, OTHER), **options):
    """Start the app on a store, press the keys, quit; returns the document ids."""
    ids = news_store(db, list(texts)) if not db.exists() else None
    with Store(db) as store:
        app = annotate_app(store, config, "news", annotator, **options)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
    return ids


def answers(db, annotator="alice"):
    with Store(db) as store:
        return [
            (a.document, a.answer, a.spans)
            for doc in store.datasets()
            for a in store.answer_history(dataset=doc, annotator=annotator)
        ]


async def test_accept_as_is(db, config):
    ids = await run(db, config, ["a"])
    assert answers(db) == [(ids[0], "accept", tuple(phrase_spans(NEWS, SUGGESTED)))]


async def test_add_a_span_from_a_selection(db, config):
    # "Iraq sent back nearly 2,000 ...": cursor to "nearly", extend over "2,000", label CARDINAL.
    ids = await run(db, config, ["right", "right", "right", "shift+right", "9", "enter"])
    start = NEWS.index("nearly")
    assert answers(db)[0][2] == tuple(sorted([*phrase_spans(NEWS, SUGGESTED), Span(start, start + 12, "CARDINAL")]))
    assert answers(db)[0][0] == ids[0]


async def test_remove_relabel_and_resize(db, config):
    # The cursor starts on "Iraq" and the first tab visits it; tab: "Syrian" (NORP) -> relabel
    # GPE; tab: "Thursday" -> remove; tab: "Iraq" -> its end one token later ("Iraq during").
    await run(db, config, ["tab", "tab", "5", "tab", "d", "tab", "full_stop", "a"])
    spans = answers(db)[0][2]
    syrian, thursday, second_iraq = NEWS.index("Syrian"), NEWS.index("Thursday"), NEWS.index("Iraq during")
    assert Span(syrian, syrian + 6, "GPE") in spans
    assert not any(s.start == thursday for s in spans)
    assert Span(second_iraq, second_iraq + len("Iraq during"), "GPE") in spans


async def test_reject(db, config):
    await run(db, config, ["x"])
    assert [a[1] for a in answers(db)] == ["reject"]


async def documents_shown(db, config, keys) -> tuple[list[int], bool]:
    """The document on screen before each key press, and whether the finished screen
    shows at the end."""
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            shown = []
            for key in keys:
                await pilot.pause()
                shown.append(app.screen.current.document.id)
                await pilot.press(key)
            await pilot.pause()
            finished = isinstance(app.screen, FinishedScreen) and "next session" in screen_text(app)
    return shown, finished


async def test_ignored_document_comes_back_after_the_rest(db, config):
    # A skipped document comes back in the same session once the fresh ones are done; skipped
    # again, the finished screen shows (no loop), and it comes back in the next session.
    ids = news_store(db, [NEWS, OTHER, THIRD])
    assert await documents_shown(db, config, ["space", "a", "a", "space"]) == ([ids[0], ids[1], ids[2], ids[0]], True)
    assert [(a[0], a[1]) for a in answers(db)] == [
        (ids[0], "ignore"),
        (ids[1], "accept"),
        (ids[2], "accept"),
        (ids[0], "ignore"),
    ]
    await run(db, config, ["a"])
    assert [(a[0], a[1]) for a in answers(db)][4:] == [(ids[0], "accept")]


async def test_skipped_documents_come_back_oldest_first_before_the_finished_screen(db, config):
    ids = news_store(db, [NEWS, OTHER, THIRD])
    shown, finished = await documents_shown(db, config, ["space", "space", "a", "a", "space"])
    assert (shown, finished) == ([ids[0], ids[1], ids[2], ids[0], ids[1]], True)
    assert [a[1] for a in answers(db)] == ["ignore", "ignore", "accept", "accept", "ignore"]


async def test_undo_then_a_different_answer_keeps_both_rows(db, config):
    ids = await run(db, config, ["a", "u", "x"])
    assert [(a[0], a[1]) for a in answers(db)] == [(ids[0], "accept"), (ids[0], "reject")]
    with Store(db) as store:
        assert store.latest_answer(ids[0], "alice").answer == "reject"
        assert [a.answer for a in store.latest_answers("news", "alice")] == ["reject"]


async def test_undo_undoes_a_span_edit_before_going_back(db, config):
    await run(db, config, ["tab", "d", "u", "a"])
    assert answers(db)[0][2] == tuple(phrase_spans(NEWS, SUGGESTED))


async def test_quit_releases_the_lease_and_restart_resumes(db, config):
    ids = await run(db, config, ["a", "q"])
    with Store(db) as store:
        assert store.leases() == []
    await run(db, config, ["a"])
    assert [a[0] for a in answers(db)] == ids[:2]


async def test_finished_screen_when_nothing_is_left(db, config):
    news_store(db, [THIRD])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)
            assert "accepted" in screen_text(app) and "Nothing left" in screen_text(app)
            await pilot.press("u")  # back to the last document, to answer it again
            await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)
    assert [a[1] for a in answers(db)] == ["accept", "reject"]


async def test_keymap_override_from_labels_yaml(db, tmp_path):
    config = write_labels(tmp_path, 'keymap: {accept: "y", reject: "n"}\n')
    ids = await run(db, config, ["a", "y", "n"])  # "a" no longer accepts
    assert [(a[0], a[1]) for a in answers(db)] == [(ids[0], "accept"), (ids[1], "reject")]


async def test_help_lists_the_bindings_after_the_keymap(db, tmp_path):
    config = write_labels(tmp_path, 'keymap: {accept: "y"}\n')
    news_store(db, [NEWS])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            lines = [line for line in screen_text(app).splitlines() if " accept " in line]
            assert lines and "y" in lines[0].split() and "a" not in lines[0].split()
            await pilot.press("escape")
            await pilot.pause()
            assert "HelpScreen" not in type(app.screen).__name__


async def test_down_moves_the_cursor_one_screen_line_and_skips_blank_lines(db, config):
    from annotator.ui.widgets.span_text import SpanText

    news_store(db, [NEWS])
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(60, 30)) as pilot:
            await pilot.pause()
            view = app.screen.query_one(SpanText)
            lines = []
            for _ in range(4):
                await pilot.press("down")
                lines.append(view.cursor_line())
            blank = [y for y, line in enumerate(view.layout_cache.lines) if not line.pieces]
            assert view.scroll_offset.y == 0
    assert lines == [y for y in range(1, 6) if y not in blank][:4]


async def test_the_status_says_what_the_cursor_is_on_and_tab_visits_the_first_span(db, config):
    news_store(db, [NEWS, OTHER])
    said = []
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            status = app.screen.query_one("#status")
            said.append(status.message)
            for key in ("tab", "tab", "a"):
                await pilot.press(key)
                said.append(status.message)
    assert said[0].startswith("on 'Iraq' (GPE) · tab: spans in order")
    assert said[1].startswith("on 'Iraq' (GPE): ")  # the document opened on the first span: tab stays there
    assert said[2].startswith("on 'Syrian' (NORP): ")
    assert said[3].startswith("accepted: 'Iraq sent back") and said[3].endswith("now at 'Officials'")

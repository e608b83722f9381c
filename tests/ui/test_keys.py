"""Every binding of every screen comes from the one registry (annotator.core.actions), has an
id, and is rebound by labels.yaml's keymap in the real app: press the new key, look at the app."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.widgets import DataTable

from annotator.core import actions
from annotator.store import Store
from annotator.ui.app import annotate_app, review_app
from annotator.ui.screens.agreement import AgreementScreen
from annotator.ui.screens.annotate import AnnotateScreen
from annotator.ui.screens.finished import FinishedScreen
from annotator.ui.screens.help import HelpScreen
from annotator.ui.screens.review import ReviewScreen
from annotator.ui.screens.review_done import ReviewDoneScreen
from annotator.ui.screens.unsaved import UnsavedScreen
from tests.helpers.news import write_labels
from tests.helpers.review_fixtures import disagreeing_store

pytestmark = pytest.mark.anyio
SIZE = (130, 50)
SCREENS = {
    actions.ANNOTATE: AnnotateScreen,
    actions.REVIEW: ReviewScreen,
    actions.FINISHED: FinishedScreen,
    actions.AGREEMENT: AgreementScreen,
    actions.HELP: HelpScreen,
    actions.UNSAVED: UnsavedScreen,
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_binding_of_a_screen_has_an_id_of_the_registry_and_its_default_keys(screen):
    made = list(Binding.make_bindings(SCREENS[screen].BINDINGS))
    assert made and all(binding.id for binding in made), [b for b in made if not b.id]
    registry = {action.id: action for action in actions.on_screen(screen)}
    assert {binding.id for binding in made} == set(registry)
    for binding in made:
        assert binding.key in [key for key in registry[binding.id].keys.split(",")]


def test_the_review_end_screen_has_the_finished_screens_bindings():
    assert ReviewDoneScreen.BINDINGS == FinishedScreen.BINDINGS


def test_no_screen_binds_one_default_key_to_two_actions():
    for screen in actions.SCREENS:
        keys = [key for action in actions.on_screen(screen) for key in action.keys.split(",")]
        assert len(keys) == len(set(keys)), screen


async def test_the_agreement_screens_keys_are_rebound_by_the_keymap(db, tmp_path):
    ids = disagreeing_store(db)  # alice has answered everything: the finished screen
    config = write_labels(tmp_path, 'keymap: {agreement_back: "b", agreement_refresh: "f", agreement: "y"}\n')
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)
            await pilot.press("g")  # rebound: no longer the agreement key
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)
            await pilot.press("y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AgreementScreen) and screen.result is not None
            assert "dave" not in [row["name"] for row in screen.result.report["annotators"]]
            with Store(db) as other:  # a new annotator meanwhile: the recompute key shows them
                other.add_answer(next(iter(ids.values())), "dave", "accept", [], started_at=0)
            await pilot.press("r")  # the old key does nothing now
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "dave" not in [row["name"] for row in screen.result.report["annotators"]]
            await pilot.press("f")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "dave" in [row["name"] for row in screen.result.report["annotators"]]
            await pilot.press("escape", "q")  # the old keys do not go back
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("b")
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)


async def test_the_help_screens_close_key_is_rebound_by_the_keymap(db, tmp_path):
    disagreeing_store(db)
    config = write_labels(tmp_path, 'keymap: {help: "h", help_close: "c"}\n')
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("h")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape", "q", "question_mark")  # the old close keys
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, FinishedScreen)


async def test_the_review_end_screens_keys_are_rebound_by_the_keymap(db, tmp_path):
    disagreeing_store(db)
    config = write_labels(tmp_path, 'keymap: {agreement: "y", undo: "z", ignore: "s"}\n')
    with Store(db) as store:
        app, _ = review_app(store, config, "news", "rita")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("s", "s")  # skip both disagreements
            await pilot.pause()
            assert isinstance(app.screen, ReviewDoneScreen)
            await pilot.press("u")
            await pilot.pause()
            assert isinstance(app.screen, ReviewDoneScreen)
            await pilot.press("z")  # back to the last document
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.case is not None
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, AgreementScreen)
            assert app.screen.query_one("#worst", DataTable).row_count == 2


async def test_the_help_screen_lists_every_action_of_the_screen_with_its_rebound_keys(db, tmp_path):
    disagreeing_store(db)
    config = write_labels(tmp_path, 'keymap: {agreement: "y", quit: "ctrl+x"}\n')
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            rows = {binding_id: keys for keys, binding_id, _ in app.screen.rows}
    assert list(rows) == [action.id for action in actions.on_screen(actions.FINISHED)]
    assert rows["agreement"] == ["y"] and rows["quit"] == ["ctrl+x"] and rows["undo"] == ["u", "backspace"]


async def test_the_first_documents_hint_names_the_keys_as_rebound(db, tmp_path):
    from annotator.ui.widgets.status import StatusLine
    from tests.helpers.news import NEWS
    from tests.helpers.news import news_store as make_store

    make_store(db, [NEWS])
    config = write_labels(tmp_path, 'keymap: {accept: "y", help: "h", next_span: "n"}\n')
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            said = app.screen.query_one(StatusLine).message
    assert said.endswith("n: spans in order · shift+arrows: select · y: accept · h: all keys"), said

"""`annotate --control SHARE` in the real app (Pilot): a control document opens without
suggestions (none arrive later either), the top line says so, and its answer records
shown = '' in the store; the other documents open with theirs and record their source."""

from __future__ import annotations

import pytest

from annotator.core.split import split_key
from annotator.core.task_order import HandOut, is_control
from annotator.store import Store
from annotator.ui.app import annotate_app
from tests.helpers.news import NEWS, OTHER, SUGGESTED, THIRD, news_store, phrase_spans
from tests.helpers.screens import screen_text
from tests.helpers.stores import plain_rows

SIZE = (120, 30)
pytestmark = pytest.mark.anyio


async def test_a_control_document_is_shown_without_suggestions_and_its_answer_says_so(db, config):
    texts = [NEWS, OTHER, THIRD]
    ids = news_store(db, texts)
    with Store(db) as store:
        hashes = {i: store.document(i).input_hash for i in ids}
        keys = sorted(split_key(f"control:{h}") for h in hashes.values())
        share = (keys[0] + keys[-1]) / 2  # some documents on each side
        control = {i for i, h in hashes.items() if is_control(h, share)}
        assert control and control != set(ids)
        app = annotate_app(store, config, "news", "alice", hand_out=HandOut(control=share))
        async with app.run_test(size=SIZE) as pilot:
            seen = {}
            for _ in ids:
                await pilot.pause()
                task = app.screen.current
                document = task.document.id
                seen[document] = (app.screen.editor.spans, "control: shown without suggestions" in screen_text(app))
                app.screen.on_suggestions_ready(type("Ready", (), {"document_ids": [document]})())  # none arrive
                assert app.screen.editor.spans == seen[document][0]
                await pilot.press("a")
            await pilot.pause()
    for document, text in zip(ids, texts, strict=True):
        spans, said = seen[document]
        assert (spans == ()) is (document in control) and said is (document in control)
        if document not in control:
            assert spans == tuple(phrase_spans(text, SUGGESTED))
    shown = dict(plain_rows(db, "SELECT document, shown FROM answers WHERE annotator = 'alice'"))
    assert shown == {i: "" if i in control else "test" for i in ids}
    stored = dict(plain_rows(db, "SELECT document, spans FROM answers"))
    assert all(stored[i] == "[]" for i in control)  # accepted as shown: nothing

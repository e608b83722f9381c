"""' (the rest of a name) and = (every other occurrence) pressed in the real annotate screen:
what the store holds after the answer, the status line, the keymap and the help."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.screens.help import HelpScreen
from tests.helpers.news import NEWS, THIRD, news_store, write_labels

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


async def press(db, config, text, keys, seen=None):
    """Open the text without suggestions, press the keys; the status lines after each (``seen``:
    also the help's rows, id -> keys, when a key opened it), and the stored spans as words with
    their labels."""
    news_store(db, [text], suggest=False)
    said = []
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                status = app.screen.query("#status")
                said.append(status.first().message if status else "")
                if isinstance(app.screen, HelpScreen) and seen is not None:
                    seen.update({binding_id: keys for keys, binding_id, _ in app.screen.rows})
            await pilot.pause()
        (answer,) = store.latest_answers("news", "alice")
    return said, [(text[s.start : s.end], s.label) for s in answer.spans]


async def test_apostrophe_selects_the_rest_of_the_name_and_a_label_key_labels_it(db, config):
    said, stored = await press(db, config, THIRD, ["apostrophe", "1", "a"])
    assert said[0].startswith("selected 'Mohammad al-Bashir'")
    assert stored == [("Mohammad al-Bashir", "PERSON")]


async def test_equals_labels_every_other_occurrence_of_the_span_under_the_cursor(db, config):
    said, stored = await press(db, config, NEWS, ["5", "equals_sign", "a"])  # the cursor opens on Iraq
    assert said[1] == "labelled 2 more 'Iraq' as GPE"
    assert stored == [("Iraq", "GPE")] * 3


async def test_the_keymap_rebinds_both_and_the_help_lists_them(db, tmp_path):
    config = write_labels(tmp_path, 'keymap: {select_name: "n", label_others: "o"}\n')
    rows: dict[str, list[str]] = {}
    keys = ["apostrophe", "equals_sign", "5", "o", "question_mark", "escape", "a"]
    said, stored = await press(db, config, NEWS, keys, rows)
    assert stored == [("Iraq", "GPE")] * 3  # ' and = do nothing now; o labelled the other two
    assert rows["select_name"] == ["n"] and rows["label_others"] == ["o"]


async def test_a_label_key_older_than_these_keys_keeps_its_key(db, tmp_path):
    from tests.helpers.news import NEWS_LABELS

    labels = NEWS_LABELS.replace('key: "1"', 'key: "="', 1).replace('key: "2"', 'key: "\'"', 1)
    config = write_labels(tmp_path, labels=labels)
    assert config.bindings()["label_others"] == "" and config.bindings()["select_name"] == ""
    said, stored = await press(db, config, THIRD, ["equals_sign", "a"])  # = is PERSON's key here
    assert stored == [("Mohammad", "PERSON")]


# Found trying the program: the status line quoted a word with repr, so a zero-width space read
# '\u200b' there and nothing in the document, and a bell read '\x07' there and ␇ in the document.
async def test_the_status_line_quotes_a_word_as_the_document_shows_it(db, config):
    keys = ["right", "left", "shift+right", "1", "a"]
    said, _ = await press(db, config, "Ibu\u200bprofen rings\x07 twice.", keys)
    assert said[0] == "at 'rings␇': shift+arrows select, a label key labels"
    assert said[1] == "at 'Ibu<U+200B>profen': shift+arrows select, a label key labels"
    assert said[2] == "selected 'Ibu<U+200B>profen rings␇': press a label key"
    assert said[3].startswith("added 'Ibu<U+200B>profen rings␇' as PERSON")  # the editor's own words too

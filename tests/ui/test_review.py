"""Pilot tests of the review screen on a store where three annotators disagree: keys in
the real app, then the review rows in the store."""

from __future__ import annotations

import pytest

from annotator.core.spans import Span
from annotator.io.labels import DEFAULT_KEYMAP, key_name
from annotator.store import Store
from annotator.ui.app import review_app
from annotator.ui.screens.review import ReviewScreen
from annotator.ui.screens.review_done import ReviewDoneScreen
from annotator.ui.widgets.version_text import VersionText
from tests.helpers.news import NEWS, OTHER, THIRD
from tests.helpers.review_fixtures import VERSIONS, answer_ids, at, disagreeing_store
from tests.helpers.screens import screen_text

SIZE = (100, 32)
pytestmark = pytest.mark.anyio
# The key names a terminal reports for shift+1..9 on a US keyboard: the default keys that
# take a version (pressed through the names, a wrong default would go unnoticed).
SHIFT = {k: key_name(c) for k, c in enumerate("!@#$%^&*(", start=1)}


def test_shift_digits_are_the_default_keys_of_the_versions():
    for k in range(1, 10):
        assert DEFAULT_KEYMAP[f"take_version_{k}"].split(",") == [SHIFT[k], f"f{k}"]


async def review(db, config, keys, check=None, **options):
    """Open the review app, press the keys, call ``check(app)`` if given, quit."""
    with Store(db) as store:
        app, session = review_app(store, config, "news", "rita", **options)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            if check is not None:
                check(app)
    return session


def reviews(db, document):
    with Store(db) as store:
        return store.review_history(document)


async def test_take_a_version_edit_it_and_accept_it(db, config):
    ids = disagreeing_store(db)
    # NEWS opens with alice's and bob's version, the cursor on the first difference
    # ("Syrian"); take carol's (shift+3), on to the third difference (her "al-Assad"),
    # remove it, accept.
    await review(db, config, [SHIFT[3], "]", "]", "d", "a"])
    [row] = reviews(db, ids[NEWS])
    carol = VERSIONS[NEWS]["carol"]
    assert row.answer == "accept" and row.reviewer == "rita"
    decided = tuple(sorted(set(carol) - {at(NEWS, "al-Assad", "PERSON")}))
    assert row.spans == decided
    with Store(db) as store:
        assert row.decided_from == answer_ids(store, ids[NEWS])
        assert len(row.decided_from) == 3
        # Export counts the review: the gold version is the final one.
        assert store.latest_reviews("news")[ids[NEWS]].spans == decided
    assert reviews(db, ids[OTHER]) == []  # only decided documents are stored


async def test_gold_opens_as_the_most_common_version_and_label_keys_edit_it(db, config):
    ids = disagreeing_store(db)
    # Accept NEWS as it opens (alice = bob); on OTHER (three ways: the first, alice's),
    # take F2 (bob's), then to "2,000" (the cursor opens on the first difference,
    # "Monday"; then Russia, Iraq, 2,000) and label it CARDINAL with the label key 9.
    keys = ["a", "f2", "]", "]", "]", "9", "enter"]
    await review(db, config, keys)
    assert reviews(db, ids[NEWS])[0].spans == tuple(sorted(VERSIONS[NEWS]["alice"]))
    [other] = reviews(db, ids[OTHER])
    assert other.spans == tuple(sorted([*VERSIONS[OTHER]["bob"], at(OTHER, "2,000", "CARDINAL")]))


async def test_versions_are_shown_with_disputed_spans_marked(db, config):
    ids = disagreeing_store(db)

    def check(app):
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shown = screen_text(app)
        for words in ("alice  accept", "bob  accept", "carol  accept", "reviewed 0/2", "same as 1 alice, 2 bob"):
            assert words in shown, words
        versions = list(screen.query(".version").results(VersionText))
        assert [v.spans for v in versions] == [tuple(sorted(VERSIONS[NEWS][n])) for n in ("alice", "bob", "carol")]
        iraq, syrian = at(NEWS, "Iraq", "GPE"), at(NEWS, "Syrian", "NORP")
        assert not versions[0].disputed(iraq) and versions[0].disputed(syrian)
        drawn = {segment.text: segment.style for segment in versions[0].render_line(0)}
        assert drawn["Syrian"].underline and not drawn["Iraq"].underline  # not every version has it

    await review(db, config, [], check)
    assert reviews(db, ids[NEWS]) == []


async def test_skip_then_undo_goes_back_and_a_new_decision_is_a_new_row(db, config):
    ids = disagreeing_store(db)

    def check(app):
        assert isinstance(app.screen, ReviewDoneScreen)
        assert "Nothing left to review" in screen_text(app)

    # Skip NEWS, accept OTHER; undo: back to OTHER; reject it; done.
    session = await review(db, config, ["space", "a", "u", "x"], check)
    assert reviews(db, ids[NEWS]) == []  # skipped: nothing stored, it stays to review
    assert [r.answer for r in reviews(db, ids[OTHER])] == ["accept", "reject"]
    assert session.count("reject") == 1 and session.count("accept") == 0 and session.skipped == 1
    with Store(db) as store:
        assert store.latest_reviews("news")[ids[OTHER]].answer == "reject"  # the newest counts
    # Next session: only the skipped document is due.
    with Store(db) as store:
        from annotator.usecases.review_session import ReviewSession

        assert ReviewSession(store, config, "news", "rita").queue == [ids[NEWS]]


async def test_undo_takes_back_an_edit_before_a_document(db, config):
    ids = disagreeing_store(db)
    # Remove "Iraq", undo the removal, accept: the gold as it opened.
    await review(db, config, ["d", "u", "a"])
    assert reviews(db, ids[NEWS])[0].spans == tuple(sorted(VERSIONS[NEWS]["alice"]))


async def test_undo_after_the_last_document_reopens_it(db, config):
    ids = disagreeing_store(db)

    def check(app):
        assert isinstance(app.screen, ReviewScreen) and app.screen.case.document.id == ids[OTHER]
        assert "you decided accept" in screen_text(app)

    await review(db, config, ["a", "a", "u"], check)


async def test_auto_accept_stores_only_the_unanimous_documents(db, config):
    ids = disagreeing_store(db)
    session = await review(db, config, ["q"], auto_accept=True, min_answers=1)
    assert session.auto_accepted == 1
    [third] = reviews(db, ids[THIRD])
    assert third.answer == "accept" and third.spans == tuple(sorted(VERSIONS[THIRD]["alice"]))
    with Store(db) as store:
        assert third.decided_from == answer_ids(store, ids[THIRD])
    assert reviews(db, ids[NEWS]) == reviews(db, ids[OTHER]) == []
    assert session.queue == [ids[NEWS], ids[OTHER]]  # --all, less what was auto-accepted


async def test_taking_a_version_that_does_not_exist_says_so(db, config):
    disagreeing_store(db)

    def check(app):
        assert "there is no version 4" in screen_text(app)

    await review(db, config, [SHIFT[4]], check)


async def test_review_keys_are_rebindable_by_id(db, tmp_path):
    from tests.helpers.news import write_labels

    config = write_labels(tmp_path, 'keymap: {take_version_3: "t", accept: "y"}\n')
    ids = disagreeing_store(db)
    await review(db, config, ["t", "y"])
    assert reviews(db, ids[NEWS])[0].spans == tuple(sorted(VERSIONS[NEWS]["carol"]))


async def test_export_writes_the_reviewed_spans(db, config, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    from annotator.usecases.export import export_spacy

    ids = disagreeing_store(db)
    # NEWS: carol's version; OTHER: bob's; THIRD was unanimous (exported without review).
    await review(db, config, [SHIFT[3], "a", SHIFT[2], "a"])
    with Store(db) as store:
        summary = export_spacy(store, "news", tmp_path / "out", eval_split=0.5, conflicts="review")
    assert sum(summary.documents.values()) == 3
    vocab = spacy.blank("en").vocab
    docs = [
        doc
        for side in ("train", "dev")
        for doc in DocBin().from_disk(tmp_path / "out" / f"{side}.spacy").get_docs(vocab)
    ]
    exported = {doc.text: {Span(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in docs}
    assert exported[NEWS] == set(VERSIONS[NEWS]["carol"])
    assert exported[OTHER] == set(VERSIONS[OTHER]["bob"])
    assert exported[THIRD] == set(VERSIONS[THIRD]["alice"])
    assert ids  # the three documents came from the store built above


async def test_a_worst_document_of_the_agreement_screen_is_decided_there(db, config):
    from textual.widgets import DataTable

    from annotator.ui.screens.agreement import AgreementScreen
    from tests.helpers.screens import Host

    ids = disagreeing_store(db)
    app = Host(AgreementScreen(db, "news", config), config)
    async with app.run_test(size=(130, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        worst = app.screen.query_one("#worst", DataTable)
        chosen = int(worst.coordinate_to_cell_key((0, 0)).row_key.value)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.case.document.id == chosen
        await pilot.press(SHIFT[1], "a")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)  # back where the reviewer came from
    [row] = reviews(db, chosen)
    assert row.spans == tuple(sorted(VERSIONS[[t for t, i in ids.items() if i == chosen][0]]["alice"]))


async def test_the_cursor_opens_on_the_first_difference_and_walks_through_them(db, config):
    disagreeing_store(db)
    seen = []

    def where(app):
        editor = app.screen.editor
        seen.append(editor.text[editor.tokens.starts[editor.cursor] :][:8])

    with Store(db) as store:
        app, _ = review_app(store, config, "news", "rita")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            where(app)
            assert "difference 1 of 4, 'Syrian': NORP in 1,2" in screen_text(app)
            for key in ("]", "]", "]", "]", "["):
                await pilot.press(key)
                where(app)
    assert seen == ["Syrian s", "Bashar a", "al-Assad", "Syria.", "Syrian s", "Syria."]


async def test_going_back_without_deciding_again_leaves_the_decision_standing(db, config):
    ids = disagreeing_store(db)
    session = await review(db, config, ["x", "u", "q"])
    assert [r.answer for r in reviews(db, ids[NEWS])] == ["reject"]
    assert session.count("reject") == 1 and session.reviewed == 1  # what the command reports

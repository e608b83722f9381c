"""The real `annotator review` in tmux: three annotators disagreed on two paragraphs of the
demo; a reviewer settles both with the keyboard; the store holds the two reviews."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from annotator.store import Store
from tests.helpers.paths import ROOT
from tests.helpers.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


@pytest.fixture
def disagreed(tmp_path):
    """The demo imported with the real command; alice, bob and carol answered every
    paragraph, and disagree on two of them. Returns (folder, [first, second] ids)."""
    for name in ("labels.yaml", "patterns.jsonl"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    subprocess.run(
        ["annotator", "import", "seeds", "--dataset", "demo", "--split", "paragraph"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    with Store(tmp_path / "annotations.db") as store:
        documents = [doc.id for doc in store.documents("demo")]
        suggested = {doc: sorted({s for spans in store.suggestions(doc).values() for s in spans}) for doc in documents}
        chosen = [doc for doc in documents if len(suggested[doc]) >= 2][:2]
        for doc in documents:
            spans = suggested[doc]
            versions = {"alice": spans, "bob": spans, "carol": spans}
            if doc == chosen[0]:  # bob and carol dropped the first span: theirs is the most common
                versions = {"alice": spans, "bob": spans[1:], "carol": spans[1:]}
            elif doc == chosen[1]:  # carol dropped the last one
                versions = {"alice": spans, "bob": spans, "carol": spans[:-1]}
            for name, version in versions.items():
                store.add_answer(doc, name, "accept", version, started_at=0)
    return tmp_path, chosen, suggested


def test_review_two_documents_in_a_real_terminal(disagreed):
    folder, (first, second), suggested = disagreed
    terminal = Terminal(folder, "annotator review --reviewer e2e-reviewer")
    try:
        screen = terminal.wait_for("reviewed 0/2", timeout=60)
        assert "alice" in screen and "carol" in screen and "differ" in screen
        assert "same as 2 bob, 3 carol" in screen  # the gold opens as the most common version
        terminal.press("!", expect="took version 1")  # shift+1: alice's version
        terminal.press("a", expect="reviewed 1/2")
        terminal.press("F3", expect="took version 3")  # carol's, then give back the span she dropped:
        terminal.press("u", expect="undone")  # undo the take: the gold is alice's again (= bob's)
        terminal.press("?", expect="take_version_1")
        terminal.press("Escape")
        terminal.press("Enter", expect="Nothing left to review")
        terminal.press("q")
        deadline = time.monotonic() + 20
        while not (folder / "exit-status").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (folder / "exit-status").read_text().strip() == "0"
    finally:
        terminal.close()
    with Store(folder / "annotations.db") as store:
        reviews = store.latest_reviews("demo")
        assert sorted(reviews) == [first, second]
        for document in (first, second):
            review = reviews[document]
            assert review.reviewer == "e2e-reviewer" and review.answer == "accept"
            assert review.spans == tuple(suggested[document])  # alice's version both times
            answers = {a.id for a in store.latest_answers("demo") if a.document == document}
            assert set(review.decided_from) == answers and len(answers) == 3
    # `annotator export` writes the reviewed spans (export's default --conflicts review).
    subprocess.run(["annotator", "export", "out"], cwd=folder, check=True, capture_output=True)
    exported = _exported(folder / "out")
    with Store(folder / "annotations.db") as store:
        for document in (first, second):
            text = store.document(document).text
            assert exported[text] == {(s.start, s.end, s.label) for s in reviews[document].spans}


def _exported(folder):
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    docs = [doc for side in ("train", "dev") for doc in DocBin().from_disk(folder / f"{side}.spacy").get_docs(vocab)]
    return {doc.text: {(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in docs}


def test_all_with_auto_accept_stores_the_unanimous_and_shows_the_rest(disagreed):
    folder, (first, second), _ = disagreed
    terminal = Terminal(folder, "annotator review --all --auto-accept --reviewer e2e-reviewer")
    try:
        terminal.wait_for("reviewed 0/2", timeout=60)  # every document, less the unanimous ones
        terminal.press("q")
        screen = terminal.wait_for("left to review", timeout=20).replace("\n", "")  # one line, wrapped
        assert "unanimous auto-accepted" in screen
    finally:
        terminal.close()
    with Store(folder / "annotations.db") as store:
        reviews = store.latest_reviews("demo")
        documents = [doc.id for doc in store.documents("demo")]
        assert sorted(reviews) == sorted(set(documents) - {first, second})
        assert f"{len(reviews)} unanimous auto-accepted" in screen

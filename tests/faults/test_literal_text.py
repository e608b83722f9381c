"""Literal text, end to end: documents and labels full of Rich markup and control
characters go in through `annotator import`, show on the annotate screen exactly as typed
(control characters as their visible pictures), are accepted there, and come out of
`annotator export` (DocBin and JSONL) unchanged: the same text, the same entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import srsly

from annotator.core.visible import visible
from annotator.io.labels import load_labels
from annotator.store import Store
from annotator.ui.app import annotate_app
from tests.helpers.cli_runner import CLI
from tests.helpers.screens import screen_text

pytestmark = pytest.mark.anyio
TEXTS = [
    "Meet [bold]Alice[/] at [link=http://x.example]Paris[/link]\tnow\x07 or \x1b[31mBerlin\x1b[0m,"
    "\r\nsaid [red]Bob[/red].",
    "[i]Zoe[/i] went to \x1b]8;;http://evil.example\x1b\\Rome\x1b]8;;\x1b\\ [/]\t[on red]Oslo[/on red]\r ok.",
]
WORDS = {"Alice": "[red]PER[/red]", "Bob": "[red]PER[/red]", "Zoe": "[red]PER[/red]",
         "Paris": "[b]GPE", "Berlin": "[b]GPE", "Rome": "[b]GPE", "Oslo": "[b]GPE"}  # fmt: skip
LABELS = """
lang: en
model: null
patterns: null
labels:
  - {name: "[red]PER[/red]", key: "1", color: "#e5c07b"}
  - {name: "[b]GPE", key: "2"}
  - {name: "[/]", key: "3"}
"""


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
def cli():
    runner = CLI()
    yield runner
    runner.close()


def token_spans(text: str) -> list[dict]:
    """Each word of WORDS, widened to whole tokens of spaCy's English tokenizer."""
    import spacy

    doc = spacy.blank("en")(text)
    spans = []
    for word, label in WORDS.items():
        if word in text:
            start = text.index(word)
            span = doc.char_span(start, start + len(word), alignment_mode="expand")
            spans.append({"start": span.start_char, "end": span.end_char, "label": label})
    return sorted(spans, key=lambda s: s["start"])


def as_shown(text: str, spans: list[dict]) -> list[str]:
    """The screen's rows for a document: its lines as typed, each span's label after it,
    control characters as their pictures (what ``layout.visible`` draws)."""
    pieces, at = [], 0
    for span in spans:
        pieces += [text[at : span["end"]], " " + span["label"]]
        at = span["end"]
    return [visible(row) for row in ("".join(pieces) + text[at:]).split("\n")]


async def test_markup_and_control_characters_pass_through_unchanged(tmp_path: Path, cli):
    (tmp_path / "labels.yaml").write_text(LABELS, encoding="utf-8")
    lines = [{"text": text, "spans": token_spans(text)} for text in TEXTS]
    srsly.write_jsonl(tmp_path / "literal.jsonl", lines)
    common = ["--db", "store.db", "--labels", "labels.yaml", "--dataset", "lit"]
    status, out, err = cli.run(tmp_path, "import", "literal.jsonl", *common)
    assert status == 0 and "2 new documents" in out, err
    texts = [line["text"] for line in lines]

    with Store(tmp_path / "store.db") as store:
        stored = {doc.text: doc for doc in store.documents("lit")}
        assert set(stored) == set(texts)  # imported as typed
        app = annotate_app(store, load_labels(tmp_path / "labels.yaml"), "lit", "carol")
        async with app.run_test(size=(160, 24)) as pilot:
            for _ in lines:  # each document in turn, accepted as shown
                await pilot.pause()
                shown = screen_text(app)
                on_screen = [line for line in lines if as_shown(line["text"], line["spans"])[0] in shown]
                assert len(on_screen) == 1, shown
                line = on_screen[0]
                for row in as_shown(line["text"], line["spans"]):
                    assert row in shown, row
                assert f"1 [red]PER[/red] {[s['label'] for s in line['spans']].count('[red]PER[/red]')}" in shown
                assert "3 [/] 0" in shown  # the label bar: key, name, count
                assert not any(c in shown for c in "\x07\x1b\t\r")
                await pilot.press("a")
            await pilot.pause()
        answers = {store.document(a.document).text: a for a in store.latest_answers("lit", "carol")}
    assert {t: [(s.start, s.end, s.label) for s in answers[t].spans] for t in texts} == {
        line["text"]: [(s["start"], s["end"], s["label"]) for s in line["spans"]] for line in lines
    }

    status, out, err = cli.run(tmp_path, "export", "out", "--eval-split", "0.5", *common)
    assert status == 0, err
    exported = {}
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    for name in ("train.spacy", "dev.spacy"):
        for doc in DocBin().from_disk(tmp_path / "out" / name).get_docs(vocab):
            exported[doc.text] = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
    assert exported == {
        line["text"]: [(s["start"], s["end"], s["label"], line["text"][s["start"] : s["end"]]) for s in line["spans"]]
        for line in lines
    }

    status, out, err = cli.run(tmp_path, "export", "out-jsonl", "--format", "jsonl", *common)
    assert status == 0, err
    (written,) = (tmp_path / "out-jsonl").glob("*.jsonl")
    rows = [json.loads(row) for row in written.read_text(encoding="utf-8").splitlines()]
    assert {r["text"]: [(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in rows} == {
        line["text"]: [(s["start"], s["end"], s["label"]) for s in line["spans"]] for line in lines
    }

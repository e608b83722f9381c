"""Every importer on files in its real format, through the one-transaction importer."""

from __future__ import annotations

import json

from annotator.core.spans import Span
from annotator.io import detect_format
from tests.helpers.importing import TEXT_A, TEXT_B, prodigy_line, run_import, write_jsonl
from tests.helpers.paths import SEEDS


def test_text_paragraphs_keep_file_and_offset(store, config):
    result = run_import(store, config, [SEEDS], split="paragraph")
    docs = list(store.documents("news"))
    assert result.files == 2 and len(docs) == result.added > 20
    for doc in docs:
        source = doc.meta["file"]
        original = open(source, encoding="utf-8", newline="").read()
        assert original[doc.meta["offset"] : doc.meta["offset"] + len(doc.text)] == doc.text
        assert doc.tokens[0][0] == 0 and doc.tokens[-1][1] == len(doc.text)


def test_text_split_none_and_sentence(store, config, tmp_path):
    path = tmp_path / "two.txt"
    path.write_text("First sentence here. Second one there.\n\nA new paragraph.\n", encoding="utf-8")
    run_import(store, config, [path], dataset="whole", split="none")
    run_import(store, config, [path], dataset="sents", split="sentence")
    assert [d.text for d in store.documents("whole")] == ["First sentence here. Second one there.\n\nA new paragraph."]
    sentences = list(store.documents("sents"))
    assert [d.text for d in sentences] == ["First sentence here.", "Second one there.", "A new paragraph."]
    assert [d.meta["offset"] for d in sentences] == [0, 21, 40]
    assert sentences[2].meta["line"] == 3


def test_reimport_adds_nothing(store, config):
    first = run_import(store, config, [SEEDS])
    before = store.count_documents("news")
    again = run_import(store, config, [SEEDS])
    assert again.added == 0 and again.read == first.read and store.count_documents("news") == before


def test_plain_jsonl_with_meta_and_id(store, config, tmp_path):
    path = write_jsonl(
        tmp_path / "plain.jsonl", [{"text": TEXT_A, "meta": {"source": "wire"}, "id": 7}, {"text": TEXT_B}]
    )
    run_import(store, config, [path])
    first = next(iter(store.documents("news")))
    assert first.meta["source"] == "wire" and first.meta["id"] == 7 and first.meta["line"] == 1
    assert store.suggestions(first.id) == {} and store.annotators("news") == []


def test_prodigy_tokens_kept_and_answers_of_two_annotators(store, config, tmp_path):
    lines = [
        prodigy_line(
            TEXT_A,
            [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE")],
            "accept",
            _annotator_id="news-alice",
            _timestamp=1700000000,
        ),
        prodigy_line(TEXT_A, [("Damascus", "GPE")], "accept", _annotator_id="news-bob", _session_id="news-bob"),
        prodigy_line(TEXT_B, [], "reject", _session_id="news-bob"),
        prodigy_line(TEXT_B, [("Iraq", "GPE")], "accept"),  # no annotator: --annotator's
        prodigy_line("Syria is a country.", [("Syria", "GPE")]),  # no answer: suggestions
    ]
    # Prodigy tokens need not be spaCy's: split "al-Sharaa" into one token to show they are kept.
    lines[0]["tokens"] = [t for t in lines[0]["tokens"] if t["text"] not in ("-", "Sharaa")]
    lines[0]["tokens"][1] = {"text": "al-Sharaa", "start": 6, "end": 15, "id": 1, "ws": True}
    path = write_jsonl(tmp_path / "prodigy.jsonl", lines)
    result = run_import(store, config, [path], annotator="carol")
    assert result.added == 3 and result.answers == 4 and result.suggestions == 1
    docs = {d.text: d for d in store.documents("news")}
    assert (6, 15) in docs[TEXT_A].tokens  # as the file gave them
    assert store.annotators("news") == ["carol", "news-alice", "news-bob"]
    alice = store.latest_answer(docs[TEXT_A].id, "news-alice")
    assert alice.spans == (Span(0, 15, "PERSON"), Span(33, 41, "GPE")) and alice.answered_at == 1700000000
    assert store.latest_answer(docs[TEXT_B].id, "news-bob").answer == "reject"
    assert store.latest_answer(docs[TEXT_B].id, "carol").spans == (Span(0, 4, "GPE"),)
    assert store.suggestions(docs["Syria is a country."].id) == {"prodigy": (Span(0, 5, "GPE"),)}
    # The same file again adds no documents and no answers.
    again = run_import(store, config, [path], annotator="carol")
    assert again.added == 0 and again.answers == 0
    assert len(store.answer_history(docs[TEXT_A].id)) == 2


def test_doccano_labels_are_suggestions_or_answers(store, config, tmp_path):
    line = {"id": 3, "text": TEXT_B, "label": [[0, 4, "GPE"], [10, 15, "CARDINAL"], [33, 38, "GPE"]]}
    new_style = {"text": TEXT_A, "entities": [{"start_offset": 33, "end_offset": 41, "label": "GPE"}]}
    path = write_jsonl(tmp_path / "doccano.jsonl", [line, new_style])
    run_import(store, config, [path])
    docs = {d.text: d for d in store.documents("news")}
    assert store.suggestions(docs[TEXT_B].id) == {
        "doccano": (Span(0, 4, "GPE"), Span(10, 15, "CARDINAL"), Span(33, 38, "GPE"))
    }
    result = run_import(store, config, [path], dataset="answers", annotator="dana", as_answers=True)
    assert result.answers == 2
    answers = store.latest_answers("answers")
    assert {a.annotator for a in answers} == {"dana"} and {a.answer for a in answers} == {"accept"}


def _docbin(path, nlp, items):
    from spacy.tokens import DocBin

    doc_bin = DocBin()
    for text, ents in items:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(text.index(p), text.index(p) + len(p), label=label) for p, label in ents]
        doc_bin.add(doc)
    doc_bin.to_disk(path)
    return path


def test_docbin_entities_as_suggestions_or_answers(store, config, tmp_path):
    import spacy

    path = _docbin(
        tmp_path / "train.spacy",
        spacy.blank("en"),
        [(TEXT_A, [("Damascus", "GPE"), ("Thursday", "DATE")]), (TEXT_B, [])],
    )
    assert detect_format(path) == "spacy"
    run_import(store, config, [path])
    docs = {d.text: d for d in store.documents("news")}
    assert store.suggestions(docs[TEXT_A].id) == {"spacy": (Span(33, 41, "GPE"), Span(45, 53, "DATE"))}
    assert store.suggestions(docs[TEXT_B].id) == {"spacy": ()}
    run_import(store, config, [path], dataset="gold", annotator="erin", as_answers=True)
    assert [a.spans for a in store.latest_answers("gold")][0] == (Span(33, 41, "GPE"), Span(45, 53, "DATE"))


CONLL = """-DOCSTART- -X- O O

Iraq NNP B-GPE
sent VBD O
soldiers NNS O
to TO O
Syria NNP B-GPE
. . O

-DOCSTART- -X- O O

Ahmed NNP B-PERSON
al-Sharaa NNP I-PERSON
spoke VBD O
. . O
"""


def test_conll_through_spacy_converter(store, config, tmp_path):
    path = tmp_path / "news.conll"
    path.write_text(CONLL, encoding="utf-8")
    result = run_import(store, config, [path])
    docs = list(store.documents("news"))
    assert result.added == 2 and [d.text for d in docs] == ["Iraq sent soldiers to Syria .", "Ahmed al-Sharaa spoke ."]
    assert store.suggestions(docs[0].id) == {"conll": (Span(0, 4, "GPE"), Span(22, 27, "GPE"))}
    assert store.suggestions(docs[1].id) == {"conll": (Span(0, 15, "PERSON"),)}
    assert docs[1].meta["file"] == str(path)


def test_iob_one_sentence_per_line(store, config, tmp_path):
    path = tmp_path / "news.iob"
    path.write_text("Iraq|B-GPE sent|O troops|O\nSyria|B-GPE waits|O\n", encoding="utf-8")
    run_import(store, config, [path])
    docs = list(store.documents("news"))
    assert [d.text for d in docs] == ["Iraq sent troops", "Syria waits"]
    assert store.suggestions(docs[1].id) == {"conll": (Span(0, 5, "GPE"),)}


def test_format_from_content_when_extension_is_unknown(tmp_path):
    cases = {"a.data": '{"text": "x"}\n', "b.data": "Iraq B-GPE\nsent O\n", "c.data": "Just words.\n"}
    for name, content in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    assert [detect_format(tmp_path / n) for n in cases] == ["jsonl", "conll", "text"]


def test_skip_invalid_imports_the_rest(store, config, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"text": TEXT_A})
        + "\n{broken\n"
        + json.dumps({"text": ""})
        + "\n"
        + json.dumps({"text": TEXT_B})
        + "\n"
    )
    result = run_import(store, config, [path], skip_invalid=True)
    assert result.added == 2
    assert [(p.where, p.reason.split(" (")[0]) for p in result.skipped] == [
        (f"{path}:2", "not valid JSON"),
        (f"{path}:3", "empty text"),
    ]


def test_big_input_streams_in_batches(store, config, tmp_path):
    path = write_jsonl(tmp_path / "many.jsonl", ({"text": f"Document number {i} about Iraq."} for i in range(2500)))
    result = run_import(store, config, [path], batch_size=300)
    assert result.added == 2500 and store.count_documents("news") == 2500


def test_progress_counts_what_was_read_and_names_the_file_count(store, config, monkeypatch):
    """Before: "44/?" (Rich's count with an unknown total) beside "43 new documents"."""
    from contextlib import contextmanager

    import annotator.usecases.importer as importer

    calls = []

    @contextmanager
    def recording_bar(description, total=None, unit=""):
        calls.append(("open", description, total, unit))
        yield lambda n, description=None: calls.append(("advance", n, description))

    monkeypatch.setattr(importer, "progress_bar", recording_bar)
    result = run_import(store, config, [SEEDS])
    assert result.read == sum(c[1] for c in calls if c[0] == "advance") == result.added + result.present
    assert calls[0] == ("open", "importing into news", None, " read")
    assert [c[2] for c in calls if c[0] == "advance" and c[2]] == [
        "importing into news: file 1/2",
        "importing into news: file 2/2",
    ]


def test_progress_count_column_shows_no_question_mark():
    from rich.console import Console
    from rich.progress import Progress

    from annotator.cli.progress import _count_column

    console = Console(record=True, width=60, force_terminal=True)
    with Progress(_count_column(" read"), console=console, auto_refresh=False) as progress:
        unknown, known = progress.add_task("a", total=None), progress.add_task("b", total=43)
        progress.advance(unknown, 44)
        progress.advance(known, 43)
        progress.refresh()
    shown = console.export_text()
    assert "44 read" in shown and "43/43 read" in shown and "?" not in shown

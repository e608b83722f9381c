"""CoNLL files as the CoNLL-2003 data itself writes them: articles after `-DOCSTART- -X- -X- O`,
which spaCy's converter does not take for a delimiter (it looks for `-DOCSTART- -X- O O`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.spans import Span
from annotator.io import detect_format
from annotator.store import Store
from tests.helpers.importing import labels_config, run_import

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def config(tmp_path):
    config = labels_config(tmp_path)  # the CoNLL-2003 tags mapped onto the demo's labels
    return dataclasses.replace(config, label_map={"PER": "PERSON", "MISC": "NORP"})


def test_conll2003_articles_are_documents_without_the_delimiter_in_them(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [DATA / "conll2003.conll"], annotator="gold", as_answers=True)
        docs = list(store.documents("news"))
        assert result.added == 2
        assert [d.text for d in docs] == [
            "EU rejects German call to boycott British lamb . Peter Blackburn",
            "BRUSSELS 1996-08-22",
        ]
        assert all("DOCSTART" not in d.text for d in docs)
        first = store.latest_answer(docs[0].id, "gold").spans
        assert [(docs[0].text[s.start : s.end], s.label) for s in first] == [
            ("EU", "ORG"),
            ("German", "NORP"),
            ("British", "NORP"),
            ("Peter Blackburn", "PERSON"),
        ]
        assert docs[1].meta["doc"] == 2


# --- CoNLL/IOB as the tools write it: --split sentence, .txt sniffed, per-sentence skips, tag schemes


def test_conll2003_split_sentence_gives_one_document_per_sentence(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [DATA / "conll2003.conll"], split="sentence")
        docs = list(store.documents("news"))
        assert result.added == 3
        assert [d.text for d in docs] == [
            "EU rejects German call to boycott British lamb .",
            "Peter Blackburn",
            "BRUSSELS 1996-08-22",
        ]
        assert [d.meta["line"] for d in docs] == [3, 13, 18]
        assert store.suggestions(docs[1].id) == {"conll": (Span(0, 15, "PERSON"),)}


def test_a_txt_file_in_conll_form_is_read_as_conll(tmp_path, config):
    path = tmp_path / "eng.train.txt"
    path.write_bytes((DATA / "conll2003.conll").read_bytes())
    iob = tmp_path / "sents.txt"
    iob.write_text("Peter|B-PER Blackburn|I-PER went|O\nBrussels|B-LOC\n", encoding="utf-8")
    plain = tmp_path / "notes.txt"  # two-word lines ending in O / B-52: text all the same
    plain.write_text("Say O\nThe B-52\n\nWe flew the B-52 over the hills.\n", encoding="utf-8")
    one_line = tmp_path / "one.txt"
    one_line.write_text("Flying the B-52\n", encoding="utf-8")
    assert [detect_format(p) for p in (path, iob, plain, one_line)] == ["conll", "conll", "text", "text"]
    with Store(tmp_path / "a.db") as store:
        assert run_import(store, config, [path]).added == 2
        assert all("DOCSTART" not in d.text and " NNP " not in d.text for d in store.documents("news"))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD_LINE = (
    "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n"
)


def test_skip_invalid_skips_the_sentence_not_the_file(tmp_path, config):
    path = write(tmp_path, "a.conll", BAD_LINE)
    with Store(tmp_path / "a.db") as store:
        with pytest.raises(UserError, match=rf"{path}:4: 3 columns where the file.s lines have 4"):
            run_import(store, config, [path])
        assert list(store.documents("news")) == []
        result = run_import(store, config, [path], skip_invalid=True)
        assert [str(p).split(": ")[0] for p in result.skipped] == [f"{path}:4"]
        assert "sentence" in result.skipped[0].reason
        (doc,) = store.documents("news")
        assert doc.text == "Peter Blackburn" and store.suggestions(doc.id) == {"conll": (Span(0, 15, "PERSON"),)}


IOB2_DANGLING = "EU B-ORG\nrejects O\n\nthe O\nBlackburn I-PER\n"
IOB1 = "EU I-ORG\nrejects O\nGerman I-MISC\n\nPeter I-PER\nBlackburn I-PER\nSmith B-PER\n"
BILUO_DANGLING_L = "Peter B-PER\nBlackburn L-PER\nsaid O\nthat L-PER\n"
BILUO_OPEN = "Peter B-PER\nBlackburn I-PER\nsaid O\n"
IOBES = "Peter B-PER\nBlackburn E-PER\nsaid O\nEU S-ORG\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (IOB2_DANGLING, 5, "I-PER after O"),
        (BILUO_DANGLING_L, 4, "L-PER ends no entity"),
        (BILUO_OPEN, 1, "B-PER is never closed"),
        ("EU B-ORG\nsays U-ORG\n", 1, "B-ORG is never closed"),
    ],
)
def test_broken_tag_sequences_name_the_line(tmp_path, config, text, line, message):
    path = write(
        tmp_path,
        "a.conll",
        text + "\nBrussels U-LOC\n"
        if "L-" in text or "U-" in text or text is BILUO_OPEN
        else text + "\nBrussels B-LOC\n",
    )
    with Store(tmp_path / "a.db") as store:
        with pytest.raises(UserError, match=rf"{path}:{line}: {message}"):
            run_import(store, config, [path])
        assert list(store.documents("news")) == []
        result = run_import(store, config, [path], skip_invalid=True)
        assert len(result.skipped) == 1 and result.added >= 1


def test_iob1_and_iobes_are_read_as_their_schemes(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        run_import(store, config, [write(tmp_path, "a.conll", IOB1), write(tmp_path, "b.conll", IOBES)])
        docs = {d.text: d for d in store.documents("news")}
        spans = {
            text: [(text[s.start : s.end], s.label) for s in store.suggestions(d.id)["conll"]]
            for text, d in docs.items()
        }
        assert spans["EU rejects German"] == [("EU", "ORG"), ("German", "NORP")]
        assert spans["Peter Blackburn Smith"] == [("Peter Blackburn", "PERSON"), ("Smith", "PERSON")]
        assert spans["Peter Blackburn said EU"] == [("Peter Blackburn", "PERSON"), ("EU", "ORG")]


def test_conll2003_original_iob1_tags_give_the_same_entities(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [DATA / "conll2003_iob1.conll"])
        docs = list(store.documents("news"))
        assert result.added == 2 and [d.meta["line"] for d in docs] == [3, 18]
        spans = store.suggestions(docs[0].id)["conll"]
        assert [(docs[0].text[s.start : s.end], s.label) for s in spans] == [
            ("EU", "ORG"),
            ("German", "NORP"),
            ("British", "NORP"),
            ("Peter Blackburn", "PERSON"),
        ]
        assert store.suggestions(docs[1].id) == {"conll": (Span(0, 8, "LOC"),)}


def test_cli_skip_invalid_reports_the_skipped_sentence(tmp_path, monkeypatch, capsys):
    from tests.helpers.cli import run_main
    from tests.helpers.paths import LABELS_YAML

    (tmp_path / "labels.yaml").write_text(
        LABELS_YAML.read_text(encoding="utf-8")
        .replace("model: en_core_web_sm", "model: null")
        .replace("patterns: patterns.jsonl", "patterns: null"),
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(BAD_LINE.replace("PER", "PERSON"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "import", "a.txt", "--dataset", "d", "--skip-invalid")
    assert code == 0, err
    assert err.splitlines() == [
        "skipped a.txt:4: 3 columns where the file's lines have 4: 'rejects VBZ B-VP' (the sentence of lines 3-4)"
    ]
    assert "d: 1 new document," in out and "1 skipped" in out


def test_skip_invalid_leaves_out_the_sentence_of_a_line_that_is_not_utf8(tmp_path, config):
    path = tmp_path / "a.conll"
    path.write_bytes(b"EU B-ORG\nrejects O\n\nPeter B-PER\nBlack\xffburn I-PER\nsaid O\n\nBrussels B-LOC\n")
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [path], skip_invalid=True)
        assert [p.where for p in result.skipped] == [f"{path}:5"] and "not UTF-8" in result.skipped[0].reason
        assert [d.text for d in store.documents("news")] == ["EU rejects", "Brussels"]


def test_conll2003_round_trip_import_export_import(tmp_path, monkeypatch, capsys):
    from tests.helpers.cli import run_main
    from tests.helpers.paths import LABELS_YAML

    yaml = LABELS_YAML.read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    yaml = yaml.replace("patterns: patterns.jsonl", "patterns: null").replace(
        "label_map: {}", "label_map: {PER: PERSON, MISC: NORP}"
    )
    (tmp_path / "labels.yaml").write_text(yaml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    gold = ("--as-answers", "--annotator", "gold", "--dataset", "news")
    assert run_main(monkeypatch, capsys, "import", str(DATA / "conll2003_iob1.conll"), *gold)[0] == 0
    status, out, err = run_main(monkeypatch, capsys, "export", "out", "--dataset", "news", "--format", "conll")
    assert status == 0, err
    written = [p for p in (tmp_path / "out/train.conll", tmp_path / "out/dev.conll") if p.exists()]
    assert run_main(monkeypatch, capsys, "import", *map(str, written), "--db", "again.db", *gold)[0] == 0

    def answers(db):
        with Store(tmp_path / db) as store:
            return {d.text: store.latest_answer(d.id, "gold").spans for d in store.documents("news")}

    first, back = answers("annotations.db"), answers("again.db")
    assert len(first) == 2 and back == first

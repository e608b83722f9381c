"""`annotator export --format conll`: train.conll and dev.conll in the CoNLL-2003 form spaCy's
converter reads (`word TAG`, IOB tags, documents between `-DOCSTART- -X- O O` lines), split as
the spaCy export splits, and read back by `annotator import` with the same entities."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from annotator.store import Store
from annotator.usecases.export import export_conll, export_spacy
from tests.helpers import export_fixtures as fx
from tests.helpers.cli import run_main
from tests.helpers.export_fixtures import ALWAYS

NLP = spacy.blank("en")


@pytest.fixture
def store(tmp_path):
    with fx.build_store(tmp_path / "annotations.db") as store:
        yield store


def test_the_file_is_conll_2003_word_and_iob_tag(store, tmp_path):
    summary = export_conll(store, "news", tmp_path / "out")
    both = (tmp_path / "out" / "train.conll").read_text(encoding="utf-8") + (tmp_path / "out" / "dev.conll").read_text(
        encoding="utf-8"
    )
    assert summary.files == [tmp_path / "out" / "train.conll", tmp_path / "out" / "dev.conll"]
    block = both.split("-DOCSTART- -X- O O\n\n")
    assert block[0] == "" and len(block) - 1 == len(ALWAYS) == summary.documents["train"] + summary.documents["dev"]
    accepted = next(b for b in block if b.startswith("Ahmed"))
    assert accepted == (
        "Ahmed B-PERSON\nal I-PERSON\n- I-PERSON\nSharaa I-PERSON\nmet O\nofficials O\nin O\nDamascus B-GPE\non O\n"
        "Thursday B-DATE\n. O\n\n"
    )
    spaces = next(b for b in block if b.startswith("Officials O\nmet"))  # whitespace tokens ("\n\n", "  ") are skipped
    assert spaces == "Officials O\nmet O\nin O\nBaghdad B-GPE\non O\nMonday B-DATE\n. O\n\n"
    assert (
        next(b for b in block if b.startswith("Iraq")) == "Iraq O\nsent O\nsoldiers O\nback O\nto O\nSyria O\n. O\n\n"
    )


def test_split_is_the_spacy_exports(store, tmp_path):
    export_conll(store, "news", tmp_path / "conll", seed=3, eval_split=0.4)
    export_spacy(store, "news", tmp_path / "spacy", seed=3, eval_split=0.4)
    for side in ("train", "dev"):
        words = [
            " ".join(t.text for t in doc if not t.is_space)
            for doc in DocBin().from_disk(tmp_path / "spacy" / f"{side}.spacy").get_docs(NLP.vocab)
        ]
        conll = (tmp_path / "conll" / f"{side}.conll").read_text(encoding="utf-8").split("-DOCSTART- -X- O O\n\n")[1:]
        assert [" ".join(line.split()[0] for line in b.strip().splitlines()) for b in conll] == words


def test_spacys_converter_reads_it(store, tmp_path):
    from spacy.training.converters import conll_ner_to_docs

    export_conll(store, "news", tmp_path / "out")
    files = [tmp_path / "out" / f"{side}.conll" for side in ("train", "dev")]
    docs = [d for file in files for d in conll_ner_to_docs(file.read_text(encoding="utf-8"), no_print=True)]
    assert sorted(tuple((e.text, e.label_) for e in d.ents) for d in docs) == sorted(
        tuple((" ".join(t.text for t in NLP.make_doc(p)), label) for p, label in pairs) for pairs in ALWAYS.values()
    )


def _entities(store: Store, dataset: str, who: str) -> dict[str, list[tuple[str, str]]]:
    """Per document (its words, spaces dropped): each entity's words and label."""
    out = {}
    for doc in store.documents(dataset):
        words = [(s, e) for s, e in doc.tokens if doc.text[s:e].strip()]
        answer = store.latest_answer(doc.id, who)
        out[" ".join(doc.text[s:e] for s, e in words)] = [
            (" ".join(doc.text[s:e] for s, e in words if span.start <= s and e <= span.end), span.label)
            for span in answer.spans
        ]
    return out


def test_round_trip_import_export_import(store, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "labels.yaml").write_text(
        (Path(__file__).parents[2] / "labels.yaml")
        .read_text(encoding="utf-8")
        .replace("model: en_core_web_sm", "model: null")
        .replace("patterns: patterns.jsonl", "patterns: null")
    )
    store.close()
    status, out, err = run_main(monkeypatch, capsys, "export", "out", "--dataset", "news", "--format", "conll")
    assert status == 0, err
    assert "wrote out/train.conll" in out and "wrote out/dev.conll" in out
    status, out, err = run_main(
        monkeypatch,
        capsys,
        "import",
        "out/train.conll",
        "out/dev.conll",
        "--db",
        "again.db",
        "--dataset",
        "news",
        "--as-answers",
        "--annotator",
        "gold",
    )
    assert status == 0, err
    with Store(tmp_path / "again.db") as again:
        back = _entities(again, "news", "gold")
    expected = {}
    for text, pairs in ALWAYS.items():
        words = [t.text for t in NLP.make_doc(text) if not t.is_space]
        expected[" ".join(words)] = [(" ".join(t.text for t in NLP.make_doc(p)), label) for p, label in pairs]
    assert back == expected


def test_bad_format_option(store, tmp_path, monkeypatch, capsys):
    store.close()
    status, out, err = run_main(
        monkeypatch,
        capsys,
        "export",
        str(tmp_path / "out"),
        "--db",
        str(tmp_path / "annotations.db"),
        "--format",
        "iob",
    )
    assert status == 2 and err.strip() == (
        "annotator: Invalid value for '--format': 'iob' is not one of spacy, jsonl, conll "
        "(see `annotator export --help`)"
    )


def test_a_token_with_a_space_inside_is_one_word_per_piece_and_bad_spans_raise():
    from annotator.io.conll.write import iob_lines

    text = "New York is big."  # Prodigy or DocBin tokens may keep "New York" as one token
    tokens = [(0, 8), (9, 11), (12, 15), (15, 16)]
    assert iob_lines(text, tokens, [(0, 8, "GPE")]) == ["New B-GPE", "York I-GPE", "is O", "big O", ". O"]
    with pytest.raises(ValueError, match="spans off token boundaries"):
        iob_lines(text, tokens, [(0, 3, "GPE")])
    with pytest.raises(ValueError, match="overlapping spans"):
        iob_lines(text, tokens, [(0, 11, "GPE"), (9, 15, "LOC")])

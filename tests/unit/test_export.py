"""`annotator export --format spacy`: each exported Doc checked word by word, the
conflicts policies, the split, and bad input leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import DocBin

from annotator.core.token_codec import pack_offsets, unpack_flat
from annotator.io.spacy_docs import make_doc, words_and_spaces
from annotator.usecases.export import export_spacy
from tests.helpers import export_fixtures as fx
from tests.helpers.cli import run_main
from tests.helpers.export_fixtures import ALWAYS

NLP = spacy.blank("en")

EXPECTED = {
    "review": ALWAYS,
    "skip": ALWAYS,
    "majority": {**ALWAYS, fx.T_THREE: [("Russia", "GPE"), ("Iraq", "GPE")], fx.T_TIE: []},
}


def read_docs(path: Path) -> list:
    return list(DocBin().from_disk(path).get_docs(NLP.vocab))


@pytest.fixture
def store(tmp_path):
    with fx.build_store(tmp_path / "annotations.db") as store:
        yield store


@pytest.mark.parametrize("policy", ["review", "majority", "skip"])
def test_each_exported_doc_word_by_word(store, tmp_path, policy):
    out = tmp_path / "out"
    summary = export_spacy(store, "news", out, conflicts=policy)
    train, dev = read_docs(out / "train.spacy"), read_docs(out / "dev.spacy")
    assert train and dev
    docs = {doc.text: doc for doc in train + dev}
    assert len(docs) == len(train) + len(dev)  # each document once
    assert set(docs) == set(EXPECTED[policy])  # rejected, ignored, unanswered, conflicts left out as the policy says
    for text, pairs in EXPECTED[policy].items():
        doc, reference = docs[text], NLP.make_doc(text)
        assert [t.text for t in doc] == [t.text for t in reference]
        assert [t.whitespace_ for t in doc] == [t.whitespace_ for t in reference]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            tuple(fx.span(text, p, label)) for p, label in pairs
        ]
        assert all(t.ent_iob_ in "BIO" and t.ent_iob_ for t in doc)  # every token known: in or outside an entity
    assert summary.documents["train"] == len(train) and summary.documents["dev"] == len(dev)
    assert summary.spans["GPE"]["train"] + summary.spans["GPE"]["dev"] == sum(
        label == "GPE" for pairs in EXPECTED[policy].values() for _, label in pairs
    )


def test_left_out_reasons_are_counted(store, tmp_path):
    summary = export_spacy(store, "news", tmp_path / "out", conflicts="review")
    assert summary.left_out == {
        "conflict, awaiting review": 3,
        "rejected": 1,
        "ignored": 1,
        "not answered": 1,
        "rejected in review": 1,
    }


def test_config_is_spacys_ner_config_in_the_datasets_language(store, tmp_path):
    from spacy.util import load_config

    export_spacy(store, "news", tmp_path / "out")
    config = load_config(tmp_path / "out" / "config.cfg")
    assert config["nlp"]["lang"] == "en" and config["nlp"]["pipeline"][-1] == "ner"


def test_split_stays_when_documents_are_added(tmp_path):
    first = fx.TEXTS[:8]
    with fx.build_store(tmp_path / "a.db", texts=first) as store:
        export_spacy(store, "news", tmp_path / "before", eval_split=0.3, seed=7)
    with fx.build_store(tmp_path / "b.db") as store:
        export_spacy(store, "news", tmp_path / "after", eval_split=0.3, seed=7)
    sides = {}
    for name in ("before", "after"):
        sides[name] = {d.text: side for side in ("train", "dev") for d in read_docs(tmp_path / name / f"{side}.spacy")}
    assert {text: sides["after"][text] for text in sides["before"]} == sides["before"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab \n.", max_size=30))
def test_doc_text_is_the_stored_text_whatever_the_tokens(text):
    import re

    tokens = [m.span() for m in re.finditer(r"[^ \n]+", text)]  # tokens that skip whitespace
    packed = pack_offsets(tokens)
    words, spaces = words_and_spaces(text, unpack_flat(packed))
    doc = make_doc(NLP.vocab, text, packed, [])
    assert doc.text == text and len(doc) == len(words) == len(spaces)


# -- bad input: one line, exit 1, nothing written ----------------------------------------


def test_unknown_dataset(store, tmp_path, monkeypatch, capsys):
    code, _, err = run_main(
        monkeypatch, capsys, "export", str(tmp_path / "out"), "--db", str(store.path), "--dataset", "nope"
    )
    assert code == 1 and "no dataset 'nope'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_dataset_with_nothing_to_export(tmp_path, monkeypatch, capsys):
    with fx.build_store(tmp_path / "a.db", dataset="news", texts=[fx.T_UNANSWERED, fx.T_REJECTED]) as store:
        pass
    code, _, err = run_main(monkeypatch, capsys, "export", str(tmp_path / "out"), "--db", str(store.path))
    assert code == 1 and "nothing to export yet (1 not answered, 1 rejected)" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_unwritable_folder(store, tmp_path, monkeypatch, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    for out in (a_file, a_file / "out"):
        code, _, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(store.path))
        assert code == 1 and str(out) in err and len(err.strip().splitlines()) == 1
    assert a_file.read_text() == "x"


def test_existing_output_needs_force(store, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "dev.spacy").write_text("old")
    (out / ".gitkeep").write_text("")
    code, _, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(store.path))
    assert code == 1 and "dev.spacy: already exists (use --force" in err
    assert (
        sorted(p.name for p in out.iterdir()) == [".gitkeep", "dev.spacy"] and (out / "dev.spacy").read_text() == "old"
    )
    code, stdout, _ = run_main(monkeypatch, capsys, "export", str(out), "--db", str(store.path), "--force")
    assert code == 0 and "documents" in stdout and "left out" in stdout
    assert sorted(p.name for p in out.iterdir()) == [".gitkeep", "config.cfg", "dev.spacy", "train.spacy"]
    assert read_docs(out / "dev.spacy")


def test_failure_while_writing_leaves_nothing(store, tmp_path, monkeypatch):
    import annotator.usecases.export.docbin
    from annotator.core.errors import UserError

    def broken(lang):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(annotator.usecases.export.docbin, "spacy_config", broken)
    out = tmp_path / "new" / "out"
    with pytest.raises(UserError, match="No space left"):
        export_spacy(store, "news", out)
    assert not (tmp_path / "new").exists()


def test_bad_options(store, tmp_path, monkeypatch, capsys):
    """Usage mistakes: exit 2, as Click's own, in one line naming the option."""
    for option in (["--conflicts", "vote"], ["--format", "xml"], ["--eval-split", "1.5"], ["--eval-split", "-0.1"]):
        code, _, err = run_main(monkeypatch, capsys, "export", str(tmp_path / "out"), "--db", str(store.path), *option)
        assert code == 2 and option[0] in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_stored_spans_off_token_boundaries_are_left_out_and_counted(tmp_path):
    from annotator.core.spans import Span

    with fx.build_store(tmp_path / "a.db") as store:
        (doc_id,) = store.add_documents("news", fx.tokenize(["Tehran answered on Sunday."])).values()
        store.add_answer(doc_id, "alice", "accept", [Span(1, 6, "GPE")], started_at=1.0)  # "ehran"
        summary = export_spacy(store, "news", tmp_path / "out")
    assert summary.left_out["spans off token boundaries"] == 1
    texts = {d.text for side in ("train", "dev") for d in read_docs(tmp_path / "out" / f"{side}.spacy")}
    assert texts == set(EXPECTED["review"])

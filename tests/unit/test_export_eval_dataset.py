"""A fixed evaluation set (issue 11, part 3): `--eval-dataset NAME` or Prodigy's `--dataset
NAME,eval:EVAL` makes that dataset dev.spacy whole and the training dataset train.spacy whole;
a text in both is kept out of train and reported; `--eval-split 0` puts everything in train."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from tests.helpers import export_fixtures as fx
from tests.helpers.cli import run_main

NLP = spacy.blank("en")
HELD = ["Haider al-Abadi visited Beirut on Friday (held 1).", "Asma Assad spoke in Homs on Monday (held 2)."]


def texts_in(path: Path) -> set[str]:
    return {doc.text for doc in DocBin().from_disk(path).get_docs(NLP.vocab)}


@pytest.fixture
def db(tmp_path) -> Path:
    """news: 20 accepted documents; held: two of its own and one of news's texts, accepted."""
    with fx.build_generated_store(tmp_path / "a.db", n=20) as store:
        shared = fx.generated_texts(20)[4][0]
        store.ensure_dataset("held", "en", fx.LABELS)
        ids = store.add_documents("held", fx.tokenize([*HELD, shared]))
        with store.write():
            for document in ids.values():
                store.add_answer(document, "rita", "accept", [], started_at=1.0)
        return store.path


NEWS = {text for text, _ in fx.generated_texts(20)}
SHARED = fx.generated_texts(20)[4][0]


@pytest.mark.parametrize("how", [["--dataset", "news,eval:held"], ["--dataset", "news", "--eval-dataset", "held"]])
def test_the_eval_dataset_is_dev_whole_and_a_text_in_both_is_kept_out_of_train(db, tmp_path, monkeypatch, capsys, how):
    out = tmp_path / "out"
    status, stdout, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(db), *how)
    assert status == 0, err
    assert texts_in(out / "dev.spacy") == {*HELD, SHARED}
    assert texts_in(out / "train.spacy") == NEWS - {SHARED}
    assert "in the eval dataset too (kept out of train)" in stdout
    assert "export of 'news' (eval: 'held')" in stdout


def test_eval_split_with_an_eval_dataset_adds_a_share_of_the_training_dataset_to_dev(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    status, _, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(db), "--dataset", "news,eval:held",
                              "--eval-split", "0.5")  # fmt: skip
    assert status == 0, err
    dev, train = texts_in(out / "dev.spacy"), texts_in(out / "train.spacy")
    assert {*HELD, SHARED} < dev and not dev & train and dev | train == NEWS | set(HELD)


def test_eval_split_0_puts_everything_in_train_and_writes_no_dev(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert run_main(monkeypatch, capsys, "export", str(out), "--db", str(db), "--dataset", "news")[0] == 0
    assert (out / "dev.spacy").exists()
    status, stdout, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(db), "--dataset", "news",
                                   "--eval-split", "0", "--force")  # fmt: skip
    assert status == 0, err
    assert texts_in(out / "train.spacy") == NEWS
    assert not (out / "dev.spacy").exists()  # the earlier export's dev set would not match this train set
    assert "no dev.spacy (--eval-split 0): spacy train needs --paths.dev" in stdout


def test_train_with_no_dev_set_is_refused_before_anything_is_written(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    status, _, err = run_main(
        monkeypatch, capsys, "train", str(out), "--db", str(db), "--dataset", "news", "--eval-split", "0"
    )
    assert status == 1
    assert err.strip().splitlines() == [
        "annotator: --eval-split 0 leaves no dev set, and spaCy's training needs one: "
        "give --eval-dataset NAME or an --eval-split above 0"
    ]
    assert not out.exists()


def test_conll_export_follows_the_eval_dataset(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    status, _, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(db), "--dataset", "news,eval:held",
                              "--format", "conll")  # fmt: skip
    assert status == 0, err
    dev = (out / "dev.conll").read_text(encoding="utf-8")
    train = (out / "train.conll").read_text(encoding="utf-8")
    assert dev.count("-DOCSTART-") == 3 and "held 1" not in train and "Haider" in dev
    assert train.count("-DOCSTART-") == 19


@pytest.mark.parametrize(
    "args, message, status",
    [
        (["--dataset", "news,eval:nope"], "no dataset 'nope'", 1),
        (
            ["--dataset", "news", "--eval-dataset", "news"],
            "--eval-dataset must name another dataset than --dataset ('news')",
            1,
        ),
        (["--dataset", "news,eval:held", "--eval-dataset", "held"], "give the eval dataset once", 1),
        (["--dataset", "news,eval:held", "--format", "jsonl"], "--format jsonl writes one dataset's answers", 1),
        # out of range: a usage mistake, found while parsing (exit 2)
        (
            ["--dataset", "news", "--eval-split", "1"],
            "Invalid value for '--eval-split': 1.0 is not at least 0 and below 1",
            2,
        ),
        (["--dataset", "news", "--eval-split", "-0.1"], "Invalid value for '--eval-split': -0.1 is not at least 0", 2),
    ],
)
def test_eval_options_that_cannot_work_are_one_line(db, tmp_path, monkeypatch, capsys, args, message, status):
    code, _, err = run_main(monkeypatch, capsys, "export", str(tmp_path / "out"), "--db", str(db), *args)
    assert code == status and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_train_evaluates_on_the_eval_dataset(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "trained"
    status, stdout, err = run_main(
        monkeypatch,
        capsys,
        "train",
        str(out),
        "--db",
        str(db),
        "--dataset",
        "news,eval:held",
        "--training.max_steps",
        "6",
        "--training.eval_frequency",
        "3",
    )
    assert status == 0, err
    assert texts_in(out / "dev.spacy") == {*HELD, SHARED} and texts_in(out / "train.spacy") == NEWS - {SHARED}
    assert "dev scores" in stdout and (out / "model" / "model-best" / "meta.json").exists()

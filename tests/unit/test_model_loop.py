"""The model in the loop: export -> train a few steps -> `annotator preannotate --model
TRAINED --replace`: documents nobody answered get the trained model's suggestions,
answered documents keep the ones they had."""

from __future__ import annotations

import pytest
import spacy

from annotator.core.spans import Span
from annotator.store import Store
from annotator.usecases.preannotate import load_model
from tests.helpers import export_fixtures as fx
from tests.helpers.cli import run_main

NEW_TEXTS = [f"Asma Assad visited Homs on Friday with {n} officials." for n in ("two", "three", "four")]


@pytest.mark.slow
def test_trained_model_pre_highlights_only_unanswered_documents(tmp_path, project, monkeypatch, capsys):
    db = tmp_path / "annotations.db"
    with fx.build_generated_store(db, n=120) as store:
        new_ids = list(store.add_documents("news", fx.tokenize(NEW_TEXTS)).values())
        answered = [a.document for a in store.latest_answers("news")]

    out = tmp_path / "trained"
    code, stdout, err = run_main(
        monkeypatch, capsys, "train", str(out), "--db", str(db),
        "--training.max_steps", "30", "--training.eval_frequency", "10",
    )  # fmt: skip
    assert code == 0, err
    model = out / "model" / "model-best"
    source = load_model(str(model)).source
    assert source == "news_ner 0.0.0"  # named after the dataset it learnt from

    # Every document already has suggestions from this source (say, an earlier round).
    marker = (Span(0, 4, "GPE"),)
    with Store(db) as store:
        store.add_suggestions([(doc, source, marker) for doc in answered + new_ids], replace=True)

    code, stdout, err = run_main(
        monkeypatch, capsys, "preannotate", "--db", str(db), "--labels", str(project / "labels.yaml"),
        "--dataset", "news", "--model", str(model), "--replace",
    )  # fmt: skip
    assert code == 0, err
    assert f"pre-highlighted {len(new_ids)} documents with {source}" in stdout

    nlp = spacy.load(model)
    with Store(db) as store:
        for doc_id in new_ids:
            text = store.document(doc_id).text
            predicted = tuple(sorted(Span(e.start_char, e.end_char, e.label_) for e in nlp(text).ents))
            assert store.suggestions(doc_id)[source] == predicted
        assert all(store.suggestions(doc_id)[source] == marker for doc_id in answered)

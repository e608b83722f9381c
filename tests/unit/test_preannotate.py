"""Pre-highlighting with a real spaCy pipeline (trained by the tiny_model fixture, loaded by
path) and with patterns through spaCy's real EntityRuler."""

from __future__ import annotations

import json

import pytest

from annotator.core.spans import Span, Tokens, span_problems
from annotator.core.suggestions import merge_suggestions
from annotator.store import Store
from annotator.usecases.preannotate import load_highlighters, load_model, preannotate, suggest_documents
from tests.helpers.cli import run_main
from tests.helpers.importing import labels_config, run_import, write_jsonl

TEXTS = [
    "Iraq sent soldiers back to Syria.",
    "Officials in Baghdad met on Monday.",
    "Russia and Iraq spoke about 2,000 soldiers.",
    "Bashar al-Assad fled to Russia.",
]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "a.db") as store:
        yield store


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "corpus.jsonl", [{"text": t} for t in TEXTS])


def _suggested(store, dataset="news"):
    return {d.text: store.suggestions(d.id) for d in store.documents(dataset)}


def test_model_by_path_keeps_only_entity_components(tiny_model):
    highlighter = load_model(str(tiny_model))
    assert highlighter.source == "tiny_ner 0.0.1"
    assert highlighter.nlp.pipe_names == ["ner"]


def test_model_suggestions_on_stored_tokens(store, tmp_path, corpus, tiny_model):
    config = labels_config(tmp_path, model=str(tiny_model))
    run_import(store, config, [corpus])
    done = preannotate(store, config, "news", load_highlighters(config))
    assert done == {"tiny_ner 0.0.1": len(TEXTS)}
    suggested = _suggested(store)
    first = suggested[TEXTS[0]]["tiny_ner 0.0.1"]
    assert Span(0, 4, "GPE") in first and Span(27, 32, "GPE") in first
    for doc in store.documents("news"):
        spans = store.suggestions(doc.id)["tiny_ner 0.0.1"]
        assert span_problems(doc.text, Tokens(doc.tokens, doc.text), spans, config.names) == []
    # Filling in again finds nothing to do.
    assert preannotate(store, config, "news", load_highlighters(config)) == {"tiny_ner 0.0.1": 0}


def test_label_map_and_labels_outside_the_set(store, tmp_path, corpus, tiny_model):
    config = labels_config(tmp_path, model=str(tiny_model))
    config.label_map = {"GPE": "LOC"}
    config.labels = [label for label in config.labels if label.name not in ("GPE", "CARDINAL")]
    run_import(store, config, [corpus])
    preannotate(store, config, "news", load_highlighters(config))
    labels = {s.label for by_source in _suggested(store).values() for spans in by_source.values() for s in spans}
    assert "LOC" in labels and not labels & {"GPE", "CARDINAL"}


def test_patterns_through_the_entity_ruler(store, tmp_path, corpus):
    patterns = write_jsonl(
        tmp_path / "patterns.jsonl",
        [
            {"label": "GPE", "pattern": "Iraq"},
            {"label": "DATE", "pattern": [{"LOWER": "monday"}]},
            {"label": "CITY", "pattern": "Baghdad"},
        ],
    )
    config = labels_config(tmp_path, patterns=str(patterns))
    run_import(store, config, [corpus])
    assert preannotate(store, config, "news", load_highlighters(config)) == {"patterns": len(TEXTS)}
    suggested = _suggested(store)
    assert suggested[TEXTS[0]] == {"patterns": (Span(0, 4, "GPE"),)}
    assert suggested[TEXTS[1]] == {"patterns": (Span(28, 34, "DATE"),)}  # CITY is not a label: dropped


def test_repo_patterns_are_generic_and_load(tmp_path, store):
    from tests.helpers.paths import ROOT

    config = labels_config(tmp_path, patterns=str(ROOT / "patterns.jsonl"))
    path = write_jsonl(
        tmp_path / "c.jsonl", [{"text": "On Friday 12 March 2021, three French officials flew from Kenya to Japan."}]
    )
    run_import(store, config, [path])
    preannotate(store, config, "news", load_highlighters(config))
    spans = next(iter(_suggested(store).values()))["patterns"]
    text = "On Friday 12 March 2021, three French officials flew from Kenya to Japan."
    assert [(text[s.start : s.end], s.label) for s in spans] == [
        ("Friday", "DATE"),
        ("12 March 2021", "DATE"),
        ("three", "CARDINAL"),
        ("French", "NORP"),
        ("Kenya", "GPE"),
        ("Japan", "GPE"),
    ]


def test_model_not_installed_says_how_and_goes_on_with_patterns(tmp_path):
    patterns = write_jsonl(tmp_path / "p.jsonl", [{"label": "GPE", "pattern": "Iraq"}])
    config = labels_config(tmp_path, model="en_core_web_md", patterns=str(patterns))
    notes = []
    highlighters = load_highlighters(config, note=notes.append)
    assert [h.source for h in highlighters] == ["patterns"]
    assert len(notes) == 1 and "python -m spacy download en_core_web_md" in notes[0]


def test_replace_redoes_only_unanswered_documents(store, tmp_path, corpus):
    patterns = write_jsonl(tmp_path / "p.jsonl", [{"label": "GPE", "pattern": "Iraq"}])
    config = labels_config(tmp_path, patterns=str(patterns))
    run_import(store, config, [corpus])
    preannotate(store, config, "news", load_highlighters(config))
    answered = next(iter(store.documents("news")))
    store.add_answer(answered.id, "alice", "accept", [], started_at=0)
    write_jsonl(patterns, [{"label": "GPE", "pattern": "Iraq"}, {"label": "GPE", "pattern": "Russia"}])
    done = preannotate(store, config, "news", load_highlighters(config), replace=True)
    assert done == {"patterns": len(TEXTS) - 1}
    suggested = _suggested(store)
    assert suggested[TEXTS[0]]["patterns"] == (Span(0, 4, "GPE"),)  # answered: kept as it was
    assert Span(0, 6, "GPE") in suggested[TEXTS[2]]["patterns"]


def test_suggest_documents_for_a_worker(store, tmp_path, corpus, tiny_model):
    patterns = write_jsonl(tmp_path / "p.jsonl", [{"label": "GPE", "pattern": "Iraq"}])
    config = labels_config(tmp_path, model=str(tiny_model), patterns=str(patterns))
    run_import(store, config, [corpus])
    ids = [d.id for d in store.documents("news")][:2]
    assert suggest_documents(store, config, ids) == 4  # two documents x two sources
    assert set(store.suggestions(ids[0])) == {"tiny_ner 0.0.1", "patterns"}
    assert store.suggestions([d.id for d in store.documents("news")][2]) == {}


def test_preannotate_command_with_model_path(project, tiny_model, monkeypatch, capsys):
    monkeypatch.chdir(project)
    (project / "c.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS), encoding="utf-8")
    assert run_main(monkeypatch, capsys, "import", "c.jsonl", "-d", "news", "--no-preannotate")[0] == 0
    status, out, _ = run_main(monkeypatch, capsys, "preannotate", "-d", "news", "--model", str(tiny_model))
    assert status == 0
    assert f"news: pre-highlighted {len(TEXTS)} documents with tiny_ner 0.0.1" in out
    assert f"news: pre-highlighted {len(TEXTS)} documents with patterns" in out


@pytest.mark.parametrize(
    "model, message",
    [
        ("/nonexistent/model", "/nonexistent/model: no such path"),
        ("en_core_web_md", "python -m spacy download en_core_web_md"),
        ("en_core_web_smm", "model 'en_core_web_smm' is not installed and it is not a spaCy pipeline name"),
    ],
)
def test_a_model_given_with_model_must_load(project, monkeypatch, capsys, model, message):
    """Before: "is not installed ... Going on without it." and exit 0 with patterns only."""
    monkeypatch.chdir(project)
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news", "--no-preannotate")[0] == 0
    before = (project / "annotations.db").read_bytes()
    code, _, err = run_main(monkeypatch, capsys, "preannotate", "--model", model)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1 and "Going on" not in err
    assert (project / "annotations.db").read_bytes() == before


def test_an_import_error_is_one_line_even_when_labels_model_is_missing(project, monkeypatch, capsys):
    """The "not installed" note of labels.yaml's model comes only once the import succeeded."""
    monkeypatch.chdir(project)
    labels = project / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("model: null", "model: en_core_web_zz"), encoding="utf-8"
    )
    (project / "broken.jsonl").write_text('{"text": "fine"}\n{"text": "x",\n', encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "import", "broken.jsonl", "-d", "news")
    assert code == 1 and "broken.jsonl:2" in err and len(err.strip().splitlines()) == 1
    code, out, err = run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")
    assert code == 0 and "en_core_web_zz" in err and "pre-highlighted" in out  # the note, then patterns


def test_merge_suggestions_longest_wins_then_first_source():
    model = [Span(0, 4, "GPE"), Span(10, 18, "ORG")]
    patterns = [Span(0, 8, "GPE"), Span(10, 18, "PERSON"), Span(20, 25, "DATE")]
    assert merge_suggestions([model, patterns]) == (Span(0, 8, "GPE"), Span(10, 18, "ORG"), Span(20, 25, "DATE"))
    assert merge_suggestions({"tiny_ner 0.0.1": model, "patterns": patterns}) == merge_suggestions([model, patterns])
    assert merge_suggestions([]) == ()
    assert merge_suggestions([[Span(0, 3, "A")], [Span(0, 3, "A")]]) == (Span(0, 3, "A"),)

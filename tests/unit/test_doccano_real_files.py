"""doccano exports as doccano writes them: the tutorial's `labels` + `username`, the relation
export's `entities`/`relations`, and a span that ends inside a token (`--align`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.io.labels import load_labels
from annotator.store import Store
from tests.helpers.cli import run_main
from tests.helpers.importing import run_import

DATA = Path(__file__).resolve().parents[1] / "data"
TUTORIAL = DATA / "doccano_tutorial.jsonl"
RELATIONS = DATA / "doccano_relations.jsonl"
LABELS = """lang: en
labels:
""" + "".join(
    f'  - name: {name}\n    key: "{key}"\n'
    for key, name in enumerate(["Title", "Genre", "Person", "Other", "Date"], start=1)
)


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    return load_labels(path)


def test_tutorial_export_strict_names_the_span_and_align(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        with pytest.raises(UserError) as error:
            run_import(store, config, [TUTORIAL])
        assert f"{TUTORIAL}:1" in str(error.value) and "'HHGTTG'" in str(error.value)
        assert "--align" in str(error.value)
        assert list(store.documents("news")) == []


def test_tutorial_export_expand_keeps_every_span_as_usernames_answer(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [TUTORIAL], align="expand")
        (doc,) = store.documents("news")
        answer = store.latest_answer(doc.id, "admin")
        assert result.answers == 1 and answer.answer == "accept"
        assert len(answer.spans) == 18  # labels (plural): none dropped
        texts = [doc.text[s.start : s.end] for s in answer.spans]
        assert texts[2] == "HHGTTGor" and texts[0] == "The Hitchhiker's Guide to the Galaxy"
        assert doc.meta["id"] == 33  # doc_id


def test_tutorial_export_contract_drops_the_span_with_no_whole_token_and_says_so(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [TUTORIAL], align="contract")
        (doc,) = store.documents("news")
        assert len(store.latest_answer(doc.id, "admin").spans) == 17
        assert result.not_imported[str(TUTORIAL), "spans with no whole token inside them (--align contract)"] == 1


def test_relations_are_reported_as_not_imported(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [RELATIONS])
        docs = {d.text: d for d in store.documents("news")}
        first = docs["Douglas Adams wrote The Hitchhiker's Guide to the Galaxy in 1979."]
        assert [s.label for s in store.suggestions(first.id)["doccano"]] == ["Person", "Title", "Date"]
        assert result.not_imported[str(RELATIONS), "relations (only spans are imported)"] == 2


def test_cli_reports_relations_and_align_choice(tmp_path, monkeypatch, capsys):
    (tmp_path / "labels.yaml").write_text(LABELS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "import", str(RELATIONS), "--dataset", "d")
    assert code == 0 and f"not imported: {RELATIONS}: 2 relations" in out
    code, out, err = run_main(monkeypatch, capsys, "import", str(TUTORIAL), "--dataset", "d", "--align", "sideways")
    assert code == 2 or code == 1
    assert "--align" in err
    code, out, err = run_main(monkeypatch, capsys, "import", str(TUTORIAL), "--dataset", "d", "--align", "expand")
    assert code == 0 and ", 1 answer," in out


@pytest.mark.parametrize("key", ["username", "annotator", "user"])
def test_annotator_keys(tmp_path, config, key):
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"text": "Douglas Adams wrote.", "labels": [[0, 13, "Person"]], key: "ann"}) + "\n", encoding="utf-8"
    )
    with Store(tmp_path / "a.db") as store:
        run_import(store, config, [path])
        (doc,) = store.documents("news")
        assert [s.label for s in store.latest_answer(doc.id, "ann").spans] == ["Person"]


def test_text_classification_labels_keep_the_text_and_are_reported(tmp_path, config):
    # doccano's text classification export: "label" is a list of category names, no spans
    path = tmp_path / "cats.jsonl"
    path.write_text(
        json.dumps({"id": 4, "text": "Douglas Adams wrote.", "label": ["books", "humour"], "username": "ann"}) + "\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [path])
        (doc,) = store.documents("news")
        assert result.answers == 0 and store.latest_answer(doc.id, "ann") is None
        assert result.not_imported[str(path), "document categories (doccano text classification labels)"] == 2

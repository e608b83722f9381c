"""`annotator export --format jsonl`: Prodigy-shaped lines, one per answer that counts,
and the round trip through the importer into a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest
import srsly

from annotator.io.jsonl import JSONL_FILE
from annotator.store import Store
from annotator.usecases.export import export_jsonl
from tests.helpers import export_fixtures as fx
from tests.helpers.cli import run_main

# thing a round trip through another file changes.
PROVENANCE = ("file", "line")


@pytest.fixture
def store(tmp_path):
    with fx.build_store(tmp_path / "annotations.db") as store:
        yield store


def import_jsonl(db: Path, path: Path, labels_yaml: Path, monkeypatch, capsys) -> None:
    """Through the real `annotator import` command."""
    args = [str(path), "--db", str(db), "--labels", str(labels_yaml), "--dataset", "news", "--no-preannotate"]
    code, _, err = run_main(monkeypatch, capsys, "import", *args)
    assert code == 0, err


def without_provenance(line: dict) -> dict:
    return {**line, "meta": {k: v for k, v in line["meta"].items() if k not in PROVENANCE}}


def store_contents(store: Store) -> list:
    documents = {d.id: d for d in store.documents("news")}
    return [
        (documents[a.document].text, documents[a.document].tokens, a.annotator, a.answer, a.spans)
        for a in store.latest_answers("news")
    ]


def test_lines_are_prodigy_tasks_one_per_answer_that_counts(store, tmp_path):
    summary = export_jsonl(store, "news", tmp_path / "out")
    lines = list(srsly.read_jsonl(tmp_path / "out" / JSONL_FILE))
    expected = sorted((text, who, kind) for text, answers in fx.ANSWERS.items() for who, (kind, _) in answers.items())
    assert sorted((line["text"], line["_annotator_id"], line["answer"]) for line in lines) == expected
    assert fx.T_UNANSWERED not in {line["text"] for line in lines} and summary.left_out == {"not answered": 1}
    for line in lines:
        assert {"text", "tokens", "spans", "answer", "_input_hash", "_task_hash", "_annotator_id", "meta"} <= set(line)
        assert isinstance(line["_input_hash"], int) and isinstance(line["_task_hash"], int)
        text, tokens = line["text"], line["tokens"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        assert all(text[t["start"] : t["end"]] == t["text"] for t in tokens)
        assert [t["ws"] for t in tokens] == [text[t["end"] : t["end"] + 1] == " " for t in tokens]
        kind, pairs = fx.ANSWERS[text][line["_annotator_id"]]
        assert [(s["start"], s["end"], s["label"]) for s in line["spans"]] == sorted(
            tuple(s) for s in fx.spans_of(text, pairs)
        )
        for s in line["spans"]:
            assert tokens[s["token_start"]]["start"] == s["start"] and tokens[s["token_end"]]["end"] == s["end"]
    same_text = [line for line in lines if line["text"] == fx.T_THREE]
    assert (
        len({line["_input_hash"] for line in same_text}) == 1 and len({line["_task_hash"] for line in same_text}) == 3
    )


def test_round_trip_through_a_fresh_store_is_identical(store, tmp_path, project, monkeypatch, capsys):
    export_jsonl(store, "news", tmp_path / "first")
    import_jsonl(tmp_path / "fresh.db", tmp_path / "first" / JSONL_FILE, project / "labels.yaml", monkeypatch, capsys)
    with Store(tmp_path / "fresh.db") as fresh:
        assert store_contents(fresh) == store_contents(store)
    code, stdout, err = run_main(
        monkeypatch, capsys, "export", str(tmp_path / "second"), "--db", str(tmp_path / "fresh.db"), "--format", "jsonl"
    )
    assert code == 0 and "accept" in stdout, err
    first = [without_provenance(x) for x in srsly.read_jsonl(tmp_path / "first" / JSONL_FILE)]
    second = [without_provenance(x) for x in srsly.read_jsonl(tmp_path / "second" / JSONL_FILE)]
    assert first == second


def test_existing_jsonl_needs_force_and_empty_dataset_is_refused(store, tmp_path):
    from annotator.core.errors import UserError

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / JSONL_FILE).write_text("old")
    with pytest.raises(UserError, match="already exists"):
        export_jsonl(store, "news", tmp_path / "out")
    assert (tmp_path / "out" / JSONL_FILE).read_text() == "old"
    export_jsonl(store, "news", tmp_path / "out", force=True)
    assert len(list(srsly.read_jsonl(tmp_path / "out" / JSONL_FILE))) == 18
    with fx.build_store(tmp_path / "empty.db", texts=[fx.T_UNANSWERED]) as empty:
        with pytest.raises(UserError, match="nothing to export"):
            export_jsonl(empty, "news", tmp_path / "never")
    assert not (tmp_path / "never").exists()

"""Label Studio JSON export (annotator.io.label_studio): each task's text, its annotations as
answers under their annotator, its predictions as suggestions, `labels` results as spans,
everything else reported, on files shaped as Label Studio writes them (tests/data/README.md)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.spans import Span
from annotator.io import detect_format
from annotator.store import Store
from tests.helpers.cli import round_trip_jsonl, run_main
from tests.helpers.importing import TEXT_A, TEXT_B, run_import

DATA = Path(__file__).resolve().parents[1] / "data"
TEXT_C = "Bashar al-Assad fled to Russia."


def _at(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def test_tasks_annotations_and_predictions(store, config):
    path = DATA / "label_studio.json"
    assert detect_format(path) == "label-studio"  # a .json that starts with "[", not JSONL
    result = run_import(store, config, [path])
    assert (result.read, result.added, result.present, result.answers, result.suggestions) == (3, 3, 0, 4, 2)
    docs = {d.text: d for d in store.documents("news")}
    assert list(docs) == [TEXT_A, TEXT_B, TEXT_C]
    a, b, c = docs[TEXT_A], docs[TEXT_B], docs[TEXT_C]
    assert a.meta == {"id": 101, "headline": "Syria's new leader meets officials", "file": str(path), "line": 2}
    assert b.meta == {"batch": 2, "id": 102, "file": str(path), "line": 193}
    one, two = store.latest_answer(a.id, "label-studio-1"), store.latest_answer(a.id, "label-studio-2")
    assert one.answer == "accept" and one.spans == (Span(0, 15, "PERSON"), Span(33, 41, "GPE"), Span(45, 53, "DATE"))
    assert one.answered_at == pytest.approx(_at("2024-12-12T10:16:40.951207Z"))  # the annotation's updated_at
    assert two.spans == (Span(33, 41, "GPE"),) and two.answered_at == pytest.approx(_at("2024-12-12T11:02:05.120000Z"))
    assert store.latest_answer(b.id, "label-studio-2").answer == "ignore"  # was_cancelled: skipped in Label Studio
    assert store.latest_answer(b.id, "label-studio-1").spans == (Span(0, 4, "GPE"), Span(33, 38, "GPE"))
    assert store.suggestions(a.id) == {"ner-v1": (Span(0, 15, "PERSON"), Span(33, 41, "GPE"))}
    assert store.suggestions(c.id) == {"ner-v1": (Span(0, 15, "PERSON"), Span(24, 30, "GPE"))}
    assert store.latest_answer(c.id, "label-studio-1") is None  # a task nobody annotated is a document only
    assert result.not_imported == {(str(path), "'choices' results (only 'labels' results become spans)"): 1}


def test_one_line_export_with_email_annotator_and_prediction_ids(store, config):
    path = DATA / "label_studio_oneline.json"
    result = run_import(store, config, [path])
    doc = next(iter(store.documents("news")))
    assert doc.text == TEXT_C and store.annotators("news") == ["cy@example.org"]  # completed_by {"email": ...}
    assert store.latest_answer(doc.id, "cy@example.org").spans == (Span(24, 30, "GPE"),)
    assert result.not_imported == {(str(path), "predictions given by id only (export them in full to import them)"): 2}


def _write(tmp_path: Path, tasks, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    return path


def _task(text: str = TEXT_A, result=None, **extra) -> dict:
    result = (
        result
        if result is not None
        else [
            {
                "value": {"start": 33, "end": 41, "text": "Damascus", "labels": ["GPE"]},
                "id": "x1",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
            }
        ]
    )
    return {
        "id": 1,
        "data": {"text": text},
        "annotations": [{"id": 1, "completed_by": 1, "result": result, "was_cancelled": False}],
        "predictions": [],
        **extra,
    }


def _value(**value) -> list[dict]:
    return [{"value": value, "id": "x1", "from_name": "label", "to_name": "text", "type": "labels"}]


@pytest.mark.parametrize(
    "tasks, line, words",
    [
        (
            [
                _task(),
                _task(TEXT_B, _value(start=0, end=4, text="Iraq", labels=["GPE"])),
                _task(TEXT_B, _value(start=0, end=5, text="Iraq", labels=["GPE"])),
            ],
            None,
            "task 3 (id 1), annotation 1 (id 1): span 0-5 text 'Iraq' does not match the text there ('Iraq ')",
        ),
        ([_task(TEXT_B, _value(start=0, end=4, labels=["GPE", "ORG"]))], 2, "a region with 2 labels (GPE, ORG)"),
        ([_task(TEXT_B, _value(start="0", end=4, labels=["GPE"]))], 2, "start must be a whole number, not '0'"),
        ([_task(TEXT_B, _value(start=0, end=4, labels=["CITY"]))], 2, "label 'CITY' is not in labels.yaml"),
        ([_task(TEXT_B, _value(start=0, end=400, labels=["GPE"]))], 2, "span 0-400 is out of range"),
        ([{"id": 1, "annotations": []}], 2, 'task 1 (id 1): no "data" object'),
        ([{"id": 1, "data": {"n": 3}, "annotations": []}], 2, 'task 1 (id 1): no text in "data" (its fields: n)'),
        (
            [{"id": 1, "data": {"title": "a", "body": "b"}, "annotations": []}],
            2,
            'task 1 (id 1): "data" has several text fields (title, body); '
            "name the one to annotate with --text-column NAME",
        ),
    ],
)
def test_bad_tasks_name_the_task_and_its_line(store, config, tmp_path, tasks, line, words):
    path = _write(tmp_path, tasks)
    with pytest.raises(UserError) as error:
        run_import(store, config, [path])
    message = str(error.value)
    if line is None:  # the third task's "{" is on line 46 of the indented file
        line = path.read_text().splitlines().index("  {", 40) + 1
    assert message.startswith(f"{path}:{line}: ") and words in message, message
    assert store.count_documents("news") == 0


@pytest.mark.parametrize(
    "content, words",
    [
        (
            b'[{"id": 1, "data": {"text": "Iraq"},\n "annotations": []]',
            "2: not valid JSON (Expecting ',' delimiter at column",
        ),
        (b'[\n  {"id": 1, "data": {"text": "caf\xe9"}}\n]', "2: not UTF-8 text"),
        (b"[]", "1: no tasks (an empty JSON array)"),
        (
            b'[{"text": "Iraq", "label": [{"start": 0, "end": 4, "labels": ["GPE"]}], '
            b'"annotator": 1, "annotation_id": 3}]',
            "1: Label Studio's JSON-MIN export, which leaves out",
        ),
        (b"[1, 2]", "1: task 1 must be an object"),
    ],
)
def test_whole_file_problems(store, config, tmp_path, content, words):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(UserError) as error:
        run_import(store, config, [path])
    assert str(error.value).startswith(f"{path}:{words}"), str(error.value)


def test_text_field_from_to_name_or_text_column(store, config, tmp_path):
    result = _value(start=0, end=4, text="Iraq", labels=["GPE"])
    result[0]["to_name"] = "body"
    task = {
        "id": 1,
        "data": {"title": "Wire", "body": TEXT_B},
        "annotations": [{"id": 1, "completed_by": 1, "result": result}],
    }
    run_import(store, config, [_write(tmp_path, [task])])
    doc = next(iter(store.documents("news")))
    assert doc.text == TEXT_B and doc.meta["title"] == "Wire"  # to_name names the Text tag reading $body
    task["annotations"] = []
    run_import(store, config, [_write(tmp_path, [task], "other.json")], dataset="titles", text_column="title")
    assert [d.text for d in store.documents("titles")] == ["Wire"]


def test_reimport_adds_nothing_and_counts_tasks_not_records(store, config):
    run_import(store, config, [DATA / "label_studio.json"])
    again = run_import(store, config, [DATA / "label_studio.json"])
    assert (again.read, again.added, again.present, again.answers) == (3, 0, 3, 0)


def test_round_trip_through_jsonl_export(project, monkeypatch, capsys):
    """import, export, import into a new store: the same texts, answers (annotator, answer,
    spans, time) and, for the first store's documents, the same tokens."""
    monkeypatch.chdir(project)
    shutil.copy(DATA / "label_studio.json", project / "ls.json")
    assert run_main(monkeypatch, capsys, "import", "ls.json", "--dataset", "news", "--no-preannotate")[0] == 0
    status, out, err = round_trip_jsonl(monkeypatch, capsys, "news")
    assert status == 0, err
    with Store(project / "annotations.db") as first, Store(project / "again.db") as second:
        one = {d.text: d for d in first.documents("news")}
        two = {d.text: d for d in second.documents("news")}
        assert set(two) == {TEXT_A, TEXT_B}  # the task nobody annotated is not an annotation to export
        for text, doc in two.items():
            assert doc.tokens == one[text].tokens and doc.meta["id"] == one[text].meta["id"]
            for who in ("label-studio-1", "label-studio-2"):
                a, b = first.latest_answer(one[text].id, who), second.latest_answer(doc.id, who)
                assert (a.answer, a.spans, int(a.answered_at)) == (b.answer, b.spans, int(b.answered_at))


def test_cli_reports_what_is_not_imported(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    shutil.copy(DATA / "label_studio.json", project / "ls.json")
    status, out, err = run_main(monkeypatch, capsys, "import", "ls.json", "--dataset", "news", "--no-preannotate")
    assert status == 0, err
    assert "news: 3 new documents, 0 already there, 4 answers, 2 suggestions" in out
    assert "news: not imported: ls.json: 1 'choices' results (only 'labels' results become spans)" in out


def test_json_lines_in_a_json_file_are_still_jsonl_and_an_array_without_extension_is_label_studio(
    store, config, tmp_path
):
    lines = tmp_path / "lines.json"
    lines.write_text(json.dumps({"text": TEXT_A}) + "\n" + json.dumps({"text": TEXT_B}) + "\n", encoding="utf-8")
    assert detect_format(lines) == "jsonl"
    bare = tmp_path / "export"
    shutil.copy(DATA / "label_studio_oneline.json", bare)
    assert detect_format(bare) == "label-studio"
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf  \n" + (DATA / "label_studio_oneline.json").read_bytes())
    assert detect_format(bom) == "label-studio"
    run_import(store, config, [lines, bom])
    assert store.count_documents("news") == 3


def test_a_selection_with_spaces_around_it_is_trimmed_to_its_words(store, config, tmp_path):
    """Label Studio selects characters: a drag that takes the space after a word is common."""
    result = _value(start=32, end=42, text=" Damascus ", labels=["GPE"])
    path = _write(tmp_path, [_task(TEXT_A, result)])
    run_import(store, config, [path])
    doc = next(iter(store.documents("news")))
    assert store.latest_answer(doc.id, "label-studio-1").spans == (Span(33, 41, "GPE"),)


def test_skip_invalid_skips_one_annotation_and_keeps_the_task(store, config, tmp_path):
    good = _value(start=33, end=41, text="Damascus", labels=["GPE"])
    bad = _value(start=33, end=41, text="Baghdad", labels=["GPE"])
    first = _task(TEXT_A, bad)
    first["annotations"].append({"id": 2, "completed_by": 2, "result": good})
    only_bad = {**_task(TEXT_B, _value(start=0, end=4, labels=["CITY"])), "id": 2}
    path = _write(tmp_path, [first, only_bad])
    result = run_import(store, config, [path], skip_invalid=True)
    a, b = store.documents("news")
    assert (a.text, b.text) == (TEXT_A, TEXT_B) and (result.read, result.added, result.present) == (2, 2, 0)
    assert store.latest_answer(a.id, "label-studio-1") is None and store.latest_answer(
        a.id, "label-studio-2"
    ).spans == (Span(33, 41, "GPE"),)
    assert store.latest_answer(b.id, "label-studio-1") is None  # its one annotation was bad: the document alone
    assert [p.reason.split(":")[0] for p in result.skipped] == [
        "span 33-41 text 'Baghdad' does not match the text there ('Damascus')",
        "label 'CITY' is not in labels.yaml",
    ]


def test_one_task_per_file_as_cloud_storage_keeps_them(store, config, tmp_path):
    path = DATA / "label_studio_task_102.json"
    assert detect_format(path) == "label-studio"  # an indented object: one task, not JSON lines
    compact = tmp_path / "103.json"
    compact.write_text(
        json.dumps(_task(TEXT_C, _value(start=24, end=30, text="Russia", labels=["GPE"]))), encoding="utf-8"
    )
    assert detect_format(compact) == "label-studio"  # one line, but a task ("data", no "text")
    result = run_import(store, config, [path, compact])
    b, c = store.documents("news")
    assert (b.text, c.text, result.read, result.answers) == (TEXT_B, TEXT_C, 2, 3)
    assert b.meta["line"] == 1 and b.meta["id"] == 102
    assert store.latest_answer(b.id, "label-studio-2").answer == "ignore"
    assert store.latest_answer(c.id, "label-studio-1").spans == (Span(24, 30, "GPE"),)

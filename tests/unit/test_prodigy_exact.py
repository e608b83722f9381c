"""Prodigy in and out, exactly: answers without an annotator, Prodigy's own fields kept and
written back, a round trip that merges into the original adding nothing, and the newest
answer decided by when it was given."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
import srsly

from annotator.core.spans import Span
from annotator.store import Store
from tests.helpers.cli import run_main

DRUGS = Path("/work/shared/data/ner_drugs/drugs_training.jsonl")
DB_OUT = Path(__file__).parent.parent / "data" / "prodigy_db_out.jsonl"
LABELS = "lang: en\nlabels:\n" + "".join(
    f'  - name: {name}\n    key: "{key}"\n    color: "#e5c07b"\n'
    for key, name in (("1", "PERSON"), ("2", "GPE"), ("3", "DRUG"))
)
KEPT = ("text", "meta", "_input_hash", "_task_hash", "_view_id", "_timestamp", "answer", "_annotator_id", "_session_id")


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "labels.yaml").write_text(LABELS)
    lines = list(islice(DRUGS.open(encoding="utf-8"), 60))
    (tmp_path / "drugs.jsonl").write_text("".join(lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def import_into(monkeypatch, capsys, db: Path, *files: Path, extra: tuple[str, ...] = ()) -> str:
    code, out, err = run_main(
        monkeypatch, capsys, "import", *map(str, files), "--db", str(db), "--dataset", "d", "--no-preannotate", *extra
    )
    assert code == 0, err
    return out


def answers_after_merging_b_into_a(monkeypatch, capsys, project: Path) -> int:
    """`db merge` of the project's b.db into its a.db; then how many answers a.db holds."""
    code, _, err = run_main(monkeypatch, capsys, "db", "merge", str(project / "b.db"), "--db", str(project / "a.db"))
    assert code == 0, err
    with Store(project / "a.db") as store:
        return all_answers(store)


def export_lines(monkeypatch, capsys, db: Path, out: Path) -> list[dict]:
    code, _, err = run_main(
        monkeypatch, capsys, "export", str(out), "--db", str(db), "--dataset", "d", "--format", "jsonl"
    )
    assert code == 0, err
    return list(srsly.read_jsonl(out / "annotations.jsonl"))


def test_answers_without_an_annotator_import_under_the_default(project, monkeypatch, capsys):
    # The real ner_drugs dataset has neither _annotator_id nor _session_id on any line.
    out = import_into(monkeypatch, capsys, project / "a.db", project / "drugs.jsonl")
    assert "60 answers" in out and "with no _annotator_id or _session_id: imported as 'prodigy'" in out
    with Store(project / "a.db") as store:
        assert {a.annotator for a in store.latest_answers("d")} == {"prodigy"}
        assert len(store.latest_answers("d")) == 60


def test_the_annotator_option_names_answers_without_one(project, monkeypatch, capsys):
    out = import_into(monkeypatch, capsys, project / "a.db", DB_OUT, extra=("--annotator", "cy"))
    assert "1 answer with no _annotator_id or _session_id: imported as 'cy'" in out
    with Store(project / "a.db") as store:
        whose = {store.document(a.document).text: a.annotator for a in store.latest_answers("d")}
    assert whose == {"Ana met Ben in Lisbon.": "news_ner-alice", "Nothing here.": "news_ner-alice",
                     "Ben flew to Rome.": "cy", "Ana stayed in Porto.": "news_ner-ben"}  # fmt: skip


def test_a_round_trip_gives_the_same_file_back_and_merges_into_nothing(project, monkeypatch, capsys):
    originals = [*srsly.read_jsonl(project / "drugs.jsonl"), *srsly.read_jsonl(DB_OUT)]
    import_into(monkeypatch, capsys, project / "a.db", project / "drugs.jsonl", DB_OUT)
    first = export_lines(monkeypatch, capsys, project / "a.db", project / "out1")
    import_into(monkeypatch, capsys, project / "b.db", project / "out1" / "annotations.jsonl")
    second = export_lines(monkeypatch, capsys, project / "b.db", project / "out2")
    assert first == second  # field by field, line by line
    by_text = {line["text"]: line for line in first}
    assert len(by_text) == len(originals)
    for original in originals:
        written = by_text[original["text"]]
        for key in KEPT:
            assert written.get(key, "absent") == original.get(key, "absent"), (key, original["text"])
        spans = lambda line: [(s["start"], s["end"], s["label"]) for s in line.get("spans", [])]  # noqa: E731
        assert spans(written) == spans(original)
    assert by_text["Ana met Ben in Lisbon."]["_timestamp"] == 1701432000
    assert "_timestamp" not in by_text[originals[0]["text"]]  # never invented
    assert answers_after_merging_b_into_a(monkeypatch, capsys, project) == len(originals)


def test_a_name_given_by_the_annotator_option_travels_and_merges_into_nothing(project, monkeypatch, capsys):
    import_into(monkeypatch, capsys, project / "a.db", project / "drugs.jsonl", extra=("--annotator", "alice"))
    first = export_lines(monkeypatch, capsys, project / "a.db", project / "out1")
    assert {line["_annotator_id"] for line in first} == {"alice"}
    import_into(monkeypatch, capsys, project / "b.db", project / "out1" / "annotations.jsonl")
    assert export_lines(monkeypatch, capsys, project / "b.db", project / "out2") == first
    assert answers_after_merging_b_into_a(monkeypatch, capsys, project) == 60


def test_answers_made_here_keep_full_precision_through_the_round_trip(project, monkeypatch, capsys):
    import_into(monkeypatch, capsys, project / "a.db", DB_OUT)
    with Store(project / "a.db") as store:
        doc = next(d for d in store.documents("d") if d.text == "Ben flew to Rome.")
        store.add_answer(doc.id, "dee", "accept", [Span(0, 3, "PERSON")], 1701432200.123456, 1701432207.654321)
    export_lines(monkeypatch, capsys, project / "a.db", project / "out1")
    import_into(monkeypatch, capsys, project / "b.db", project / "out1" / "annotations.jsonl")
    with Store(project / "b.db") as store:
        dee = [a for a in store.latest_answers("d") if a.annotator == "dee"]
    assert [a.answered_at for a in dee] == [1701432207.654321]
    assert answers_after_merging_b_into_a(monkeypatch, capsys, project) == 5


def test_the_newest_answer_is_the_one_given_last_not_the_last_row(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.ensure_dataset("d", "en", ["PERSON"])
        ids = store.add_documents("d", [_doc("Ann is here"), _doc("Bob is there")])
        first, second = ids.values()
        store.add_answer(first, "ann", "accept", [Span(0, 3, "PERSON")], 200.0, 210.0)
        store.add_answer(first, "ann", "reject", [], 100.0, 110.0)  # merged in later, given earlier
        store.add_answer(second, "ann", "ignore", [], 300.0, 310.0)
        store.add_answer(second, "ann", "ignore", [], 50.0, 60.0)  # older: 310 counts
        assert store.latest_answer(first, "ann").answer == "accept"
        assert {a.document: a.answered_at for a in store.latest_answers("d")} == {first: 210.0, second: 310.0}
        assert store.latest_answers("d", raw=True)[0][2] == "accept"
        assert store.stats("d")["answers"][0]["answer"] == "accept"
        # routing: the ignored document comes back only when its newest ignore is old enough
        assert store.next_task("d", "ann", ignored_before=200.0, now=1000.0) is None
        assert store.next_task("d", "ann", ignored_before=400.0, now=1000.0) == second


def test_an_older_answer_merged_in_does_not_become_the_current_one(tmp_path):
    stores = []
    for name, (answer, given) in {"here": ("accept", 210.0), "laptop": ("reject", 110.0)}.items():
        store = Store(tmp_path / f"{name}.db")
        store.ensure_dataset("d", "en", ["PERSON"])
        (doc,) = store.add_documents("d", [_doc("Ann is here")]).values()
        store.add_answer(doc, "ann", answer, [Span(0, 3, "PERSON")] if answer == "accept" else [], given - 5, given)
        stores.append(store)
    here, laptop = stores
    assert here.merge_from(laptop.path)["answers"] == 1
    assert [(a.answer, a.answered_at) for a in here.latest_answers("d")] == [("accept", 210.0)]
    for store in stores:
        store.close()


def _doc(text: str):
    from annotator.core.tasks import NewDocument

    tokens, at = [], 0
    for word in text.split(" "):
        tokens.append((at, at + len(word)))
        at += len(word) + 1
    return NewDocument(text=text, tokens=tokens)


def all_answers(store: Store) -> int:
    return sum(len(store.answer_history(d.id)) for d in store.documents("d"))


def test_spans_relabelled_by_label_map_get_an_honest_task_hash(project, monkeypatch, capsys):
    """label_map changes an answer's spans, so the _task_hash that came with it describes
    other labels: it is left out at import (said in the summary) and export makes a new one;
    the round trip of that is stable and merges into nothing."""
    (project / "labels.yaml").write_text(LABELS.replace("DRUG", "MEDICINE") + "label_map: {DRUG: MEDICINE}\n")
    originals = {line["text"]: line for line in srsly.read_jsonl(project / "drugs.jsonl")}
    relabelled = {text for text, line in originals.items() if line.get("spans")}
    assert 0 < len(relabelled) < len(originals)
    out = import_into(monkeypatch, capsys, project / "a.db", project / "drugs.jsonl")
    assert (
        f"d: {len(relabelled)} answers whose spans label_map or --align changed: their _task_hash is left out "
        "(export --format jsonl makes a new one)"
    ) in out
    first = export_lines(monkeypatch, capsys, project / "a.db", project / "out1")
    for line in first:
        original = originals[line["text"]]
        assert line["_input_hash"] == original["_input_hash"]
        if line["text"] in relabelled:
            assert {s["label"] for s in line["spans"]} == {"MEDICINE"}
            assert isinstance(line["_task_hash"], int) and line["_task_hash"] != original["_task_hash"]
        else:
            assert line["_task_hash"] == original["_task_hash"]
    import_into(monkeypatch, capsys, project / "b.db", project / "out1" / "annotations.jsonl")
    assert export_lines(monkeypatch, capsys, project / "b.db", project / "out2") == first
    assert answers_after_merging_b_into_a(monkeypatch, capsys, project) == 60

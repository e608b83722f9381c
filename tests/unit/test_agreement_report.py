"""`annotator agreement` on a real store: three annotators' answers written through
``Store.add_answer``, the JSON keys and values, the tables, and a bad --dataset."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.core.spans import Span
from annotator.ui.agreement_tables import tables
from annotator.usecases.agreement_report import JSON_KEYS, compute
from tests.helpers.cli import run_process
from tests.helpers.stores import dump, open_store


def agreement_json(*args: str) -> dict:
    """`annotator agreement --json ...` in this process (the exit-status test runs the real program)."""
    result = CliRunner().invoke(app, ["agreement", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


TEXTS = [
    "Barack Obama visited New York City and Paris in May 2010 .",
    "Nothing to see here .",
    "Iraq sent soldiers to Syria .",
]


@pytest.fixture
def store_path(tmp_path):
    store, (first, second, third) = open_store(tmp_path / "annotations.db", TEXTS, dataset="news")
    with store:
        store.add_answer(first, "alice", "accept", [Span(0, 12, "PERSON"), Span(21, 34, "GPE")], 0)
        # Bob changed his mind: only the newest answer counts.
        store.add_answer(first, "bob", "accept", [Span(0, 12, "ORG")], 0)
        store.add_answer(first, "bob", "accept", [Span(7, 12, "PERSON"), Span(21, 34, "GPE")], 0)
        store.add_answer(first, "carol", "accept", [Span(0, 12, "PERSON")], 0)
        store.add_answer(second, "alice", "accept", [], 0)
        store.add_answer(second, "bob", "accept", [], 0)
        store.add_answer(second, "carol", "reject", [], 0)
        store.add_answer(third, "alice", "ignore", [], 0)
        store.add_answer(third, "bob", "accept", [Span(0, 4, "GPE")], 0)
    return tmp_path / "annotations.db"


def test_json_keys_and_values_by_hand(store_path):
    report = agreement_json("--db", str(store_path), "--dataset", "news")
    assert list(report) == list(JSON_KEYS)
    assert report["dataset"] == "news" and report["documents"] == 2
    assert report["annotators"] == [
        {"name": "alice", "accept": 2, "reject": 0, "ignore": 1},
        {"name": "bob", "accept": 3, "reject": 0, "ignore": 0},
        {"name": "carol", "accept": 1, "reject": 1, "ignore": 0},
    ]
    # alice/bob: 4 spans, GPE exact, PERSON overlapping; alice/carol: 3 spans, PERSON
    # exact; bob/carol: 3 spans, PERSON overlapping only. Carol rejected document 2.
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert pairs["alice", "bob"]["documents"] == 2 and pairs["alice", "carol"]["documents"] == 1
    assert [pairs[k]["f1_exact"] for k in sorted(pairs)] == pytest.approx([0.5, 2 / 3, 0.0])
    assert [pairs[k]["f1_overlap"] for k in sorted(pairs)] == pytest.approx([1.0, 2 / 3, 2 / 3])
    assert report["f1_exact"] == pytest.approx((0.5 + 2 / 3) / 3)
    assert set(pairs["alice", "bob"]) == {"a", "b", "documents", "f1_exact", "f1_overlap", "cohen_kappa"}
    assert report["diagnosis"] == {"boundary": 2, "label": 0, "missing": 2}
    assert report["worst_documents"] == [{"id": 1, "f1_exact": pytest.approx(0.4), "source": "", "text": TEXTS[0]}]
    assert set(report["per_label"]) == {"PERSON", "GPE"} and report["per_label"]["PERSON"]["count"] == 3
    assert set(report["per_label"]["GPE"]) == {"f1_exact", "f1_overlap", "alpha_u", "count"}
    for key in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "alpha_u", "percent_agreement"):
        assert isinstance(report[key], float), key
    assert report["undefined"] == {}


def test_labels_yaml_orders_the_labels(store_path, project):
    report = agreement_json("--db", str(store_path), "--labels", str(project / "labels.yaml"))
    assert list(report["per_label"]) == ["PERSON", "GPE"]


def test_tables_show_every_section(store_path):
    from rich.console import Console

    from annotator.store import Store

    with Store(store_path) as store:
        result = compute(store, "news")
    console = Console(width=120, record=True)
    console.print(tables(result))
    text = console.export_text()
    for heading in (
        "Span F1, exact",
        "Fleiss' kappa",
        "alpha-U",
        "Pairs of annotators",
        "Per label",
        "boundary",
        "Worst documents",
    ):
        assert heading in text


@pytest.mark.slow
def test_unknown_dataset_is_one_line_and_exit_1(store_path):
    before = dump(store_path)
    result = run_process("agreement", "--db", str(store_path), "--dataset", "nope")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no dataset 'nope'" in result.stderr
    assert "Traceback" not in result.stderr and dump(store_path) == before


def test_a_dataset_with_one_annotator_reports_why_values_are_missing(tmp_path):
    store, ids = open_store(tmp_path / "one.db", TEXTS, dataset="solo")
    with store:
        store.add_answer(ids[0], "alice", "accept", [Span(0, 12, "PERSON")], 0)
    report = agreement_json("--db", str(tmp_path / "one.db"))
    assert report["documents"] == 0 and report["f1_exact"] is None
    assert report["undefined"]["f1_exact"] == "fewer than two annotators accepted a document"


def render_text(renderable, width: int = 160) -> str:
    from rich.console import Console

    console = Console(width=width, record=True)
    console.print(renderable)
    return console.export_text()


def test_two_annotators_sharing_no_document_are_told_so(tmp_path):
    """Before: "fewer than two annotators" while the table listed both."""
    store, ids = open_store(tmp_path / "two.db", TEXTS, dataset="news")
    with store:
        store.add_answer(ids[0], "alice", "accept", [Span(0, 12, "PERSON")], 0)
        store.add_answer(ids[1], "bob", "accept", [], 0)
        store.add_answer(ids[0], "carol", "reject", [], 0)
    report = agreement_json("--db", str(tmp_path / "two.db"))
    assert [a["name"] for a in report["annotators"]] == ["alice", "bob", "carol"] and report["documents"] == 0
    main = (
        "f1_exact",
        "f1_overlap",
        "cohen_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
        "percent_agreement",
        "alpha_u",
    )
    assert {report["undefined"][key] for key in main} == {"no document was accepted by two or more annotators"}
    from annotator.store import Store

    with Store(tmp_path / "two.db") as store:
        shown = render_text(tables(compute(store, "news")))
    assert "fewer than two" not in shown and "no document was accepted by two or more annotators" in shown


def test_pairs_that_marked_nothing_give_their_reason_for_the_mean(tmp_path):
    store, ids = open_store(tmp_path / "empty.db", TEXTS, dataset="news")
    with store:
        for name in ("alice", "bob"):
            store.add_answer(ids[1], name, "accept", [], 0)
    report = agreement_json("--db", str(tmp_path / "empty.db"))
    reason = "neither annotator marked a span in the documents both accepted"
    assert report["undefined"]["f1_exact"] == reason == report["undefined"]["pairs.alice/bob.f1_exact"]
    assert report["undefined"]["cohen_kappa"].startswith("only one category (O)")


def test_worst_documents_say_where_they_come_from_and_begin(tmp_path):
    """Before: only the internal id ("1 0.625"), and a title wrapping mid-phrase."""
    from annotator.store import Store
    from tests.helpers.stores import whitespace_doc

    long = "Officials in Damascus said that " + "many people " * 10 + "returned."
    docs = [
        whitespace_doc(long, file="seeds/news.txt", offset=1204, line=9),
        whitespace_doc("Iraq sent soldiers to Syria .", file="in.jsonl", line=3),
        whitespace_doc("Paris is big .", file="c.spacy", doc=4),
    ]
    with Store(tmp_path / "w.db") as store:
        store.ensure_dataset("news", "en", ["GPE", "PERSON"])
        ids = store.add_documents("news", docs)
        for doc in docs:
            store.add_answer(ids[doc.input_hash], "alice", "accept", [Span(0, 4, "GPE")], 0)
            store.add_answer(ids[doc.input_hash], "bob", "accept", [Span(0, 4, "PERSON")], 0)
        result = compute(store, "news")
    worst = {entry["source"]: entry for entry in result.report["worst_documents"]}
    assert set(worst) == {"seeds/news.txt @1204", "in.jsonl:3", "c.spacy #4"}
    assert set(worst["in.jsonl:3"]) == {"id", "f1_exact", "source", "text"}
    assert worst["in.jsonl:3"]["text"] == "Iraq sent soldiers to Syria ."
    snippet = worst["seeds/news.txt @1204"]["text"]
    assert len(snippet) == 60 and snippet.startswith("Officials in Damascus said that many") and snippet.endswith("…")
    shown = render_text(tables(result), width=100)
    assert "Worst documents, most disagreement first" in shown and "seeds/news.txt @1204" in shown
    assert "Officials in Damascus" in shown

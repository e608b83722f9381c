"""`Store.merge_from` and `annotator db merge`: offline stores brought together."""

from __future__ import annotations

import pytest

from annotator.core.errors import UserError
from annotator.core.spans import Span
from annotator.core.tasks import NewDocument
from annotator.store import Store
from tests.helpers.cli import run_process
from tests.helpers.stores import dump, open_store, whitespace_doc

TEXTS = ["Ann flew to Paris today", "Bob works at Acme in Rome", "Nothing to see here"]


def offline_copies(tmp_path, closing):
    """Two annotators on their own laptops, each with the same documents imported."""
    laptop_a, ids_a = open_store(tmp_path / "a.db", TEXTS)
    closing(laptop_a)
    laptop_b, ids_b = open_store(tmp_path / "b.db", list(reversed(TEXTS)))  # other import order: other ids
    closing(laptop_b)
    laptop_a.add_answer(ids_a[0], "ann", "accept", [Span(0, 3, "PERSON"), Span(12, 17, "GPE")], 100.0, 110.0)
    laptop_a.add_answer(ids_a[1], "ann", "reject", [], 120.0, 125.0)
    laptop_b.add_answer(ids_b[2], "bob", "accept", [Span(0, 3, "PERSON")], 200.0, 230.0)  # TEXTS[0]
    laptop_b.add_suggestions([(ids_b[1], "patterns", [Span(13, 17, "ORG")])], replace=True)  # TEXTS[1]
    return laptop_a, laptop_b


def test_two_offline_stores_merge_into_one_without_duplicates(tmp_path, closing):
    laptop_a, laptop_b = offline_copies(tmp_path, closing)
    counts = laptop_a.merge_from(laptop_b.path)
    assert counts["documents"] == 0 and counts["documents_present"] == 3
    assert counts["answers"] == 1 and counts["suggestions"] == 1
    assert laptop_a.count_documents("d") == 3
    first = next(d for d in laptop_a.documents("d") if d.text == TEXTS[0])
    assert {a.annotator: a.spans for a in laptop_a.latest_answers("d") if a.document == first.id} == {
        "ann": (Span(0, 3, "PERSON"), Span(12, 17, "GPE")),
        "bob": (Span(0, 3, "PERSON"),),
    }
    second = next(d for d in laptop_a.documents("d") if d.text == TEXTS[1])
    assert laptop_a.suggestions(second.id) == {"patterns": (Span(13, 17, "ORG"),)}
    assert laptop_a.check() == []


def test_merging_the_same_file_twice_adds_nothing(tmp_path, closing):
    laptop_a, laptop_b = offline_copies(tmp_path, closing)
    laptop_a.merge_from(laptop_b.path)
    before = dump(laptop_a.path)
    again = laptop_a.merge_from(laptop_b.path)
    assert again["documents"] == again["answers"] == again["suggestions"] == again["reviews"] == 0
    assert again["answers_present"] == 1
    assert dump(laptop_a.path) == before
    # and merging back the other way brings bob only ann's answers, once
    assert laptop_b.merge_from(laptop_a.path)["answers"] == 2
    assert laptop_b.merge_from(laptop_a.path)["answers"] == 0
    assert len(laptop_b.latest_answers("d")) == 3


def test_into_a_new_store_keeps_history_order_and_review_links(tmp_path, closing):
    laptop, ids = open_store(tmp_path / "a.db", TEXTS)
    closing(laptop)
    laptop.add_documents("other", [whitespace_doc("Padding so ids differ")])
    first = laptop.add_answer(ids[0], "ann", "accept", [Span(0, 3, "PERSON")], 1.0, 2.0)
    second = laptop.add_answer(ids[0], "ann", "accept", [Span(0, 3, "ORG")], 3.0, 4.0)  # changed mind
    laptop.add_review(ids[0], "rev", "accept", [Span(0, 3, "PERSON")], [first, second])
    server, _ = open_store(tmp_path / "server.db", ["Something else entirely"])
    closing(server)
    server.add_answer(1, "zed", "accept", [], 0.0, 1.0)  # so the merged answers get new ids
    counts = server.merge_from(laptop.path, dataset="d")
    assert (counts["documents"], counts["answers"], counts["reviews"]) == (3, 2, 1)
    assert "other" not in server.datasets()
    merged = next(d for d in server.documents("d") if d.text == TEXTS[0])
    history = server.answer_history(merged.id, "ann")
    assert [a.spans[0].label for a in history] == ["PERSON", "ORG"]
    assert server.latest_answer(merged.id, "ann").spans == (Span(0, 3, "ORG"),)
    (review,) = server.review_history(merged.id)
    assert review.decided_from == tuple(a.id for a in history)
    assert server.dataset_info("d")["labels"] == sorted(("PERSON", "GPE", "ORG"))


@pytest.mark.parametrize(
    "lang, labels, message",
    [("en", ("PERSON", "GPE"), "only here: ORG"), ("de", ("PERSON", "GPE", "ORG"), "lang 'de' there but 'en' here")],
)
def test_a_dataset_with_other_labels_or_tokenizer_is_refused_and_nothing_changes(
    tmp_path, lang, labels, message, closing
):
    laptop_a, _ = offline_copies(tmp_path, closing)
    other, ids = open_store(tmp_path / "other.db", ["Brand new text"], lang=lang, labels=labels)
    closing(other)
    other.add_answer(ids[0], "cy", "accept", [], 1.0, 2.0)
    before = dump(laptop_a.path)
    with pytest.raises(UserError, match=message):
        laptop_a.merge_from(other.path)
    assert dump(laptop_a.path) == before


def test_same_text_tokenized_differently_is_refused(tmp_path, closing):
    laptop_a, _ = offline_copies(tmp_path, closing)
    other = closing(Store(tmp_path / "other.db"))
    other.ensure_dataset("d", "en", ("PERSON", "GPE", "ORG"))
    other.add_documents("d", [whitespace_doc("Brand new text"), NewDocument(TEXTS[2], [(0, len(TEXTS[2]))])])
    before = dump(laptop_a.path)
    with pytest.raises(UserError, match="tokenized differently"):
        laptop_a.merge_from(other.path)
    assert dump(laptop_a.path) == before


def test_bad_sources_are_refused(tmp_path, closing):
    laptop_a, laptop_b = offline_copies(tmp_path, closing)
    with pytest.raises(UserError, match="no dataset 'nope'"):
        laptop_a.merge_from(laptop_b.path, dataset="nope")
    with pytest.raises(UserError, match="is this store"):
        laptop_a.merge_from(laptop_a.path)
    with pytest.raises(UserError, match="no such store"):
        laptop_a.merge_from(tmp_path / "missing.db")
    (tmp_path / "junk.db").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(UserError, match="not an annotator store"):
        laptop_a.merge_from(tmp_path / "junk.db")


@pytest.mark.slow
def test_db_merge_command(tmp_path, closing):
    laptop_a, laptop_b = offline_copies(tmp_path, closing)
    laptop_a.close()
    laptop_b.close()
    done = run_process("db", "merge", str(tmp_path / "b.db"), "--db", str(tmp_path / "a.db"))
    assert done.returncode == 0, done.stderr
    assert "added 0 documents, 1 suggestion, 1 answer, 0 reviews" in done.stdout
    refused = run_process("db", "merge", str(tmp_path / "b.db"), "--db", str(tmp_path / "a.db"), "--dataset", "x")
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"annotator: {tmp_path / 'b.db'}: no dataset 'x' (datasets: d)"


def test_an_older_review_merged_in_does_not_become_the_documents_decision(tmp_path, closing):
    """Reviews, like answers: the decision that counts is the one given last (decided_at),
    not the row added last, which after a merge can be the older one."""
    import time

    laptop_a, ids_a = open_store(tmp_path / "a.db", TEXTS)
    closing(laptop_a)
    laptop_b, ids_b = open_store(tmp_path / "b.db", list(reversed(TEXTS)))
    closing(laptop_b)
    laptop_b.add_review(ids_b[2], "rev", "accept", [Span(0, 3, "ORG")], [])  # TEXTS[0], decided first
    time.sleep(0.01)
    laptop_a.add_review(ids_a[0], "rev", "accept", [Span(0, 3, "PERSON")], [])  # decided later
    assert laptop_a.merge_from(laptop_b.path)["reviews"] == 1
    history = laptop_a.review_history(ids_a[0])
    assert [r.spans[0].label for r in history] == ["PERSON", "ORG"]  # the older one has the newer row
    assert laptop_a.latest_reviews("d")[ids_a[0]].spans == (Span(0, 3, "PERSON"),)

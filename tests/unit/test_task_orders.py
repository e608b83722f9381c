"""next_task in the three orders (file, a seeded shuffle, least confident first), on real
SQLite stores, with two annotators and overlap: every guarantee of the file order holds."""

from __future__ import annotations

import random

import pytest

from annotator.core.task_order import RANDOM, UNCERTAIN, TaskOrder, random_turn
from annotator.store.ordering import BY_CONFIDENCE, BY_ID, BY_SHUFFLE
from tests.helpers.stores import open_store, whitespace_doc

TEXTS = [f"document number {n} here" for n in range(40)]


def _walk(store, annotator, order, overlap=1, answer="accept", **kwargs):
    """Every document the annotator is handed in turn, each answered at once."""
    handed = []
    while (document := store.next_task("d", annotator, overlap=overlap, order=order, **kwargs)) is not None:
        handed.append(document)
        store.add_answer(document, annotator, answer, [], started_at=0.0)
    return handed


@pytest.fixture
def store(tmp_path):
    store, ids = open_store(tmp_path / "s.db", TEXTS)
    store.ids = ids
    yield store
    store.close()


def test_random_is_a_seeded_shuffle_of_every_document(store, tmp_path):
    order = TaskOrder(RANDOM, seed=3)
    store.prepare_order("d", order)
    handed = _walk(store, "ann", order)
    assert sorted(handed) == store.ids and handed != store.ids
    shuffled = list(store.ids)
    random.Random(3).shuffle(shuffled)
    assert handed == shuffled
    other, ids = open_store(tmp_path / "other.db", TEXTS)
    with other:
        for seed, same in ((3, True), (4, False)):
            other.prepare_order("d", TaskOrder(RANDOM, seed=seed))
            first = [other.next_task("d", f"x{seed}{n}", order=TaskOrder(RANDOM, seed=seed)) for n in range(10)]
            assert (first == handed[:10]) is same


def test_random_order_splits_the_documents_between_two_annotators_with_overlap_1(store):
    order = TaskOrder(RANDOM, seed=1)
    store.prepare_order("d", order)
    handed = {"ann": set(), "bob": set()}
    for turn in range(3 * len(TEXTS)):
        who = ("ann", "bob")[turn % 2]
        document = store.next_task("d", who, order=order, session=who)
        if document is None:
            continue
        handed[who].add(document)
        if turn % 3:  # else it stays on screen (leased) while the other asks, and comes back
            store.add_answer(document, who, "accept", [], started_at=0.0, session=who)
    assert not handed["ann"] & handed["bob"]
    assert sorted(handed["ann"] | handed["bob"]) == store.ids


def test_random_order_with_overlap_2_gives_each_document_to_both_once(store):
    order = TaskOrder(RANDOM, seed=7)
    store.prepare_order("d", order)
    ann, bob = _walk(store, "ann", order, overlap=2), _walk(store, "bob", order, overlap=2)
    assert sorted(ann) == sorted(bob) == store.ids
    assert _walk(store, "cy", order, overlap=2) == []  # two answers each: nothing left for a third


def test_documents_added_after_the_shuffle_come_after_it_in_file_order(store):
    order = TaskOrder(RANDOM, seed=2)
    store.prepare_order("d", order)
    added = list(store.add_documents("d", [whitespace_doc("late one")]).values())
    handed = _walk(store, "ann", order)
    assert handed[-1:] == added and sorted(handed[:-1]) == store.ids
    store.prepare_order("d", order)  # made again: now it holds the new one too
    assert store.db.execute("SELECT COUNT(*) FROM task_orders WHERE name = 'random 2'").fetchone()[0] == 41


def _confident(store, share_without=5):
    """Confidences for all but the last ``share_without`` documents, from a source 'model',
    in a known shuffled order, two documents tied."""
    ranked = store.ids[:-share_without]
    confidences = {document: (n * 7919 % 97) / 100 for n, document in enumerate(ranked)}
    confidences[ranked[1]] = confidences[ranked[0]]
    store.add_suggestions([(document, "model", []) for document in store.ids])
    store.set_confidences([(document, "model", value) for document, value in confidences.items()])
    return confidences


def test_uncertain_hands_out_the_least_confident_first_then_the_rest_in_file_order(store):
    confidences = _confident(store)
    handed = _walk(store, "ann", TaskOrder(UNCERTAIN, ranked_by="model"))
    expected = sorted(confidences, key=lambda d: (confidences[d], d)) + store.ids[-5:]
    assert handed == expected


def test_uncertain_random_turns_come_from_the_shuffle(store):
    confidences = _confident(store)
    order = TaskOrder(UNCERTAIN, seed=5, ranked_by="model")
    store.prepare_order("d", order)
    handed, kinds = [], []
    for n in range(len(TEXTS)):
        turn = random_turn(n)
        document = store.next_task("d", "ann", order=TaskOrder(UNCERTAIN, 5, "model", random_turn=turn))
        handed.append(document)
        kinds.append(turn)
        store.add_answer(document, "ann", "accept", [], started_at=0.0)
    assert sorted(handed) == store.ids
    assert sum(kinds) == 6  # 15% of 40
    shuffled = list(store.ids)
    random.Random(5).shuffle(shuffled)
    for n, (document, turn) in enumerate(zip(handed, kinds, strict=True)):
        rest = [d for d in shuffled if d not in handed[:n]]
        if turn:
            assert document == rest[0]
        else:
            ranked = sorted((d for d in rest if d in confidences), key=lambda d: (confidences[d], d))
            assert document == (ranked or [d for d in store.ids if d in rest])[0]


def test_uncertain_without_confidences_is_the_file_order(store):
    assert _walk(store, "ann", TaskOrder(UNCERTAIN, ranked_by=None)) == store.ids


def test_uncertain_with_two_annotators_and_overlap_2_never_hands_one_twice(store):
    _confident(store)
    order = TaskOrder(UNCERTAIN, ranked_by="model")
    handed = {"ann": [], "bob": []}
    for turn in range(2 * len(TEXTS) + 4):
        who = ("ann", "bob")[turn % 2]
        document = store.next_task("d", who, overlap=2, order=order, session=who)
        if document is None:
            continue
        handed[who].append(document)
        store.add_answer(document, who, "accept", [], started_at=0.0, session=who)
    assert sorted(handed["ann"]) == sorted(handed["bob"]) == store.ids


def test_a_leased_document_is_never_handed_to_another_in_uncertain_order(store):
    _confident(store)
    order = TaskOrder(UNCERTAIN, ranked_by="model")
    first = store.next_task("d", "ann", order=order, session="a")
    assert store.next_task("d", "bob", order=order, session="b") != first
    assert store.next_task("d", "ann", order=order, session="a") == first  # resumes its own lease


def test_ignored_documents_come_back_last_in_every_order(store):
    _confident(store)
    for order in (TaskOrder(UNCERTAIN, ranked_by="model"), TaskOrder(RANDOM, seed=9)):
        store.prepare_order("d", order)
        who = f"x-{order.kind}"
        skipped = store.next_task("d", who, overlap=2, order=order)
        store.add_answer(skipped, who, "ignore", [], started_at=0.0, answered_at=1.0)
        handed = _walk(store, who, order, overlap=2, ignored_before=2.0)
        assert handed[-1] == skipped and sorted(handed) == store.ids


@pytest.mark.parametrize("walk", [BY_ID, BY_SHUFFLE, BY_CONFIDENCE], ids=["id", "shuffle", "confidence"])
def test_every_walk_reads_an_index_in_order_and_never_sorts(store, walk):
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN " + walk.sql.format(free="1"),
        {"dataset": "d", "shuffle": "random 0", "ranked": "model", **walk.start},
    ).fetchall()
    details = " | ".join(row[-1] for row in plan)
    assert "TEMP B-TREE" not in details, details

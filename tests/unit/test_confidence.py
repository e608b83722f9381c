"""Per-document confidence from spaCy's beam (usecases.confidence): stored beside the
suggestions when the learner re-highlights, the same spans as the greedy parse, and the
uncertain order of an annotate session following it. Real pipelines: the tiny_model fixture."""

from __future__ import annotations

import pytest

from annotator.core.task_order import UNCERTAIN, HandOut, random_turn
from annotator.store import Store
from annotator.usecases import learned
from annotator.usecases.annotate_session import AnnotateSession
from annotator.usecases.confidence import margin_confidence
from annotator.usecases.learner import Learner
from annotator.usecases.preannotate import load_model, load_patterns, run_highlighter
from tests.helpers.learning import answer_all, drug_project
from tests.helpers.news import NEWS, OTHER, THIRD, news_store, write_labels
from tests.helpers.stores import plain_rows

EVERY = 40


def test_the_margin_is_the_least_sure_candidate_entity():
    assert margin_confidence({}) == 1.0  # every analysis agrees there is nothing
    assert margin_confidence({(0, 1, "X"): 1.0, (2, 3, "X"): 0.0}) == 1.0
    assert margin_confidence({(0, 1, "X"): 0.9, (2, 3, "X"): 0.55}) == pytest.approx(0.1)


@pytest.mark.slow
def test_scored_highlighting_stores_confidences_and_the_greedy_spans(tmp_path, tiny_model):
    config = write_labels(tmp_path)
    ids = news_store(tmp_path / "s.db", [NEWS, OTHER, THIRD, "Nothing to see here at all."])

    highlighter = load_model(str(tiny_model))
    assert highlighter is not None
    with Store(tmp_path / "s.db") as store:
        run_highlighter(store, config, highlighter, ids, scored=True)
        scored = {i: store.suggestions(i)[highlighter.source] for i in ids}
        confidences = store.confidences("news", highlighter.source)
        run_highlighter(store, config, highlighter, ids, replace=True)  # plain: the spans again
        assert {i: store.suggestions(i)[highlighter.source] for i in ids} == scored
        assert store.confidences("news", highlighter.source) == {}  # replaced spans: none known
    assert sorted(confidences) == sorted(ids)
    assert all(0.0 <= value <= 1.0 for value in confidences.values())
    assert len(set(confidences.values())) > 1  # it tells documents apart
    (tmp_path / "p.jsonl").write_text('{"label": "GPE", "pattern": "Iraq"}\n')
    patterns = load_patterns(tmp_path / "p.jsonl", "en")  # the patterns alone: no confidence
    with Store(tmp_path / "s.db") as store:
        assert run_highlighter(store, config, patterns, ids, scored=True) == len(ids)
        assert not store.has_confidences(patterns.source)


@pytest.mark.slow
def test_the_learner_stores_confidences_and_the_uncertain_order_follows_them(tmp_path, tiny_model):
    store, config, ids, gold = drug_project(tmp_path, count=80, model=str(tiny_model))
    with store:
        session = AnnotateSession(store, config, "drugs", "cy", hand_out=HandOut(UNCERTAIN, seed=1))
        assert session.ranked_by() is None and "file order" in session.order_note()
        answer_all(store, gold, ids[:EVERY])
        learner = Learner(store, config, "drugs", every=EVERY)
        done = learner.learn_once()
        assert done is not None and done.kept is not None
        assert learned.ranked_source(learner.folder) == "learned 1"
        confidences = store.confidences("drugs", "learned 1")
        assert sorted(confidences) == ids[EVERY:]  # every unanswered document, none answered
        rows = plain_rows(tmp_path / "drugs.db", "SELECT COUNT(*) FROM suggestions WHERE confidence IS NOT NULL")
        assert rows == [(len(ids) - EVERY,)]
        assert session.ranked_by() == "learned 1" and "least sure first (learned 1)" in session.order_note()
        handed = []
        while (task := session.next_task()) is not None and len(handed) < 20:
            handed.append((task.document.id, random_turn(session.handed - 1)))
            session.answer("accept", task.spans)
        ranked = [document for document, turn in handed if not turn]
        assert ranked == sorted(ranked, key=lambda d: (confidences[d], d))
        assert ranked[0] == min(confidences, key=lambda d: (confidences[d], d))
        assert sum(turn for _, turn in handed) == 3  # 15% of 20 from the shuffle

"""Which documents a review session shows, and the gold each opens with (no app)."""

from __future__ import annotations

from annotator.store import Store
from annotator.usecases.review_session import ReviewSession
from tests.helpers.news import NEWS, OTHER, THIRD, news_store
from tests.helpers.review_fixtures import VERSIONS, at, disagreeing_store

FOURTH = "Russia and Syria signed on Friday."


def session(closing, db, config, **options):
    return ReviewSession(closing(Store(db)), config, "news", "rita", **options)


def test_by_default_the_disagreements_not_yet_reviewed(db, config, closing):
    ids = disagreeing_store(db)
    assert session(closing, db, config).queue == [ids[NEWS], ids[OTHER]]
    with Store(db) as store:
        news = [a.id for a in store.latest_answers("news") if a.document == ids[NEWS]]
        store.add_review(ids[NEWS], "rita", "accept", [], news)
    assert session(closing, db, config).queue == [ids[OTHER]]
    assert session(closing, db, config, again=True).queue == [ids[NEWS], ids[OTHER]]


def test_a_newer_answer_makes_a_review_due_again(db, config, closing):
    ids = disagreeing_store(db)
    with Store(db) as store:
        news = [a.id for a in store.latest_answers("news") if a.document == ids[NEWS]]
        store.add_review(ids[NEWS], "rita", "accept", [], news)
        store.add_answer(ids[NEWS], "bob", "accept", VERSIONS[NEWS]["carol"], started_at=0)
    assert session(closing, db, config).queue == [ids[NEWS], ids[OTHER]]


def test_accept_against_reject_is_a_disagreement_and_min_answers_selects_by_count(db, config, closing):
    ids = disagreeing_store(db)
    [fourth] = news_store(db, [FOURTH], suggest=False)
    with Store(db) as store:
        store.add_answer(fourth, "alice", "accept", [at(FOURTH, "Russia", "GPE")], started_at=0)
        store.add_answer(fourth, "bob", "reject", [], started_at=0)
    assert session(closing, db, config).queue == [ids[NEWS], ids[OTHER], fourth]
    case = session(closing, db, config).open(fourth)
    assert case.not_accepted() == {"reject": ["bob"]} and case.differences() == []
    assert session(closing, db, config, min_answers=3).queue == [ids[NEWS], ids[OTHER], ids[THIRD]]
    assert session(closing, db, config, min_answers=1).queue == [ids[NEWS], ids[OTHER], ids[THIRD], fourth]


def test_gold_is_the_most_common_version_ties_the_first(db, config, closing):
    ids = disagreeing_store(db)
    review = session(closing, db, config)
    news = review.open(ids[NEWS])
    assert [v.annotator for v in news.versions] == ["alice", "bob", "carol"]
    assert news.gold == tuple(sorted(VERSIONS[NEWS]["alice"])) and news.gold_from == 0
    other = review.open(ids[OTHER])  # three different versions: the first
    assert other.gold == tuple(sorted(VERSIONS[OTHER]["alice"])) and other.gold_from == 0
    assert other.disputed(at(OTHER, "Monday", "DATE")) and not other.disputed(at(OTHER, "Baghdad", "GPE"))


def test_auto_accept_leaves_unanimous_rejects_as_rejects_and_skips_single_answers(db, config, closing):
    ids = disagreeing_store(db)
    [fourth, fifth] = news_store(db, [FOURTH, "Paris is nice."], suggest=False)
    with Store(db) as store:
        for name in ("alice", "bob"):
            store.add_answer(fourth, name, "reject", [], started_at=0)
        store.add_answer(fifth, "alice", "accept", [], started_at=0)
    review = session(closing, db, config)
    assert review.auto_accept() == 2
    with Store(db) as store:
        decided = store.latest_reviews("news")
    assert {doc: r.answer for doc, r in decided.items()} == {ids[THIRD]: "accept", fourth: "reject"}
    assert review.auto_accept() == 0  # already reviewed: nothing stored twice


def test_without_a_login_name_the_reviewer_is_called_as_the_annotator_is(db, config, monkeypatch):
    """One login_name, one fallback: the review session's own copy said "reviewer" where the
    CLI's said "annotator"."""
    import getpass

    from annotator.usecases import project, review_session

    def no_login_name() -> str:
        raise OSError("no login name in this container")

    monkeypatch.setattr(getpass, "getuser", no_login_name)
    disagreeing_store(db)
    with Store(db) as store:
        reviewed = ReviewSession(store, config, "news", None)
        assert reviewed.reviewer == project.login_name() == "annotator"
    assert review_session.login_name is project.login_name

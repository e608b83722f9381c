"""Several annotators on one store file at once: leases decide who gets which document."""

from __future__ import annotations

import time

import pytest

from annotator.store import Store
from annotator.ui.app import annotate_app
from tests.helpers.news import NEWS, OTHER, THIRD, news_store

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


def on_screen(app) -> int | None:
    task = app.screen.current if hasattr(app.screen, "current") else None
    return task.document.id if task else None


async def test_overlap_1_never_hands_out_the_same_document(db, config):
    ids = news_store(db, [NEWS, OTHER, THIRD])
    with Store(db) as alice_store, Store(db) as bob_store:
        alice = annotate_app(alice_store, config, "news", "alice", overlap=1)
        bob = annotate_app(bob_store, config, "news", "bob", overlap=1)
        async with alice.run_test(size=SIZE) as a, bob.run_test(size=SIZE) as b:
            await a.pause()
            await b.pause()
            seen = [(on_screen(alice), on_screen(bob))]
            await a.press("a")
            await b.press("a")
            await a.pause()
            await b.pause()
            seen.append((on_screen(alice), on_screen(bob)))
    assert seen[0] == (ids[0], ids[1])
    assert seen[1][0] == ids[2] and seen[1][1] is None  # bob has nothing left
    with Store(db) as store:
        answered = [(x.document, x.annotator) for x in store.latest_answers("news")]
        assert store.leases() == []  # leaving gave alice's third document back
    assert sorted(answered) == [(ids[0], "alice"), (ids[1], "bob")]


async def test_overlap_2_gives_each_document_two_different_annotators(db, config):
    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as alice_store, Store(db) as bob_store, Store(db) as carol_store:
        apps = [
            annotate_app(s, config, "news", name, overlap=2)
            for s, name in [(alice_store, "alice"), (bob_store, "bob"), (carol_store, "carol")]
        ]
        async with apps[0].run_test(size=SIZE) as a, apps[1].run_test(size=SIZE) as b:
            await a.pause()
            await b.pause()
            assert on_screen(apps[0]) == on_screen(apps[1]) == ids[0]
            async with apps[2].run_test(size=SIZE) as c:
                await c.pause()
                assert on_screen(apps[2]) == ids[1]  # ids[0] already has its two annotators
            for pilot in (a, b, a, b):
                await pilot.press("a")
                await pilot.pause()
    with Store(db) as store:
        by_document = {}
        for answer in store.latest_answers("news"):
            by_document.setdefault(answer.document, []).append(answer.annotator)
    assert by_document == {ids[0]: ["alice", "bob"], ids[1]: ["alice", "bob"]}


async def test_an_expired_lease_is_handed_out_again(db, config):
    ids = news_store(db, [NEWS, OTHER])
    with Store(db) as crashed_store, Store(db) as bob_store:
        crashed = annotate_app(crashed_store, config, "news", "alice", lease_seconds=0.2)
        async with crashed.run_test(size=SIZE) as a:
            await a.pause()
            assert on_screen(crashed) == ids[0]
            time.sleep(0.3)  # alice walked away: her lease runs out
            bob = annotate_app(bob_store, config, "news", "bob")
            async with bob.run_test(size=SIZE) as b:
                await b.pause()
                assert on_screen(bob) == ids[0]


async def test_the_same_annotator_in_two_terminals_gets_different_documents(db, config):
    ids = news_store(db, [NEWS, OTHER, THIRD])
    with Store(db) as left_store, Store(db) as right_store:
        left = annotate_app(left_store, config, "news", "alice", overlap=1)
        right = annotate_app(right_store, config, "news", "alice", overlap=1)
        async with left.run_test(size=SIZE) as a, right.run_test(size=SIZE) as b:
            await a.pause()
            await b.pause()
            first = (on_screen(left), on_screen(right))
            await b.press("a")
            await b.pause()
            await a.press("a")
            await a.pause()
            second = (on_screen(left), on_screen(right))
    assert first == (ids[0], ids[1])
    assert second == (None, ids[2]) or second == (ids[2], None)
    with Store(db) as store:
        history = [(x.document, x.annotator) for d in ids for x in store.answer_history(d)]
        assert store.leases() == []
    assert sorted(history) == [(ids[0], "alice"), (ids[1], "alice")]  # one answer each, none overwritten

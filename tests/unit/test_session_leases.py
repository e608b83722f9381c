"""A lease belongs to a session: the same annotator in two terminals gets different documents,
neither gets what the name has answered, and a restarted session takes back the leases of its
crashed one (whose process is gone), not those of a session still running."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap

import pytest

from annotator.core.tasks import ACCEPT
from annotator.io.labels import LabelsConfig
from annotator.store import SCHEMA_VERSION, Store
from annotator.usecases.annotate_session import AnnotateSession
from tests.helpers.stores import open_store

TEXTS = ["Iraq sent troops", "Bob met Syria", "Ana went home", "Cy saw Baghdad"]


def _config() -> LabelsConfig:
    return LabelsConfig.model_validate({"lang": "en", "labels": [{"name": "GPE", "key": "1", "color": "#e5c07b"}]})


def test_two_sessions_of_one_annotator_get_different_documents(tmp_path):
    path = tmp_path / "store.db"
    open_store(path, TEXTS)[0].close()
    with Store(path) as one, Store(path) as two:
        first = one.next_task("d", "ana", session="s1")
        second = two.next_task("d", "ana", session="s2")
        assert first != second and None not in (first, second)
        # each resumes its own, never the other's
        assert one.next_task("d", "ana", session="s1") == first
        assert two.next_task("d", "ana", session="s2") == second


def test_overlap_counts_the_person_once_whatever_the_sessions(tmp_path):
    path = tmp_path / "store.db"
    store, ids = open_store(path, TEXTS[:2])
    with store:
        a = store.next_task("d", "ana", overlap=2, session="s1")
        b = store.next_task("d", "ana", overlap=2, session="s2")
        assert a == ids[0] and b == ids[1]  # overlap 2 still never gives ana's held document to ana
        assert store.next_task("d", "ben", overlap=2, session="s3") == ids[0]  # ana's two sessions are one annotator


def test_neither_session_gets_what_the_name_answered(tmp_path):
    path = tmp_path / "store.db"
    store, ids = open_store(path, TEXTS[:2])
    with store:
        got = store.next_task("d", "ana", session="s1")
        store.add_answer(got, "ana", ACCEPT, [], started_at=0.0, session="s1")
        assert store.leases() == []  # the answer released its session's lease
        other = store.next_task("d", "ana", session="s2")
        assert other != got and other is not None
        store.add_answer(other, "ana", ACCEPT, [], started_at=0.0, session="s2")
        assert store.next_task("d", "ana", session="s1") is None
        assert store.next_task("d", "ana", session="s3") is None


def test_release_gives_back_only_that_sessions_lease(tmp_path):
    path = tmp_path / "store.db"
    open_store(path, TEXTS)[0].close()
    with Store(path) as store:
        a = store.next_task("d", "ana", session="s1")
        b = store.next_task("d", "ana", session="s2")
        store.release_lease(a, "ana", session="s2")  # not s2's: nothing happens
        assert {row["document"] for row in store.leases()} == {a, b}
        store.release_lease(a, "ana", session="s1")
        assert [row["document"] for row in store.leases()] == [b]


def test_two_annotate_sessions_on_one_file_never_overwrite_each_other(tmp_path):
    path = tmp_path / "store.db"
    open_store(path, TEXTS)[0].close()
    config = _config()
    with Store(path) as s1, Store(path) as s2:
        left, right = AnnotateSession(s1, config, "d", "ana"), AnnotateSession(s2, config, "d", "ana")
        seen = []
        while True:
            a, b = left.next_task(), right.next_task()
            if a is None and b is None:
                break
            seen += [t.document.id for t in (a, b) if t is not None]
            for session, task in ((left, a), (right, b)):
                if task is not None:
                    session.answer(ACCEPT, ())
        left.close()
        right.close()
        history = [(x.document, x.annotator) for d in set(seen) for x in s1.answer_history(d)]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == len(TEXTS)  # each document once
    assert len(history) == len(TEXTS)  # one answer each: nothing answered twice, nothing overwritten


CRASHING = textwrap.dedent(
    """
    import os, sys
    from annotator.store import Store
    store = Store(sys.argv[1])
    print(store.next_task("d", "ana", session="crashed"), flush=True)
    sys.stdin.read()  # held until killed
    """
)


def _crashing_session(path):
    """A process holding ana's lease (session "crashed") until killed, and that document."""
    crashed = subprocess.Popen(
        [sys.executable, "-c", CRASHING, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    return crashed, int(crashed.stdout.readline())


def _kill(crashed) -> None:
    crashed.send_signal(signal.SIGKILL)
    crashed.wait()
    crashed.stdin.close()
    crashed.stdout.close()


@pytest.mark.slow
def test_a_restarted_session_takes_over_the_leases_of_its_crashed_one(tmp_path):
    path = tmp_path / "store.db"
    open_store(path, TEXTS)[0].close()
    crashed, held = _crashing_session(path)
    with Store(path) as store:
        # while the other session runs, its document is not ours
        assert store.next_task("d", "ana", session="mine") != held
        store.release_lease(store.leases()[-1]["document"], "ana", session="mine")
        _kill(crashed)
        assert store.next_task("d", "ana", session="restarted") == held  # resumed where it stopped
        assert [(r["document"], r["session"]) for r in store.leases()] == [(held, "restarted")]


def test_the_lease_migration_keeps_a_version_2_stores_leases(tmp_path):
    import sqlite3

    path = tmp_path / "store.db"
    store, ids = open_store(path, TEXTS[:2])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE leases")
    conn.execute(
        "CREATE TABLE leases (document INTEGER, annotator TEXT, until FLOAT, PRIMARY KEY (document, annotator))"
    )
    conn.execute("INSERT INTO leases VALUES (?, 'ana', 9e9)", [ids[0]])
    conn.execute("UPDATE schema SET version = 2")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        # an old lease has no session: the name's next session takes it over
        assert store.next_task("d", "ana", session="new") == ids[0]
        assert json.dumps(store.leases()[0]["session"]) == '"new"'


@pytest.mark.slow
def test_a_crashed_annotators_document_goes_to_another_once_nothing_else_is_left(tmp_path):
    """Found trying the program: ana's terminal was killed on the document she was on, and ben,
    on the same machine, was told "Nothing left" at 3 of 4 for the lease's 30 minutes."""
    path = tmp_path / "store.db"
    open_store(path, TEXTS)[0].close()
    crashed, held = _crashing_session(path)
    with Store(path) as store:

        def answer_all_but_the_held() -> None:
            while (got := store.next_task("d", "ben", session="ben")) is not None and got != held:
                store.add_answer(got, "ben", ACCEPT, [], started_at=0.0, session="ben")
            assert got is None
            assert store.next_task("d", "ben", session="ben") is None  # a live session's document is its own

        try:
            answer_all_but_the_held()
        finally:
            _kill(crashed)
        assert store.next_task("d", "ben", session="ben") == held
        assert [(r["document"], r["annotator"]) for r in store.leases()] == [(held, "ben")]


@pytest.mark.slow
def test_a_crashed_annotators_document_waits_for_her_while_others_are_free(tmp_path):
    """The restart resumes where she stopped: another annotator takes the other documents first."""
    path = tmp_path / "store.db"
    open_store(path, TEXTS)[0].close()
    crashed, held = _crashing_session(path)
    _kill(crashed)
    with Store(path) as store:
        assert store.next_task("d", "ben", session="ben") != held
        assert store.next_task("d", "ana", session="restarted") == held

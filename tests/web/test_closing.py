"""A tab that ends while it still has work: an answer waiting for a busy store when the tab
closes is stored before its process exits, and a person revoked while their tab is open
loses that tab (its process ends, its lease goes back)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from annotator.web.server import QUIT_SECONDS
from tests.helpers.served import Tab, alive, tab_pids
from tests.helpers.stores import WriteLock, plain_rows

pytestmark = pytest.mark.slow  # a real server, its tab processes, a lock held for seconds

FIRST_WORDS = "Iraq GPE sent back nearly"


def stored_answers(served) -> list[tuple]:
    return plain_rows(served.db, "SELECT document, annotator, answer FROM answers ORDER BY id")


def test_an_answer_waiting_for_a_busy_store_is_stored_when_the_tab_closes(served):
    """The browser's tab is closed while the answer waits for another writer's lock, which it
    holds past the server's patience with the tab (quit, then SIGTERM): the tab's process
    stays until the answer is in the store, then gives its leases back and ends."""

    async def answer_then_close() -> int:
        async with Tab(served, "ana") as tab:
            await tab.wait_for(FIRST_WORDS)
            (pid,) = tab_pids(served)
            lock = WriteLock(served.db)
            mark = tab.mark()
            await tab.press("a")
            await tab.wait_for("your answer is kept", since=mark)
        # The tab is closed; the lock is held until the server would have killed the process.
        await asyncio.sleep(2 * QUIT_SECONDS + 2)
        assert alive(pid), "the tab's process ended with its answer unsaved"
        assert stored_answers(served) == []
        lock.release()
        return pid

    pid = asyncio.run(answer_then_close())
    served.wait_until(lambda: not alive(pid), timeout=15, what="the tab's process ending once saved")
    assert stored_answers(served) == [(served.ids[0], "ana", "accept")]
    assert served.leases() == []  # the next document's lease, taken with the answer, went back
    assert "Traceback" not in served.stop()


def test_a_revoked_persons_open_tab_ends_and_gives_its_lease_back(served):
    async def revoked_while_open() -> int:
        # ben's tab first, and on screen, before ana's opens: two tabs opened together race for
        # the first document (on a loaded machine ana's process sometimes leased it first).
        async with Tab(served, "ben") as ben:
            await ben.wait_for(FIRST_WORDS)
            async with Tab(served, "ana") as ana:
                await ana.wait_for("Officials in Baghdad")
                return await revoke_ben(ben, ana)

    async def revoke_ben(ben: Tab, ana: Tab) -> int:
        (ben_lease,) = [lease for lease in served.leases() if lease["annotator"] == "ben"]
        revoke = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "annotator.cli.__main__", "users", "revoke", "ben", f"--users={served.users}"],
            capture_output=True,
            text=True,
        )
        assert revoke.returncode == 0, revoke.stderr
        # The server checks every second; the bound is generous for a loaded machine (no timing assertion).
        await asyncio.to_thread(served.wait_until, lambda: ben.closed, 30, "ben's tab closing")
        assert "ben can no longer sign in" in ben.text()
        await asyncio.to_thread(served.wait_until, lambda: not alive(ben_lease["pid"]), 30, "ben's tab process ending")
        assert [lease["annotator"] for lease in served.leases()] == ["ana"]
        assert not ana.closed  # the others' tabs go on
        mark = ana.mark()
        await ana.press("a")
        await ana.wait_for(FIRST_WORDS, since=mark)  # ben's document, back in the pool
        return ben_lease["pid"]

    asyncio.run(revoked_while_open())
    assert [(a.annotator, a.answer) for a in served.answers()] == [("ana", "accept")]

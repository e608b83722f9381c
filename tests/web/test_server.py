"""The real `annotator serve` (the CLI as a subprocess) through its pages and websockets:
who is who comes from the token, never the URL; nothing shows without one; a closed or
killed tab gives its lease back at once; the limits hold."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import aiohttp
import pytest

from tests.helpers.served import TEXTS, Tab, alive, serving, tab_pids

pytestmark = pytest.mark.slow  # a real server and its tab processes

FIRST_WORDS = "Iraq GPE sent back nearly"


def get(served, path: str, token: str | None = None, **kwargs) -> tuple[int, str]:
    async def fetch():
        cookies = {"annotator_token": token} if token else {}
        async with aiohttp.ClientSession(cookies=cookies) as session:
            async with session.get(served.url + path, allow_redirects=False, **kwargs) as response:
                return response.status, await response.text()

    return asyncio.run(fetch())


def handshake_status(served, name: str | None, screen: str = "annotate", **headers) -> int:
    async def connect():
        try:
            async with Tab(served, name, screen, **headers):
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status

    return asyncio.run(connect())


def test_without_a_token_nothing_of_the_data_shows(served):
    for path in ("/", "/review", "/?annotator=ana"):
        status, body = get(served, path)
        assert status == 401
        assert "sign in" in body and "news" not in body and "Iraq" not in body
    assert handshake_status(served, None) == 401
    assert handshake_status(served, None, "review") == 401
    assert tab_pids(served) == set() and served.leases() == []


def test_the_link_signs_in_and_a_wrong_token_does_not(served):
    async def sign_in(token):
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{served.url}/signin?token={token}", allow_redirects=False) as response:
                return response.status, response.headers.get("Location"), response.cookies.get("annotator_token")

    status, location, cookie = asyncio.run(sign_in(served.tokens["ana"]))
    assert (status, location) == (303, "/") and cookie is not None and cookie["httponly"]
    assert cookie.value == served.tokens["ana"]
    ana_id = served.tokens["ana"].split(".")[0]
    for wrong in ("nonsense", f"{ana_id}.not-her-secret", served.tokens["ana"] + "x", ""):
        status, _location, cookie = asyncio.run(sign_in(wrong))
        assert status == 401 and cookie is None
    status, body = get(served, "/", served.tokens["ana"])
    assert status == 200 and "annotator · ana (annotator)" in body and "/ws/annotate" in body


def test_a_revoked_token_is_refused_by_the_running_server(served):
    assert get(served, "/", served.tokens["ben"])[0] == 200
    revoke = subprocess.run(
        [sys.executable, "-m", "annotator.cli.__main__", "users", "revoke", "ben", f"--users={served.users}"],
        capture_output=True,
        text=True,
    )
    assert revoke.returncode == 0, revoke.stderr
    assert get(served, "/", served.tokens["ben"])[0] == 401
    assert handshake_status(served, "ben") == 401
    assert get(served, "/", served.tokens["ana"])[0] == 200  # the others' tokens still work


def test_an_annotator_cannot_open_the_review_screen(served):
    status, body = get(served, "/review", served.tokens["ana"])
    assert status == 403 and "for reviewers" in body
    assert handshake_status(served, "ana", "review") == 403
    assert get(served, "/review", served.tokens["rev"])[0] == 200

    async def review():
        async with Tab(served, "rev", "review") as tab:
            await tab.wait_for("rev")  # the review screen, as rev (nothing to review yet)

    asyncio.run(review())


def test_the_name_comes_from_the_token_not_the_url(served):
    async def answer_with_another_name_in_the_url():
        query = "&annotator=ben&name=ben&role=reviewer&screen=review"
        async with Tab(served, "ana", query=query) as tab:
            await tab.wait_for(FIRST_WORDS)
            assert "ana" in tab.text()
            mark = tab.mark()
            await tab.press("a")
            await tab.wait_for("Officials in Baghdad", since=mark)

    asyncio.run(answer_with_another_name_in_the_url())
    assert [(a.document, a.annotator, a.answer) for a in served.answers()] == [(served.ids[0], "ana", "accept")]


def test_another_sites_page_cannot_open_the_websocket(served):
    assert handshake_status(served, "ana", Origin="http://elsewhere.example") == 403
    assert handshake_status(served, "ana", Origin=served.url) == 101


def test_closing_the_tab_gives_its_document_back_at_once(served):
    async def open_and_close():
        async with Tab(served, "ana") as tab:
            await tab.wait_for(FIRST_WORDS)
            (lease,) = served.leases()
            assert (lease["document"], lease["annotator"]) == (served.ids[0], "ana")
            return lease["pid"]

    pid = asyncio.run(open_and_close())
    served.wait_until(lambda: served.leases() == [], timeout=10, what="the lease going back")
    served.wait_until(lambda: not alive(pid), timeout=10, what="the tab's process ending")

    async def ben_gets_it():  # with --overlap 1, nobody else could have it while it was leased
        async with Tab(served, "ben") as tab:
            await tab.wait_for(FIRST_WORDS)

    asyncio.run(ben_gets_it())


@pytest.mark.parametrize("ending", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_a_tab_process_ended_by_a_signal_gives_its_lease_back(served, ending):
    async def signalled():
        async with Tab(served, "ana") as tab:
            await tab.wait_for(FIRST_WORDS)
            (pid,) = tab_pids(served)
            os.kill(pid, ending)
            await asyncio.to_thread(served.wait_until, lambda: served.leases() == [], 10, "the lease going back")
            await asyncio.to_thread(served.wait_until, lambda: tab.closed, 10, "the page's websocket closing")
            return pid

    pid = asyncio.run(signalled())
    served.wait_until(lambda: not alive(pid), timeout=10, what="the tab's process ending")


def test_stopping_the_server_quits_every_tab_cleanly(served):
    async def two_tabs_open():
        async with Tab(served, "ana") as ana, Tab(served, "ben") as ben:
            await ana.wait_for("ana")
            await ben.wait_for("ben")
            pids = tab_pids(served)
            assert len(pids) == 2 and len(served.leases()) == 2
            log = await asyncio.to_thread(served.stop)
            return pids, log

    pids, log = asyncio.run(two_tabs_open())
    assert served.leases() == []  # the server waited for its tabs before it ended
    served.wait_until(lambda: not any(alive(pid) for pid in pids), timeout=5, what="the tabs ending")
    assert "Traceback" not in log


def test_the_limits_per_person_and_in_all(tmp_path):
    with serving(tmp_path, "--max-per-person=1", "--max-sessions=2") as served:

        async def fill():
            async with Tab(served, "ana") as ana:
                await ana.wait_for("ana")
                status, body = await asyncio.to_thread(get, served, "/", served.tokens["ana"])
                assert status == 503 and "already has 1 sessions open" in body
                async with Tab(served, "ana") as second:  # past the page: the websocket says it too
                    await second.wait_for("the most one person may have here")
                    await asyncio.to_thread(served.wait_until, lambda: second.closed, 10, "the refused tab closing")
                async with Tab(served, "ben") as ben:
                    await ben.wait_for("ben")
                    status, body = await asyncio.to_thread(get, served, "/", served.tokens["rev"])
                    assert status == 503 and "the server is full: 2 sessions open" in body.lower()
                    assert len(tab_pids(served)) == 2
            # room again once the tabs have closed
            room = lambda: get(served, "/", served.tokens["rev"])[0] == 200  # noqa: E731
            await asyncio.to_thread(served.wait_until, room, 10, "room for another tab")

        asyncio.run(fill())


def test_texts_are_the_ones_served():
    assert len(set(TEXTS)) == len(TEXTS)

"""The server's pages and websocket handshake in this process (aiohttp's test server; no tab
process starts): an annotator cannot reach the review screen or become someone else by
editing the address, and a trusted proxy's header is read as HTTP reads headers."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from annotator.web.limits import SessionLimits
from annotator.web.server import AnnotatorServer
from annotator.web.signin import COOKIE, SignIn
from annotator.web.users import REVIEWER, UsersFile


@pytest.fixture
def people(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    return users, {"ana": users.add("ana"), "ben": users.add("ben"), "rev": users.add("rev", REVIEWER)}


@asynccontextmanager
async def client(tmp_path, sign_in: SignIn):
    server = AnnotatorServer(
        db=tmp_path / "none.db", labels=tmp_path / "labels.yaml", dataset="news", overlap=1,
        sign_in=sign_in, limits=SessionLimits(),
    )  # fmt: skip
    async with TestClient(TestServer(server.make_app())) as test_client:
        yield test_client


def pages(tmp_path, sign_in: SignIn, *requests: tuple[str, dict, dict]) -> list[tuple[int, str]]:
    """(status, body) of each GET (path, cookies, headers), in order."""

    async def fetch():
        answers = []
        async with client(tmp_path, sign_in) as test_client:
            for path, cookies, headers in requests:
                test_client.session.cookie_jar.clear()
                test_client.session.cookie_jar.update_cookies(cookies)
                response = await test_client.get(path, headers=headers, allow_redirects=False)
                answers.append((response.status, await response.text()))
        return answers

    return asyncio.run(fetch())


def handshake(tmp_path, sign_in: SignIn, path: str, cookies: dict) -> int:
    async def connect():
        async with client(tmp_path, sign_in) as test_client:
            test_client.session.cookie_jar.update_cookies(cookies)
            try:
                async with test_client.ws_connect(path):
                    return 101
            except aiohttp.WSServerHandshakeError as error:
                return error.status

    return asyncio.run(connect())


def test_an_annotator_asking_for_the_review_screen_is_refused(tmp_path, people):
    users, tokens = people
    sign_in = SignIn(users)
    ana = {COOKIE: tokens["ana"]}
    for path in ("/review", "/review?annotator=rev&role=reviewer", "/review?token=" + tokens["rev"]):
        status, body = pages(tmp_path, sign_in, (path, ana, {}))[0]
        assert status == 403 and "The review screen is for reviewers." in body and "/ws/review" not in body
    assert handshake(tmp_path, sign_in, "/ws/review?role=reviewer", ana) == 403
    status, body = pages(tmp_path, sign_in, ("/review", {COOKIE: tokens["rev"]}, {}))[0]
    assert status == 200 and "/ws/review" in body and "rev (reviewer)" in body


def test_another_name_in_the_address_changes_nothing(tmp_path, people):
    users, tokens = people
    ana = {COOKIE: tokens["ana"]}
    query = "/?annotator=ben&name=ben&user=rev&role=reviewer&token=" + tokens["rev"]
    status, body = pages(tmp_path, SignIn(users), (query, ana, {}))[0]
    assert status == 200 and "annotator · ana (annotator)" in body
    assert "ben" not in body and "rev" not in body and tokens["rev"] not in body
    # The sign-in link's token is read on /signin only: elsewhere it signs nobody in.
    status, body = pages(tmp_path, SignIn(users), ("/?token=" + tokens["ana"], {}, {}))[0]
    assert status == 401 and "ana" not in body


def test_the_proxys_header_is_read_whatever_its_case(tmp_path, people):
    users, _tokens = people
    for flag, sent in (("X-Remote-User", "x-remote-user"), ("x-remote-user", "X-Remote-User")):
        status, body = pages(tmp_path, SignIn(users, proxy_header=flag), ("/", {}, {sent: "ben"}))[0]
        assert status == 200 and "annotator · ben (annotator)" in body


def test_the_proxys_header_twice_signs_nobody_in(tmp_path, people):
    """A proxy that adds its header after one the browser sent must not let the browser's win."""
    users, _tokens = people
    twice = aiohttp.client.CIMultiDict([("X-Remote-User", "rev"), ("X-Remote-User", "ana")])
    status, body = pages(tmp_path, SignIn(users, proxy_header="X-Remote-User"), ("/", {}, twice))[0]
    assert status == 401 and "rev" not in body and "ana" not in body

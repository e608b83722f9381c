"""A real `annotator serve` for the tests and the benchmark: the CLI as a subprocess on a
free loopback port, over a real store, and websocket clients that read its screens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from annotator.store import Store
from annotator.web.signin import COOKIE
from annotator.web.users import REVIEWER, UsersFile
from tests.helpers.news import NEWS, OTHER, THIRD, write_labels
from tests.helpers.news import news_store as make_store

TEXTS = [NEWS.split("\n\n")[0], OTHER, THIRD, NEWS.split("\n\n")[1]]
ANSI = re.compile(r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    """A project with a store, a users file and tokens for ana, ben (annotators) and rev (reviewer)."""

    folder: Path
    texts: list[str] = field(default_factory=lambda: list(TEXTS))
    dataset: str = "news"
    port: int = 0
    process: subprocess.Popen | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.db, self.labels, self.users = (
            self.folder / "annotations.db",
            self.folder / "labels.yaml",
            self.folder / "users.json",
        )
        write_labels(self.folder)
        self.ids = make_store(self.db, self.texts, self.dataset)
        users = UsersFile(self.users)
        for name, role in (("ana", "annotator"), ("ben", "annotator"), ("rev", REVIEWER)):
            self.tokens[name] = users.add(name, role)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "annotator.cli.__main__",
            "serve",
            f"--db={self.db}",
            f"--labels={self.labels}",
            *extra,
        ]

    def start(self, *extra: str, users: bool = True) -> str:
        """Start the server; returns its start-up line."""
        self.port = free_port()
        options = [f"--port={self.port}", *([f"--users={self.users}"] if users else []), *extra]
        self.process = subprocess.Popen(
            self.command(*options), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self.folder
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return line
            if self.process.poll() is not None:
                raise AssertionError(f"the server ended: {line}{self.process.stdout.read()}")
            time.sleep(0.05)
        raise AssertionError("the server did not listen within 30 s")

    def stop(self) -> str:
        """SIGTERM, as a service manager stops it; returns what it logged."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        self.process = None
        return out

    def leases(self) -> list[dict]:
        with Store(self.db, create=False) as store:
            return store.leases()

    def answers(self, annotator: str | None = None) -> list:
        with Store(self.db, create=False) as store:
            return store.latest_answers(self.dataset, annotator)

    def wait_until(self, condition, timeout: float = 15, what: str = "the condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"{what} did not happen within {timeout} s")


def plain(data: bytes) -> str:
    """Terminal output without its escape sequences (the words a screen wrote)."""
    return ANSI.sub("", data.decode("utf-8", errors="replace"))


class Tab:
    """One browser tab without a browser: the page's websocket, as textual.js speaks it."""

    def __init__(self, served: Served, name: str | None, screen: str = "annotate", query: str = "", **headers: str):
        self.served, self.name, self.screen, self.query, self.headers = served, name, screen, query, headers
        self.received = bytearray()
        self.closed = False

    async def __aenter__(self) -> Tab:
        cookies = {COOKIE: self.served.tokens[self.name]} if self.name else {}
        self.session = aiohttp.ClientSession(cookies=cookies)
        url = f"{self.served.url}/ws/{self.screen}?width=100&height=30{self.query}"
        try:
            self.ws = await self.session.ws_connect(url, headers=self.headers)
        except BaseException:
            await self.session.close()
            raise
        await self.ws.send_json(["resize", {"width": 100, "height": 30}])
        self.reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += message.data
        self.closed = True

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        await self.session.close()

    def text(self) -> str:
        return plain(bytes(self.received))

    def mark(self) -> int:
        return len(self.received)

    def since(self, mark: int) -> str:
        return plain(bytes(self.received[mark:]))

    async def wait_for(self, words: str, since: int = 0, timeout: float = 20) -> float:
        """Seconds until the screen wrote ``words`` (after ``since``)."""
        started = time.monotonic()
        while words not in self.since(since):
            if self.closed or time.monotonic() - started > timeout:
                raise AssertionError(f"{words!r} not shown; the screen wrote: {self.since(since)[-2000:]!r}")
            await asyncio.sleep(0.01)
        return time.monotonic() - started

    async def press(self, keys: str) -> None:
        await self.ws.send_json(["stdin", keys])


def tab_pids(served: Served) -> set[int]:
    return {lease["pid"] for lease in served.leases() if lease["pid"]}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


@contextlib.contextmanager
def serving(folder: Path, *extra: str, users: bool = True) -> Iterator[Served]:
    served = Served(folder)
    served.start(*extra, users=users)
    try:
        yield served
    finally:
        served.stop()

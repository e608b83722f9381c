"""Every store a test opens is closed (a pytest plugin, loaded by tests/conftest.py).

Each ``Store`` opened while a test runs (its set-up, body and teardown) is noted with where it
was opened; a store still open after the test's teardown fails the test, naming that place.
A store opened by a fixture of a wider scope (module, session) must be closed by the end of
the session. Close a store with ``with Store(...) as store:`` or in a fixture's teardown.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.store.base import StoreBase

ROOT = Path(__file__).resolve().parents[2]
# The venv, the standard library, this plugin, and the store's own constructors.
NOT_OURS = (sys.prefix, sys.base_prefix, "<", __file__, str(ROOT / "annotator" / "store"))


def _shown(name: str) -> str:
    for base in (ROOT, Path.cwd()):
        if name.startswith(f"{base}/"):
            return name[len(str(base)) + 1 :]
    return name


def where_opened() -> str:
    """The frames of the tests and of annotator that led here, outermost first."""
    frames = []
    frame = sys._getframe(2)  # the caller of StoreBase.__init__
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(NOT_OURS):
            frames.append(f"{_shown(name)}:{frame.f_lineno} in {frame.f_code.co_name}")
        frame = frame.f_back
    return " > ".join(reversed(frames))


class OpenStores:
    """The stores opened and not yet closed, each with where it was opened."""

    def __init__(self) -> None:
        self.for_the_test: dict[int, tuple[StoreBase, str]] = {}
        self.for_wider_fixtures: dict[int, tuple[StoreBase, str]] = {}
        self.wider_fixture_depth = 0
        self.originals = (StoreBase.__init__, StoreBase.close)

    def install(self) -> None:
        (original_init, original_close), stores = self.originals, self

        @functools.wraps(original_init)
        def init(store: StoreBase, *args: Any, **kwargs: Any) -> None:
            original_init(store, *args, **kwargs)
            into = stores.for_wider_fixtures if stores.wider_fixture_depth else stores.for_the_test
            into[id(store)] = (store, where_opened())

        @functools.wraps(original_close)
        def close(store: StoreBase) -> None:
            stores.for_the_test.pop(id(store), None)
            stores.for_wider_fixtures.pop(id(store), None)
            original_close(store)

        StoreBase.__init__, StoreBase.close = init, close  # type: ignore[method-assign]

    def uninstall(self) -> None:
        StoreBase.__init__, StoreBase.close = self.originals  # type: ignore[method-assign]

    @staticmethod
    def left_open(noted: dict[int, tuple[StoreBase, str]]) -> list[str]:
        """What is still open (then closed, so that the next test does not pay for it)."""
        found = [f"{store.path.name} opened at {where}" for store, where in noted.values()]
        for store, _ in list(noted.values()):
            store.close()
        return found


_stores = OpenStores()


def pytest_configure(config: pytest.Config) -> None:
    _stores.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    _stores.uninstall()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest) -> Iterator[Any]:
    wider = fixturedef.scope != "function"
    _stores.wider_fixture_depth += wider
    try:
        return (yield)
    finally:
        _stores.wider_fixture_depth -= wider


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield
    left = OpenStores.left_open(_stores.for_the_test)
    if left:
        message = "a store left open (close it: `with Store(...)` or in a fixture's teardown):\n"
        pytest.fail(message + "\n".join(left), pytrace=False)
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    left = OpenStores.left_open(_stores.for_wider_fixtures)
    if left:
        session.config.get_terminal_writer().line("a store left open by a fixture:\n" + "\n".join(left), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

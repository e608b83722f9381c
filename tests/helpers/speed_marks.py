"""Tests laid out by speed (a pytest plugin, loaded by tests/conftest.py).

`python -m pytest` runs everything; `python -m pytest -m "not slow"` is the fast loop. So that a
slow test cannot hide among the fast ones:

- marked ``slow`` by what it is: every test under tests/e2e, tests/faults and tests/web, every
  test marked ``e2e``, and every test that uses the ``tiny_model`` fixture (it trains spaCy);
- any other slow test carries ``@pytest.mark.slow`` (or a module's ``pytestmark``);
- a test not marked ``slow`` FAILS if, in its set-up, body or teardown, it starts a process
  (subprocess, asyncio's subprocesses, os.fork, os.posix_spawn, multiprocessing; tmux and
  browsers are processes too) or trains a spaCy pipeline (``Language.update``).
"""

from __future__ import annotations

import multiprocessing.process
import os
import subprocess
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

SLOW_FOLDERS = ("e2e", "faults", "web")
SLOW_FIXTURES = ("tiny_model",)
HINT = "mark it @pytest.mark.slow (see tests/helpers/speed_marks.py)"

_offences = pytest.StashKey[list[str]]()


def is_slow_by_nature(item: pytest.Item) -> bool:
    try:
        folder = Path(item.path).resolve().relative_to(item.config.rootpath / "tests").parts[0]
    except ValueError:  # a test outside tests/: only its marks and fixtures count
        folder = ""
    return (
        folder in SLOW_FOLDERS
        or item.get_closest_marker("e2e") is not None
        or any(name in getattr(item, "fixturenames", ()) for name in SLOW_FIXTURES)
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None and is_slow_by_nature(item):
            item.add_marker(pytest.mark.slow)


def _slow_entry_points() -> list[tuple[Any, str, str]]:
    """(owner, attribute, what it does) of every way a test starts a process or trains spaCy."""
    from spacy.language import Language

    points: list[tuple[Any, str, str]] = [
        (subprocess.Popen, "__init__", "starts a process (subprocess)"),
        (multiprocessing.process.BaseProcess, "start", "starts a process (multiprocessing)"),
        (Language, "update", "trains a spaCy pipeline"),
    ]
    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp"):
        if hasattr(os, name):
            points.append((os, name, f"starts a process (os.{name})"))
    return points


def _refusing(item: pytest.Item, doing: str, original: Callable) -> Callable:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        message = f"{item.nodeid} {doing} but is not marked slow: {HINT} ({_where()})"
        item.stash[_offences].append(message)
        pytest.fail(message, pytrace=False)  # a BaseException: `except Exception` in the code under test lets it by

    refuse.__wrapped__ = original  # type: ignore[attr-defined]
    return refuse


def _where() -> str:
    """Which thread, from which line: a process started by a thread of another test shows here."""
    caller = next(
        (frame for frame in reversed(traceback.extract_stack()[:-2]) if "subprocess" not in frame.filename),
        None,
    )
    place = f"{caller.filename}:{caller.lineno} in {caller.name}" if caller else "?"
    return f"thread {threading.current_thread().name}, from {place}"


@contextmanager
def _guarded(item: pytest.Item) -> Iterator[None]:
    if item.get_closest_marker("slow") is not None:
        yield
        return
    with ExitStack() as undo:
        for owner, name, doing in _slow_entry_points():
            original = getattr(owner, name)
            setattr(owner, name, _refusing(item, doing, original))
            undo.callback(setattr, owner, name, original)
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    item.stash[_offences] = []
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    offences = item.stash.get(_offences, [])
    if offences and report.passed:  # the refusal was caught (say, in a worker thread): fail all the same
        report.outcome = "failed"
        report.longrepr = "\n".join(dict.fromkeys(offences))
    offences.clear()  # told once, in the phase that did it
    return report

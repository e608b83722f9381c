"""The store connection a screen writes through, and the loop that retries a write until
the store takes it (busy, full, read-only: only a wait, never a lost answer).

The loop runs in a thread worker and only posts messages (``Saved``, ``StillWaiting``);
``ui.screens.saving.Saving`` is the screens' side of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message
from textual.worker import get_current_worker

if TYPE_CHECKING:  # the type only: the store (and SQLite) load when a screen first opens one
    from annotator.store import Store

SAVE_WAIT = 0.5  # busy timeout of one attempt: short, so the screen hears back twice a second
RETRY_AFTER = (0.2, 0.5, 1.0, 2.0)  # pause between attempts that fail at once (full, read-only)


@dataclass(frozen=True)
class Problem:
    """Why the write has not gone through yet, and since when (time.monotonic())."""

    kind: str  # busy | full | read-only | disk error | error
    detail: str
    since: float

    def describe(self, now: float | None = None) -> str:
        from annotator.store.errors import BUSY, DISK_ERROR, FULL, READ_ONLY

        seconds = int((time.monotonic() if now is None else now) - self.since)
        if self.kind == BUSY:
            return f"waiting for the store: another writer has held it for {seconds} s"
        what = {
            FULL: "the disk is full (free some space)",
            READ_ONLY: "the store is read-only (make it writable)",
            DISK_ERROR: f"the disk reported an error ({self.detail})",
        }.get(self.kind, f"the store failed ({self.detail})")
        return f"not saved for {seconds} s: {what}"


class Saved(Message):
    """The write went through (its result is on ``pending``)."""

    def __init__(self, pending: Pending):
        super().__init__()
        self.pending = pending


class StillWaiting(Message):
    def __init__(self, problem: Problem):
        super().__init__()
        self.problem = problem


@dataclass
class Pending:
    what: str | None  # "answer", "decision": what would be lost; None: nothing (a lease)
    write: Callable[[Store], Any]  # must be safe to call again after it raised
    then: Callable[[Any], None]  # on the screen's thread, with write's result
    problem: Problem | None = None
    held: list[events.Key] = field(default_factory=list)
    finished: bool = False  # set by the worker once the write went through
    abandoned: bool = False  # the user quit without it: no more attempts
    result: Any = None


class Saver:
    """The store connection a screen writes through (opened on first need) and its retry loop."""

    def __init__(self, open_store: Callable[[], Store]):
        self._open = open_store
        self.store: Store | None = None
        self.pending: Pending | None = None
        self._closing = False
        self._retrying = False  # a worker is in ``retry``: it closes the connection when it stops
        self._lock = threading.Lock()  # the screen's close and the worker's end, one at a time

    @classmethod
    def on(cls, path: Path) -> Saver:
        return cls(lambda: open_store(path, busy_timeout=SAVE_WAIT, durable=True))

    def now(self, write: Callable[[Store], Any]) -> Any:
        """One attempt, on the caller's thread (raises what the store raised)."""
        if self.store is None:
            self.store = self._open()
        return write(self.store)

    def retry(self, pending: Pending, post: Callable[[Message], Any]) -> None:
        """The worker: attempt until it succeeds or the worker is cancelled (the app quits)."""
        from annotator.store.errors import BUSY

        worker = get_current_worker()
        with self._lock:
            if self._closing:  # the screen went before the worker started
                return
            self._retrying = True
        since, failures = time.monotonic(), 0
        try:
            while not (worker.is_cancelled or pending.abandoned):
                try:
                    result = self.now(pending.write)
                except Exception as error:
                    kind = failure_kind(error)
                    if kind is None and not store_failure(error):
                        raise  # a bug, not the store's state: the crash handler reports it
                    post(StillWaiting(Problem(kind or "error", str(error), since)))
                    if kind != BUSY:  # busy already waited SAVE_WAIT inside SQLite
                        _sleep(RETRY_AFTER[min(failures, len(RETRY_AFTER) - 1)], worker)
                    failures += 1
                    continue
                pending.result, pending.finished = result, True
                post(Saved(pending))
                return
        finally:
            with self._lock:
                self._retrying = False
                if self._closing:
                    self._close_store()

    def close(self) -> None:
        """Close the connection now, or when the write in progress gives up. A pending write
        whose worker already stopped (abandoned, or crashed) does not keep it open."""
        with self._lock:
            self._closing = True
            if not self._retrying:
                self._close_store()

    def _close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def open_store(path: Path, **options: Any) -> Store:
    """A store connection of a screen's own. The screens open the store through here (and
    ``failure_kind``), so that importing a screen loads neither the store nor SQLite."""
    from annotator.store import Store

    return Store(path, **options)


def failure_kind(error: BaseException) -> str | None:
    """The store's state that ``error`` reports (busy, full, read-only, disk error), or None
    when it is not the store's state but a bug."""
    from annotator.store.errors import classify

    return classify(error)


def store_failure(error: Exception) -> bool:
    from annotator.store import StoreError

    return isinstance(error, StoreError)


def _sleep(seconds: float, worker) -> None:
    deadline = time.monotonic() + seconds
    while not worker.is_cancelled and time.monotonic() < deadline:
        time.sleep(0.05)

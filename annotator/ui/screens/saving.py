"""Writes from a screen that never block it and never lose what was given.

An answer (or a review decision, or the lease of the next document) is written by a thread
worker through a store connection of the screen's own, with a short busy timeout, and
retried until it succeeds: a lock held by another writer for minutes, a full disk or a
read-only file only make it wait, and the screen says so. The worker only posts messages
(``Saved``, ``StillWaiting``); the screen keeps the document, holds the keys typed for the
next document until the write is confirmed, and asks before quitting with it unsaved.

``Saving`` (here) is the mixin both screens use; ``ui.saver.Saver`` owns the connection
and the retry loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events

from annotator.ui.saver import (
    SAVE_WAIT,
    Pending,
    Problem,
    Saved,
    Saver,
    StillWaiting,
    failure_kind,
    store_failure,
)

if TYPE_CHECKING:  # the type only: a screen importing this module loads no SQLite
    from textual.screen import Screen
    from textual.timer import Timer

    from annotator.store import Store

    _ScreenBase = Screen  # what Saving is mixed into, for the type checker
else:
    _ScreenBase = object

__all__ = ["SAVE_WAIT", "Problem", "Saver", "Saving"]

QUICK = 0.1  # a write done within this shows its result before the next key is read
FREE_ACTIONS = {"help", "quit", "agreement"}  # keys that work while a write waits
# Keys typed while a write waits less than this act on the next document once it is saved
# (typing ahead through a hiccup of a loaded machine); after it, they are refused, so that a
# key pressed again during a long wait does not answer a document nobody has seen.
HOLD_KEYS_FOR = 2.0


class Saving(_ScreenBase):
    """Mixin for a screen that saves through ``self.saver``: ``save()`` starts a write,
    the status line (``self.status(message)``) says why it waits, the keys bound on this
    screen (other than help, quit, agreement) are held while it is on its way and run in
    order once it is saved (typing ahead), or refused once it has waited HOLD_KEYS_FOR."""

    _telling: Timer | None = None  # repeats the waiting line each second while a write waits

    if TYPE_CHECKING:

        def status(self, message: str) -> None: ...  # each screen's own status line

    saver: Saver
    _quit_when_saved: bool = False

    @property
    def saving(self) -> bool:
        return self.saver.pending is not None

    def save(self, what: str | None, write: Callable[[Store], Any], then: Callable[[Any], None]) -> Pending:
        """Start the write in the worker; ``then(result)`` runs here once it went through."""
        pending = Pending(what, write, then)
        self.saver.pending = pending
        self.run_worker(lambda: self.saver.retry(pending, self.post_message), thread=True, group="save")
        return pending

    async def save_soon(self, what: str | None, write: Callable[[Store], Any], then: Callable[[Any], None]) -> None:
        """``save``, and if the store takes it within QUICK (the usual case), finish before
        the next key is read, as if the write had been made here; else it goes on in the
        worker while the screen stays usable."""
        pending = self.save(what, write, then)
        deadline = time.monotonic() + QUICK
        while not pending.finished and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        if pending.finished:
            await self._finish(pending)

    def save_or_wait(self, what: str | None, write: Callable[[Store], Any], then: Callable[[Any], None]) -> None:
        """Try once here (opening a screen: no key waits on it), else save in the worker."""
        try:
            result = self.saver.now(write)
        except Exception as error:
            if failure_kind(error) is None and not store_failure(error):
                raise
            self.save(what, write, then)
            return
        then(result)

    async def on_saved(self, message: Saved) -> None:
        message.stop()
        await self._finish(message.pending)

    async def _finish(self, pending: Pending) -> None:
        if self.saver.pending is not pending:  # finished already (by save_soon)
            return
        self.saver.pending = None
        self._stop_telling()
        pending.then(pending.result)
        if self._quit_when_saved:
            self._quit_now()
            return
        for index, key in enumerate(pending.held):  # the keys typed meanwhile, in order
            if self.saver.pending is not None:  # one of them started the next save
                self.saver.pending.held.extend(pending.held[index:])
                break
            if self.app.screen is not self:
                break
            action = self._screen_action(key.key)
            if action is not None:
                await self.app.run_action(action, self)

    def on_still_waiting(self, message: StillWaiting) -> None:
        message.stop()
        if self.saver.pending is None:
            return
        self.saver.pending.problem = message.problem
        self._tell_waiting()
        if self._telling is None:
            self._telling = self.set_interval(1.0, self._tell_waiting)

    def _tell_waiting(self) -> None:
        pending = self.saver.pending
        if pending is not None and pending.problem is not None:
            then = (
                f"your {pending.what} is kept and saved when it can be"
                if pending.what
                else "the document comes when it can"
            )
            self.status(f"{pending.problem.describe()} · {then}")

    def _stop_telling(self) -> None:
        if self._telling is not None:
            self._telling.stop()
            self._telling = None

    def on_key(self, event: events.Key) -> None:
        pending = self.saver.pending
        if pending is None:
            return
        action = self._screen_action(event.key)
        if action is None or action.split("(")[0] in FREE_ACTIONS:
            return
        event.stop()
        event.prevent_default()
        if pending.problem is None or time.monotonic() - pending.problem.since < HOLD_KEYS_FOR:
            pending.held.append(event)  # typed ahead: it acts once the write is confirmed
        else:
            what = f"your {pending.what} is not saved yet" if pending.what else "no document yet"
            self.status(f"{what} ({pending.problem.describe()}): the next document comes once it can")

    def _screen_action(self, key: str) -> str | None:
        active = self.active_bindings.get(key)
        return active.binding.action if active is not None and active.node is self else None

    # -- quitting with a write on its way ------------------------------------------------

    def quit_or_ask(self) -> None:
        pending = self.saver.pending
        if pending is None or pending.what is None:
            self._quit_now()
            return
        from annotator.ui.screens.unsaved import UnsavedScreen

        why = pending.problem.describe() if pending.problem is not None else "it is being saved"
        self._quit_when_saved = True
        self.app.push_screen(UnsavedScreen(f"1 {pending.what} not yet saved ({why})."), self._after_asked)

    def quit_when_saved(self) -> bool:
        """Quit, without asking, once the answer on its way is saved (the terminal or the
        browser tab is gone); False when nothing given is on its way."""
        pending = self.saver.pending
        if pending is None or pending.what is None:
            return False
        self._quit_when_saved = True
        return True

    def _after_asked(self, lose: bool | None) -> None:
        pending = self.saver.pending
        if lose:
            if pending is not None and pending.what is not None:
                pending.abandoned = True
                why = pending.problem.describe() if pending.problem is not None else "it was being saved"
                self.lost = f"not saved: 1 {pending.what} ({why})"
            self._quit_now()
        else:
            self._quit_when_saved = False
            self._tell_waiting()

    def _quit_now(self) -> None:
        if self.app.screen is not self and getattr(self.app.screen, "asks_before_quitting", False):
            self.app.pop_screen()
        self.leave()

    lost: str | None = None  # what quitting gave up, in words

    def leave(self) -> None:
        """Give back what is held and exit (each screen says what that is)."""
        self.exit_app()

    def exit_app(self) -> None:
        """Exit; having given up an answer is a failed run, said in one line after the screen."""
        if self.lost is not None:
            self.app.exit(return_code=1, message=Text(self.lost))
        else:
            self.app.exit()

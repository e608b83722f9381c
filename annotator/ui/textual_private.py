"""Every use of Textual's private API, in one place: Textual 8.2.8 (pinned exactly in
pyproject.toml) has no public way to do these. Each says why it is needed and what public
API to move to; a Textual upgrade checks this module first (the tests use it too).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from textual import messages, on
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


def add_bindings(node: DOMNode, bindings: Iterable[Binding], yielding: Iterable[str] = ()) -> None:
    """Bind keys on one screen, not its class: the label keys come from labels.yaml, so they
    cannot be in ``BINDINGS``. A class binding of one of the ``yielding`` ids on the same key
    gives way (the keymap cannot unbind a key: an empty keymap entry keeps the default).
    Textual has no public per-node ``bind`` (``App.bind`` binds on the app only and is
    documented as possibly going private); move to one if it comes."""
    yielding = set(yielding)
    for binding in Binding.make_bindings(bindings):
        kept = [b for b in node._bindings.key_to_bindings.get(binding.key, []) if b.id not in yielding]
        node._bindings.key_to_bindings[binding.key] = [*kept, binding]


class QuietCrashApp(App):
    """An app whose unexpected errors reach ``unexpected_error`` and whose exit prints no
    traceback (the command that ran it reports the error in one line)."""

    def unexpected_error(self, error: Exception) -> None:
        """Called once per unhandled error in a screen, widget, timer or worker."""

    def _handle_exception(self, error: Exception) -> None:
        # Textual's only hook for such errors (no public one in 8.2.8): it sets return code 1,
        # exits, and keeps the traceback in _exit_renderables to print after the screen is
        # gone. Move to a public exception hook if Textual adds one.
        self.unexpected_error(error)
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def hold_exit(self) -> bool:
        """An exit asked from outside the app (a browser tab closed, SIGTERM): True to carry on
        for now (the app calls ``exit()`` itself once it is ready)."""
        return False

    @on(messages.ExitApp)
    def _hold_exit_from_outside(self, message: messages.ExitApp) -> None:
        # ExitApp (textual.messages, internal) is posted by ``App.exit`` (which sets _exit) and
        # by the drivers, on SIGTERM and on the web driver's "quit" (a browser tab closed).
        # Textual runs this before App's own handler (each class's, down the MRO), which
        # prevent_default skips. No public hook tells those exits apart or lets an app finish
        # first; move to one if it comes.
        if not self._exit and self.hold_exit():
            message.prevent_default()


def write_meta(app: App, meta: dict) -> None:
    """A meta packet to the process that runs the app under textual-serve (the web driver's
    ``write_meta``; the app has no public handle on its driver). No-op in a terminal."""
    driver_write = getattr(app._driver, "write_meta", None)
    if driver_write is not None:
        driver_write(meta)


# For the tests: what is on the terminal, said or about to be printed (no public getters).


def exit_messages(app: App) -> list[RenderableType]:
    """What the app prints when it has exited: ``App.exit(message=...)``, or a traceback."""
    return list(app._exit_renderables)


def screen_text(screen: Screen) -> str:
    """What the terminal shows of ``screen``, as plain text (the compositor's lines)."""
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


def notification_messages(app: App) -> list[str]:
    """The notifications the app holds (shown as toasts), oldest first."""
    return [str(notification.message) for notification in app._notifications]


def toast_texts(screen: Screen) -> list[str]:
    """The toasts painted on ``screen``: ``Toast`` is not exported by ``textual.widgets``."""
    from textual.widgets._toast import Toast

    return [str(toast.render()) for toast in screen.query(Toast)]


def keys_of(data: str) -> list[str]:
    """The keys Textual reads from terminal input ``data``, as the web driver reads the page's
    (``textual._xterm_parser`` is private)."""
    from textual import events
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    read = [*parser.feed(data), *parser.feed("")]  # the empty feed ends a lone escape
    return [event.key for event in read if isinstance(event, events.Key)]

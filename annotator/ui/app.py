"""The Textual app: applies labels.yaml's keymap and shows the screen it is given.

``AnnotatorApp`` knows nothing about annotating: ``run_annotate`` (here) and other entry
points (a review screen, say) build their first screen and hand it over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.screen import Screen
from textual.worker import WorkerFailed

from annotator.core.errors import ScreenCrashed
from annotator.core.task_order import HandOut
from annotator.io.labels import LabelsConfig
from annotator.store import LEASE_SECONDS, Store
from annotator.ui.textual_private import QuietCrashApp
from annotator.usecases.crash import Crash, write_report


class AnnotatorApp(QuietCrashApp):
    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self, config: LabelsConfig, first_screen: Callable[[], Screen], on_exit: Callable[[], None] | None = None
    ):
        super().__init__()
        self.config = config
        self._first_screen = first_screen
        self._on_exit = on_exit
        self.crash: Crash | None = None  # the first unexpected error, once it is written to a report
        self.set_keymap(config.bindings())

    def get_default_screen(self) -> Screen:
        # The first screen is the default one: no blank screen painted before it.
        return self._first_screen()

    async def action_quit(self) -> None:  # ctrl+q and friends: leave the same way as `q`
        screen_quit = getattr(self.screen, "action_quit", None)
        if screen_quit is not None:
            screen_quit()
        else:
            self.exit()

    def hold_exit(self) -> bool:
        """Asked to exit from outside (a browser tab closed, SIGTERM) with an answer or decision
        still on its way to a busy store: nobody is left to ask, so the screens quit once it
        is saved, as if the person had chosen to wait."""
        held = False
        for screen in self.screen_stack:
            quit_when_saved = getattr(screen, "quit_when_saved", None)
            if quit_when_saved is not None and quit_when_saved():
                held = True
        return held

    def on_unmount(self) -> None:
        if self._on_exit is not None:
            self._on_exit()

    def unexpected_error(self, error: Exception) -> None:
        # The traceback goes to a report file instead of the terminal; the command that ran
        # the app says so in one line (``raise_if_crashed``).
        if self.crash is None:
            cause = error.error if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException) else error
            self.crash = Crash(cause, write_report(cause))

    def review_documents(
        self, store_path: Path, config: LabelsConfig, dataset: str, documents: list[int], reviewer: str | None
    ) -> None:
        """Review just ``documents`` (a worst document of the agreement report). The app opens
        it, not the agreement screen: the review screens lead back to the agreement screen
        (review, its end screen, the finished screen's `g`), and screens import no cycle."""
        from annotator.ui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen.for_documents(store_path, config, dataset, documents, reviewer))

    def raise_if_crashed(self) -> None:
        """After ``run()``: a crash becomes ``ScreenCrashed`` for the command to report."""
        if self.crash is not None:
            raise ScreenCrashed(self.crash)


def annotate_app(
    store: Store,
    config: LabelsConfig,
    dataset: str,
    annotator: str,
    overlap: int = 1,
    lease_seconds: float = LEASE_SECONDS,
    hand_out: HandOut | None = None,
) -> AnnotatorApp:
    """The annotate app on an open store (tests and benchmarks drive this one)."""
    from annotator.ui.screens.annotate import AnnotateScreen
    from annotator.usecases.annotate_session import AnnotateSession

    session = AnnotateSession(store, config, dataset, annotator, overlap, lease_seconds, hand_out=hand_out)
    return AnnotatorApp(config, lambda: AnnotateScreen(session), on_exit=session.close)


@contextmanager
def annotate_program(
    db_path: Path, config: LabelsConfig, dataset: str, annotator: str, overlap: int = 1, hand_out: HandOut | None = None
) -> Iterator[AnnotatorApp]:
    """The annotate app as the command runs it: on a store whose commits survive a power
    loss (synchronous = FULL; the screen's own writing connection is durable too)."""
    with Store(db_path, durable=True) as store:
        yield annotate_app(store, config, dataset, annotator, overlap, hand_out=hand_out)


def run_annotate(
    db_path: Path, config: LabelsConfig, dataset: str, annotator: str, overlap: int = 1, hand_out: HandOut | None = None
) -> None:
    with annotate_program(db_path, config, dataset, annotator, overlap, hand_out) as app:
        app.run()
    app.raise_if_crashed()
    if app.return_code:  # quit with an answer unsaved (the app printed which)
        raise SystemExit(app.return_code)


def review_app(
    store: Store,
    config: LabelsConfig,
    dataset: str,
    reviewer: str | None = None,
    auto_accept: bool = False,
    **selection,
):
    """The review app on an open store; returns (app, session). ``selection``: see
    ``ReviewSession``. With ``auto_accept`` the unanimous documents are stored as gold
    before the first document shows."""
    from annotator.ui.screens.review import ReviewScreen
    from annotator.usecases.review_session import ReviewSession

    session = ReviewSession(store, config, dataset, reviewer, **selection)
    if auto_accept:
        session.auto_accept()
    return AnnotatorApp(config, lambda: ReviewScreen(session)), session


@contextmanager
def review_program(db_path: Path, config: LabelsConfig, dataset: str, reviewer: str | None = None, **options):
    """(app, session) of the review as the command runs it, on a durable store (see
    ``annotate_program``)."""
    with Store(db_path, durable=True) as store:
        yield review_app(store, config, dataset, reviewer, **options)


def run_review(db_path: Path, config: LabelsConfig, dataset: str, reviewer: str | None = None, **options):
    """Review in the terminal; returns the session (what was decided) for the command to report."""
    with review_program(db_path, config, dataset, reviewer, **options) as (app, session):
        app.run()
    app.raise_if_crashed()
    if app.return_code:  # quit with a decision unsaved (the app printed which)
        raise SystemExit(app.return_code)
    return session

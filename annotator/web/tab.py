"""One browser tab's app process: `python -m annotator.web.tab ...`, started by the server.

Every argument comes from the server (the name and role from the users file, never from the
browser). Textual's web driver talks to the server over stdin and stdout, so nothing else is
printed there; a problem is one line on stderr, which the server shows in its log.

The annotate screen gives back its leased documents when the app exits. A tab closed in the
browser makes the server send "quit", and SIGINT and SIGTERM quit the same way (the web
driver's handlers); SIGHUP and a server that went away without a word (this process left
orphaned) are turned into SIGTERM, so the lease ends at once in every case but SIGKILL.
An answer still waiting for a busy store when one of those comes is stored first: the app
holds the exit until it is, and tells the server so, which then never kills this process.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from annotator.core.task_order import FILE, ORDERS, HandOut

ANNOTATE, REVIEW = "annotate", "review"
SCREENS = (ANNOTATE, REVIEW)
SAVING = "saving"  # the meta packet of a tab that stays to store an answer before it exits


def tab_arguments(
    db: Path,
    labels: Path,
    dataset: str,
    name: str,
    role: str,
    screen: str,
    overlap: int,
    hand_out: HandOut | None = None,
) -> list[str]:
    """The command line of one tab's process (a list: no shell ever sees a name)."""
    hand_out = hand_out or HandOut()
    return [
        sys.executable,
        "-m",
        "annotator.web.tab",
        f"--db={db}",
        f"--labels={labels}",
        f"--dataset={dataset}",
        f"--name={name}",
        f"--role={role}",
        f"--screen={screen}",
        f"--overlap={overlap}",
        f"--order={hand_out.order}",
        f"--seed={hand_out.seed}",
        f"--control={hand_out.control}",
    ]


def reviewers_only(app) -> None:
    """An annotator's app: the agreement report and the review screen (which the annotate and
    finished screens' `g` leads to) are refused with a note, however they are asked for."""
    from annotator.ui.screens.agreement import AgreementScreen
    from annotator.ui.screens.review import ReviewScreen

    push_screen = app.push_screen

    def push_allowed_screen(screen, *args, **kwargs):
        if isinstance(screen, AgreementScreen | ReviewScreen):
            app.notify("The agreement report and the review screen are for reviewers.", markup=False)
            return None
        return push_screen(screen, *args, **kwargs)

    app.push_screen = push_allowed_screen


def say_when_saving(app) -> None:
    """An exit the app holds to store an answer first is said to the server (a "saving"
    meta packet), which then waits for this process instead of killing it."""
    from annotator.ui.textual_private import write_meta

    hold_exit = app.hold_exit

    def hold_and_say() -> bool:
        held = hold_exit()
        if held:
            write_meta(app, {"type": SAVING})
        return held

    app.hold_exit = hold_and_say


def quit_on_hangup_or_orphan() -> None:
    """SIGHUP, and the server process gone, quit like SIGTERM (the web driver's clean exit)."""
    signal.signal(signal.SIGHUP, lambda *_: os.kill(os.getpid(), signal.SIGTERM))
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def run(args: argparse.Namespace) -> int:
    from annotator.io.labels import load_labels
    from annotator.store import Store
    from annotator.ui.app import annotate_app, review_app
    from annotator.web.users import REVIEWER

    config = load_labels(args.labels)
    store = Store(args.db, durable=True)
    with store:
        if args.screen == REVIEW:
            if args.role != REVIEWER:  # the server never asks this; a hand-made command line might
                print(f"annotator: {args.name} is not a reviewer", file=sys.stderr)
                return 1
            app, _ = review_app(store, config, args.dataset, args.name)
        else:
            hand_out = HandOut(args.order, args.seed, args.control)
            app = annotate_app(store, config, args.dataset, args.name, args.overlap, hand_out=hand_out)
        if args.role != REVIEWER:
            reviewers_only(app)
        say_when_saving(app)
        quit_on_hangup_or_orphan()
        app.run()
    app.raise_if_crashed()
    return app.return_code or 0


def tab_parser() -> argparse.ArgumentParser:
    """The tab's command line, as ``tab_arguments`` writes it."""
    from annotator.web.users import ROLES

    parser = argparse.ArgumentParser(prog="annotator.web.tab", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--screen", choices=SCREENS, default=ANNOTATE)
    parser.add_argument("--overlap", type=int, default=1)
    parser.add_argument("--order", choices=ORDERS, default=FILE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--control", type=float, default=0.0)
    return parser


def main(argv: list[str] | None = None) -> int:
    from annotator.core.errors import ScreenCrashed, UserError
    from annotator.core.visible import visible
    from annotator.usecases.crash import Crash, crash_line, write_report

    args = tab_parser().parse_args(argv)
    try:
        return run(args)
    except UserError as error:
        print(f"annotator: {visible(str(error))}", file=sys.stderr)
        return 1
    except ScreenCrashed as error:
        print(crash_line(error.crash, answers_kept=True), file=sys.stderr)
        return 1
    except Exception as error:
        print(crash_line(Crash(error, write_report(error))), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

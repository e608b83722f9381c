"""The `annotator` command: one thin function per sub-command.

Each function parses its options, opens the project, and hands the work to the module
that owns it. A ``UserError`` anywhere becomes one line on stderr and exit status 1; so
does any other error, with the traceback written to a report file (``annotator.usecases.crash``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

# The command modules are imported by the one command run (see command_group).
from annotator.cli.options import DEFAULT_DB, DEFAULT_LABELS, app
from annotator.cli.progress import progress_bar
from annotator.core.errors import ScreenCrashed, UserError
from annotator.core.visible import visible
from annotator.usecases.crash import Crash, crash_line, write_report
from annotator.usecases.progress import show_progress_with


@app.callback(invoke_without_command=True)
def default(ctx: typer.Context) -> None:
    """With no sub-command: open the annotate screen on the project in this folder
    (importing seeds/ first on a new project)."""
    if ctx.invoked_subcommand is None:
        from annotator.cli.screens import open_demo

        open_demo(Path(os.environ.get("ANNOTATOR_DB", DEFAULT_DB)), DEFAULT_LABELS)


def usage_error_line(error) -> str:
    """A Click usage error as one plain line (Typer would draw a boxed panel)."""
    message = " ".join(error.format_message().split()).rstrip(".")
    ctx = getattr(error, "ctx", None)
    line = f"{message} (see `{ctx.command_path} --help`)" if ctx is not None else message
    return visible(line)  # Click quotes the bad option or value as typed


def main() -> None:
    show_progress_with(progress_bar)  # the use cases' long work, drawn as Rich bars on stderr
    from annotator.cli.options import click_exceptions as click_errors

    try:
        # Not standalone: Click's usage errors come here, to be said in one line.
        code = app(standalone_mode=False, prog_name="annotator")
    except click_errors.NoArgsIsHelpError as error:  # `annotator db`: the help, as Click prints it
        error.show()
        sys.exit(error.exit_code)
    except click_errors.ClickException as error:  # bad option values, missing arguments: exit 2 as Click does
        print(f"annotator: {usage_error_line(error)}", file=sys.stderr)
        sys.exit(error.exit_code)
    except typer.Abort:  # Click's own Abort in older Typer
        print("annotator: aborted", file=sys.stderr)
        sys.exit(1)
    except UserError as error:
        print(f"annotator: {visible(str(error))}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        sys.exit(130)
    except ScreenCrashed as error:  # the app already wrote the report
        print(crash_line(error.crash, answers_kept=True), file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # a bug: the report to a file, one line to the user, never exit 0
        print(crash_line(Crash(error, write_report(error))), file=sys.stderr)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)  # typer.Exit(n) returns n here

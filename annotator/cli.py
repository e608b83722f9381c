"""The `annotator` command: one thin function per sub-command.

Each function parses its options, opens the project, and hands the work to the module
that owns it. A ``UserError`` anywhere becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from annotator.errors import UserError

app = typer.Typer(
    help="Accept or correct pre-highlighted named-entity spans; measure agreement; export spaCy data.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Look after the store: merge, backup, check.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="ANNOTATOR_DB", help="The SQLite store (default annotations.db, or $ANNOTATOR_DB)."),
]
LabelsOption = Annotated[Path, typer.Option("--labels", help="The project's labels.yaml.")]
DatasetOption = Annotated[Optional[str], typer.Option("--dataset", "-d", help="The dataset (default: the only one, or 'demo').")]
AnnotatorOption = Annotated[
    Optional[str], typer.Option("--annotator", help="Your name in the store (default: your login name).")
]
DEFAULT_DB = Path("annotations.db")
DEFAULT_LABELS = Path("labels.yaml")


def login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "annotator"


@app.callback(invoke_without_command=True)
def default(ctx: typer.Context) -> None:
    """With no sub-command: open the annotate screen on the project in this folder
    (importing seeds/ first on a new project)."""
    if ctx.invoked_subcommand is None:
        from annotator.project import open_demo

        open_demo(Path(os.environ.get("ANNOTATOR_DB", DEFAULT_DB)), DEFAULT_LABELS)


def main() -> None:
    try:
        app()
    except UserError as error:
        print(f"annotator: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()

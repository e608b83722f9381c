"""The options every command shares, and the Typer app the command modules register on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from annotator.cli.command_group import app as app  # the command modules register on it

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="ANNOTATOR_DB", help="The SQLite store (default annotations.db, or $ANNOTATOR_DB)."),
]
LabelsOption = Annotated[Path, typer.Option("--labels", help="The project's labels.yaml.")]
OptionalLabelsOption = Annotated[
    Path | None,
    typer.Option(
        "--labels",
        help="The project's labels.yaml, for the label order and language (default: labels.yaml if there is one).",
    ),
]


def dataset_name(value: str | None) -> str | None:
    """--dataset: a name. An empty one used to mean "the default" and silently chose another dataset."""
    from annotator.core.errors import UserError

    if value is not None and (not value.strip() or value != value.strip()):
        raise UserError(f"--dataset {value!r}: a dataset name cannot be empty or start or end with spaces")
    return value


def one_of(*choices: str):
    """A callback for an option that takes one of ``choices``: anything else is a usage
    mistake (exit 2, one line, as Click's own), never a value the command finds later."""

    def check(value: str | None) -> str | None:
        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return check


try:  # Typer 0.2x carries its own copy of Click; older ones use Click itself
    from typer._click import exceptions as click_exceptions
except ImportError:
    from click import exceptions as click_exceptions  # type: ignore[no-redef]


def usage_mistake(ctx: typer.Context, message: str) -> Exception:
    """Click's UsageError for a mistake found after parsing (exit 2, said in one line by main)."""
    return click_exceptions.UsageError(message, ctx=ctx)


def choices_metavar(choices: tuple[str, ...]) -> str:
    return "[" + "|".join(choices) + "]"


def choice_option(*flags: str, choices: tuple[str, ...], help: str, metavar: str | None = None) -> Any:
    """A Typer option that takes only one of ``choices`` (checked while parsing: see ``one_of``),
    shown in the help as ``[a|b|c]`` unless ``metavar`` names it."""
    return typer.Option(*flags, callback=one_of(*choices), metavar=metavar or choices_metavar(choices), help=help)


DatasetOption = Annotated[
    str | None,
    typer.Option("--dataset", "-d", callback=dataset_name, help="The dataset (default: the only one, or 'demo')."),
]
AnnotatorOption = Annotated[
    str | None, typer.Option("--annotator", help="Your name in the store (default: your login name).")
]
# annotate and serve: how many answers a document needs, the trainer beside them, and how
# documents are handed out (core.task_order).
OverlapOption = Annotated[
    int, typer.Option("--overlap", min=1, help="How many different annotators each document needs.")
]
LearnOption = Annotated[
    bool | None,
    typer.Option(
        "--learn/--no-learn",
        help="Run a trainer beside the screens: after every N accepted answers (labels.yaml's learn.every, "
        "default 25) a model learns from them and, if better on held-out answers, suggests the rest "
        "(default: labels.yaml's learn:).",
    ),
]
OrderOption = Annotated[
    str,
    choice_option(
        "--order",
        choices=("file", "random", "uncertain"),
        help="The next document: file (as imported), random (a seeded shuffle), or uncertain (the learned "
        "model's least sure first, 15% of them at random).",
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="The seed of --order random and uncertain's random share.")]
ControlOption = Annotated[
    float,
    typer.Option(
        "--control",
        min=0.0,
        max=0.99,
        help="Show this share of the documents (the same ones for everyone) without suggestions; "
        "`annotator stats` compares them with the rest.",
    ),
]
DEFAULT_DB = Path("annotations.db")
DEFAULT_LABELS = Path("labels.yaml")


def optional_labels(labels: Path | None):
    """labels.yaml for a command that can do without it: the default one only if it is
    there; one given with --labels must load. A LabelsConfig, or None."""
    from annotator.io.labels import load_labels

    if labels is None:
        if not DEFAULT_LABELS.exists():
            return None
        labels = DEFAULT_LABELS
    return load_labels(labels)

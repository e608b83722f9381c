"""The `annotator` Typer app, whose Click group builds one sub-command at a time.

Building every command (importing the seven command modules and turning the options of
thirteen commands and six sub-commands into Click parameters) cost about 30 ms of every
start, for the one command that runs. Here the group knows which module defines each command (``COMMANDS``) and imports
and builds a command only when it is asked for: `annotator annotate` builds `annotate`
alone, while `annotator --help` asks for every one, in the order of ``COMMANDS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from annotator.cli.plain_values import coerce_plain_values

# Each command's name and the module of annotator.cli that registers it, in the order
# `annotator --help` lists them (tests/unit/test_cli_lazy.py holds this to the modules).
COMMANDS = {
    "annotate": "screens",
    "review": "screens",
    "agreement": "reports",
    "stats": "reports",
    "export": "data",
    "train": "data",
    "init": "documents",
    "import": "documents",
    "preannotate": "documents",
    "serve": "serve",
    "learn": "learn",
    "db": "db",
    "users": "serve",
}


def build_command(name: str) -> Any:
    """The Click command (or sub-group) ``name``: its module imported, then built the way
    Typer builds the whole group, with its plain options coerced without pydantic."""
    importlib.import_module(f"annotator.cli.{COMMANDS[name]}")
    for info in app.registered_commands:
        if info.name == name:
            command = typer.main.get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
            )
            return coerce_plain_values(command)
    for group in app.registered_groups:
        if group.name == name:
            command = typer.main.get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                suggest_commands=app.suggest_commands,
                rich_markup_mode=app.rich_markup_mode,
            )
            return coerce_plain_values(command)
    raise LookupError(f"annotator.cli.{COMMANDS[name]} registers no command {name!r}")


class LazyCommands(MutableMapping):
    """Name to Click command, for every name of ``COMMANDS``; a command is built on first use."""

    def __init__(self, built: dict[str, Any]):
        self._built = built  # those Typer built already (every one registered, in a process that ran one before)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = build_command(name)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self._built.keys())

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


class LazyGroup(TyperGroup):
    """Typer's group, with its commands in a ``LazyCommands``."""

    def __init__(self, *, commands: dict[str, Any] | None = None, **attrs: Any):
        super().__init__(**attrs)
        built = dict(commands or {})
        for command in built.values():
            coerce_plain_values(command)
        self.commands = LazyCommands(built)
        coerce_plain_values(self)

    def list_commands(self, ctx: Any) -> list[str]:
        # The names alone: Typer's own reads every command (and so would build them all).
        return list(self.commands)


app = typer.Typer(
    cls=LazyGroup,
    help="Accept or correct pre-highlighted named-entity spans; measure agreement; export spaCy data.\n\n"
    "`annotator` alone opens the annotate screen (in a new project, on the demo: seeds/ imported and "
    "pre-highlighted first).",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

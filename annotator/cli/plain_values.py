"""Plain option values (a path, a name, a whole number) taken as they are, without pydantic.

Typer 0.2x coerces every option through a pydantic ``TypeAdapter``, so any command
imported pydantic and pydantic's plugin loader (``importlib.metadata``): about 70 ms of
every start, to turn ``"annotations.db"`` into a ``Path``. ``PlainValue`` takes the
values that need no validation (a ``str`` for a ``str``, digits within range for an int or a
float, a ``str`` for a ``Path``, through Typer's own path checks) and hands anything
else to Typer's pydantic coercion, so a bad value is refused with the same message as
before. Where Typer has no such coercion (older versions), nothing changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:  # Typer 0.2x's coercion layer (private: tests/unit/test_cli_lazy.py checks it is there)
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # an older Typer coerces through Click's types: no pydantic to avoid
    RuntimeParam = None  # type: ignore[assignment,misc]

# bool: Typer passes a flag's True or False through; an absent one (None) needs no coercion either.
PLAIN_TYPES = (str, int, float, bool, Path)


def _digits(value: Any) -> int | None:
    """``value`` as an int when it plainly is one (an int, or ASCII digits), else None."""
    if type(value) is int:
        return value
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    return None


def _decimal(value: Any) -> float | None:
    """``value`` as a float when it plainly is one (a float, or ASCII digits with at most one
    point: no exponent, sign, NaN or infinity, which Typer's coercion judges), else None."""
    if type(value) is float:
        return value if value == value and abs(value) != float("inf") else None
    if type(value) is str and value.isascii() and value.replace(".", "", 1).isdigit():
        return float(value)
    return None


if RuntimeParam is not None:

    class PlainValue(RuntimeParam):
        """Typer's coercion of one option (``RuntimeParam(parameter_info, annotation)``), with
        the plain values taken as they are."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind, info = self.annotation, self.parameter_info
            if kind is str and type(value) is str:
                return value
            if kind is Path and (isinstance(value, Path) or (type(value) is str and value and "\0" not in value)):
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            if kind is int and not info.clamp and (number := _digits(value)) is not None:
                if (info.min is None or number >= info.min) and (info.max is None or number <= info.max):
                    return number
            if kind is float and not info.clamp and (decimal := _decimal(value)) is not None:
                if (info.min is None or decimal >= info.min) and (info.max is None or decimal <= info.max):
                    return decimal
            return self._typer_coercion(param)._coerce_value(value, param, ctx)  # anything else, as Typer does it

        def _typer_coercion(self, param: Any) -> Any:
            """Typer's own coercion of this option (pydantic), built the first time a value needs it
            (kept in the instance's __dict__, as functools.cached_property would: the class is frozen)."""
            if "_typer" not in self.__dict__:
                self.__dict__["_typer"] = build_runtime_param(param.type_descriptor)
            return self.__dict__["_typer"]


def plain(descriptor: Any) -> bool:
    """The option is one ``PlainValue`` can take: a single plain value, no parser or file."""
    info = descriptor.parameter_info
    return (
        descriptor.annotation in PLAIN_TYPES
        and descriptor.file_annotation is None
        and info.parser is None
        and (descriptor.annotation is not Path or info.path_type is None)
    )


def take_plain(param: Any) -> Any:
    """``param`` coerced by ``PlainValue`` if it is a plain Typer option; returns it."""
    if isinstance(param, _TyperParameter) and getattr(param, "_runtime_param", False) is None:
        descriptor = param.type_descriptor
        if plain(descriptor):
            try:
                param._runtime_param = PlainValue(descriptor.parameter_info, descriptor.annotation)
            except TypeError:  # a Typer whose coercion is made otherwise: its own, then
                pass
    return param


def coerce_plain_values(command: Any) -> Any:
    """``command`` (and a sub-group's commands) with its plain options, --help too, coerced
    by ``PlainValue``; returns it."""
    if RuntimeParam is None:
        return command
    for param in command.params:
        take_plain(param)
    help_option = command.get_help_option  # Click makes --help while parsing, from the context
    command.get_help_option = lambda ctx: take_plain(help_option(ctx))
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):  # a sub-group built whole (`db`, `users`); the lazy group's, one by one
        for sub_command in commands.values():
            coerce_plain_values(sub_command)
    return command

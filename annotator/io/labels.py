"""labels.yaml: the project's label set, model, patterns and keymap, validated.

A broken file is one clear line naming the file, the line and the key (``LabelsError``),
never a traceback. The keymap is checked against the table of actions (``core.actions``)
before any screen opens: known ids, no key two actions of one screen share, and no label key
that an action takes on the screens where labels act.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich.color import Color, ColorParseError

from annotator.core import actions
from annotator.core.errors import UserError

# Binding id -> default keys (comma separated, Textual key names), from the one table of
# actions; labels.yaml's `keymap` overrides these.
DEFAULT_KEYMAP: dict[str, str] = actions.default_keymap()

DEFAULT_COLORS = ["#e5c07b", "#61afef", "#98c379", "#c678dd", "#e06c75", "#56b6c2", "#d19a66", "#abb2bf"]


def typeable(key: str) -> bool:
    """One key a keyboard sends, as Textual names it: a printable character ("p", "!"), a
    character's name ("exclamation_mark") or a key Textual knows ("f5", "ctrl+p", "enter")."""
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    from textual.keys import REPLACED_KEYS, Keys, key_to_character  # only for key names: rarely needed

    if key in {k.value for k in Keys} and not key.startswith("<"):
        return True
    character = key_to_character(REPLACED_KEYS.get(key, key))  # "at" is Textual's "commercial_at"
    return character is not None and len(character) == 1 and character.isprintable() and not character.isspace()


def key_name(key: str) -> str:
    """The key as Textual binds it: "?" is "question_mark", so a label key "?" would take the
    help key. Letters and digits are their own names (no Textual import for them)."""
    if len(key) != 1 or key.isalnum():
        return key
    if key == ",":  # Textual reads a comma as a list of keys
        return "comma"
    from textual.binding import Binding  # only for other characters: rarely needed

    # Textual names a character's key when it makes the bindings (its own conversion is private).
    return next(iter(Binding.make_bindings([Binding(key, "")]))).key


class LabelsError(UserError):
    """labels.yaml is broken; the message is the one line to show."""


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    key: str | None = None
    color: str | None = None
    description: str = ""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if value != value.strip() or not value:
            raise ValueError("a label name cannot be empty or start or end with spaces")
        return value

    @field_validator("key", mode="before")
    @classmethod
    def _digit_key(cls, value):
        # `key: 1` unquoted is a YAML number; it means the key "1".
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        if value is not None and (not value or value.strip() != value or "," in value):
            raise ValueError(f'{value!r} is not a key (one key name, such as "1" or "p")')
        if value is not None and not typeable(value):
            raise ValueError(
                f'{value!r} is not a key a keyboard can type (one character, such as "p", or a key name such as "f5")'
            )
        return value

    @field_validator("color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            Color.parse(value)
        except ColorParseError:
            raise ValueError(f"{value!r} is not a colour (use #rrggbb or a colour name)") from None
        return value


DEFAULT_LEARN_EVERY = 25  # accepted answers between training rounds (measured: bench effort --learn)


class LearnSettings(BaseModel):
    """`learn: {every: N}`: the annotate screen runs a trainer (`annotator learn`) beside it."""

    model_config = ConfigDict(extra="forbid")

    every: int = Field(default=DEFAULT_LEARN_EVERY, ge=1)


class LabelsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str = "en"
    model: str | None = None
    patterns: str | None = None
    label_map: dict[str, str] = Field(default_factory=dict)
    labels: list[Label] = Field(min_length=1)
    keymap: dict[str, str] = Field(default_factory=dict)
    learn: LearnSettings | None = None  # `learn: true` is the default settings; false or absent: none
    # Where the file lives: relative model and patterns paths are resolved from here.
    base_dir: Path = Field(default=Path("."), exclude=True)
    path: Path | None = Field(default=None, exclude=True)  # the file itself, for commands that name it

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}|xx", value):
            raise ValueError(f"{value!r} is not a spaCy language code (such as en, de, xx)")
        return value

    @field_validator("learn", mode="before")
    @classmethod
    def _learn(cls, value):
        if value is True:
            return LearnSettings()
        if value is False or value is None:
            return None
        if not isinstance(value, dict):
            raise ValueError("learn is true, false, or {every: N}")
        return value

    @field_validator("keymap")
    @classmethod
    def _keymap(cls, value: dict[str, str]) -> dict[str, str]:
        for binding_id, keys in value.items():
            if binding_id not in DEFAULT_KEYMAP:
                known = ", ".join(sorted(DEFAULT_KEYMAP))
                raise ValueError(f"unknown binding id {binding_id!r} (known: {known})")
            for key in keys.split(","):
                if not typeable(key.strip()):
                    raise ValueError(
                        f"{binding_id}: {key.strip()!r} is not a key a keyboard can type"
                        ' (a character, or a key name such as "enter" or "f5")'
                    )
        return value

    @model_validator(mode="after")
    def _unique(self) -> LabelsConfig:
        problem = self.conflict()
        if problem:
            raise ValueError(problem[1])
        return self

    def conflict(self) -> tuple[tuple, str] | None:
        """The first key two actions of a screen share after the keymap, or the first duplicate
        label name or key, or label key an action takes: (location, message)."""
        bindings = self.bindings()
        shared = actions.clash(bindings, self.keymap, key_name)
        if shared:
            binding_id, key, other, screens = shared
            where = (
                screens[0] + " screen" if len(screens) == 1 else f"{', '.join(screens[:-1])} and {screens[-1]} screens"
            )
            return ("keymap", binding_id), f"{key!r} is also the key of {other} on the {where}"
        seen_names: set[str] = set()
        action_keys = {key_name(key) for key in actions.label_screen_keys(bindings)}
        seen_keys: dict[str, str] = {}
        for index, label in enumerate(self.labels):
            if label.name in seen_names:
                return ("labels", index, "name"), f"label {label.name!r} is defined twice"
            seen_names.add(label.name)
            if label.key is None:
                continue
            name = key_name(label.key)
            if name in seen_keys:
                return ("labels", index, "key"), f"key {label.key!r} is used by both {seen_keys[name]} and {label.name}"
            if name in action_keys:
                return ("labels", index, "key"), f"key {label.key!r} of {label.name} is already bound to an action"
            seen_keys[name] = label.name
        return None

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def bindings(self) -> dict[str, str]:
        """Binding id -> keys, defaults overridden by the keymap."""
        return {**DEFAULT_KEYMAP, **self.keymap}

    def color(self, name: str) -> str:
        for index, label in enumerate(self.labels):
            if label.name == name:
                return label.color or DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
        return "#808080"

    def map_label(self, label: str) -> str | None:
        """A model's label in our label set (through label_map), or None to drop it."""
        mapped = self.label_map.get(label, label)
        return mapped if mapped in self.names else None

    def resolve(self, value: str | None) -> str | None:
        """A model or patterns setting: a path relative to labels.yaml when it exists there."""
        if value is None:
            return None
        candidate = self.base_dir / value
        return str(candidate) if candidate.exists() else value


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key and list item."""

    lines: dict[int, tuple[int, Any]]  # id(a mapping or list) -> (its line, its keys' or items' lines)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    lines: dict[object, tuple[int, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in lines:  # PyYAML would keep the last one silently
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {lines[key][0]})", key_node.start_mark
            )
        lines[key] = (key_node.start_mark.line + 1, value_node)
    loader.lines[id(mapping)] = (node.start_mark.line + 1, lines)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(loader: _LineLoader, data, loc: tuple) -> tuple[int | None, str]:
    """The line and the dotted key of a pydantic error location in the loaded data."""
    line, node = None, data
    names = []
    for part in loc:
        names.append(str(part))
        if isinstance(node, dict) and id(node) in loader.lines:
            start, lines = loader.lines[id(node)]
            line = lines.get(part, (start, None))[0]
            node = node.get(part) if part in node else None
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict) and id(node) in loader.lines:
                line = loader.lines[id(node)][0]
        else:
            break
    return line, ".".join(names)


def load_labels(path: str | Path) -> LabelsConfig:
    path = Path(path)
    if path.is_dir():
        raise LabelsError(f"{path}: is a folder, not a labels.yaml file")
    if path.exists():
        from annotator.io.records import check_readable

        check_readable(path)  # a FIFO would be waited on forever; an unreadable file said so
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabelsError(f"{path}: no such file (run `annotator init` to make one)") from None
    except OSError as error:
        raise LabelsError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes().count(b"\n", 0, error.start) + 1
        raise LabelsError(f"{path}:{line}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    loader = _LineLoader(text)
    loader.lines = {}
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise LabelsError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise LabelsError(f"{path}:1: expected a mapping with a `labels` list")
    try:
        config = LabelsConfig.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc, message = tuple(first["loc"]), first["msg"].removeprefix("Value error, ")
        if not loc:  # a whole-file check: find where it points
            probe = LabelsConfig.model_construct(**data)
            probe.labels = [Label.model_validate(item) for item in data.get("labels", [])]
            loc = (probe.conflict() or ((), message))[0]
        at_line, key = _line_of(loader, data, loc)
        where = f":{at_line}" if at_line else ""
        raise LabelsError(f"{path}{where}: {key or 'file'}: {message}") from None
    config.base_dir, config.path = path.parent, path
    return config

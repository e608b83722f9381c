"""labels.yaml checked: the YAML read with the line of every key, the content validated with
pydantic, and a fault said as one line naming the file, the line and the key.

Only a labels.yaml this version of the program has not seen before comes here
(``annotator.io.labels`` asks ``annotator.io.labels_cache`` first): pydantic and PyYAML
cost about 100 ms to import and set up, most of a start's own work.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich.color import Color, ColorParseError

from annotator.io.label_keys import DEFAULT_KEYMAP, DEFAULT_LEARN_EVERY, LabelsError, conflict, typeable


class LabelModel(BaseModel):
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


class LearnModel(BaseModel):
    """`learn: {every: N}`: the annotate screen runs a trainer (`annotator learn`) beside it."""

    model_config = ConfigDict(extra="forbid")

    every: int = Field(default=DEFAULT_LEARN_EVERY, ge=1)


class LabelsModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str = "en"
    model: str | None = None
    patterns: str | None = None
    label_map: dict[str, str] = Field(default_factory=dict)
    labels: list[LabelModel] = Field(min_length=1)
    keymap: dict[str, str] = Field(default_factory=dict)
    learn: LearnModel | None = None  # `learn: true` is the default settings; false or absent: none

    @field_validator("learn", mode="before")
    @classmethod
    def _learn(cls, value):
        if value is True:
            return LearnModel()
        if value is False or value is None:
            return None
        if not isinstance(value, dict):
            raise ValueError("learn is true, false, or {every: N}")
        return value

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}|xx", value):
            raise ValueError(f"{value!r} is not a spaCy language code (such as en, de, xx)")
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
    def _unique(self) -> LabelsModel:
        problem = conflict(self.labels, self.keymap)
        if problem:
            raise ValueError(problem[1])
        return self


def validate(data: Any) -> dict:
    """``data`` validated as labels.yaml's content, as plain data (raises pydantic's
    ``ValidationError``)."""
    return LabelsModel.model_validate(data).model_dump()


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


def parse(path: Path, text: str) -> dict:
    """labels.yaml's ``text`` read and validated, as plain data; a fault is a ``LabelsError``
    naming ``path`` and the line."""
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
        return validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc, message = tuple(first["loc"]), first["msg"].removeprefix("Value error, ")
        if not loc:  # a whole-file check: find where it points
            labels = [LabelModel.model_validate(item) for item in data.get("labels", [])]
            loc = (conflict(labels, data.get("keymap", {})) or ((), message))[0]
        at_line, key = _line_of(loader, data, loc)
        where = f":{at_line}" if at_line else ""
        raise LabelsError(f"{path}{where}: {key or 'file'}: {message}") from None

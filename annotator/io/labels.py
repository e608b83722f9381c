"""labels.yaml: the project's label set, model, patterns and keymap, as the program uses them.

``load_labels`` reads the file and validates it (``annotator.io.labels_schema``: pydantic and
PyYAML; a broken file is one clear line naming the file, the line and the key, never a
traceback), unless this version of the program has validated the same bytes before
(``annotator.io.labels_cache``). The keymap is checked against the table of actions
(``core.actions``) before any screen opens: known ids, no key two actions of one screen share,
and no label key that an action takes on the screens where labels act.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.io import labels_cache
from annotator.io.label_keys import (
    DEFAULT_KEYMAP,
    DEFAULT_LEARN_EVERY,
    LabelsError,
    bindings,
    conflict,
    key_name,
    typeable,
)

__all__ = ["DEFAULT_COLORS", "DEFAULT_KEYMAP", "DEFAULT_LEARN_EVERY", "Label", "LabelsConfig", "LabelsError"]
__all__ += ["key_name", "load_labels", "typeable"]  # the key rules, from annotator.io.label_keys

DEFAULT_COLORS = ["#e5c07b", "#61afef", "#98c379", "#c678dd", "#e06c75", "#56b6c2", "#d19a66", "#abb2bf"]


@dataclass
class Label:
    name: str
    key: str | None = None
    color: str | None = None
    description: str = ""


@dataclass
class LearnSettings:
    """`learn: {every: N}`: the annotate screen runs a trainer (`annotator learn`) beside it."""

    every: int = DEFAULT_LEARN_EVERY


@dataclass
class LabelsConfig:
    """A validated labels.yaml (made by ``load_labels`` or ``LabelsConfig.model_validate``)."""

    labels: list[Label]
    lang: str = "en"
    model: str | None = None
    patterns: str | None = None
    label_map: dict[str, str] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    learn: LearnSettings | None = None  # `learn: true` is the default settings; false or absent: none
    # Where the file lives: relative model and patterns paths are resolved from here.
    base_dir: Path = Path(".")
    path: Path | None = None  # the file itself, for commands that name it

    @classmethod
    def model_validate(cls, data: Any) -> LabelsConfig:
        """``data`` (labels.yaml's content) validated, as pydantic's ``model_validate`` does;
        raises pydantic's ``ValidationError``."""
        from annotator.io.labels_schema import validate

        return cls.from_validated(validate(data))

    @classmethod
    def from_validated(cls, data: dict) -> LabelsConfig:
        """The config from content already validated (by the schema, or a cache entry of it)."""
        fields = {name: data[name] for name in ("lang", "model", "patterns", "label_map", "keymap")}
        learn = LearnSettings(**data["learn"]) if data.get("learn") is not None else None
        return cls(labels=[Label(**label) for label in data["labels"]], learn=learn, **fields)

    def content(self) -> dict:
        """What labels.yaml holds (without where it was read from), as plain data."""
        data = dataclasses.asdict(self)
        del data["base_dir"], data["path"]
        return data

    def conflict(self) -> tuple[tuple, str] | None:
        """The first key two actions of a screen share after the keymap, or the first duplicate
        label name or key, or label key an action takes: (location, message)."""
        return conflict(self.labels, self.keymap)

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def bindings(self) -> dict[str, str]:
        """Binding id -> keys, defaults overridden by the keymap, default keys of yielding
        actions given to the labels that take them (``label_keys.bindings``)."""
        return bindings(self.keymap, self.labels)

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


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes and its text; what stops them is a ``LabelsError``."""
    if path.is_dir():
        raise LabelsError(f"{path}: is a folder, not a labels.yaml file")
    if path.exists():
        from annotator.io.records import check_readable

        check_readable(path)  # a FIFO would be waited on forever; an unreadable file said so
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise LabelsError(f"{path}: no such file (run `annotator init` to make one)") from None
    except OSError as error:
        raise LabelsError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return content, content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise LabelsError(f"{path}:{line}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def _recalled(content: bytes) -> LabelsConfig | None:
    """The config of a labels.yaml with these bytes validated before, or None."""
    data = labels_cache.recall(content)
    try:
        return None if data is None else LabelsConfig.from_validated(data)
    except (KeyError, TypeError):  # an entry no version of ours wrote: validate for real
        return None


def load_labels(path: str | Path) -> LabelsConfig:
    path = Path(path)
    content, text = _read(path)
    config = _recalled(content)
    if config is None:
        from annotator.io.labels_schema import parse

        data = parse(path, text)
        labels_cache.remember(content, data)
        config = LabelsConfig.from_validated(data)
    config.base_dir, config.path = path.parent, path
    return config

"""The rules labels.yaml's keys follow, shared by the validator and the loaded label set:
what a key is, how Textual names it, and the first key two actions or labels would share.

Kept apart from the pydantic schema (``annotator.io.labels_schema``) so that a start whose
labels.yaml is already known good (``annotator.io.labels_cache``) imports neither pydantic
nor PyYAML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from annotator.core import actions
from annotator.core.errors import UserError

# Binding id -> default keys (comma separated, Textual key names), from the one table of
# actions; labels.yaml's `keymap` overrides these.
DEFAULT_KEYMAP: dict[str, str] = actions.default_keymap()


class LabelsError(UserError):
    """labels.yaml is broken; the message is the one line to show."""


class NamedKey(Protocol):
    """A label as the key rules see it (the schema's model or the loaded label)."""

    name: str
    key: str | None


# labels.yaml's `learn: true`: accepted answers between training rounds (shared by the loaded
# config and its schema, both of which read this module).
DEFAULT_LEARN_EVERY = 25


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


def bindings(keymap: Mapping[str, str], labels: Sequence[NamedKey] = ()) -> dict[str, str]:
    """Binding id -> keys, defaults overridden by the keymap; a default key one of ``labels``
    takes is the label's when its action yields it (``core.actions``: "" for an action left
    with no key)."""
    taken = [label.key for label in labels if label.key is not None]
    return actions.yielding({**DEFAULT_KEYMAP, **keymap}, keymap, taken, key_name)


def conflict(labels: Sequence[NamedKey], keymap: Mapping[str, str]) -> tuple[tuple, str] | None:
    """The first key two actions of a screen share after the keymap, or the first duplicate
    label name or key, or label key an action takes: (location, message)."""
    keys = bindings(keymap)
    shared = actions.clash(keys, keymap, key_name)
    if shared:
        binding_id, key, other, screens = shared
        where = screens[0] + " screen" if len(screens) == 1 else f"{', '.join(screens[:-1])} and {screens[-1]} screens"
        return ("keymap", binding_id), f"{key!r} is also the key of {other} on the {where}"
    seen_names: set[str] = set()
    action_keys = {key_name(key) for key in actions.label_screen_keys(keys, keymap)}
    seen_keys: dict[str, str] = {}
    for index, label in enumerate(labels):
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

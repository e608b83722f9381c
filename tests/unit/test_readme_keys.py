"""The README's key tables say what the table of actions binds, so the documentation cannot drift:
each row names every default key of the actions it is about, and every key of the screen has a row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.core import actions
from annotator.io.labels import key_name

README = Path(__file__).resolve().parents[2] / "README.md"
ARROWS = {"←": "left", "→": "right", "↑": "up", "↓": "down"}


def table_rows(section: str) -> list[tuple[str, str]]:
    """(keys cell, words cell) of the key table in the README section titled ``section``."""
    text = README.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in body.splitlines() if line.startswith("| ")]
    assert lines and lines[0] == "| key | does |", section
    return [tuple(cell.strip() for cell in line.strip("|").split("|", 1)) for line in lines[1:]]  # type: ignore[misc]


def key_of(shown: str) -> str:
    """A key as the README writes it (`shift+←`, `F1`, `?`) as the table of actions names it."""
    *modifiers, last = shown.split("+") if len(shown) > 1 else [shown]
    last = ARROWS.get(last, last)
    last = last.lower() if re.fullmatch(r"F\d+", last) else key_name(last)
    return "+".join([*modifiers, last])


def keys_in(cell: str) -> list[str]:
    return [key_of(shown) for shown in re.findall(r"`([^`]+)`", cell)]


def check(screen: str, rows: list[tuple[str, str]]) -> set[str]:
    """Check each row against the actions its keys belong to; the keys the rows cover."""
    by_key = {key: action for action in actions.on_screen(screen) for key in action.keys.split(",")}
    covered: set[str] = set()
    for cell, words in rows:
        if "label's key" in cell:  # label keys come from labels.yaml, not from the table
            assert all(key.isdigit() for key in keys_in(cell)), cell
            continue
        if cell == "the annotate keys":
            editing = {key for action in actions.EDITING for key in action.keys.split(",")}
            assert set(keys_in(words)) <= editing, words
            covered |= editing
            continue
        named = keys_in(cell)
        unknown = [key for key in named if key not in by_key]
        assert not unknown, f"README row {cell!r}: no action of the {screen} screen has {unknown}"
        ids = {by_key[key].id for key in named}
        if "…" in cell:  # a series: `!` `@` `#` … are the first of take_version_1..9
            prefixes = {binding_id.rstrip("0123456789") for binding_id in ids}
            assert len(prefixes) == 1, cell
            (prefix,) = prefixes
            ids = {action.id for action in actions.on_screen(screen) if action.id.startswith(prefix)}
            rows_keys = {
                key for action in actions.on_screen(screen) if action.id in ids for key in action.keys.split(",")
            }
        else:
            rows_keys = {
                key for action in actions.on_screen(screen) if action.id in ids for key in action.keys.split(",")
            }
            assert set(named) == rows_keys, f"README row {cell!r} leaves out {sorted(rows_keys - set(named))}"
        covered |= rows_keys
    return covered


@pytest.mark.parametrize(
    "section, screen", [("Annotating", actions.ANNOTATE), ("Reviewing disagreements", actions.REVIEW)]
)
def test_the_readmes_key_table_is_the_screens_actions(section, screen):
    covered = check(screen, table_rows(section))
    every = {key for action in actions.on_screen(screen) for key in action.keys.split(",")}
    assert every - covered == set(), f"the README's {section} table leaves out keys of the {screen} screen"


def test_the_ids_the_readme_gives_for_rebinding_exist():
    text = " ".join(README.read_text(encoding="utf-8").split())
    sentences = [
        sentence for sentence in re.split(r"(?<=[.:])\s", text) if "by id" in sentence or "by its id" in sentence
    ]
    named = {name for sentence in sentences for name in re.findall(r"`([a-z_0-9]+)`", sentence)}
    assert named, "the README names no keymap id"
    assert named - {action.id for action in actions.ACTIONS} == set()

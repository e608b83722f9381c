"""Documents and labels are shown literally: no markup is interpreted, control characters are visible."""

from __future__ import annotations

import pytest

from annotator.core.spans import Span
from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.widgets.layout import Layout
from tests.helpers.news import news_store, write_labels
from tests.helpers.screens import screen_text

pytestmark = pytest.mark.anyio
TEXT = "Press [bold]now[/] or [link=http://x.example]here[/link] \x07bell\x1b[31mred"
LABELS = """
lang: en
labels:
  - {name: "[red]TAG[/red]", key: "1", color: "#e5c07b"}
  - {name: PLAIN, key: "2"}
"""


async def test_markup_and_control_characters_show_as_typed(db, tmp_path):
    config = write_labels(tmp_path, labels=LABELS)
    (doc_id,) = news_store(db, [TEXT], suggest=False)
    start = TEXT.index("[bold]")
    with Store(db) as store:
        store.add_suggestions(
            [(doc_id, "test", [Span(start, start + len("[bold]now[/]"), "[red]TAG[/red]")])], replace=True
        )
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(120, 20)) as pilot:
            await pilot.pause()
            shown = screen_text(app)
    assert "Press [bold]now[/] [red]TAG[/red] or [link=http://x.example]here[/link] ␇bell␛[31mred" in shown
    assert "[red]TAG[/red] 1" in shown  # the label bar: name and count
    assert "\x1b" not in shown and "\x07" not in shown


def test_layout_wraps_without_losing_characters():
    text = "one two three\n\nfour five six seven eight nine ten"
    layout = Layout(text)
    layout.update([Span(0, 3, "A")], width=10)
    shown = ["".join(" A" if p.badge else text[p.start : p.end] for p in line.pieces) for line in layout.lines]
    assert shown == ["one A two ", "three", "", "four five ", "six seven ", "eight nine", "ten"]
    assert layout.char_at(0, 1) == 1 and layout.char_at(0, 4) == 2  # a badge cell points at its span


def test_a_label_never_starts_a_line():
    text = "aaaa bbbb cccc"
    layout = Layout(text)
    layout.update([Span(5, 9, "LONG")], width=10)  # "aaaa bbbb" fits, " LONG" does not
    shown = ["".join(" " + p.badge if p.badge else text[p.start : p.end] for p in line.pieces) for line in layout.lines]
    assert shown == ["aaaa ", "bbbb LONG ", "cccc"]

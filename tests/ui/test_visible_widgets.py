"""Widgets that draw data draw it through ``visible``: a character shown as several
cells (``<U+009B>``) does not shift what is styled after it."""

from __future__ import annotations

import pytest
from textual.app import App

from annotator.core.spans import Span, Tokens
from annotator.ui.widgets.version_text import VersionText
from tests.helpers.news import tokens_of

pytestmark = pytest.mark.anyio


async def test_a_disputed_span_after_a_wide_escape_is_underlined_on_its_own_characters():
    text = "Iraq and \x9bSyria"  # one word on screen: the escape and the span in it
    iraq, syria = Span(0, 4, "GPE"), Span(text.index("Syria"), len(text), "GPE")

    class One(App):
        def compose(self):
            view = VersionText(colors={"GPE": "#98c379"})
            view.disputed = lambda span: span == syria
            view.show(text, Tokens(tokens_of(text), text), [iraq, syria], {"GPE": "#98c379"})
            yield view

    app = One()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        segments = list(app.query_one(VersionText).render_line(0))
    shown = "".join(segment.text for segment in segments)
    assert shown.startswith("Iraq GPE and <U+009B>Syria GPE")
    underlined = "".join(s.text for s in segments if s.style and s.style.underline)
    assert underlined == "Syria"

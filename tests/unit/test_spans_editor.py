"""The pure span core and the editor both screens drive, on real spaCy tokens."""

from __future__ import annotations

import pytest
import spacy

from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens, add_span, resize_span, span_problems

TEXT = "Iraq sent back nearly 2,000 Syrian soldiers on Thursday.\n\nBashar al-Assad fled to Russia."


@pytest.fixture(scope="module")
def tokens() -> Tokens:
    doc = spacy.blank("en")(TEXT)
    return Tokens([(t.idx, t.idx + len(t)) for t in doc], TEXT)


def span(text: str, label: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return Span(start, start + len(text), label)


def test_span_problems_names_each_fault(tokens):
    assert span_problems(TEXT, tokens, [span("Iraq", "GPE")], ["GPE"]) == []
    problems = span_problems(
        TEXT, tokens, [Span(0, 3, "GPE"), Span(0, 9, "GPE"), Span(80, 999, "GPE"), span("Russia", "TOWN")], ["GPE"]
    )
    assert any("does not fall on token boundaries" in p for p in problems)
    assert any("out of range" in p for p in problems)
    assert any("overlap" in p for p in problems)
    assert any("'TOWN' is not in labels.yaml" in p for p in problems)


def test_snap_widens_to_tokens(tokens):
    assert tokens.snap(1, 3) == (0, 4)
    start = TEXT.index("al-Assad")
    assert tokens.snap(start + 1, start + 2) == (start, start + 2)  # spaCy splits "al-Assad" into al - Assad


def test_add_replaces_overlapping_spans(tokens):
    spans = (span("Iraq", "GPE"), span("Syrian", "NORP"))
    new = span("Syrian soldiers", "PERSON")
    result, replaced = add_span(spans, new)
    assert result == (span("Iraq", "GPE"), new)
    assert replaced == (span("Syrian", "NORP"),)


def test_resize_stops_at_neighbours_and_text_edges(tokens):
    spans = (span("Iraq", "GPE"), span("sent", "ORG"))
    assert resize_span(spans, tokens, spans[0], "end", 1) is None  # would overlap "sent"
    assert resize_span(spans, tokens, spans[0], "start", -1) is None  # already at the start
    grown = resize_span(spans, tokens, spans[1], "end", 1)
    assert grown == (span("Iraq", "GPE"), span("sent back", "ORG"))
    assert resize_span(grown, tokens, grown[1], "end", -1) == spans
    assert resize_span(spans, tokens, spans[1], "end", -1) is None  # would empty it


def test_editor_selection_label_relabel_remove_undo(tokens):
    editor = SpanEditor(TEXT, tokens, [span("Iraq", "GPE")])
    assert editor.span_under_cursor == span("Iraq", "GPE")
    assert "relabelled" in editor.label("ORG")
    assert editor.spans == (span("Iraq", "ORG"),)
    # select "Syrian soldiers" with shift+right and label it
    editor.move_to(tokens.index_starting(TEXT.index("Syrian")))
    editor.move(1, extend=True)
    assert editor.selection is not None
    message = editor.label("NORP")
    assert "added 'Syrian soldiers' as NORP" in message
    assert span("Syrian soldiers", "NORP") in editor.spans
    assert editor.remove().startswith("removed 'Syrian soldiers'")
    assert editor.undo() and span("Syrian soldiers", "NORP") in editor.spans
    assert editor.undo() and editor.spans == (span("Iraq", "ORG"),)
    assert editor.undo() and editor.spans == (span("Iraq", "GPE"),)
    assert not editor.undo()


def test_cursor_skips_whitespace_tokens_and_selection_is_trimmed(tokens):
    editor = SpanEditor(TEXT, tokens)
    thursday = tokens.index_starting(TEXT.index("Thursday"))
    editor.move_to(thursday)
    editor.move(1)  # "."
    editor.move(1)  # skips the "\n\n" token onto "Bashar"
    assert TEXT[slice(*tokens.offsets[editor.cursor])] == "Bashar"
    editor.move_to(thursday)
    editor.move(2, extend=True)
    editor.label("DATE")
    assert span("Thursday.\n\nBashar", "DATE") in editor.spans  # edges are words, never the "\n\n"


def test_jump_between_spans_wraps(tokens):
    editor = SpanEditor(TEXT, tokens, [span("Iraq", "GPE"), span("Russia", "GPE")])
    assert editor.jump_span() == span("Iraq", "GPE")  # the document opens on it: the first tab visits it
    assert editor.jump_span() == span("Russia", "GPE")
    assert editor.jump_span() == span("Iraq", "GPE")
    assert editor.jump_span(forward=False) == span("Russia", "GPE")


def test_the_first_tab_visits_every_span_in_order_from_the_first(tokens):
    spans = [span("Iraq", "GPE"), span("Syrian", "NORP"), span("Russia", "GPE")]
    editor = SpanEditor(TEXT, tokens, spans)
    assert [editor.jump_span() for _ in spans] == spans
    moved = SpanEditor(TEXT, tokens, spans)
    moved.move(1)
    moved.move(-1)  # back on "Iraq" by hand: tab goes on to the next span
    assert moved.jump_span() == span("Syrian", "NORP")
    later = SpanEditor(TEXT, tokens, spans[1:])  # no span under the opening cursor
    assert later.jump_span() == span("Syrian", "NORP")
    backward = SpanEditor(TEXT, tokens, spans)
    assert backward.jump_span(forward=False) == span("Russia", "GPE")

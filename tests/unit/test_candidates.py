"""The keys that cut navigation: the next word that looks like a missed name or number (; :)
and the next word by its first letter (/ then the letter)."""

from __future__ import annotations

import spacy

from annotator.core.candidates import candidate_tokens
from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens

TEXT = "Officials in Baghdad met on Monday. Russia and Iraq spoke about 2,000 soldiers.\nTurkey said so."


def tokens() -> Tokens:
    doc = spacy.blank("en")(TEXT)
    return Tokens([(t.idx, t.idx + len(t)) for t in doc], TEXT)


def words(indices, toks: Tokens) -> list[str]:
    return [TEXT[toks.starts[i] : toks.ends[i]] for i in indices]


def test_candidates_are_capitals_inside_sentences_and_numbers_outside_spans():
    toks = tokens()
    baghdad = Span(TEXT.index("Baghdad"), TEXT.index("Baghdad") + 7, "GPE")
    # "Officials", "Russia" and "Turkey" start a sentence or a line; Baghdad is a span already.
    assert words(candidate_tokens(TEXT, toks, [baghdad]), toks) == ["Monday", "Iraq", "2,000"]
    assert words(candidate_tokens(TEXT, toks, []), toks) == ["Baghdad", "Monday", "Iraq", "2,000"]


def test_candidate_keys_walk_the_candidates_both_ways_and_wrap():
    toks = tokens()
    editor = SpanEditor(TEXT, toks)
    seen = []
    for _ in range(5):
        assert editor.jump_candidate(True)
        seen.append(TEXT[toks.starts[editor.cursor] : toks.ends[editor.cursor]])
    assert seen == ["Baghdad", "Monday", "Iraq", "2,000", "Baghdad"]
    assert editor.jump_candidate(False)
    assert TEXT[toks.starts[editor.cursor] : toks.ends[editor.cursor]] == "2,000"


def test_a_labelled_candidate_is_no_longer_one():
    toks = tokens()
    editor = SpanEditor(TEXT, toks)
    editor.jump_candidate(True)
    editor.label("GPE")  # Baghdad
    editor.move_to(0)
    editor.jump_candidate(True)
    assert TEXT[toks.starts[editor.cursor] : toks.ends[editor.cursor]] == "Monday"


def test_find_goes_to_the_next_word_with_that_first_letter_in_any_case_and_wraps():
    toks = tokens()
    editor = SpanEditor(TEXT, toks)
    found = []
    for _ in range(4):
        assert editor.find("s")
        found.append(TEXT[toks.starts[editor.cursor] : toks.ends[editor.cursor]])
    assert found == ["spoke", "soldiers", "said", "so"]
    assert editor.find("O") and TEXT[toks.starts[editor.cursor] :].startswith("Officials")  # wrapped
    assert not editor.find("z") and TEXT[toks.starts[editor.cursor] :].startswith("Officials")


def test_no_candidate_leaves_the_cursor_where_it_was():
    text = "nothing here at all"
    toks = Tokens([(0, 7), (8, 12), (13, 15), (16, 19)], text)
    editor = SpanEditor(text, toks)
    editor.move(2)
    assert not editor.jump_candidate(True) and editor.cursor == 2


def test_where_another_source_disagrees_is_a_candidate_until_its_span_is_taken():
    from annotator.core.suggestions import disputed

    toks = tokens()
    soldiers = Span(TEXT.index("soldiers"), TEXT.index("soldiers") + 8, "NORP")  # no capital, no digit
    iraq = Span(TEXT.index("Iraq"), TEXT.index("Iraq") + 4, "GPE")
    sources = {"learned 2": [iraq], "patterns": [iraq, soldiers, Span(0, 9, "UNKNOWN")]}
    others = disputed(sources, [iraq], ["GPE", "NORP"])
    assert others == (soldiers,)  # not the span shown, not a label outside labels.yaml
    assert "soldiers" in words(candidate_tokens(TEXT, toks, [iraq], others), toks)
    editor = SpanEditor(TEXT, toks, [iraq], others)
    for _ in range(4):  # Baghdad, Monday, 2,000 (Iraq is a span), then soldiers
        assert editor.jump_candidate(True)
    assert TEXT[toks.starts[editor.cursor] :].startswith("soldiers")
    editor.label("NORP")  # the other source's span taken: no longer a candidate
    assert "soldiers" not in words(candidate_tokens(TEXT, toks, editor.spans, others), toks)

"""Property tests (Hypothesis) of span editing: whatever an annotator does, in any order,
spans stay on token boundaries, never overlap, never begin or end on a whitespace token,
and undo gives back exactly the state before the edit."""

from __future__ import annotations

import os
import re

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens, add_span, resize_span, span_problems, spans_from_json, spans_to_json

LABELS = ("PERSON", "GPE", "ORG")
NLP = spacy.blank("en")
# CI runs a few hundred examples per property; set ANNOTATOR_PROPERTY_EXAMPLES for a long hunt.
EXAMPLES = int(os.environ.get("ANNOTATOR_PROPERTY_EXAMPLES", "200"))

words = st.text(alphabet="abcXYZé-'.,0123$()", min_size=1, max_size=8)
separators = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", " \t ", ""])
texts = st.lists(st.tuples(words, separators), min_size=0, max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts)
)


def spacy_tokens(text: str) -> Tokens:
    return Tokens([(t.idx, t.idx + len(t)) for t in NLP.make_doc(text)], text)


def run_tokens(text: str) -> Tokens:
    """Another tokenizer: every run of non-space and of space characters is a token."""
    return Tokens([m.span() for m in re.finditer(r"\S+|\s+", text)], text)


documents = st.tuples(texts, st.sampled_from([spacy_tokens, run_tokens])).map(lambda pair: (pair[0], pair[1](pair[0])))

edits = st.one_of(
    st.tuples(st.just("move"), st.integers(-4, 4), st.booleans()),
    st.tuples(st.just("move_to"), st.integers(0, 200), st.booleans()),
    st.tuples(st.just("jump_span"), st.booleans()),
    st.tuples(st.just("label"), st.sampled_from(LABELS)),
    st.tuples(st.just("remove")),
    st.tuples(st.just("resize"), st.sampled_from(["start", "end"]), st.integers(-3, 3).filter(bool)),
    st.tuples(st.just("clear_selection")),
    st.tuples(st.just("undo")),
    st.tuples(st.just("jump_candidate"), st.booleans()),
    st.tuples(st.just("select_name")),
    st.tuples(st.just("label_others")),
)


def assert_well_formed(editor: SpanEditor) -> None:
    tokens = editor.tokens
    assert list(editor.spans) == sorted(editor.spans)
    assert span_problems(editor.text, tokens, editor.spans, LABELS) == []
    for span in editor.spans:
        first, last = tokens.token_range(span)
        assert not tokens.is_space[first] and not tokens.is_space[last], f"{span} begins or ends on whitespace"
    if any(not space for space in tokens.is_space):
        assert 0 <= editor.cursor < len(tokens) and not tokens.is_space[editor.cursor]
        if editor.selection is not None:
            assert not tokens.is_space[editor.anchor]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.lists(edits, max_size=40))
def test_any_sequence_of_edits_keeps_spans_valid_and_undo_exact(document, steps):
    text, tokens = document
    editor = SpanEditor(text, tokens)
    states = []  # our own record of every state an undo must give back
    for step in steps:
        name, args = step[0], step[1:]
        before, depth = editor.spans, len(editor._history)
        if name == "undo":
            undone = editor.undo()
            assert undone == bool(states)
            if undone:
                assert editor.spans == states.pop()
        else:
            getattr(editor, name)(*args)
            if len(editor._history) > depth:
                states.append(before)
            else:
                assert editor.spans == before, f"{name}{args} changed the spans without an undo step"
        assert editor.can_undo == bool(states)
        assert_well_formed(editor)
    while states:  # undo all the way back: the document as it was opened
        assert editor.undo() and editor.spans == states.pop()
    assert editor.spans == () and not editor.can_undo


@settings(max_examples=EXAMPLES, deadline=None)
@given(documents, st.data())
def test_replace_all_and_undo_round_trip(document, data):
    text, tokens = document
    word_indices = [i for i, space in enumerate(tokens.is_space) if not space]
    if not word_indices:
        return
    editor = SpanEditor(text, tokens)
    chosen = sorted(set(data.draw(st.lists(st.sampled_from(word_indices), max_size=6))))
    spans = tuple(tokens.span(i, i, data.draw(st.sampled_from(LABELS))) for i in chosen)
    editor.replace_all(list(reversed(spans)))
    assert editor.spans == tuple(sorted(spans))
    assert_well_formed(editor)
    assert editor.undo() and editor.spans == ()


@settings(max_examples=EXAMPLES, deadline=None)
@given(documents, st.data())
def test_core_edits_keep_spans_on_tokens_and_apart(document, data):
    text, tokens = document
    if not len(tokens):
        return
    spans: tuple[Span, ...] = ()
    for _ in range(data.draw(st.integers(1, 8))):
        first = data.draw(st.integers(0, len(tokens) - 1))
        last = data.draw(st.integers(first, len(tokens) - 1))
        new = tokens.span(first, last, data.draw(st.sampled_from(LABELS)))
        if tokens.is_space[tokens.token_range(new)[0]]:
            continue  # a range of whitespace only: the editor never asks for it (the cursor skips spaces)
        spans, replaced = add_span(spans, new)
        assert new in spans and all(r not in spans or r == new for r in replaced)
        assert span_problems(text, tokens, spans, LABELS) == []
        target = data.draw(st.sampled_from(spans))
        resized = resize_span(
            spans,
            tokens,
            target,
            data.draw(st.sampled_from(["start", "end"])),
            data.draw(st.integers(-3, 3).filter(bool)),
        )
        if resized is not None:
            spans = resized
            assert span_problems(text, tokens, spans, LABELS) == []
            assert all(not tokens.is_space[i] for s in spans for i in tokens.token_range(s))
    assert spans_from_json(spans_to_json(spans)) == tuple(sorted(spans))


@settings(max_examples=EXAMPLES, deadline=None)
@given(documents, st.integers(-2, 300), st.integers(-2, 300))
def test_snap_widens_any_range_to_the_tokens_it_touches(document, start, end):
    text, tokens = document
    snapped = tokens.snap(start, end)
    touched = [t for t in tokens.offsets if t[0] < end and start < t[1]]  # as spaCy's alignment_mode="expand"
    if snapped is None:
        assert not touched or end <= start
        return
    assert snapped == (touched[0][0], touched[-1][1])

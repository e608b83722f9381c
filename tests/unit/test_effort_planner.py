"""The effort benchmark's planner: its plans make the gold when pressed in the screens' own
editor, and they are the shortest over the bindings (checked on cases small enough to count)."""

from __future__ import annotations

import json

import pytest
import spacy

from annotator.core.actions import EDITING_IDS
from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens
from annotator.io.labels import DEFAULT_KEYMAP
from bench._planner import CALLS, EDITS, FIND, LINE_MOTIONS, SELECTING, Planner, fixes, press
from tests.helpers.paths import ROOT

LABELS = {"GPE": "5", "NORP": "2", "DATE": "8", "CARDINAL": "9", "ORG": "4", "PERSON": "1"}
TEXT = "Iraq sent 2,000 Kurdish soldiers back to Syria on Thursday ."


def tokens_of(text: str) -> Tokens:
    offsets, at = [], 0
    for word in text.split(" "):
        offsets.append((at, at + len(word)))
        at += len(word) + 1
    return Tokens(offsets, text)


def span(text: str, words: str, label: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), label)


def pressed(text: str, tokens: Tokens, shown, steps) -> tuple[Span, ...]:
    """The spans after pressing ``steps`` in the screens' editor (no line moves here)."""
    editor = SpanEditor(text, tokens, shown)
    for step in steps:
        press_one(editor, step)
    return editor.spans


def press_one(editor: SpanEditor, step: str) -> None:
    if step.startswith("label:"):
        editor.label(step.removeprefix("label:"))
    elif step.startswith("find:"):
        editor.find(step.removeprefix("find:"))
    else:
        press(editor, CALLS[step])


@pytest.fixture
def planner() -> Planner:
    return Planner(DEFAULT_KEYMAP, LABELS, width=None)


def test_right_suggestions_cost_the_answer_key_alone(planner):
    tokens = tokens_of(TEXT)
    gold = [span(TEXT, "Iraq", "GPE"), span(TEXT, "Syria", "GPE")]
    plan = planner.plan(TEXT, tokens, gold, gold)
    assert plan.keys == ("a",) and plan.fixes == 0


def test_a_reject_is_its_one_key_whatever_the_spans(planner):
    plan = planner.plan(TEXT, tokens_of(TEXT), [span(TEXT, "Iraq", "GPE")], [], answer="reject")
    assert plan.keys == ("x",)


@pytest.mark.parametrize(
    ("shown", "gold"),
    [
        ([], [("2,000", "CARDINAL")]),  # a missed span
        ([("Iraq", "GPE")], []),  # a wrong span under the cursor
        ([("Kurdish", "GPE")], [("Kurdish", "NORP")]),  # a wrong label
        ([("2,000", "CARDINAL")], [("2,000 Kurdish", "CARDINAL")]),  # too short
        ([("Iraq sent", "GPE")], [("Iraq", "GPE"), ("2,000", "CARDINAL")]),  # too long, and one missed
        ([("Kurdish", "NORP")], [("Iraq", "GPE"), ("2,000", "CARDINAL"), ("Kurdish", "NORP")]),  # two fixes
    ],
)
def test_plans_make_the_gold_in_the_fewest_keys(planner, shown, gold):
    tokens = tokens_of(TEXT)
    shown = [span(TEXT, w, label) for w, label in shown]
    gold = [span(TEXT, w, label) for w, label in gold]
    plan = planner.plan(TEXT, tokens, shown, gold)
    assert plan.steps[-1] == "accept" and plan.fixes == len(fixes(shown, gold))
    assert pressed(TEXT, tokens, shown, plan.steps[:-1]) == tuple(sorted(gold))
    assert len(plan.keys) - 1 == fewest_keys(TEXT, tokens, shown, gold, at_most=len(plan.keys) - 1)


def test_far_fixes_are_planned_too(planner):
    tokens = tokens_of(TEXT)
    gold = [span(TEXT, "Syria", "GPE"), span(TEXT, "Thursday", "DATE")]
    plan = planner.plan(TEXT, tokens, [span(TEXT, "Syria on Thursday", "DATE")], gold)
    assert pressed(TEXT, tokens, [span(TEXT, "Syria on Thursday", "DATE")], plan.steps[:-1]) == tuple(sorted(gold))


def fewest_keys(text: str, tokens: Tokens, shown, gold, at_most: int) -> int:
    """The fewest keys to the gold by a plain breadth-first search over every editor state and
    every key (no fixes, no pruning): the reference the planner's search must equal. After the
    find key the next key is a letter (the state says a letter is awaited)."""
    labels = sorted({g.label for g in gold} | {"PERSON"})  # one label the gold does not need
    alphabet = [i for i in CALLS if i not in LINE_MOTIONS and i != FIND] + [f"label:{name}" for name in labels]
    letters = sorted({f"find:{word[0].lower()}" for word in text.split() if word[0].isalnum()})
    start = SpanEditor(text, tokens, shown)
    frontier = [(start.cursor, None, start.spans, True, False)]
    seen = set(frontier)
    for depth in range(at_most + 1):
        if any(spans == tuple(sorted(gold)) and anchor is None for _, anchor, spans, _, _ in frontier):
            return depth
        following = []
        for cursor, anchor, spans, fresh, finding in frontier:
            for step in letters if finding else [*alphabet, FIND]:
                editor = SpanEditor(text, tokens, spans)
                editor.cursor, editor.anchor, editor.fresh = cursor, anchor, fresh
                if step != FIND:
                    press_one(editor, step)
                state = (editor.cursor, editor.anchor, editor.spans, editor.fresh, step == FIND)
                if state not in seen:
                    seen.add(state)
                    following.append(state)
        frontier = following
    raise AssertionError(f"no sequence of {at_most} keys or fewer makes the gold")


def test_plans_on_real_data_make_the_gold_in_the_editor(planner):
    """ner_drugs-like Prodigy lines from the demo's gold: every plan, pressed, gives the gold."""
    lines = [json.loads(line) for line in (ROOT / "tests" / "data" / "news_gold.jsonl").read_text().splitlines()]
    planner = Planner(DEFAULT_KEYMAP, {**LABELS, "FAC": "3", "LOC": "6", "EVENT": "7"}, width=None)
    for line in lines[:12]:
        text = line["text"]
        doc = spacy.blank("en")(text)
        tokens = Tokens([(t.idx, t.idx + len(t)) for t in doc], text)
        gold = [Span(s["start"], s["end"], s["label"]) for s in line["spans"]]
        shown = gold[::2]  # every other gold span suggested: the rest is missed
        plan = planner.plan(text, tokens, shown, gold)
        assert pressed(text, tokens, shown, plan.steps[:-1]) == tuple(sorted(gold)), text


def test_every_span_key_of_the_annotate_screen_is_planned_for():
    """A span action added to the registry is in the plans, or the planner says it does not know it."""
    assert set(CALLS) == set(EDITING_IDS) - {"clear_selection"}
    assert set(SELECTING) | set(EDITS) | {i for i in CALLS if i not in SELECTING and i not in EDITS} == set(CALLS)
    assert {"extend_left", "extend_right"} <= set(SELECTING) and "remove_span" in EDITS
    text = TEXT
    for call in (run for action, run in CALLS.items() if action != FIND):
        press(SpanEditor(text, tokens_of(text), [span(text, "Iraq", "GPE")]), call)  # raises when unknown
    with pytest.raises(ValueError, match="does not know"):
        press(SpanEditor(text, tokens_of(text)), "teleport(3)")


def test_an_action_whose_key_a_label_took_is_never_planned():
    tokens = tokens_of(TEXT)
    gold = [span(TEXT, "2,000", "CARDINAL")]
    bindings = {**DEFAULT_KEYMAP, "next_candidate": "", "previous_candidate": "", "find_word": ""}
    plan = Planner(bindings, LABELS, width=None).plan(TEXT, tokens, [], gold)
    assert not {"next_candidate", "previous_candidate", FIND} & set(plan.steps) and "" not in plan.keys
    assert pressed(TEXT, tokens, [], plan.steps[:-1]) == tuple(gold)


@pytest.mark.parametrize(
    ("text", "shown", "gold", "keys"),
    [
        # The rest of a name selected by one key: ' then the label, from the first word.
        ("Popular Mobilization Forces met in Iraq .", [], [("Popular Mobilization Forces", "ORG")], 2),
        # One label, then = labels the word's other occurrences, which are later fixes.
        ("dope and more dope or dope .", [], [("dope", "DRUG")] * 3, 2),
    ],
)
def test_the_name_and_occurrence_keys_are_planned_and_the_plans_are_the_fewest(text, shown, gold, keys):
    planner = Planner(DEFAULT_KEYMAP, {**LABELS, "DRUG": "3"}, width=None)
    tokens = tokens_of(text)
    shown = [span(text, w, label) for w, label in shown]
    gold = sorted({Span(m, m + len(w), label) for w, label in gold for m in _starts(text, w)})
    plan = planner.plan(text, tokens, shown, gold)
    assert pressed(text, tokens, shown, plan.steps[:-1]) == tuple(gold)
    assert len(plan.keys) - 1 == keys == fewest_keys(text, tokens, shown, gold, at_most=keys)
    assert {"select_name", "label_others"} & set(plan.steps)


def test_other_occurrences_are_not_labelled_when_the_gold_leaves_one_out():
    """= would make a span the gold does not have: the plan labels each wanted one instead."""
    text = "dope and more dope or dope ."
    tokens = tokens_of(text)
    gold = [Span(0, 4, "DRUG"), Span(text.index("dope or"), text.index("dope or") + 4, "DRUG")]
    plan = Planner(DEFAULT_KEYMAP, {"DRUG": "3"}, width=None).plan(text, tokens, [], gold)
    assert "label_others" not in plan.steps and pressed(text, tokens, [], plan.steps[:-1]) == tuple(gold)


def _starts(text: str, words: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(words, i) and (i == 0 or text[i - 1] == " ")]


def test_each_step_has_a_kind_for_the_breakdown_of_the_keys(planner):
    kinds = {step: planner.kind(step) for step in (*CALLS, "label:GPE", "find:s", "accept")}
    assert kinds["label:GPE"] == kinds["label_others"] == "labelling"
    assert kinds["extend_left"] == kinds["select_name"] == "selection"
    assert kinds["remove_span"] == kinds["end_later"] == "span edits"
    assert kinds["find:s"] == kinds["next_candidate"] == kinds["cursor_down"] == "navigation"
    assert kinds["accept"] == "answer"

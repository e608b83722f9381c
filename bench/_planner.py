"""The fewest key presses that turn the spans on screen into the gold spans, then answer.

A simulated annotator for ``python -m bench effort``. It drives the screens' own pure
editor (``core.editor.SpanEditor``) and line motion (``ui.widgets.layout``), so every key it
plans does on the real screen what it does here; ``bench/_replay.py`` presses the plans in
the real app to check that.

The differences between the spans on screen and the gold are cut into *fixes*: the groups of
overlapping spans that one has and the other lacks (a wrong boundary is one fix: the wrong
span and its gold counterpart). Fixes are made in the order of the text; for each, a
shortest-path search (Dijkstra, every key costing 1) runs over editor states (cursor,
selection, spans) from every state the previous fix could end in, with every binding of the
annotate screen: cursor and line moves, span jumps, selection, label keys, remove and resize.
Edits are only tried inside the fix's own tokens (an edit elsewhere could only undo work), but
for the key that labels every other occurrence of a span, which may make later fixes' spans
too (only when every span it makes is gold); a fix whose tokens already hold the gold costs
nothing. The search keeps every end state within ``SLACK`` keys of the best, since where the
cursor ends decides what the next fix costs.
"""

from __future__ import annotations

import ast
import heapq
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.core.actions import ANNOTATE, EDITING_IDS, on_screen
from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens, overlaps
from annotator.ui.widgets.layout import Layout, token_on_next_line

SLACK = 3  # end states kept per fix: within this many keys of the best
ANSWERS = ("accept", "reject", "ignore")
# The annotate screen's span keys from the action registry, each with the call it makes
# ("move(1, True)"), sorted by what the search may do with them. A new span action lands in
# the plans by being in the registry and in ``press`` below.
CALLS = {a.id: a.run for a in on_screen(ANNOTATE) if a.id in EDITING_IDS and a.id != "clear_selection"}
SELECTING = tuple(
    i for i, run in CALLS.items() if (run.startswith("move(") and run.endswith("True)")) or run == "select_name"
)
EDITS = tuple(i for i, run in CALLS.items() if run.split("(")[0] in ("remove", "resize", "label_others"))
EVERYWHERE = tuple(i for i in EDITS if CALLS[i] == "label_others")  # makes spans beyond the cursor's
MOTIONS = tuple(i for i in CALLS if i not in SELECTING and i not in EDITS)
LINE_MOTIONS = tuple(i for i in MOTIONS if CALLS[i].startswith("line("))
FIND = next(i for i in MOTIONS if CALLS[i] == "find")  # its key, then the first letter of a word


@dataclass(frozen=True)
class State:
    cursor: int
    anchor: int | None
    spans: tuple[Span, ...]
    fresh: bool  # the editor's "first jump visits a span under the cursor"


@dataclass(frozen=True)
class Plan:
    keys: tuple[str, ...]  # the key names to press, in order (the answer key last)
    steps: tuple[str, ...]  # the binding id of each ("label:GPE" for a label key)
    fixes: int


def fixes(shown: Iterable[Span], gold: Iterable[Span]) -> list[list[Span]]:
    """The groups of overlapping spans in one of ``shown`` and ``gold`` but not the other,
    in the order of the text."""
    shown, gold = set(shown), set(gold)
    loose = sorted((shown - gold) | (gold - shown))
    groups: list[list[Span]] = []
    for span in loose:  # sorted by start: a span joins the group it overlaps, else starts one
        if groups and any(overlaps(span, other) for other in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


class Planner:
    def __init__(self, bindings: Mapping[str, str], label_keys: Mapping[str, str], width: int | None):
        """``bindings``: binding id -> keys (labels.yaml's, defaults included); ``label_keys``:
        label -> its key; ``width``: the document's width on screen (None: no line moves)."""
        self.key_of = {action: bindings[action].split(",")[0].strip() for action in (*CALLS, *ANSWERS)}
        self.label_keys = dict(label_keys)
        self.width = width
        self._layouts: dict[tuple[Span, ...], Layout] = {}

    def plan(
        self,
        text: str,
        tokens: Tokens,
        shown: Sequence[Span],
        gold: Sequence[Span],
        answer: str = "accept",
        disputed: Sequence[Span] = (),
    ) -> Plan:
        """The keys from the document as it opens (cursor on the first word) to ``answer``
        with ``gold`` spans (a reject or a skip is its one key: its spans are not kept);
        ``disputed``: the spans other sources suggest, as the screen's candidates have them."""
        if answer != "accept":
            return Plan(self.keys(answer), (answer,), 0)
        shown, gold = tuple(sorted(shown)), tuple(sorted(gold))
        self._layouts = {}  # per document: a layout is of one text
        editor = SpanEditor(text, tokens, shown, disputed)
        groups = fixes(shown, gold)
        # The frontier: every end state of the fixes so far, with the cheapest steps to it.
        frontier: dict[State, tuple[str, ...]] = {State(editor.cursor, None, shown, True): ()}
        for group in groups:
            first, last = tokens.token_range(_extent(group))
            frontier = self._fix(editor, frontier, _Fix(gold, first, last, frontier, editor))
        steps = min(frontier.values(), key=self.cost) + ("accept",)
        return Plan(tuple(key for step in steps for key in self.keys(step)), steps, len(groups))

    def keys(self, step: str) -> tuple[str, ...]:
        """The keys one step presses."""
        if step.startswith("label:"):
            return (self.label_keys[step.removeprefix("label:")],)
        if step.startswith("find:"):
            return self.key_of[FIND], step.removeprefix("find:")
        return (self.key_of[step],)

    def kind(self, step: str) -> str:
        """What a step is for, for the breakdown of the keys: navigation, selection, labelling
        (label keys and =), span edits (remove, resize) or the answer."""
        name = step.split(":")[0]
        if name == "label" or name in EVERYWHERE:
            return "labelling"
        if name in SELECTING:
            return "selection"
        if name in EDITS:
            return "span edits"
        return "answer" if name in ANSWERS else "navigation"

    def cost(self, steps: Iterable[str]) -> int:
        return sum(len(self.keys(step)) for step in steps)

    def _fix(
        self, editor: SpanEditor, starts: Mapping[State, tuple[str, ...]], fix: _Fix
    ) -> dict[State, tuple[str, ...]]:
        """A* from ``starts`` to every state whose spans on the fix's tokens are the gold's, with
        no selection, within ``SLACK`` keys of the cheapest. The estimate of the keys left is
        the number of different words and labels among the fix's gold spans not made yet: one
        key makes spans of one word and label at most, so it never overestimates and the
        search stays exact."""
        counter = itertools.count()  # ties broken by insertion, never by comparing states
        queue = [(self.cost(steps) + fix.left(state), next(counter), state, steps) for state, steps in starts.items()]
        heapq.heapify(queue)
        best: dict[State, int] = {state: self.cost(steps) for state, steps in starts.items()}
        done: dict[State, tuple[str, ...]] = {}
        bound: int | None = None
        while queue:
            estimate, _, state, steps = heapq.heappop(queue)
            cost = self.cost(steps)
            if best.get(state, cost) < cost:
                continue
            if bound is not None and estimate > bound:
                break
            if fix.made(state):
                done[state] = steps
                bound = cost + SLACK if bound is None else bound
                continue
            for step, following in self._moves(editor, state, fix):
                then = cost + len(self.keys(step))
                if best.get(following, then + 1) > then:
                    best[following] = then
                    heapq.heappush(queue, (then + fix.left(following), next(counter), following, (*steps, step)))
        if not done:
            raise ValueError(f"no key sequence makes {fix.gold!r}")
        return done

    def _moves(self, editor: SpanEditor, state: State, fix: _Fix) -> Iterable[tuple[str, State]]:
        """Every useful key's result from ``state``. Selections and edits only inside the fix's
        tokens, but for labelling every other occurrence, which may make the fix's spans from a
        span anywhere; motions anywhere until the fix's first edit, then only inside it (going
        away and back cannot make a half-made fix cheaper); only the labels the fix needs."""
        editing = fix.editing(state)
        for action in MOTIONS:
            if (action in LINE_MOTIONS and self.width is None) or not self.key_of[action]:
                continue  # no lines to move over; an action left with no key (its key is a label's)
            for step in self._finds(editor) if action == FIND else (action,):
                following = self._run(editor, state, step)
                if not editing or fix.holds(following.cursor):
                    yield step, following
        for action in (a for a in EVERYWHERE if self.key_of[a] and not fix.holds(state.cursor)):
            following = self._run(editor, state, action)  # from a span outside: only if it makes some here
            if fix.editing(following) and fix.allows(state.spans, following.spans):
                yield action, following
        if not fix.holds(state.cursor):
            return
        for action in (a for a in SELECTING if self.key_of[a]):
            following = self._run(editor, state, action)
            if following.anchor is not None and fix.holds(following.cursor):
                yield action, following
        for step in (*(a for a in EDITS if self.key_of[a]), *(f"label:{label}" for label in fix.labels)):
            following = self._run(editor, state, step)
            if following.spans != state.spans and fix.allows(state.spans, following.spans):
                yield step, following

    def _finds(self, editor: SpanEditor) -> list[str]:
        """A find step for each letter or digit a word of the text starts with."""
        firsts = {editor.text[start].casefold() for start, _ in editor.tokens.offsets if editor.text[start].isalnum()}
        return [f"find:{character}" for character in sorted(firsts) if len(character) == 1]

    def _run(self, editor: SpanEditor, state: State, step: str) -> State:
        """What one key does to ``state``, by the screens' own editor."""
        editor.cursor, editor.anchor, editor.spans, editor.fresh = state.cursor, state.anchor, state.spans, state.fresh
        editor._history.clear()  # undo is never planned; the stack would only grow
        if step.startswith("label:"):
            editor.label(step.removeprefix("label:"))
        elif step.startswith("find:"):
            editor.find(step.removeprefix("find:"))
        else:
            press(editor, CALLS[step], lambda: self._layout(editor.text, state.spans))
        return State(editor.cursor, editor.anchor, editor.spans, editor.fresh)

    def _layout(self, text: str, spans: tuple[Span, ...]) -> Layout:
        """The document's screen lines with these spans' badges (badges take cells, so a
        line move depends on the spans)."""
        layout = self._layouts.get(spans)
        if layout is None:
            layout = Layout(text)
            assert self.width is not None
            layout.update(spans, self.width)
            self._layouts[spans] = layout
        return layout


def _extent(group: Sequence[Span]) -> Span:
    return Span(min(s.start for s in group), max(s.end for s in group), "")


class _Fix:
    """One fix's search space: its tokens, the gold spans on them and the labels they need."""

    def __init__(self, gold: Sequence[Span], first: int, last: int, starts: Iterable[State], editor: SpanEditor):
        self.first, self.last, self.tokens, self.text = first, last, editor.tokens, editor.text
        self.all_gold = frozenset(gold)
        self.extent = (self.tokens.starts[first], self.tokens.ends[last])
        self.gold = tuple(span for span in sorted(gold) if overlaps(span, self.extent))
        # The fix's own spans in each state it may start from: until they change, the cursor
        # may go anywhere (a key that labels several places may have made some already).
        self.origins = {self._own(state) for state in starts}
        self.labels = sorted({span.label for span in self.gold})

    def _own(self, state: State) -> tuple[Span, ...]:
        return tuple(span for span in state.spans if overlaps(span, self.extent))

    def holds(self, token: int) -> bool:
        return self.first <= token <= self.last

    def _within(self, span: Span) -> bool:
        first, last = self.tokens.token_range(span)
        return self.first <= first and last <= self.last

    def made(self, state: State) -> bool:
        return state.anchor is None and self._own(state) == self.gold

    def editing(self, state: State) -> bool:
        return self._own(state) not in self.origins

    def left(self, state: State) -> int:
        """The different words and labels of the gold spans still to make (a lower bound on
        the keys left)."""
        present = set(state.spans)
        return len({(self.text[s.start : s.end], s.label) for s in self.gold if s not in present})

    def allows(self, before: tuple[Span, ...], after: tuple[Span, ...]) -> bool:
        """An edit inside the fix whose new spans each overlap a gold span of the fix (a span
        that overlaps none could only be removed again); new spans elsewhere (every other
        occurrence labelled) only when each is gold."""
        made = set(after) - set(before)
        gone = set(before) - set(after)
        if not all(self._within(span) for span in gone):
            return False
        inside = {span for span in made if self._within(span)}
        if not all(any(overlaps(span, want) for want in self.gold) for span in inside):
            return False
        return (made - inside) <= self.all_gold


def press(editor: SpanEditor, call: str, layout: Callable[[], Layout] | None = None) -> None:
    """Make the registry's ``call`` ("move(-1, True)", "resize('end', 1)") on ``editor`` as the
    screens' span keys do (ui/editing.py); ``layout``: the document's screen lines, for
    line moves."""
    name, _, arguments = call.partition("(")
    args = ast.literal_eval(f"({arguments.removesuffix(')')},)") if arguments.strip(")") else ()
    if name == "move":
        editor.move(*args)
    elif name == "line":
        token = token_on_next_line(layout(), editor.tokens, editor.cursor, *args) if layout else None
        if token is not None:
            editor.move_to(token)
    elif name == "jump":
        editor.jump_span(*args)
    elif name == "candidate":
        editor.jump_candidate(*args)
    elif name == "select_name":
        editor.select_name()
    elif name == "label_others":
        editor.label_others()
    elif name == "remove":
        editor.remove()
    elif name == "resize":
        editor.resize(*args)
    elif name == "clear_selection":
        editor.clear_selection()
    else:
        raise ValueError(f"the planner does not know what {call!r} does on the annotate screen")

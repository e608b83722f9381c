"""Every action of every screen, in one table: its id, default keys, and what it does where.

The default keymap, labels.yaml's validation, the screens' bindings, the help screen and the
footer all read this table, so a key is documented, checked and bound in one place. Every id
can be rebound in labels.yaml (``keymap: {accept: "y"}``). Keys are Textual key names, comma
separated ("a,enter", "question_mark"); nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

ANNOTATE, REVIEW, FINISHED, AGREEMENT, HELP, UNSAVED = "annotate", "review", "finished", "agreement", "help", "unsaved"
SCREENS = (ANNOTATE, REVIEW, FINISHED, AGREEMENT, HELP, UNSAVED)  # FINISHED: the review's end screen too
LABEL_SCREENS = (ANNOTATE, REVIEW)  # where the label keys act: they must not take an action's key there
VERSIONS = 9  # versions the review screen can take by key


@dataclass(frozen=True)
class On:
    """What an action does on one screen."""

    run: str  # the screen's action with its arguments, as Textual calls it: "answer('accept')"
    description: str  # the help screen's words
    footer: str | None = None  # its short name in the footer; None: only the help screen lists it


@dataclass(frozen=True)
class Action:
    id: str
    keys: str
    on: Mapping[str, On]
    # Added after labels.yaml files were written: a label key takes this action's default key
    # (the action keeps its other keys, or none: the keymap can bind it), so no file that
    # loaded before stops loading.
    yields: bool = False


@dataclass(frozen=True)
class ScreenAction:
    """An action as one screen binds it."""

    id: str
    keys: str
    run: str
    description: str
    footer: str | None


def _editing(run: str, description: str) -> dict[str, On]:
    """A span edit: the same on the annotate screen and on the review screen's gold version."""
    return {ANNOTATE: On(run, description), REVIEW: On(run, description)}


# Review: take version k as the gold version. The digits are the label keys, so versions take
# shift+digit (US layout: ! @ # ...) and, on any layout, F1..F9.
SHIFTED_DIGITS = (
    "exclamation_mark",
    "at",
    "number_sign",
    "dollar_sign",
    "percent_sign",
    "circumflex_accent",
    "ampersand",
    "asterisk",
    "left_parenthesis",
)
CANDIDATE = "{} likely missed name or number, or disputed span"  # the README says what each is
EDITING = (
    Action("cursor_left", "left", _editing("move(-1)", "cursor one token left")),
    Action("cursor_right", "right", _editing("move(1)", "cursor one token right")),
    Action("cursor_up", "up", _editing("line(-1)", "cursor one line up")),
    Action("cursor_down", "down", _editing("line(1)", "cursor one line down")),
    Action("extend_left", "shift+left", _editing("move(-1, True)", "extend the selection left")),
    Action("extend_right", "shift+right", _editing("move(1, True)", "extend the selection right")),
    Action(
        "select_name", "apostrophe", _editing("select_name", "extend the selection over the rest of the name"), True
    ),
    Action("next_span", "tab", _editing("jump(True)", "next span")),
    Action("previous_span", "shift+tab", _editing("jump(False)", "previous span")),
    # Symbols, not letters: letters are what labels.yaml files take for label keys.
    Action("next_candidate", "semicolon", _editing("candidate(True)", CANDIDATE.format("next")), yields=True),
    Action("previous_candidate", "colon", _editing("candidate(False)", CANDIDATE.format("previous")), yields=True),
    Action("find_word", "slash", _editing("find", "cursor to the next word starting with the letter typed next"), True),
    Action(
        "label_others",
        "equals_sign",
        _editing("label_others", "label the span's other occurrences the same"),
        yields=True,
    ),
    Action("remove_span", "d,delete", _editing("remove", "remove the span under the cursor")),
    Action("start_earlier", "less_than_sign", _editing("resize('start', -1)", "span starts a token earlier")),
    Action("start_later", "greater_than_sign", _editing("resize('start', 1)", "span starts a token later")),
    Action("end_earlier", "comma", _editing("resize('end', -1)", "span ends a token earlier")),
    Action("end_later", "full_stop", _editing("resize('end', 1)", "span ends a token later")),
    Action("clear_selection", "escape", _editing("clear_selection", "clear the selection")),
)
UNDO = "undo the last edit, else back to the previous document"
# In each screen's order: the help screen lists them so, and the footer shows them so.
ACTIONS: tuple[Action, ...] = (
    Action(
        "accept",
        "a,enter",
        {
            ANNOTATE: On("answer('accept')", "accept the document as shown", "accept"),
            REVIEW: On("decide('accept')", "accept the gold version as the document's final spans", "accept"),
        },
    ),
    Action(
        "reject",
        "x",
        {
            ANNOTATE: On("answer('reject')", "reject (the text is unusable)", "reject"),
            REVIEW: On("decide('reject')", "reject the document (the export leaves it out)", "reject"),
        },
    ),
    Action(
        "ignore",
        "space",
        {
            ANNOTATE: On("answer('ignore')", "skip; it comes back after the rest (again: next session)", "skip"),
            REVIEW: On("skip", "skip: decide later (it stays to review)", "skip"),
        },
    ),
    Action(
        "undo",
        "u,backspace",
        {ANNOTATE: On("undo", UNDO, "undo"), REVIEW: On("undo", UNDO, "undo"), FINISHED: On("undo", UNDO, "undo")},
    ),
    *(
        Action(
            f"take_version_{k}",
            f"{SHIFTED_DIGITS[k - 1]},f{k}",
            {REVIEW: On(f"take({k})", f"take version {k} as the gold version")},
        )
        for k in range(1, VERSIONS + 1)
    ),
    # ] and [ walk through the differences (as ]c [c in vim diff; letters stay free for labels).
    Action(
        "next_difference",
        "right_square_bracket",
        {REVIEW: On("difference(True)", "cursor to the next difference between the versions")},
    ),
    Action(
        "previous_difference",
        "left_square_bracket",
        {REVIEW: On("difference(False)", "cursor to the previous difference")},
    ),
    *EDITING,
    Action(
        "agreement",
        "g",
        {ANNOTATE: On("agreement", "agreement report"), FINISHED: On("agreement", "agreement report", "agreement")},
    ),
    Action(
        "help",
        "question_mark",
        {
            ANNOTATE: On("help", "this help", "help"),
            REVIEW: On("help", "this help", "help"),
            FINISHED: On("help", "this help", "help"),
        },
    ),
    Action(
        "quit",
        "q",
        {
            ANNOTATE: On("quit", "quit (answers are already saved)", "quit"),
            REVIEW: On("quit", "quit (decisions are already saved)", "quit"),
            FINISHED: On("quit", "quit (answers are already saved)", "quit"),
        },
    ),
    Action("agreement_back", "escape,q", {AGREEMENT: On("back", "back to the screen before", "back")}),
    Action("agreement_refresh", "r", {AGREEMENT: On("refresh", "recompute the tables", "recompute")}),
    Action("help_close", "escape,question_mark,q", {HELP: On("close", "close this help")}),
    Action("unsaved_keep", "escape,w", {UNSAVED: On("keep", "keep waiting for the store")}),
)
EDITING_IDS = tuple(action.id for action in EDITING)


def on_screen(screen: str) -> list[ScreenAction]:
    """The actions of one screen, in the table's order."""
    return [
        ScreenAction(action.id, action.keys, on.run, on.description, on.footer)
        for action in ACTIONS
        if (on := action.on.get(screen)) is not None
    ]


def default_keymap() -> dict[str, str]:
    """Action id -> its default keys."""
    return {action.id: action.keys for action in ACTIONS}


def screens_of(action_id: str) -> tuple[str, ...]:
    return tuple(screen for action in ACTIONS if action.id == action_id for screen in action.on)


def clash(
    keymap: Mapping[str, str], rebound: Iterable[str], key_name: Callable[[str], str]
) -> tuple[str, str, str, list[str]] | None:
    """The first key that a ``rebound`` action would share with another action of one of its
    screens, given ``keymap`` (id -> keys, every id): (id, key, the other id, the screens), or
    None. ``key_name`` makes "?" and "question_mark" one key."""
    by_id = {action.id: action for action in ACTIONS}
    for action_id in rebound:
        action = by_id[action_id]
        for key in _keys(keymap[action_id]):
            for other in ACTIONS:
                shared = [screen for screen in action.on if screen in other.on]
                if other.id != action_id and shared and key_name(key) in map(key_name, _keys(keymap[other.id])):
                    return action_id, key, other.id, shared
    return None


def label_screen_keys(keymap: Mapping[str, str], rebound: Iterable[str] = ()) -> Iterable[str]:
    """The keys of the actions on the screens where the label keys act too, but the default
    keys of the actions that yield them to labels (those not ``rebound``)."""
    rebound = set(rebound)
    for action in ACTIONS:
        if any(screen in action.on for screen in LABEL_SCREENS) and not (action.yields and action.id not in rebound):
            yield from _keys(keymap[action.id])


def yielding(keymap: Mapping[str, str], rebound: Iterable[str], taken: Iterable[str], key_name: Callable[[str], str]):
    """``keymap`` with the default keys that labels have ``taken`` removed from the actions
    that yield them (an action left with none maps to ""); ``key_name`` makes "?" and
    "question_mark" one key."""
    rebound, taken = set(rebound), {key_name(key) for key in taken}
    out = dict(keymap)
    for action in ACTIONS:
        if action.yields and action.id not in rebound:
            out[action.id] = ",".join(k for k in _keys(keymap[action.id]) if key_name(k) not in taken)
    return out


def yielding_ids() -> frozenset[str]:
    return frozenset(action.id for action in ACTIONS if action.yields)


def _keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",")]

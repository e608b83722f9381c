"""Bindings by id, shared by the screens that edit spans (annotate now, review later).

The keys are the defaults from ``labels.DEFAULT_KEYMAP``; the app applies labels.yaml's
keymap on top with ``App.set_keymap``, so every binding here can be rebound by its id.
Label keys come from labels.yaml itself and get the id ``label_<n>``.
"""

from __future__ import annotations

from textual.binding import Binding, BindingsMap
from textual.keys import _character_to_key

from annotator.io.labels import DEFAULT_KEYMAP, LabelsConfig

# binding id -> (action, what the help screen says)
EDITING_ACTIONS: dict[str, tuple[str, str]] = {
    "cursor_left": ("move(-1)", "cursor one token left"),
    "cursor_right": ("move(1)", "cursor one token right"),
    "cursor_up": ("line(-1)", "cursor one line up"),
    "cursor_down": ("line(1)", "cursor one line down"),
    "extend_left": ("move(-1, True)", "extend the selection left"),
    "extend_right": ("move(1, True)", "extend the selection right"),
    "next_span": ("jump(True)", "next span"),
    "previous_span": ("jump(False)", "previous span"),
    "remove_span": ("remove", "remove the span under the cursor"),
    "start_earlier": ("resize('start', -1)", "span starts a token earlier"),
    "start_later": ("resize('start', 1)", "span starts a token later"),
    "end_earlier": ("resize('end', -1)", "span ends a token earlier"),
    "end_later": ("resize('end', 1)", "span ends a token later"),
    "clear_selection": ("clear_selection", "clear the selection"),
}

ANNOTATE_ACTIONS: dict[str, tuple[str, str]] = {
    "accept": ("answer('accept')", "accept the document as shown"),
    "reject": ("answer('reject')", "reject (the text is unusable)"),
    "ignore": ("answer('ignore')", "skip; it comes back after the rest (again: next session)"),
    "undo": ("undo", "undo the last edit, else back to the previous document"),
    **EDITING_ACTIONS,
    "agreement": ("agreement", "agreement report"),
    "help": ("help", "this help"),
    "quit": ("quit", "quit (answers are already saved)"),
}

# binding id -> its short name in the footer (the others are only in the help screen)
FOOTER = {"accept": "accept", "reject": "reject", "ignore": "skip", "undo": "undo", "help": "help", "quit": "quit"}


def bindings(actions: dict[str, tuple[str, str]]) -> list[Binding]:
    return [
        Binding(
            DEFAULT_KEYMAP[binding_id],
            action,
            FOOTER.get(binding_id, description),
            show=binding_id in FOOTER,
            tooltip=description,
            id=binding_id,
        )
        for binding_id, (action, description) in actions.items()
    ]


def add_label_bindings(bindings_map: BindingsMap, config: LabelsConfig) -> None:
    """Bind each label's key (from labels.yaml) to ``label(<index>)`` on a screen."""
    for index, label in enumerate(config.labels):
        if label.key is None:
            continue
        key = _character_to_key(label.key) if len(label.key) == 1 else label.key
        binding = Binding(key, f"label({index})", f"label {label.name}", show=False, id=f"label_{index}")
        bindings_map.key_to_bindings.setdefault(key, []).append(binding)


def describe(
    bindings_map_chain, actions: dict[str, tuple[str, str]] = ANNOTATE_ACTIONS
) -> list[tuple[list[str], str, str]]:
    """(keys, binding id, description) of the bindings as they are now (keymap applied),
    in the order of ``actions`` (the screen's own), then the label keys."""
    by_id: dict[str, tuple[list[str], str]] = {}
    for _node, bindings_map in bindings_map_chain:
        for key, key_bindings in bindings_map.key_to_bindings.items():
            for binding in key_bindings:
                if binding.id is None or binding.system:
                    continue
                keys, description = by_id.setdefault(binding.id, ([], binding.tooltip or binding.description))
                if key not in keys:
                    keys.append(key)
    # Actions in their usual order, then the label keys in labels.yaml's order.
    order = {binding_id: index for index, binding_id in enumerate(actions)}
    rows = sorted(by_id.items(), key=lambda item: (order.get(item[0], len(order)), len(item[0]), item[0]))
    return [(keys, binding_id, description) for binding_id, (keys, description) in rows]

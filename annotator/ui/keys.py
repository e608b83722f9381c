"""The screens' bindings, made from the one table of actions (``core.actions``).

Each binding keeps its action id, so the app's keymap (labels.yaml's ``keymap``, applied with
``App.set_keymap``) rebinds it. Label keys come from labels.yaml itself, id ``label_<n>``.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from annotator.core import actions
from annotator.io.labels import LabelsConfig, key_name
from annotator.ui.textual_private import add_bindings

HelpRow = tuple[list[str], str, str]  # (keys as bound now, binding id, what it does)


def bindings(screen: str) -> list[BindingType]:
    """A screen's ``BINDINGS``: in the footer those with a footer name, all in the help."""
    return [
        Binding(
            action.keys,
            action.run,
            action.footer or action.description,
            show=action.footer is not None,
            tooltip=action.description,
            id=action.id,
        )
        for action in actions.on_screen(screen)
    ]


def add_label_bindings(screen: Screen, config: LabelsConfig) -> None:
    """Bind each label's key (from labels.yaml) to ``label(<index>)`` on a screen."""
    add_bindings(
        screen,
        [
            Binding(key_name(label.key), f"label({index})", f"label {label.name}", show=False, id=f"label_{index}")
            for index, label in enumerate(config.labels)
            if label.key is not None
        ],
        yielding=actions.yielding_ids(),
    )


def describe(screen: Screen, name: str) -> list[HelpRow]:
    """The help's rows for ``screen`` (``name`` in the table of actions): its actions in the
    table's order with their keys as bound now (keymap applied), then its label keys."""
    keys: dict[str, list[str]] = {}
    words: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is screen and binding.id is not None:
            keys.setdefault(binding.id, []).append(key)
            words.setdefault(binding.id, binding.tooltip or binding.description)
    own = actions.on_screen(name)
    known = {action.id for action in own}
    rows = [(keys.get(action.id, []), action.id, action.description) for action in own]
    return rows + [(keys[binding_id], binding_id, words[binding_id]) for binding_id in keys if binding_id not in known]


def key_display(app: App, keys: str) -> str:
    """A binding's keys ("exclamation_mark,f1") as the user types them ("! f1")."""
    return " ".join(app.get_key_display(Binding(key, "")) for key in keys.split(",") if key) or "?"

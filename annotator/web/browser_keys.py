"""Keys a browser keeps for itself, and which of the project's bindings would lose one.

In a page every key goes to the page first, and the terminal in it (xterm.js) takes the keys
it sends to the app, so F5, ctrl+l or ctrl+r reach the app, not the browser (the browser test
types every default key and checks it arrives). A few shortcuts never reach any page outside
full screen: Chromium's reserved commands (``BrowserCommandController::IsReservedCommandOrKey``:
close, new and restore tab or window, next and previous tab, exit), and Firefox's quit. No
default binding uses one; a keymap in labels.yaml could, and then ``annotator serve`` says
which key to use instead, or refuses when an action would have no key left in a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.io.labels import LabelsConfig, key_name

# Textual key names -> what the browser does with the key instead.
BROWSER_KEYS: dict[str, str] = {
    "ctrl+w": "closes the tab",
    "ctrl+f4": "closes the tab",
    "ctrl+shift+w": "closes the window",
    "alt+f4": "closes the window",
    "ctrl+t": "opens a new tab",
    "ctrl+shift+t": "reopens the last closed tab",
    "ctrl+n": "opens a new window",
    "ctrl+shift+n": "opens a private window",
    "ctrl+tab": "goes to the next tab",
    "ctrl+pagedown": "goes to the next tab",
    "ctrl+shift+tab": "goes to the previous tab",
    "ctrl+pageup": "goes to the previous tab",
    "ctrl+shift+q": "quits Chromium",
    "ctrl+q": "quits Firefox",
}


@dataclass(frozen=True)
class LostKey:
    binding_id: str
    key: str
    what: str  # what the browser does with it
    others: tuple[str, ...]  # the binding's keys that do reach the app


def lost_keys(config: LabelsConfig) -> list[LostKey]:
    """Every key of the project's bindings and labels that a browser keeps for itself."""
    keyed = {binding_id: [key.strip() for key in keys.split(",")] for binding_id, keys in config.bindings().items()}
    keyed.update({f"label {label.name}": [label.key] for label in config.labels if label.key})  # one key, maybe ","
    lost = []
    for binding_id, names in keyed.items():
        for key in names:
            what = BROWSER_KEYS.get(key_name(key))
            if what is not None:
                others = tuple(other for other in names if key_name(other) not in BROWSER_KEYS)
                lost.append(LostKey(binding_id, key, what, others))
    return lost


def browser_notes(config: LabelsConfig) -> list[str]:
    """One line for each key a browser keeps, naming the key to use instead; a ``UserError``
    naming labels.yaml when a binding would have no key left in a browser."""
    notes = []
    where = config.path or "labels.yaml"
    for lost in lost_keys(config):
        if not lost.others:
            raise UserError(
                f"{where}: {lost.binding_id} is bound only to {lost.key}, which a browser keeps for itself "
                f"(it {lost.what}); give it another key in the keymap for `annotator serve`"
            )
        notes.append(
            f"{lost.key} ({lost.binding_id}) never reaches the app in a browser (it {lost.what}): "
            f"use {', '.join(lost.others)}"
        )
    return notes

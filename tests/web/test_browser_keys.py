"""Keys in a browser: every default key of every screen, typed in real Chromium, reaches the
app as the same key; a keymap that binds a key the browser keeps for itself is told the key to
use instead, or refused when it leaves an action no key in a browser."""

from __future__ import annotations

import time

import pytest

from annotator.core import actions
from annotator.core.errors import UserError
from annotator.io.labels import key_name, load_labels
from annotator.ui.textual_private import keys_of
from annotator.web.browser_keys import BROWSER_KEYS, browser_notes, lost_keys
from tests.helpers.browser import Browser, missing
from tests.helpers.cli import run_main
from tests.helpers.news import write_labels
from tests.helpers.paths import LABELS_YAML
from tests.helpers.served import serving
from tests.helpers.stores import dump, open_store


def every_default_key() -> list[str]:
    """Each key of every action, as Textual names it, once, and the app's own ctrl+q; the
    quitting keys last, so that the session lasts the whole test."""
    keys = {key_name(key.strip()) for action in actions.ACTIONS for key in action.keys.split(",")}
    return sorted(keys | {"ctrl+q"}, key=lambda key: (key in ("q", "ctrl+q"), key))


def test_no_default_binding_uses_a_key_the_browser_keeps():
    assert not set(every_default_key()) - {"ctrl+q"} & set(BROWSER_KEYS)
    assert lost_keys(load_labels(LABELS_YAML)) == []


def test_a_browsers_key_in_the_keymap_is_told_the_key_to_use_instead(tmp_path):
    config = write_labels(tmp_path, 'keymap: {accept: "ctrl+w,a", quit: "ctrl+n,q"}\n')
    assert browser_notes(config) == [
        "ctrl+w (accept) never reaches the app in a browser (it closes the tab): use a",
        "ctrl+n (quit) never reaches the app in a browser (it opens a new window): use q",
    ]


def test_an_action_left_without_a_key_in_a_browser_is_refused(tmp_path, monkeypatch, capsys):
    config = write_labels(tmp_path, 'keymap: {accept: "ctrl+t"}\n')
    with pytest.raises(UserError, match="accept is bound only to ctrl[+]t, which a browser keeps"):
        browser_notes(config)
    store, _ids = open_store(tmp_path / "annotations.db", ["One two three."], "news")
    store.close()
    before = dump(tmp_path / "annotations.db")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "serve")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("annotator: labels.yaml: accept is bound only to ctrl+t")
    assert "give it another key in the keymap" in err
    assert dump(tmp_path / "annotations.db") == before


def selenium_keys(key: str) -> tuple[list[str], str]:
    """(modifiers, the key) for Selenium's ActionChains, from a Textual key name."""
    from selenium.webdriver.common.keys import Keys

    *modifiers, name = key.split("+")
    named = {"enter": Keys.ENTER, "space": " ", "backspace": Keys.BACKSPACE, "delete": Keys.DELETE}
    named |= {"tab": Keys.TAB, "escape": Keys.ESCAPE, "left": Keys.LEFT, "right": Keys.RIGHT}
    named |= {"up": Keys.UP, "down": Keys.DOWN} | {f"f{k}": getattr(Keys, f"F{k}") for k in range(1, 13)}
    if name in named:
        typed = named[name]
    elif len(name) == 1:
        typed = name
    else:  # "exclamation_mark" and the like: the character Textual names so
        from textual.keys import REPLACED_KEYS, key_to_character

        typed = key_to_character(REPLACED_KEYS.get(name, name)) or name
    mapping = {"shift": Keys.SHIFT, "ctrl": Keys.CONTROL, "alt": Keys.ALT}
    return [mapping[m] for m in modifiers], typed


@pytest.mark.slow  # a server and a browser
@pytest.mark.skipif(missing() is not None, reason=f"no browser to drive: {missing()}")
def test_every_default_key_typed_in_chromium_reaches_the_app_as_that_key(tmp_path):
    """What the page sends its tab's app for each key, read as Textual's web driver reads it.
    (Selenium types into the page, past the browser's own shortcuts: those are BROWSER_KEYS.)"""
    from selenium.webdriver.common.action_chains import ActionChains

    with serving(tmp_path) as served:
        browser = Browser(tmp_path / "profile", served.url)
        try:
            browser.open(f"/signin?token={served.tokens['ana']}")
            browser.wait_for("news · ana")
            arrived = {}
            browser.typed()
            for key in every_default_key():
                modifiers, typed = selenium_keys(key)
                chain = ActionChains(browser.driver)
                for modifier in modifiers:
                    chain.key_down(modifier)
                chain.send_keys(typed)
                for modifier in reversed(modifiers):
                    chain.key_up(modifier)
                chain.perform()
                time.sleep(0.1)
                arrived[key] = keys_of(browser.typed())
        finally:
            browser.quit()
    assert {key: got for key, got in arrived.items() if got != [key]} == {}

"""``annotator.core.visible.visible``: the one function every piece of data passes
through on its way to a terminal, so no byte of it can steer the terminal."""

from __future__ import annotations

import unicodedata

from annotator.core.visible import visible

C0 = "".join(map(chr, range(0x20)))
C1 = "".join(map(chr, range(0x80, 0xA0)))
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def steering(text: str) -> list[str]:
    """Characters a terminal acts on or that reorder the text around them."""
    return [c for c in text if unicodedata.category(c) == "Cc" or c in BIDI]


def test_c0_and_del_become_their_control_pictures():
    assert visible(C0 + "\x7f") == "".join(map(chr, range(0x2400, 0x2420))) + "\u2421"
    assert visible("\x1b]0;owned\x07") == "␛]0;owned␇"


def test_c1_and_bidirectional_controls_become_a_named_code_point():
    assert visible("a\x9b2Jb") == "a<U+009B>2Jb"
    assert visible("abc\u202edef") == "abc<U+202E>def"
    assert visible("\u2066x\u2069") == "<U+2066>x<U+2069>"


def test_nothing_that_steers_a_terminal_is_left():
    shown = visible(C0 + "\x7f" + C1 + BIDI + "plain")
    assert steering(shown) == []
    assert shown.endswith("plain")


def test_ordinary_text_is_unchanged():
    text = "Zoë met 李 in Kraków [bold]now[/] — ok ☃ \u200d"
    assert visible(text) == text


def test_json_for_terminal_is_the_same_value_without_a_raw_control():
    import json

    from annotator.core.visible import json_for_terminal

    value = {"name\u202e": ["\x1b]0;t\x07", "\x9b2J\x7f", "Zoë 李", "\u2066"]}
    dumped = json_for_terminal(value, indent=2)
    assert json.loads(dumped) == value
    assert steering(dumped.replace("\n", "")) == [] and "Zoë 李" in dumped


# Found trying the program: a zero-width space or a line separator in a document was drawn as
# nothing (or, for U+2028, as whatever the terminal makes of it), so a word that looked plain did
# not match a pattern and nobody could see why; Rich and the terminal may also disagree on their width.
INVISIBLE = {
    "\u00ad": "soft hyphen",
    "\u180e": "Mongolian vowel separator",
    "\u200b": "zero-width space",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    "\u2060": "word joiner",
    "\u2061": "function application",
    "\u2064": "invisible plus",
    "\ufeff": "zero-width no-break space (BOM)",
    "\ufff9": "interlinear annotation anchor",
    "\ufffb": "interlinear annotation terminator",
    "\U000e0001": "language tag",
    "\U000e0041": "tag latin capital A (hides text from a reader)",
    "\U000e007f": "cancel tag",
}


def test_invisible_characters_are_shown_as_their_code_point():
    for char, name in INVISIBLE.items():
        assert visible(f"Ibu{char}profen") == f"Ibu<U+{ord(char):04X}>profen", name


def test_the_joiners_that_scripts_and_emoji_need_are_left():
    for text in ("می\u200cخواهم", "👩\u200d💻"):  # Persian's ZWNJ, an emoji's ZWJ
        assert visible(text) == text


def test_json_for_terminal_escapes_a_character_beyond_the_first_plane_as_a_surrogate_pair():
    import json

    from annotator.core.visible import json_for_terminal

    value = ["a\U000e0041b\u200b"]
    dumped = json_for_terminal(value)
    assert json.loads(dumped) == value
    assert "\\udb40\\udc41" in dumped and "\\u200b" in dumped


def test_quoted_is_visible_between_quotes():
    from annotator.core.visible import quoted

    assert quoted("ring\x07 it\u200b") == "'ring␇ it<U+200B>'"

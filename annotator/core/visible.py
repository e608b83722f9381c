"""Data made safe to show on a terminal: the one function every document, name, source,
label and file name passes through before it is printed or drawn.

A terminal acts on control characters (ESC starts a sequence that can clear the screen
or set the window title, BEL rings, CR moves the cursor back) and the bidirectional
overrides and isolates reorder the characters around them, so text could pretend to be
something else. Each of them is shown instead:

- C0 (U+0000-U+001F) and DEL as their Unicode control picture (``␛`` ``␇`` ``␉`` ``␡``),
  one cell each;
- C1 (U+0080-U+009F) and the bidirectional controls (U+061C, U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069) as their code point in brackets, ``<U+009B>``;
- so are the characters a reader cannot see (the soft hyphen, zero-width space, word
  joiner and BOM, the line and paragraph separators, the invisible operators and the tag
  characters that can hide text): a word that looks plain but does not match a pattern
  shows why, and the terminal and the layout never disagree on their width. The joiners
  that scripts and emoji need (U+200C, U+200D) are left.

Everything else, Rich markup included, is left as it is: callers show it as plain
text (Rich ``Text``, never markup).
"""

from __future__ import annotations

import json
import re

BIDIRECTIONAL = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
INVISIBLE = (0xAD, 0x180E, 0x200B, 0x2028, 0x2029, *range(0x2060, 0x2065), 0xFEFF, *range(0xFFF9, 0xFFFC))
TAGS = (0xE0001, *range(0xE0020, 0xE0080))
SHOWN_AS: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
SHOWN_AS |= {code: f"<U+{code:04X}>" for code in (*range(0x80, 0xA0), *BIDIRECTIONAL, *INVISIBLE, *TAGS)}
# What json.dumps(ensure_ascii=False) leaves raw: DEL, C1 and the bidirectional controls.
_RAW_IN_JSON = re.compile("[" + "".join(chr(c) for c in SHOWN_AS if c >= 0x7F) + "]")


def visible(text: str) -> str:
    """``text`` with every character that could steer a terminal shown as a visible symbol."""
    return text.translate(SHOWN_AS)


def visible_lines(text: str) -> str:
    """``visible`` line by line: the newlines stay newlines (for another program's output)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def quoted(text: str) -> str:
    """``text`` made ``visible`` between single quotes, for a status line ("selected 'Iraq'")."""
    return f"'{visible(text)}'"


def _escaped(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the first plane as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_for_terminal(value, **options) -> str:
    """``json.dumps(value, ensure_ascii=False)`` with the characters of ``visible`` written
    as ``\\uXXXX`` escapes: the same JSON value, and no raw byte that steers a terminal."""
    dumped = json.dumps(value, ensure_ascii=False, **options)  # C0 is escaped by JSON itself
    return _RAW_IN_JSON.sub(lambda match: _escaped(match.group()), dumped)

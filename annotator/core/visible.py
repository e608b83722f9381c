"""Data made safe to show on a terminal: the one function every document, name, source,
label and file name passes through before it is printed or drawn.

A terminal acts on control characters (ESC starts a sequence that can clear the screen
or set the window title, BEL rings, CR moves the cursor back) and the bidirectional
overrides and isolates reorder the characters around them, so text could pretend to be
something else. Each of them is shown instead:

- C0 (U+0000-U+001F) and DEL as their Unicode control picture (``␛`` ``␇`` ``␉`` ``␡``),
  one cell each;
- C1 (U+0080-U+009F) and the bidirectional controls (U+061C, U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069) as their code point in brackets, ``<U+009B>``.

Everything else, Rich markup included, is left as it is: callers show it as plain
text (Rich ``Text``, never markup).
"""

from __future__ import annotations

BIDIRECTIONAL = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
SHOWN_AS: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
SHOWN_AS |= {code: f"<U+{code:04X}>" for code in (*range(0x80, 0xA0), *BIDIRECTIONAL)}


def visible(text: str) -> str:
    """``text`` with every character that could steer a terminal shown as a visible symbol."""
    return text.translate(SHOWN_AS)

"""What every document must be, whichever reader found it: visible text, no longer than
the screen handles well, and (when a file gives its tokens) tokens that cover the text.

The limits are measured, not guessed: the annotate screen's first paint takes about 0.5 s
on a 20,000-token document and 1.5 s on a 100,000-token one (a 20 MB document took 42 s
and 2.4 GB), and 1,000,000 characters is spaCy's own ``nlp.max_length``, past which
pre-highlighting with a pipeline fails.
"""

from __future__ import annotations

import math
import re
import unicodedata

MAX_CHARS = 1_000_000
MAX_TOKENS = 100_000
# A DocBin is read whole (spaCy's DocBin.from_bytes): its decompressed size bounds the memory
# an import takes. About 5 million tokens; a zlib bomb is refused while it is being inflated.
MAX_DOCBIN_BYTES = 512 * 1024 * 1024
# Seconds since 1970 up to 3000-01-01: a larger number is a mistake (often milliseconds).
MAX_TIMESTAMP = 32_503_680_000

SPLIT_FURTHER = "split it into several documents"
# Characters that draw nothing but are not whitespace to str.strip(): Hangul fillers, braille blank.
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
SURROGATE = re.compile("[\ud800-\udfff]")


def _invisible(character: str) -> bool:
    # Cf: zero-width spaces and joiners, word joiner, BOM, bidi marks and isolates, soft hyphen.
    return character.isspace() or character in FILLERS or unicodedata.category(character) == "Cf"


def empty_text(text: str) -> str | None:
    """Why a text is empty ("empty text"), or None when something in it is visible."""
    for character in text:  # stops at the first visible character: at once on real text
        if character.isalnum() or not _invisible(character):  # isalnum: no category look-up for most
            return None
    return "empty text" if not text.strip() else "empty text (only invisible characters)"


def too_long(chars: int, tokens: int | None, what_to_do: str) -> str | None:
    """Why a document is too long for the screen, with what to do about it, or None."""
    if chars > MAX_CHARS:
        return f"a document of {chars:,} characters, over the limit of {MAX_CHARS:,}; {what_to_do}"
    if tokens is not None and tokens > MAX_TOKENS:
        return f"a document of {tokens:,} tokens, over the limit of {MAX_TOKENS:,}; {what_to_do}"
    return None


def uncovered(text: str, tokens: list[tuple[int, int]]) -> str | None:
    """Where given tokens leave a visible character out (the screen moves by token, so such
    text could never be selected), or None. The tokens are already sorted and in range."""
    previous = 0
    for start, end in [*tokens, (len(text), len(text))]:
        gap = text[previous:start]
        if gap and not gap.isspace():
            lead = len(gap) - len(gap.lstrip())
            word = gap.strip().split()[0]
            at = previous + lead
            return f"the tokens do not cover the text: {word!r} at {at}-{at + len(word)} is in no token"
        previous = end
    return None


def lone_surrogate(value) -> str | None:
    """The first half of a UTF-16 surrogate pair found alone in a JSON value (``"\\ud800"``
    is valid JSON but no character: it cannot be stored as UTF-8), as ``\\ud800``; or None."""
    if isinstance(value, str):
        found = SURROGATE.search(value)
        return f"\\u{ord(found.group()):04x}" if found else None
    if isinstance(value, dict):
        items = [item for pair in value.items() for item in pair]
    elif isinstance(value, list):
        items = value
    else:
        return None
    return next((inner for item in items if (inner := lone_surrogate(item))), None)


def infinite_number(value) -> bool:
    """Whether a JSON value holds a number that read as infinity (1e999): it cannot be
    written back as JSON (the store keeps meta as JSON; export would fail)."""
    if isinstance(value, float):
        return math.isinf(value)
    if isinstance(value, dict):
        return any(infinite_number(item) for item in value.values())
    if isinstance(value, list):
        return any(infinite_number(item) for item in value)
    return False

"""Words that look like a missed entity, or where another suggestion source disagrees: where
the candidate keys (; and :) take the cursor; and how far a name goes on from a word (the
select-name key, ').

A word outside every span is a candidate when it holds a digit (amounts, dates, codes) or
starts with a capital letter where a sentence does not start (names), the two signs of a name
or a number that need no model. Measured with `python -m bench effort`: on the demo's gold
they cut the keys per fix from 4.5 to 3.5 (see the README).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from annotator.core.spans import Span, Tokens

SENTENCE_ENDS = (".", "!", "?", ":", '"', "“", "”")
# Small words inside names ("Islamic State of Iraq", "Bashar al Assad", "Leonardo da Vinci"):
# part of a name only when a word that looks like a name follows them.
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})  # "Assad's" ends at Assad, as spaCy splits it
PARTICLES = frozenset({"al", "bin", "ibn", "da", "de", "del", "der", "di", "du", "el", "la", "le", "of", "van", "von"})


def candidate_tokens(text: str, tokens: Tokens, spans: Sequence[Span], disputed: Sequence[Span] = ()) -> list[int]:
    """The indices of the candidate words, in order; with the first word of each ``disputed``
    span (one another source suggests) that the spans do not hold."""
    covered = [False] * len(tokens)
    for span in spans:
        first, last = tokens.token_range(span)
        for index in range(first, last + 1):
            covered[index] = True
    found: list[int] = []
    previous = ""  # the word before, "" at the start of the text or of a line
    for index, (start, end) in enumerate(tokens.offsets):
        word = text[start:end]
        if tokens.is_space[index]:
            if "\n" in word:
                previous = ""
            continue
        if not covered[index] and (_has_digit(word) or (word[:1].isupper() and previous not in ("", *SENTENCE_ENDS))):
            found.append(index)
        previous = word
    held = set(spans)
    others = {tokens.token_range(span)[0] for span in disputed if span not in held}
    return sorted(others.union(found)) if others else found


def _has_digit(word: str) -> bool:
    return any(char.isdigit() for char in word)


def name_end(text: str, tokens: Tokens, index: int) -> int:
    """The last token of the name that goes on from token ``index``: the rest of its word, then
    each following word (tokens with no space between them, "al-Assad") that holds a capital or
    a digit, with particles ("of", "al") between them. Punctuation ends the name: "Assad," ends
    at Assad, and "(HTS)" is no part of the name before it."""
    end, comma = index, False
    for at, (first, last, opens, closes) in enumerate(_words(text, tokens, index)):
        word = text[tokens.starts[first] : tokens.ends[last]]
        if comma and not word.isdigit():
            break
        if at == 0:
            end = _end_in_word(text, tokens, index, last)
            if end < last:
                break  # "Shiite-led": a lower-case part ends the name inside its word
        elif opens:
            break
        elif any(char.isupper() or char.isdigit() for char in word):
            end = last
        elif word not in PARTICLES:
            break  # a particle moves the end only when a name word follows it
        # A comma goes on to a number after it, as in a date ("Apr, 2025", "December 7, 2024").
        comma = closes and text[tokens.ends[last] : tokens.ends[last] + 1] == "," and not comma
        if closes and not comma:
            break
    return end


def _end_in_word(text: str, tokens: Tokens, index: int, last: int) -> int:
    """The last token, from ``index`` to ``last`` of one word, that the name holds. A word whose
    first part is a name (a capital) goes on over the parts that hold a capital or a digit
    ("Coca-Cola", "COVID-19"), with particles between them ("al-Sham"), and a lower-case part
    ends it ("Shiite-led" ends at Shiite). Any other word is whole ("5,000-year-old", a date)."""
    parts = [at for at in range(index, last + 1) if _in_a_name(text[tokens.starts[at] : tokens.ends[at]])]
    if not text[tokens.starts[parts[0]] : tokens.ends[parts[0]]][:1].isupper():
        return last
    end = parts[0]
    for at in parts[1:]:
        part = text[tokens.starts[at] : tokens.ends[at]]
        if part in PARTICLES:
            continue
        if not any(char.isupper() or char.isdigit() for char in part):
            break
        end = at
    return end


def _words(text: str, tokens: Tokens, index: int) -> Iterator[tuple[int, int, bool, bool]]:
    """The words from the one holding token ``index`` to the end of its line: (its first and last
    token holding a letter or a digit, whether punctuation opens it, whether punctuation closes it)."""
    count = len(tokens)
    at = index
    while at < count and not tokens.is_space[at]:
        end = at
        while end + 1 < count and not tokens.is_space[end + 1] and tokens.ends[end] == tokens.starts[end + 1]:
            end += 1
        alnum = [i for i in range(at, end + 1) if _in_a_name(text[tokens.starts[i] : tokens.ends[i]])]
        if not alnum:
            return
        yield alnum[0], alnum[-1], alnum[0] != at, alnum[-1] != end
        at = end + 1
        while at < count and tokens.is_space[at] and "\n" not in text[tokens.starts[at] : tokens.ends[at]]:
            at += 1


def _in_a_name(token: str) -> bool:
    return token not in POSSESSIVES and any(char.isalnum() for char in token)

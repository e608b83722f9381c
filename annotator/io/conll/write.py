"""CoNLL-2003 NER documents, for tools outside spaCy (``train.conll`` and ``dev.conll``, of
the same documents and split as the spaCy export). Each document is one block: ``-DOCSTART- -X- O O`` (the delimiter
spaCy's ``conll_ner_to_docs`` splits documents on), a blank line, then ``word TAG`` per
token with IOB2 tags (``B-`` starts every entity), and a blank line. Whitespace tokens are
left out; a token with whitespace inside (another tool's tokens may have it) is written
as one word per piece, all in its entity.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.io.records import OFF_BOUNDARIES

CONLL_FILES = ("train.conll", "dev.conll")
DOC_DELIMITER = "-DOCSTART- -X- O O"


def iob_lines(text: str, tokens: Sequence[Sequence[int]], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """``word TAG`` for each word of the document; ValueError if a span is off the tokens."""
    tags = ["O"] * len(tokens)
    starts = {start: at for at, (start, _) in enumerate(tokens)}
    ends = {end: at for at, (_, end) in enumerate(tokens)}
    for start, end, label in spans:
        if start not in starts or end not in ends or starts[start] > ends[end]:
            raise ValueError(OFF_BOUNDARIES)
        first, last = starts[start], ends[end]
        if any(tag != "O" for tag in tags[first : last + 1]):
            raise ValueError("overlapping spans")
        tags[first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
    lines = []
    for (start, end), tag in zip(tokens, tags, strict=True):
        for piece in text[start:end].split():
            lines.append(f"{piece} {tag}")
            tag = "I-" + tag[2:] if tag != "O" else tag  # the pieces after the first go on in the entity
    return lines


def conll_document(text: str, tokens: Sequence[Sequence[int]], spans: Sequence[tuple[int, int, str]]) -> str:
    """One document's block, header to blank line; ValueError if a span is off the tokens or overlaps."""
    return f"{DOC_DELIMITER}\n\n" + "".join(line + "\n" for line in iob_lines(text, tokens, spans)) + "\n"

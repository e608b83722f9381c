"""Writing spaCy's `.spacy` DocBin files: one ``Doc`` per exported document, its words and
spaces from the stored token offsets and its ``doc.ents`` from the final spans."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.errors import UserError
from annotator.io.records import OFF_BOUNDARIES

# What NER training reads; fewer attributes make smaller files, written faster.
DOC_ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE"]


def new_doc_bin():
    from spacy.tokens import DocBin

    return DocBin(attrs=DOC_ATTRS)


def blank_vocab(lang: str):
    import spacy

    try:
        return spacy.blank(lang).vocab
    except ImportError:
        raise UserError(f"spaCy has no language {lang!r}; set `lang` in labels.yaml") from None


def words_and_spaces(text: str, tokens: Sequence[Sequence[int]]) -> tuple[list[str], list[bool]]:
    """spaCy's words and spaces for stored token offsets, so that ``doc.text == text``.
    Text between tokens that is not one space (tokens from another tool may skip
    whitespace) becomes a token of its own, as spaCy's tokenizer would make it."""
    words = [text[start:end] for start, end in tokens]
    spaces = [text[end : end + 1] == " " for _, end in tokens]
    if "".join([word + " " if space else word for word, space in zip(words, spaces, strict=True)]) == text:
        return words, spaces  # the usual case: spaCy's own tokens, nothing between them
    words = []
    spaces = []
    position = 0
    for start, end in [*tokens, (len(text), len(text))]:
        if start > position:
            gap = text[position:start]
            if words and not spaces[-1] and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        position = max(position, end)
    return words, spaces


def make_doc(vocab, text: str, tokens: Sequence[Sequence[int]], spans: Sequence[tuple[int, int, str]]):
    """A Doc with the stored tokens and ``spans`` as ``doc.ents`` (every other token
    marked outside an entity: an accepted document with no spans teaches that too)."""
    from spacy.tokens import Doc

    words, spaces = words_and_spaces(text, tokens)
    doc = Doc(vocab, words=words, spaces=spaces)
    found = [doc.char_span(start, end, label=label) for start, end, label in spans]
    ents = [ent for ent in found if ent is not None]
    if len(ents) != len(found):
        raise ValueError(OFF_BOUNDARIES)
    doc.ents = ents
    return doc

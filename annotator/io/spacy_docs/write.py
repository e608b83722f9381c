"""Writing spaCy's `.spacy` DocBin files: one ``Doc`` per exported document, its words and
spaces from the stored token offsets and its ``doc.ents`` from the final spans."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from annotator.core.errors import UserError
from annotator.core.token_codec import unpack_flat
from annotator.io.records import OFF_BOUNDARIES

# What NER training reads; fewer attributes make smaller files, written faster.
DOC_ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE"]


def new_doc_bin():
    from spacy.tokens import DocBin

    return DocBin(attrs=DOC_ATTRS)


def doc_vocab(lang: str):
    """The vocab the exported Docs are made in: a bare one, as a DocBin keeps only each word's
    text and the entity tags, not the lexical attributes (shape, like_num, ...) a language's
    vocab works out for every new word. ``lang`` is checked: the config is made for it."""
    from spacy.util import get_lang_class
    from spacy.vocab import Vocab

    try:
        get_lang_class(lang)
    except ImportError:
        raise UserError(f"spaCy has no language {lang!r}; set `lang` in labels.yaml") from None
    return Vocab()


def words_and_spaces(text: str, offsets: array) -> tuple[list[str], list[bool]]:
    """spaCy's words and spaces for stored token offsets (``start, end, start, end, ...``,
    as core.token_codec unpacks them), so that ``doc.text == text``. Text between tokens
    that is not one space (tokens from another tool may skip whitespace) becomes a token
    of its own, as spaCy's tokenizer would make it."""
    starts, ends = offsets[0::2], offsets[1::2]
    words = [text[start:end] for start, end in zip(starts, ends, strict=True)]
    spaces = [text[end : end + 1] == " " for end in ends]
    if "".join([word + " " if space else word for word, space in zip(words, spaces, strict=True)]) == text:
        return words, spaces  # the usual case: spaCy's own tokens, nothing between them
    words = []
    spaces = []
    position = 0
    for start, end in [*zip(starts, ends, strict=True), (len(text), len(text))]:
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


def make_doc(vocab, text: str, tokens: bytes, spans: Sequence[tuple[int, int, str]]):
    """A Doc with the stored tokens (core.token_codec's bytes) and ``spans`` as ``doc.ents``
    (every other token marked outside an entity: an accepted document with no spans
    teaches that too)."""
    from spacy.tokens import Doc

    words, spaces = words_and_spaces(text, unpack_flat(tokens))
    doc = Doc(vocab, words=words, spaces=spaces)
    found = [doc.char_span(start, end, label=label) for start, end, label in spans]
    ents = [ent for ent in found if ent is not None]
    if len(ents) != len(found):
        raise ValueError(OFF_BOUNDARIES)
    doc.ents = ents
    return doc

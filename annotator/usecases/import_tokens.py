"""The import's tokens: spaCy's tokenizer for the dataset's language, and each document's
token offsets out of it as the stored bytes (core/token_codec.py).

The import keeps nothing of a Doc but its offsets, so it tokenizes with a copy of the
pipeline's tokenizer on a bare ``Vocab``: the same rules, special cases and affix patterns
(so the same tokens), without the lexical attributes (shape, lower case, like_url...) a
language's vocab works out for every new word, about a quarter of the tokenizer's time on
news text. The copy's vocabulary grows with every new word (a corpus of numbers and names
adds one for nearly every document), so it is made anew once it holds RENEW_STRINGS
strings: the import's memory stays flat in the corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from annotator.core.errors import UserError
from annotator.core.token_codec import pack_idx_lengths

# Strings in the copy's vocabulary before a new copy is made: about 250 bytes each (the
# lexeme, its string, the tokenizer's cache entry), so at most about 12 MB; a copy takes
# about 50 ms (its special cases), which 50,000 new words make small.
RENEW_STRINGS = 50_000


@lru_cache(maxsize=4)
def blank_tokenizer(lang: str):
    """spacy.blank(lang), made once per process (building its special cases is slow)."""
    import spacy

    try:
        return spacy.blank(lang)
    except Exception as error:  # an unknown language code
        raise UserError(f"lang {lang!r}: no spaCy tokenizer for this language ({error})") from None


def packed_tokens(docs: Iterable) -> list[bytes]:
    """Each Doc's token offsets as the stored bytes, through spaCy's array path. The Docs
    are taken one at a time and dropped (holding a batch of them alive costs the cyclic
    garbage collector more than the whole conversion)."""
    from spacy.attrs import IDX, LENGTH  # ids, not names: 10% less per to_array call

    attrs = [IDX, LENGTH]
    return pack_idx_lengths([doc.to_array(attrs) for doc in docs])


class OffsetsTokenizer:
    """``nlp``'s tokenizer, copied onto a bare vocabulary (renewed as it fills), giving the
    stored offsets of texts. A tokenizer that is not spaCy's rule-based one (Japanese,
    Chinese, a custom class) is used as it is."""

    def __init__(self, nlp, renew_strings: int | None = None):
        self.source = nlp.tokenizer
        self.renew_strings = RENEW_STRINGS if renew_strings is None else renew_strings
        self.copies = 0  # how many were made (tests)
        self.tokenizer = self._copy()

    def _copy(self):
        from spacy.tokenizer import Tokenizer
        from spacy.vocab import Vocab

        source = self.source
        if type(source) is not Tokenizer:
            return source
        self.copies += 1
        return Tokenizer(
            Vocab(),
            rules=source.rules,
            prefix_search=source.prefix_search,
            suffix_search=source.suffix_search,
            infix_finditer=source.infix_finditer,
            token_match=source.token_match,
            url_match=source.url_match,
            faster_heuristics=source.faster_heuristics,
        )

    def packed(self, texts: Sequence[str]) -> list[bytes]:
        """The stored offsets of each text."""
        if self.tokenizer is not self.source and len(self.tokenizer.vocab.strings) > self.renew_strings:
            self.tokenizer = self._copy()
        return packed_tokens(self.tokenizer.pipe(texts, batch_size=1000))

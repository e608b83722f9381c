"""The stored form of token offsets (annotator/core/token_codec.py): packed little-endian
uint32 pairs, and the JSON text of stores before schema 6 read alike."""

from __future__ import annotations

import json
import struct
from array import array

import pytest

from annotator.core.token_codec import (
    pack_flat,
    pack_idx_lengths,
    pack_offsets,
    packed,
    stored_offsets,
    token_count,
    unpack_flat,
    unpack_offsets,
)

OFFSETS = [(0, 3), (4, 9), (9, 10), (11, 70_000), (2**32 - 2, 2**32 - 1)]


def test_offsets_are_packed_as_little_endian_uint32_pairs():
    blob = pack_offsets(OFFSETS)
    assert len(blob) == 8 * len(OFFSETS)
    assert struct.unpack(f"<{2 * len(OFFSETS)}I", blob) == tuple(v for pair in OFFSETS for v in pair)
    assert unpack_offsets(blob) == OFFSETS
    assert unpack_flat(blob) == array("I", [v for pair in OFFSETS for v in pair])
    assert pack_flat(unpack_flat(blob)) == blob


def test_no_tokens_is_empty_bytes():
    assert pack_offsets([]) == b"" and unpack_offsets(b"") == [] and stored_offsets("[]") == []


def test_bytes_that_are_not_whole_pairs_are_refused():
    with pytest.raises(ValueError, match="12 bytes"):
        unpack_offsets(pack_offsets(OFFSETS)[:12])


def test_offsets_out_of_uint32_are_refused():
    with pytest.raises(OverflowError):
        pack_offsets([(0, 2**32)])
    with pytest.raises(OverflowError):
        pack_offsets([(-1, 3)])


def test_the_json_of_a_schema_5_store_reads_as_the_same_offsets():
    old = json.dumps(OFFSETS)  # what the store wrote before schema 6
    assert packed(old) == pack_offsets(OFFSETS)
    assert stored_offsets(old) == stored_offsets(pack_offsets(OFFSETS)) == OFFSETS
    assert packed(pack_offsets(OFFSETS)) == pack_offsets(OFFSETS)


@pytest.mark.slow  # loads spaCy
def test_spacy_arrays_pack_to_the_offsets_of_each_doc():
    # spaCy's own array path (doc.to_array of IDX and LENGTH), a batch converted at once
    import spacy

    from annotator.usecases.import_tokens import packed_tokens

    nlp = spacy.blank("en")
    texts = ["Ann flew to Paris.", "", "Zoë  naïve\n\ncafé ☕ 東京", "x"]
    blobs = packed_tokens(nlp.tokenizer.pipe(texts))
    expected = [[(t.idx, t.idx + len(t)) for t in nlp(text)] for text in texts]
    assert [unpack_offsets(blob) for blob in blobs] == expected
    assert [token_count(blob) for blob in blobs] == [len(offsets) for offsets in expected]
    assert pack_idx_lengths([]) == []

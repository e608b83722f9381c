"""The stored form of token offsets (annotator/core/token_codec.py): packed little-endian
uint32 pairs, and the JSON text of stores before schema 6 read alike."""

from __future__ import annotations

import json
import struct
from array import array

import pytest

from annotator.core.token_codec import pack_flat, pack_offsets, packed, stored_offsets, unpack_flat, unpack_offsets

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

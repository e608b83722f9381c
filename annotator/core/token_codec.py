"""The stored form of a document's token offsets: packed little-endian uint32 pairs.

``documents.tokens`` holds ``start0 end0 start1 end1 ...`` as 4-byte little-endian
integers (8 bytes a token), so a text of 300 tokens costs 2,400 bytes and is read with
one ``array.frombytes`` or ``numpy.frombuffer`` instead of a JSON parse. Offsets are
characters of the document's text, as in spaCy's ``Token.idx``.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

# array("I") is 4 bytes on every platform CPython supports; the byte order is fixed here.
_LITTLE = sys.byteorder == "little"


def pack_offsets(offsets: Iterable[Sequence[int]]) -> bytes:
    """``[(start, end), ...]`` as the stored bytes."""
    flat = array("I")
    for start, end in offsets:
        flat.append(start)
        flat.append(end)
    return pack_flat(flat)


def pack_flat(flat: array) -> bytes:
    """An ``array("I")`` of ``start, end, start, end, ...`` as the stored bytes."""
    if not _LITTLE:
        flat = array("I", flat)
        flat.byteswap()
    return flat.tobytes()


def pack_idx_lengths(arrays: Sequence[Any]) -> list[bytes]:
    """The stored bytes of each document from its ``doc.to_array([IDX, LENGTH])`` (an (n, 2)
    numpy array, spaCy's own path out of a Doc): the batch is converted in one numpy pass
    and cut per document, as per-document numpy calls cost more than the arithmetic."""
    import numpy as np  # here, not at the top: the store reads blobs without numpy

    if not arrays:
        return []
    joined = np.concatenate(arrays)
    flat = np.empty(joined.shape, dtype="<u4")
    flat[:, 0] = joined[:, 0]
    flat[:, 1] = joined[:, 0] + joined[:, 1]
    blob = flat.tobytes()
    cuts = np.cumsum([len(one) for one in arrays]).tolist()
    return [blob[8 * start : 8 * end] for start, end in zip([0, *cuts[:-1]], cuts, strict=True)]


def token_count(tokens: Sequence[Any] | bytes) -> int:
    """How many tokens: of offsets as a list, or packed."""
    return len(tokens) // 8 if isinstance(tokens, bytes) else len(tokens)


def unpack_flat(blob: bytes) -> array:
    """The stored bytes as an ``array("I")`` of ``start, end, start, end, ...``."""
    if len(blob) % 8:
        raise ValueError(f"token offsets of {len(blob)} bytes: not whole (start, end) pairs of uint32")
    flat = array("I")
    flat.frombytes(blob)
    if not _LITTLE:
        flat.byteswap()
    return flat


def unpack_offsets(blob: bytes) -> list[tuple[int, int]]:
    """The stored bytes as ``[(start, end), ...]``."""
    flat = unpack_flat(blob)
    return list(zip(flat[0::2], flat[1::2], strict=True))


def packed(stored: bytes | str | Sequence[Sequence[int]]) -> bytes:
    """Either stored form as the packed bytes: bytes as they are, or the JSON text
    ``[[start, end], ...]`` of a store before schema 6, read as it is by a read-only command;
    offsets as a list (a reader's, a test's) packed."""
    if isinstance(stored, bytes):
        return stored
    return pack_offsets(json.loads(stored) if isinstance(stored, str) else stored)


def stored_offsets(stored: bytes | str | Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Either stored form (see ``packed``) as ``[(start, end), ...]``."""
    return unpack_offsets(packed(stored))

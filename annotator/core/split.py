"""A seeded, stable train/dev split.

Each document's side comes from a hash of (seed, input hash) alone, compared with the
eval fraction, so a document keeps its side when more documents are added later.

The dev side must not be empty once there are two documents (nor the train side). A
rule that depends on each document alone cannot promise that, so there is one
exception: when no document falls on a side by its hash, the document whose hash lies
nearest to that side is moved there. Only that one borrowed document can ever change
sides, and only while its side would otherwise be empty; once another document falls
there by its hash, it goes back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

TRAIN, DEV = "train", "dev"


def split_key(input_hash: str, seed: int = 0) -> float:
    """A number in [0, 1) that depends only on the seed and the document's text."""
    digest = hashlib.blake2b(f"{seed}:{input_hash}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def side(input_hash: str, eval_split: float, seed: int = 0) -> str:
    return DEV if split_key(input_hash, seed) < eval_split else TRAIN


def split(input_hashes: Iterable[str], eval_split: float, seed: int = 0) -> dict[str, str]:
    """{input_hash: "train" | "dev"} for the documents to export."""
    if not 0.0 <= eval_split < 1.0:
        raise ValueError(f"eval split must be at least 0 and below 1, not {eval_split}")
    if eval_split == 0.0:
        return dict.fromkeys(input_hashes, TRAIN)
    keys = {digest: split_key(digest, seed) for digest in input_hashes}
    sides = {digest: DEV if key < eval_split else TRAIN for digest, key in keys.items()}
    if len(keys) >= 2:
        for wanted in (DEV, TRAIN):
            if wanted not in sides.values():
                nearest = min(keys, key=keys.__getitem__) if wanted == DEV else max(keys, key=keys.__getitem__)
                sides[nearest] = wanted
    return sides

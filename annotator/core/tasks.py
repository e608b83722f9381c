"""Documents, answers and reviews as plain values (the store turns rows into these)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from annotator.core.spans import Span

ACCEPT, REJECT, IGNORE = "accept", "reject", "ignore"
ANSWERS = (ACCEPT, REJECT, IGNORE)
AnswerKind = Literal["accept", "reject", "ignore"]


def input_hash(text: str) -> str:
    """Stable identity of a text within a dataset: re-importing it adds nothing."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class NewDocument:
    """A document as an importer reads it, before the store gives it an id."""

    text: str
    tokens: Sequence[tuple[int, int]] | bytes  # offsets, or packed (core/token_codec.py)
    meta: dict = field(default_factory=dict)
    digest: str | None = None  # the input hash, when the importer has it already

    @property
    def input_hash(self) -> str:
        return self.digest or input_hash(self.text)


@dataclass(frozen=True)
class Document:
    id: int
    dataset: str
    text: str
    tokens: list[tuple[int, int]]
    meta: dict
    input_hash: str

    @property
    def source(self) -> str:
        """Where the document came from, for the status bar."""
        meta = self.meta or {}
        source = meta.get("source") or meta.get("file") or ""
        if source and "offset" in meta:
            return f"{source} @{meta['offset']}"
        return str(source)


@dataclass(frozen=True)
class Answer:
    id: int
    document: int
    annotator: str
    answer: AnswerKind
    spans: tuple[Span, ...]
    started_at: float
    answered_at: float
    task: dict | None = field(
        default=None, compare=False
    )  # an imported answer's task fields as they came (Prodigy's hashes, meta...)

    @property
    def duration(self) -> float:
        return max(0.0, self.answered_at - self.started_at)


@dataclass(frozen=True)
class Review:
    id: int
    document: int
    reviewer: str
    answer: AnswerKind
    spans: tuple[Span, ...]
    decided_from: tuple[int, ...]
    decided_at: float

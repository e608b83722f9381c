"""Counts in the words a person would write: "1 file", "2 files", "0 files"."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an ``s`` unless the count is one (the nouns here are regular)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"

"""A store where three annotators answered three documents: they disagree on two
(NEWS two against one, OTHER three ways) and agree on THIRD."""

from __future__ import annotations

from pathlib import Path

from annotator.core.spans import Span
from annotator.store import Store
from tests.helpers.news import NEWS, OTHER, THIRD, news_store


def at(text: str, phrase: str, label: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase), label)


VERSIONS = {
    NEWS: {
        "alice": [at(NEWS, "Iraq", "GPE"), at(NEWS, "Syrian", "NORP"), at(NEWS, "Bashar al-Assad", "PERSON")],
        "bob": [at(NEWS, "Iraq", "GPE"), at(NEWS, "Syrian", "NORP"), at(NEWS, "Bashar al-Assad", "PERSON")],
        "carol": [at(NEWS, "Iraq", "GPE"), at(NEWS, "al-Assad", "PERSON"), at(NEWS, "Syria", "GPE", 1)],
    },
    OTHER: {
        "alice": [at(OTHER, "Baghdad", "GPE"), at(OTHER, "Monday", "DATE")],
        "bob": [at(OTHER, "Baghdad", "GPE"), at(OTHER, "Russia", "GPE")],
        "carol": [
            at(OTHER, "Baghdad", "GPE"),
            at(OTHER, "Russia", "GPE"),
            at(OTHER, "Iraq", "GPE"),
            at(OTHER, "2,000", "CARDINAL"),
        ],
    },
    THIRD: {
        name: [at(THIRD, "Mohammad al-Bashir", "PERSON"), at(THIRD, "Syria", "GPE")]
        for name in ("alice", "bob", "carol")
    },
}


def disagreeing_store(db: Path) -> dict[str, int]:
    """The store; returns {text: document id}."""
    ids = dict(zip((NEWS, OTHER, THIRD), news_store(db, [NEWS, OTHER, THIRD], suggest=False), strict=True))
    with Store(db) as store:
        for text, by_name in VERSIONS.items():
            for name, spans in by_name.items():
                store.add_answer(ids[text], name, "accept", spans, started_at=0)
    return ids


def answer_ids(store: Store, document: int) -> tuple[int, ...]:
    return tuple(
        a.id for a in sorted(store.latest_answers("news"), key=lambda a: a.annotator) if a.document == document
    )

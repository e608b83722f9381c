"""The news documents of the screen tests, tokenized by spaCy's English tokenizer, with the
labels.yaml they are annotated with and stores holding them."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.spans import Span
from annotator.core.tasks import NewDocument
from annotator.io.labels import load_labels
from annotator.store import Store

NEWS = (
    "Iraq sent back nearly 2,000 Syrian soldiers on Thursday after they had sought refuge in Iraq "
    "during the advance of rebel forces that toppled President Bashar al-Assad.\n\n"
    "The soldiers were returned at their request and entered via a border crossing between Iraq and Syria."
)
OTHER = "Officials in Baghdad met on Monday. Russia and Iraq spoke about 2,000 soldiers."
THIRD = "Mohammad al-Bashir was named prime minister in Syria."


def tokens_of(text: str) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t)) for t in _tokenizer()(text)]


_cached = {}


def _tokenizer():
    if "en" not in _cached:
        import spacy

        _cached["en"] = spacy.blank("en").tokenizer
    return _cached["en"]


def phrase_spans(text: str, phrases: dict[str, str]) -> list[Span]:
    """Every whole-word occurrence of each phrase, with its label."""
    spans = []
    for phrase, label in phrases.items():
        spans += [Span(m.start(), m.end(), label) for m in re.finditer(rf"\b{re.escape(phrase)}\b", text)]
    return sorted(spans)


SUGGESTED = {
    "Iraq": "GPE",
    "Syria": "GPE",
    "Syrian": "NORP",
    "Thursday": "DATE",
    "Bashar al-Assad": "PERSON",
    "Baghdad": "GPE",
    "Russia": "GPE",
    "Monday": "DATE",
}


def news_store(path: Path, texts: list[str], dataset: str = "news", suggest: bool = True) -> list[int]:
    """A store with these documents (and suggestions from SUGGESTED), closed; their ids in order."""
    docs = [NewDocument(text, tokens_of(text), {"source": f"doc{i}.txt"}) for i, text in enumerate(texts)]
    with Store(path) as store:
        ids = store.add_documents(dataset, docs)
        ordered = [ids[doc.input_hash] for doc in docs]
        if suggest:
            store.add_suggestions(
                [(i, "test", phrase_spans(d.text, SUGGESTED)) for i, d in zip(ordered, docs, strict=True)], replace=True
            )
    return ordered


NEWS_LABELS = """
lang: en
model: null
patterns: null
labels:
  - {name: PERSON, key: "1", color: "#e5c07b"}
  - {name: NORP, key: "2", color: "#c678dd"}
  - {name: GPE, key: "5", color: "#98c379"}
  - {name: DATE, key: "8", color: "#a9b665"}
  - {name: CARDINAL, key: "9", color: "#8a8fa3"}
"""


def write_labels(folder: Path, extra: str = "", labels: str = NEWS_LABELS):
    path = folder / "labels.yaml"
    path.write_text(labels + extra, encoding="utf-8")
    return load_labels(path)

"""Stores built for the export, train and model-loop tests, through the Store API with
spaCy's blank English tokenizer for the token offsets."""

from __future__ import annotations

from pathlib import Path

from annotator.core.spans import Span
from annotator.core.tasks import NewDocument
from annotator.store import Store

LABELS = ["PERSON", "NORP", "GPE", "DATE", "CARDINAL", "LOC"]


def tokenize(texts: list[str]) -> list[NewDocument]:
    import spacy

    nlp = spacy.blank("en")
    return [
        NewDocument(text, [(t.idx, t.idx + len(t)) for t in nlp.make_doc(text)], {"n": i})
        for i, text in enumerate(texts)
    ]


def span(text: str, phrase: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase), label)


# text -> {annotator: (answer, [(phrase, label), ...])}; reviews separately.
T_ACCEPTED = "Ahmed al-Sharaa met officials in Damascus on Thursday."
T_EMPTY = "Iraq sent soldiers back to Syria."
T_REJECTED = "Bashar al-Assad fled to Russia."
T_IGNORED = "Officials in Baghdad met on Monday."
T_THREE = "Russia and Iraq spoke about 2,000 soldiers."
T_AGREED = "Syrian rebels seized Damascus in December."
T_REVIEWED = "The Iraqi military said 1,905 officers returned."
T_TIE = "Mohammad al-Bashir was named prime minister in Syria."
T_SPLIT_VOTE = "Officials in Damascus said 3,000 people returned."
T_UNANSWERED = "Nobody has read this sentence about Baghdad yet."
T_REVIEW_REJECTED = "Turkey closed the border on Friday."
T_SPACES = "Officials  met in\n\nBaghdad   on Monday. "

ANSWERS = {
    T_ACCEPTED: {"alice": ("accept", [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE"), ("Thursday", "DATE")])},
    T_EMPTY: {"alice": ("accept", [])},
    T_REJECTED: {"alice": ("reject", [])},
    T_IGNORED: {"alice": ("ignore", [("Baghdad", "GPE")])},
    T_THREE: {
        "alice": ("accept", [("Russia", "GPE"), ("Iraq", "GPE"), ("2,000", "CARDINAL")]),
        "bob": ("accept", [("Russia", "GPE"), ("Iraq", "GPE")]),
        "carol": ("accept", [("Russia", "LOC"), ("Iraq", "GPE")]),
    },
    T_AGREED: {
        "alice": ("accept", [("Syrian", "NORP"), ("Damascus", "GPE"), ("December", "DATE")]),
        "bob": ("accept", [("Syrian", "NORP"), ("Damascus", "GPE"), ("December", "DATE")]),
        "carol": ("ignore", []),
    },
    T_REVIEWED: {"alice": ("accept", [("Iraqi", "NORP")]), "bob": ("accept", [("1,905", "CARDINAL")])},
    T_TIE: {"alice": ("accept", [("Mohammad al-Bashir", "PERSON")]), "bob": ("accept", [])},
    T_SPLIT_VOTE: {"alice": ("accept", [("Damascus", "GPE")]), "bob": ("reject", [])},
    T_REVIEW_REJECTED: {"alice": ("accept", [("Turkey", "GPE")])},
    T_SPACES: {"alice": ("accept", [("Baghdad", "GPE"), ("Monday", "DATE")])},
}
REVIEWS = {
    T_REVIEWED: ("accept", [("Iraqi", "NORP"), ("1,905", "CARDINAL")]),
    T_REVIEW_REJECTED: ("reject", []),
}
TEXTS = [
    T_ACCEPTED,
    T_EMPTY,
    T_REJECTED,
    T_IGNORED,
    T_THREE,
    T_AGREED,
    T_REVIEWED,
    T_TIE,
    T_SPLIT_VOTE,
    T_UNANSWERED,
    T_REVIEW_REJECTED,
    T_SPACES,
]


# What each exported document must be whatever the policy: text -> [(phrase, label), ...].
ALWAYS = {
    T_ACCEPTED: [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE"), ("Thursday", "DATE")],
    T_EMPTY: [],
    T_AGREED: [("Syrian", "NORP"), ("Damascus", "GPE"), ("December", "DATE")],
    T_REVIEWED: [("Iraqi", "NORP"), ("1,905", "CARDINAL")],
    T_SPACES: [("Baghdad", "GPE"), ("Monday", "DATE")],
}


def spans_of(text: str, pairs) -> list[Span]:
    return [span(text, phrase, label) for phrase, label in pairs]


def build_store(path: Path, dataset: str = "news", texts: list[str] = TEXTS) -> Store:
    """A store in which three annotators and a reviewer answered ``texts`` as above."""
    store = Store(path)
    store.ensure_dataset(dataset, "en", LABELS)
    ids = store.add_documents(dataset, tokenize(texts))
    by_text = {store.document(i).text: i for i in ids.values()}
    for text, answers in ANSWERS.items():
        if text not in by_text:
            continue
        for annotator, (answer, pairs) in answers.items():
            if annotator == "alice" and answer == "accept":  # a changed mind: only the newest counts
                store.add_answer(by_text[text], annotator, "reject", [], started_at=1.0)
            store.add_answer(by_text[text], annotator, answer, spans_of(text, pairs), started_at=1.0)
    for text, (answer, pairs) in REVIEWS.items():
        if text in by_text:
            store.add_review(by_text[text], "rita", answer, spans_of(text, pairs), decided_from=[])
    return store


NAMES = ["Ahmed al-Sharaa", "Bashar al-Assad", "Mohammad al-Bashir", "Recep Erdogan", "Haider al-Abadi", "Asma Assad"]
PLACES = ["Damascus", "Baghdad", "Aleppo", "Ankara", "Beirut", "Homs"]
DAYS = ["Monday", "Tuesday", "Thursday", "Friday", "December"]


def generated_texts(n: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """``n`` distinct sentences with their entities (enough for `spacy debug data`)."""
    out = []
    for i in range(n):
        name, place, day = NAMES[i % 6], PLACES[(i // 6) % 6], DAYS[(i // 36) % 5]
        text = f"{name} met officials in {place} on {day} ({i})."
        out.append((text, [(name, "PERSON"), (place, "GPE"), (day, "DATE")]))
    return out


def build_generated_store(path: Path, n: int = 150, dataset: str = "news") -> Store:
    """``n`` documents, each accepted by one annotator with its entities."""
    store = Store(path)
    store.ensure_dataset(dataset, "en", LABELS)
    generated = generated_texts(n)
    ids = store.add_documents(dataset, tokenize([text for text, _ in generated]))
    with store.write():
        for (text, pairs), document in zip(generated, ids.values(), strict=True):
            store.add_answer(document, "alice", "accept", spans_of(text, pairs), started_at=1.0)
    return store

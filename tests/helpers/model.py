"""A real, tiny spaCy NER pipeline, trained here (tests and the preannotate benchmark)."""

from __future__ import annotations

import random
from pathlib import Path

TRAIN_SENTENCES = [
    (
        "Ahmed al-Sharaa met officials in Damascus on Thursday.",
        [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE"), ("Thursday", "DATE")],
    ),
    ("Iraq sent soldiers back to Syria.", [("Iraq", "GPE"), ("Syria", "GPE")]),
    ("Bashar al-Assad fled to Russia.", [("Bashar al-Assad", "PERSON"), ("Russia", "GPE")]),
    ("The Iraqi military said 1,905 officers returned.", [("Iraqi", "NORP"), ("1,905", "CARDINAL")]),
    ("Mohammad al-Bashir was named prime minister in Syria.", [("Mohammad al-Bashir", "PERSON"), ("Syria", "GPE")]),
    ("Syrian rebels seized Damascus in December.", [("Syrian", "NORP"), ("Damascus", "GPE"), ("December", "DATE")]),
    ("Officials in Baghdad met on Monday.", [("Baghdad", "GPE"), ("Monday", "DATE")]),
    ("Russia and Iraq spoke about 2,000 soldiers.", [("Russia", "GPE"), ("Iraq", "GPE"), ("2,000", "CARDINAL")]),
]


def _entities(text: str, pairs: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out = []
    for phrase, label in pairs:
        start = text.index(phrase)
        out.append((start, start + len(phrase), label))
    return out


def train_tiny_ner(output: Path, iterations: int = 30, seed: int = 0) -> Path:
    """Train and save a small English NER pipeline: a real model, loaded back by path."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    examples = []
    for text, pairs in TRAIN_SENTENCES:
        ents = _entities(text, pairs)
        for _, _, label in ents:
            ner.add_label(label)
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    nlp.meta["name"] = "tiny_ner"
    nlp.meta["version"] = "0.0.1"
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(iterations):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    nlp.to_disk(output)
    return output

"""How sure a spaCy NER pipeline is of a document: the beam's disagreement, per document.

spaCy's transition-based recognizer can decode with a beam (``EntityRecognizer.beam_parse``)
whatever it was trained with; ``scored_ents`` sums, for every candidate entity, the
probability of the beam's analyses that contain it (the scores Prodigy's ``ner.teach`` asks
about, with the same beam). A document's confidence is the smallest margin ``|2p - 1|`` over
its candidate entities: 0 when some entity is a coin toss, 1 when every analysis in the beam
agrees (no candidates at all: 1). The suggestions themselves stay the greedy parse, the same
entities as ``nlp(text)`` (and as the model was scored on held-out answers).

A pipeline without such a ``ner`` as its last component (patterns alone, another recognizer)
gives no confidence: None.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

BEAM_WIDTH = 16  # Prodigy's ner.teach beam
BEAM_DENSITY = 0.0001
NER = "ner"

Context = TypeVar("Context")


def margin_confidence(scores: Mapping[Any, float]) -> float:
    """The smallest ``|2p - 1|`` over the candidate entities' probabilities (1.0 for none)."""
    return min((abs(2 * p - 1) for p in scores.values()), default=1.0)


def scoring_ner(nlp) -> Any | None:
    """The pipeline's ``ner`` when it can be beam-decoded and runs last, else None."""
    names = nlp.pipe_names
    if not names or names[-1] != NER:
        return None
    ner = nlp.get_pipe(NER)
    return ner if hasattr(ner, "beam_parse") and hasattr(ner, "scored_ents") else None


def scored_pipe(
    nlp, items: Iterable[tuple[str, Context]], batch_size: int
) -> Iterator[tuple[Any, Context, float | None]]:
    """(doc, context, confidence) for (text, context) items, like ``nlp.pipe(as_tuples=True)``."""
    from spacy.util import minibatch

    ner = scoring_ner(nlp)
    if ner is None:
        for doc, context in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
            yield doc, context, None
        return
    before_ner = nlp.pipe(items, as_tuples=True, batch_size=batch_size, disable=[NER])
    for batch in minibatch(before_ner, size=batch_size):
        docs = [doc for doc, _ in batch]
        scores = ner.scored_ents(ner.beam_parse(docs, beam_width=BEAM_WIDTH, beam_density=BEAM_DENSITY))
        ner.set_annotations(docs, ner.predict(docs))  # the greedy parse: the entities nlp(text) gives
        for (doc, context), scored in zip(batch, scores, strict=True):
            yield doc, context, margin_confidence(scored)

"""Training a spaCy NER pipeline on a dataset's answers, in this process, with spaCy's
own training API (``nlp.initialize`` or ``nlp.resume_training``, ``nlp.update`` with
``Example``), and scoring pipelines on held-out answers.

The starting point is labels.yaml's model when it is a pipeline with a trainable ``ner``
(its other components are left as pre-highlighting uses them), else ``spacy.blank(lang)``
with a new ``ner``; the patterns, if any, go in front as an ``entity_ruler``. The ruler does not annotate the
documents during training: spaCy's recognizer cannot be taught against entities set
before it (E024, "could not find an optimal move"), and a pattern's wrong match is
exactly what an answer corrects.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.spans import Span
from annotator.core.split import DEV
from annotator.core.suggestions import merge_suggestions
from annotator.io.labels import LabelsConfig
from annotator.io.spacy_docs.write import make_doc
from annotator.store import Store
from annotator.usecases.export.sides import plan_split, planned_documents
from annotator.usecases.preannotate import Highlighter, doc_spans, load_model, model_installed, read_patterns

RULER = "entity_ruler"
DROPOUT = 0.2


@dataclass(frozen=True)
class Answered:
    """A document with its final spans (the one accepted answer, or the review's)."""

    text: str
    tokens: bytes  # the offsets as core.token_codec packs them
    spans: tuple[Span, ...]


def answered_documents(
    store: Store, dataset: str, held_out_share: float, seed: int = 0
) -> tuple[list[Answered], list[Answered]]:
    """(to train on, held out): every document with final spans, on its side of the stable
    split (``core.split``), so a held-out answer stays held out as more come in."""
    planned = plan_split(store, dataset, eval_split=held_out_share, seed=seed)
    train: list[Answered] = []
    held: list[Answered] = []
    for side, text, tokens, spans in planned_documents(store, planned):
        (held if side == DEV else train).append(Answered(text, tokens, tuple(Span(*span) for span in spans)))
    return train, held


def _trainable_ner(nlp) -> bool:
    from spacy.pipeline import TrainablePipe

    return "ner" in nlp.pipe_names and isinstance(nlp.get_pipe("ner"), TrainablePipe)


def starting_pipeline(config: LabelsConfig) -> tuple[Any, bool]:
    """(nlp, resumed): labels.yaml's model if its ``ner`` can be trained further, else
    blank; with the patterns as an entity ruler in front of ``ner``."""
    import spacy

    nlp, resumed = None, False
    model = config.resolve(config.model)
    if model and model_installed(model):
        loaded = load_model(model, note=lambda _: None)
        if loaded is not None and _trainable_ner(loaded.nlp):
            nlp, resumed = loaded.nlp, True
    if nlp is None:
        nlp = spacy.blank(config.lang)
        nlp.add_pipe("ner")
    ner: Any = nlp.get_pipe("ner")
    for label in config.names:
        ner.add_label(label)
    if config.patterns and RULER not in nlp.pipe_names:
        nlp.add_pipe(RULER, before="ner")
    return nlp, resumed


def _examples(nlp, documents: Iterable[Answered]) -> list:
    from spacy.tokens import Doc
    from spacy.training import Example

    examples = []
    for document in documents:
        try:
            reference = make_doc(nlp.vocab, document.text, document.tokens, document.spans)
        except ValueError:  # a span off the tokens (`annotator db check` tells): nothing to learn from it
            continue
        predicted = Doc(nlp.vocab, words=[t.text for t in reference], spaces=[bool(t.whitespace_) for t in reference])
        examples.append(Example(predicted, reference))
    return examples


def train_pipeline(config: LabelsConfig, documents: Sequence[Answered], epochs: int, seed: int = 0):
    """A pipeline trained on ``documents`` for ``epochs`` passes (shuffled, growing batches)."""
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp, resumed = starting_pipeline(config)
    examples = _examples(nlp, documents)
    optimizer = nlp.resume_training() if resumed else nlp.initialize(lambda: examples)
    if RULER in nlp.pipe_names:  # initialize empties the ruler: the patterns go in after it
        ruler: Any = nlp.get_pipe(RULER)
        ruler.clear()
        ruler.add_patterns([pattern for _, pattern in read_patterns(Path(config.resolve(config.patterns) or ""))])
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses={})
    return nlp


def predicted_spans(highlighters: Sequence[Highlighter], config: LabelsConfig, documents: Sequence[Answered]):
    """Each document's suggestions from these highlighters, merged as the screen shows them."""
    per_source = [_spans(highlighter.nlp, config, documents) for highlighter in highlighters]
    return (
        [merge_suggestions(list(spans)) for spans in zip(*per_source, strict=True)]
        if per_source
        else [() for _ in documents]
    )


def _spans(nlp, config: LabelsConfig, documents: Sequence[Answered]) -> list[tuple[Span, ...]]:
    docs = nlp.pipe((document.text for document in documents), batch_size=64)
    return [
        doc_spans(doc, document.text, document.tokens, config) for doc, document in zip(docs, documents, strict=True)
    ]

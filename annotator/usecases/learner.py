"""`annotator learn`: the trainer of one store and dataset. Whenever the dataset has
``every`` new accepted answers since the last round, it trains a NER pipeline on them
(``ner_training``), scores it and the current suggestions on the held-out answers, and
keeps it only if it scores better: saved beside the store (``learned``) and run over every
document nobody has answered yet, as suggestion source ``learned k``, with each document's
confidence (``confidence``), which ``annotate --order uncertain`` ranks by.

No printing and no Textual: the CLI and the annotate screen's child process call
:meth:`Learner.watch` (or :meth:`Learner.learn_once`) and say what the rounds return.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.span_scores import span_scores
from annotator.io.labels import DEFAULT_LEARN_EVERY, LabelsConfig
from annotator.store import Store
from annotator.usecases import learned
from annotator.usecases.export.choose import plan_export
from annotator.usecases.learned import LearnedMeta
from annotator.usecases.ner_training import Answered, answered_documents, predicted_spans, train_pipeline
from annotator.usecases.preannotate import Highlighter, load_highlighters, run_highlighter

HELD_OUT_SHARE = 0.2  # of the answers, by the stable split: never trained on, only scored on
EPOCHS = 10
POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Round:
    """One training round: what it trained on, both scores, and what it kept."""

    answers: int
    trained_on: int
    held_out: int
    before: str  # the suggestions it was compared with: "learned 2", or the project's sources
    f1_before: float
    f1_after: float
    seconds: float
    kept: LearnedMeta | None  # None: it did not beat them, nothing changed
    highlighted: int = 0  # documents re-highlighted with it


class Learner:
    def __init__(
        self,
        store: Store,
        config: LabelsConfig,
        dataset: str,
        every: int = DEFAULT_LEARN_EVERY,
        epochs: int = EPOCHS,
        held_out_share: float = HELD_OUT_SHARE,
    ):
        self.store, self.config, self.dataset = store, config, dataset
        self.every, self.epochs, self.held_out_share = every, epochs, held_out_share
        self.folder = learned.learned_folder(store.path, dataset)

    def answers(self) -> int:
        """Documents of the dataset with final spans (accepted, or settled by a review)."""
        return len(plan_export(self.store, self.dataset).finals)

    def due(self) -> int | None:
        """The answer count to train on now, or None while fewer than ``every`` are new."""
        count = self.answers()
        return count if count - learned.answers_seen(self.folder) >= self.every and count >= 2 else None

    def current(self) -> tuple[str, list[Highlighter]]:
        """The suggestions a new model must beat: the newest kept model, else the project's own."""
        newest = learned.newest_model(self.folder)
        if newest is not None:
            import spacy

            nlp = spacy.load(learned.model_path(self.folder, newest.k))
            return newest.source, [Highlighter(newest.source, nlp)]
        highlighters = load_highlighters(self.config, note=lambda _: None)
        return " + ".join(h.source for h in highlighters) or "no suggestions", highlighters

    def learn_once(self, force: bool = False) -> Round | None:
        """One round if it is due (``force``: whatever the count); None if not due."""
        count = self.answers() if force else self.due()
        if count is None or count < 2:
            return None
        started = time.perf_counter()
        train, held = answered_documents(self.store, self.dataset, self.held_out_share)
        before, highlighters = self.current()
        f1_before = self.score(highlighters, held)
        nlp = train_pipeline(self.config, train, self.epochs)
        f1_after = self.score([Highlighter("new", nlp)], held)
        learned.remember_answers_seen(self.folder, count)
        seconds = time.perf_counter() - started
        if f1_after <= f1_before:
            return Round(count, len(train), len(held), before, f1_before, f1_after, seconds, None)
        newest = learned.newest_model(self.folder)
        meta = LearnedMeta(
            (newest.k if newest else 0) + 1, len(train), len(held), f1_before, f1_after, count, round(seconds, 2)
        )
        learned.keep_model(self.folder, nlp, meta)
        unanswered = self.store.unanswered_documents(self.dataset)
        run_highlighter(self.store, self.config, Highlighter(meta.source, nlp), unanswered, scored=True)
        learned.remember_ranked(self.folder, meta.source)
        return Round(count, len(train), len(held), before, f1_before, f1_after, seconds, meta, len(unanswered))

    def score(self, highlighters: list[Highlighter], held: list[Answered]) -> float:
        predicted = predicted_spans(highlighters, self.config, held)
        return span_scores(zip(predicted, (document.spans for document in held), strict=True)).f1

    def watch(
        self,
        on_round: Callable[[Round], None],
        keep_going: Callable[[], bool] = lambda: True,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        """Rounds as answers come in, while ``keep_going()``; the caller holds the trainer lock."""
        while keep_going():
            done = self.learn_once()
            if done is not None:
                on_round(done)
            else:
                time.sleep(poll_seconds)

"""One annotator's session on a dataset: which document is on screen, answers, going back.

No Textual here: the annotate screen calls these methods and draws what they return,
so the rules (answer committed before the next document, leases released on quit,
ignored documents back once after the rest, a changed mind is a new row) are in one place.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from annotator.core.spans import Span, Tokens
from annotator.core.suggestions import current_sources, disputed, learned_k, merge_suggestions
from annotator.core.task_order import FILE, UNCERTAIN, HandOut, TaskOrder, is_control, random_turn
from annotator.core.tasks import ACCEPT, IGNORE, REJECT, Answer, Document
from annotator.io.labels import LabelsConfig

if TYPE_CHECKING:  # the type only: the screens import this module, and load no SQLite
    from annotator.store import Store


@dataclass
class Task:
    """A document on screen and the spans it opens with."""

    document: Document
    tokens: Tokens
    spans: tuple[Span, ...]
    shown_at: float
    previous: Answer | None = None  # set when going back to a document already answered
    from_suggestions: bool = True
    learned: str | None = None  # the learned source ("learned 3") whose suggestions it opens with
    control: bool = False  # one of --control's documents: shown without suggestions
    sources: tuple[str, ...] = ()  # the suggestion sources it opens with (none: none had any)
    disputed: tuple[Span, ...] = ()  # spans other sources suggest that it does not open with

    @property
    def shown(self) -> str | None:
        """What ``answers.shown`` records: the sources on screen, '' for a control document,
        None when no source had suggestions for it (neither group of the control)."""
        return "" if self.control else (" + ".join(self.sources) or None)


class Suggested(NamedTuple):
    learned: str | None  # the learned source shown, or None
    sources: tuple[str, ...]  # the sources whose spans it opens with
    spans: tuple[Span, ...]  # the spans the document opens with
    disputed: tuple[Span, ...]  # spans other sources suggest that it does not open with


@dataclass
class Given:
    """An answer given on screen, on its way to the store (the screen's saver retries
    ``AnnotateSession.store_answer`` with it until the store takes it)."""

    document: int
    kind: str
    spans: tuple[Span, ...]
    started_at: float
    answered_at: float  # when the key was pressed, not when the store took it
    row: int | None = None  # set once stored, so that a retry never stores it twice
    shown: str | None = None  # the task's ``shown``


@dataclass
class Summary:
    answers: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)


class AnnotateSession:
    def __init__(
        self,
        store: Store,
        config: LabelsConfig,
        dataset: str,
        annotator: str,
        overlap: int = 1,
        lease_seconds: float | None = None,  # None: the store's LEASE_SECONDS
        clock=time.time,
        hand_out: HandOut | None = None,  # --order, --seed, --control (default: file order, no control)
    ):
        from annotator.store import LEASE_SECONDS, new_session_id

        self.store, self.config, self.dataset = store, config, dataset
        self.annotator, self.overlap = annotator, overlap
        self.lease_seconds = LEASE_SECONDS if lease_seconds is None else lease_seconds
        self.clock = clock
        self.session = new_session_id()  # leases are this screen's, not every screen of the name
        self.started_at = clock()
        # Documents ignored before this time are handed out after the fresh ones. It moves
        # to "now" once, when nothing fresh is left, so the documents skipped during this
        # session come back too; skipped again, they wait for the next session.
        self.ignored_before = self.started_at
        self.second_round = False
        self.answered_here = 0
        self.task: Task | None = None
        self._back: list[int] | None = None  # documents to go back to, newest last
        self._leased: set[int] = set()
        self._learned_notes: dict[str, str] = {}
        self.hand_out = hand_out or HandOut()
        self.handed = 0  # documents handed out by the order (uncertain: which turns are random)
        self._order_ready = False

    # -- moving through documents -----------------------------------------------------

    def next_task(self, store: Store | None = None) -> Task | None:
        """Lease the next document and open it with its suggestions (None: all done).
        ``store``: the connection to write through (the screen's saver), else the session's."""
        store = store or self.store
        document_id = self._lease_next(store)
        if document_id is None and not self.second_round:
            self.second_round = True
            self.ignored_before = self.clock()
            document_id = self._lease_next(store)
        if document_id is None:
            self.task = None
            return None
        self._leased.add(document_id)
        self.handed += 1
        document = store.document(document_id)
        task = Task(document, _tokens(document), (), self.clock(), control=self.is_control(document))
        self.task = self.with_suggestions(task, store)
        return self.task

    def _lease_next(self, store: Store) -> int | None:
        if not self._order_ready:  # the seeded shuffle, made once per seed and store
            store.prepare_order(self.dataset, self.order(store))
            self._order_ready = True
        return store.next_task(
            self.dataset,
            self.annotator,
            overlap=self.overlap,
            lease_seconds=self.lease_seconds,
            ignored_before=self.ignored_before,
            session=self.session,
            order=self.order(store),
        )

    def order(self, store: Store | None = None) -> TaskOrder:
        """The order of the next call: uncertain ranks by the newest learned model whose
        confidences are stored, and every few turns takes the shuffle (``core.task_order``)."""
        hand_out = self.hand_out
        ranked = self.ranked_by(store) if hand_out.order == UNCERTAIN else None
        return TaskOrder(hand_out.order, hand_out.seed, ranked, random_turn=random_turn(self.handed))

    def ranked_by(self, store: Store | None = None) -> str | None:
        from annotator.usecases.learned import learned_folder, ranked_source

        source = ranked_source(learned_folder(self.store.path, self.dataset))
        return source if source is not None and (store or self.store).has_confidences(source) else None

    def order_note(self) -> str:
        """What the top line says of the order and the control ('' for the file order alone)."""
        hand_out, notes = self.hand_out, []
        if hand_out.order == UNCERTAIN:
            ranked = self.ranked_by()
            notes.append(f"least sure first ({ranked})" if ranked else "uncertain order: no model yet, file order")
        elif hand_out.order != FILE:
            notes.append(f"{hand_out.order} order")
        if self.task is not None and self.task.control:
            notes.append("control: shown without suggestions")
        return " · ".join(notes)

    def is_control(self, document: Document) -> bool:
        return is_control(document.input_hash, self.hand_out.control)

    def with_suggestions(self, task: Task, store: Store | None = None) -> Task:
        """``task`` opening with its suggestions now (none for a control document)."""
        if not task.control:
            task.learned, task.sources, task.spans, task.disputed = self.suggested_from(task.document.id, store)
        return task

    def suggested(self, document_id: int, store: Store | None = None) -> tuple[Span, ...]:
        return self.suggested_from(document_id, store).spans

    def suggested_from(self, document_id: int, store: Store | None = None) -> Suggested:
        """What a document opens with: the newest learned model's spans alone where it has
        been, else every source merged; and the spans other sources suggest beside them."""
        known = set(self.config.names)
        every = (store or self.store).suggestions(document_id)
        learned, sources = current_sources(every)
        spans = tuple(s for s in merge_suggestions(sources) if s.label in known)
        return Suggested(learned, tuple(sources), spans, disputed(every, spans, known))

    def learned_note(self, source: str) -> str:
        """What the screen says of a learned source: its held-out F1 and training size."""
        if source not in self._learned_notes:
            from annotator.usecases.learned import learned_folder, read_meta

            k = learned_k(source)
            meta = read_meta(learned_folder(self.store.path, self.dataset), k) if k is not None else None
            self._learned_notes[source] = meta.summary() if meta else source
        return self._learned_notes[source]

    def answer(self, kind: str, spans: tuple[Span, ...]) -> int:
        """Commit the answer for the document on screen (a new row, never an update)."""
        given = self.give(kind, spans)
        self.store_answer(given, self.store)
        self.saved(given)
        assert given.row is not None  # store_answer sets it
        return given.row

    # An answer in three steps, so that the screen can write it in a worker and retry:
    # give (the key press), store_answer (any thread, again after a failure; then the
    # screen leases the next document with next_task), saved (the store has it).

    def give(self, kind: str, spans: tuple[Span, ...]) -> Given:
        assert self.task is not None and kind in (ACCEPT, REJECT, IGNORE)
        task = self.task
        return Given(task.document.id, kind, tuple(spans), task.shown_at, self.clock(), shown=task.shown)

    def store_answer(self, given: Given, store: Store) -> None:
        if given.row is None:
            given.row = store.add_answer(
                given.document,
                self.annotator,
                given.kind,
                given.spans,
                started_at=given.started_at,
                answered_at=given.answered_at,
                session=self.session,
                shown=given.shown,
            )

    def saved(self, given: Given) -> None:
        """The store has the answer: count it and remember it for going back."""
        document_id = given.document
        self._leased.discard(document_id)
        self.answered_here += 1
        back = self._history()
        if document_id in back:
            back.remove(document_id)
        back.append(document_id)

    def can_go_back(self) -> bool:
        current = self.task.document.id if self.task else None
        return any(doc != current for doc in self._history())

    def go_back(self) -> Task | None:
        """Reopen the previously answered document with the answer given, to answer again.
        The document on screen keeps its lease, so it comes next again."""
        back = self._history()
        current = self.task.document.id if self.task else None
        while back and back[-1] == current:
            back.pop()
        if not back:
            return None
        document_id = back.pop()
        document = self.store.document(document_id)
        previous = self.store.latest_answer(document_id, self.annotator)
        # The treatment stays the document's (control or its sources); the spans are the answer's.
        task = self.with_suggestions(Task(document, _tokens(document), (), self.clock(), previous, False,
                                          control=self.is_control(document)))  # fmt: skip
        if previous is not None:
            task.spans = previous.spans
        self.task = task
        return self.task

    def _history(self) -> list[int]:
        # After a restart, going back starts from this annotator's answers in the store.
        if self._back is None:
            seen: dict[int, None] = {}
            for answer in self.store.answer_history(dataset=self.dataset, annotator=self.annotator):
                seen.pop(answer.document, None)
                seen[answer.document] = None
            self._back = list(seen)
        return self._back

    def close(self, store: Store | None = None) -> None:
        """Give back the documents leased and not answered, for others to take now (once:
        if the store cannot take it, the leases run out by themselves)."""
        leased, self._leased = sorted(self._leased), set()
        for document_id in leased:
            (store or self.store).release_lease(document_id, self.annotator, session=self.session)

    # -- numbers for the progress bar and the finished screen ------------------------

    def rate_per_hour(self) -> float | None:
        """Answers per hour this session; None until there are enough to say."""
        if self.answered_here < 3:
            return None
        hours = max(self.clock() - self.started_at, 1.0) / 3600
        return self.answered_here / hours

    def summary(self) -> Summary:
        summary = Summary()
        for answer in self.store.latest_answers(self.dataset, self.annotator):
            summary.answers[answer.answer] += 1
            if answer.answer == ACCEPT:
                summary.labels.update(span.label for span in answer.spans)
        return summary


def _tokens(document: Document) -> Tokens:
    return Tokens(document.tokens, document.text)


def eta_seconds(done: int, total: int, per_hour: float | None) -> float | None:
    if not per_hour or total <= done:
        return None
    return (total - done) / per_hour * 3600

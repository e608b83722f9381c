"""One reviewer's session on a dataset: which documents need a decision, their versions,
the gold version each starts from, storing decisions and going back.

No Textual here: the review screen calls these methods and draws what they return.
A document needs review when its answers disagree (or, with ``min_answers``, when it
has at least that many answers) and it has no review yet that was decided from the
answers it has now: a newer answer makes an old review due again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from annotator.core.consensus import AWAITS_REVIEW, accepted_by_majority, final_spans, most_common_version
from annotator.core.spans import Span, Tokens
from annotator.core.tasks import ACCEPT, IGNORE, REJECT, Answer, Document, Review
from annotator.io.labels import LabelsConfig
from annotator.usecases.project import login_name

if TYPE_CHECKING:  # the type only: the screens import this module, and load no SQLite
    from annotator.store import Store


@dataclass
class Case:
    """A document under review: every annotator's answer, and the gold it opens with."""

    document: Document
    tokens: Tokens
    versions: list[Answer]  # the answer that counts of each annotator, by name
    gold: tuple[Span, ...]
    gold_from: int | None  # index in ``versions`` of the version the gold copies (None: none)
    gold_source: str  # where the gold came from, in words
    previous: Review | None = None  # set when going back to a document already decided
    earlier: Review | None = None  # the document's newest review when it opened, if any

    @property
    def accepted(self) -> list[tuple[Span, ...]]:
        return [version.spans for version in self.versions if version.answer == ACCEPT]

    @cached_property
    def _shared(self) -> frozenset[Span]:
        accepted = [frozenset(spans) for spans in self.accepted]
        return frozenset.intersection(*accepted) if accepted else frozenset()

    @property
    def rejected_by_most(self) -> bool:
        """Not more than half of those who answered accepted (ignores do not count; the
        ``majority`` export policy leaves such a document out): the screen proposes
        rejecting it, the gold still holds the most common accepted version."""
        return not accepted_by_majority(self.versions)

    def rejections(self) -> tuple[int, int]:
        """(rejected, answered) counting the annotators who accepted or rejected."""
        counted: list[str] = [version.answer for version in self.versions if version.answer != IGNORE]
        return counted.count(REJECT), len(counted)

    def disputed(self, span: Span) -> bool:
        """True when not every accepted version has this span."""
        return span not in self._shared

    def differences(self) -> list[tuple[Span, list[int]]]:
        """Each span some accepted versions have and others lack, with the numbers (from 1)
        of the versions that have it, in text order."""
        return self._differences

    @cached_property
    def _differences(self) -> list[tuple[Span, list[int]]]:
        numbered = [
            (n, frozenset(version.spans)) for n, version in enumerate(self.versions, 1) if version.answer == ACCEPT
        ]
        spans = sorted({span for _, spans in numbered for span in spans if self.disputed(span)})
        return [(span, [n for n, spans in numbered if span in spans]) for span in spans]

    def not_accepted(self) -> dict[str, list[str]]:
        """reject / ignore -> the annotators who answered so."""
        answers: dict[str, list[str]] = {}
        for version in self.versions:
            if version.answer != ACCEPT:
                answers.setdefault(version.answer, []).append(version.annotator)
        return answers

    @property
    def answer_ids(self) -> tuple[int, ...]:
        return tuple(version.id for version in self.versions)


@dataclass
class Decision:
    """A decision given on screen, on its way to the store."""

    document: int
    kind: str
    spans: tuple[Span, ...]
    decided_from: tuple[int, ...]
    row: int | None = None  # set once stored, so that a retry never stores it twice


def needs_review(answers: Sequence[Answer], min_answers: int | None) -> bool:
    if min_answers is not None:
        return len(answers) >= min_answers
    return final_spans(answers, conflicts="review").reason == AWAITS_REVIEW


def unanimous(answers: Sequence[Answer]) -> str | None:
    """The answer all of at least two annotators gave with the same spans (ignores do not
    count), else None."""
    counted = [answer for answer in answers if answer.answer != IGNORE]
    if len(counted) < 2 or len({(a.answer, frozenset(a.spans) if a.answer == ACCEPT else None) for a in counted}) != 1:
        return None
    return counted[0].answer


class ReviewSession:
    def __init__(
        self,
        store: Store,
        config: LabelsConfig,
        dataset: str,
        reviewer: str | None = None,
        min_answers: int | None = None,
        again: bool = False,
        documents: Sequence[int] | None = None,
    ):
        """``min_answers`` None: the documents whose answers disagree; N: those with at
        least N answers. ``again``: also documents already reviewed. ``documents``: just
        these (the agreement screen's worst documents), reviewed or not."""
        self.store, self.config, self.dataset = store, config, dataset
        self.reviewer = reviewer or login_name()
        self.min_answers, self.again = min_answers, again
        self.queue: list[int] = list(documents) if documents is not None else self._due()
        self.position = 0  # the document on screen is queue[position]
        self.case: Case | None = None
        self.auto_accepted = 0
        # document -> (accept | reject | skip, review row id): what happened here; going
        # back does not undo it (the row is stored), a new decision replaces it
        self._outcomes: dict[int, tuple[str, int | None]] = {}
        self._back: list[int] = []  # documents to go back to, newest last

    # -- which documents ------------------------------------------------------------------

    def _answers_by_document(self) -> dict[int, list[Answer]]:
        by_document: dict[int, list[Answer]] = defaultdict(list)
        for answer in self.store.latest_answers(self.dataset):
            by_document[answer.document].append(answer)
        return by_document

    def _up_to_date(self, by_document: dict[int, list[Answer]]) -> set[int]:
        """Documents whose newest review was decided from the answers they have now."""
        reviews = self.store.latest_reviews(self.dataset)
        return {
            doc
            for doc, review in reviews.items()
            if {a.id for a in by_document.get(doc, ())} <= set(review.decided_from)
        }

    def _due(self) -> list[int]:
        by_document = self._answers_by_document()
        reviewed = set() if self.again else self._up_to_date(by_document)
        return [
            doc
            for doc, answers in sorted(by_document.items())
            if doc not in reviewed and needs_review(answers, self.min_answers)
        ]

    def auto_accept(self) -> int:
        """Store the unanimous documents not reviewed yet as gold, in one transaction; they
        leave the queue. Returns how many were stored."""
        by_document = self._answers_by_document()
        reviewed = self._up_to_date(by_document)
        stored: list[int] = []
        with self.store.write():
            for doc, answers in sorted(by_document.items()):
                kind = unanimous(answers)
                if kind is None or doc in reviewed:
                    continue
                spans = next(a.spans for a in answers if a.answer == kind) if kind == ACCEPT else ()
                self.store.add_review(doc, self.reviewer, kind, spans, [a.id for a in answers])
                stored.append(doc)
        done = set(stored)
        self.queue = [doc for doc in self.queue if doc not in done]
        self.auto_accepted += len(stored)
        return len(stored)

    # -- moving through documents -------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.queue)

    @property
    def reviewed(self) -> int:
        return sum(1 for kind, _ in self._outcomes.values() if kind != "skip")

    @property
    def skipped(self) -> int:
        return self.count("skip")

    def count(self, kind: str) -> int:
        return sum(1 for outcome, _ in self._outcomes.values() if outcome == kind)

    def next_case(self) -> Case | None:
        if self.position >= len(self.queue):
            self.case = None
            return None
        self.case = self.open(self.queue[self.position])
        return self.case

    def open(self, document_id: int, previous: Review | None = None) -> Case:
        """The document with its versions; the gold is ``previous`` (going back), else the
        document's newest review (reviewing again), else the most common accepted version."""
        document = self.store.document(document_id)
        versions = self._versions(document_id)
        accepted = [i for i, version in enumerate(versions) if version.answer == ACCEPT]
        reviews = self.store.review_history(document_id)
        start_from = previous or (reviews[-1] if reviews and reviews[-1].answer == ACCEPT else None)
        if start_from is not None:
            gold = start_from.spans
            gold_from = next((i for i in accepted if set(versions[i].spans) == set(gold)), None)
            source = f"the review by {start_from.reviewer}"
        elif accepted:
            gold_from = accepted[most_common_version([versions[i].spans for i in accepted])]
            gold = versions[gold_from].spans
            same = [versions[i].annotator for i in accepted if set(versions[i].spans) == set(gold)]
            source = f"the most common version ({len(same)} of {len(accepted)} accepted: {', '.join(same)})"
        else:
            gold, gold_from, source = (), None, "nothing (no annotator accepted this document)"
        earlier = reviews[-1] if reviews else None
        return Case(
            document, Tokens(document.tokens, document.text), versions, gold, gold_from, source, previous, earlier
        )

    def _versions(self, document_id: int) -> list[Answer]:
        newest: dict[str, Answer] = {}
        for answer in self.store.answer_history(document_id):
            newest[answer.annotator] = answer
        return [newest[name] for name in sorted(newest)]

    def decide(self, kind: str, spans: Sequence[Span]) -> int:
        """Commit the decision on the document on screen (a new row, the newest counts)."""
        decision = self.decision(kind, spans)
        self.store_decision(decision, self.store)
        self.decided(decision)
        assert decision.row is not None  # store_decision sets it
        return decision.row

    # A decision in three steps, so that the screen can write it in a worker and retry:
    # decision (the key press), store_decision (any thread, again after a failure), decided.

    def decision(self, kind: str, spans: Sequence[Span]) -> Decision:
        assert self.case is not None and kind in (ACCEPT, REJECT)
        case = self.case
        return Decision(case.document.id, kind, tuple(spans) if kind == ACCEPT else (), case.answer_ids)

    def store_decision(self, decision: Decision, store: Store) -> int:
        if decision.row is None:
            decision.row = store.add_review(
                decision.document, self.reviewer, decision.kind, decision.spans, decision.decided_from
            )
        return decision.row

    def decided(self, decision: Decision) -> None:
        """The store has the decision: the document is done here."""
        self._leave(decision.document, decision.kind, decision.row)

    def skip(self) -> None:
        """Leave the document undecided (it is due again next session)."""
        assert self.case is not None
        self._leave(self.case.document.id, "skip", None)

    def _leave(self, document_id: int, outcome: str, review_id: int | None) -> None:
        if outcome != "skip" or self._outcomes.get(document_id, ("skip",))[0] == "skip":
            self._outcomes[document_id] = (outcome, review_id)  # a skip leaves a decision standing
        if document_id in self._back:
            self._back.remove(document_id)
        self._back.append(document_id)
        if self.position < len(self.queue) and self.queue[self.position] == document_id:
            self.position += 1

    def close(self) -> None:
        """Nothing to give back: reviews take no leases."""

    def can_go_back(self) -> bool:
        current = self.case.document.id if self.case else None
        return any(doc != current for doc in self._back)

    def go_back(self) -> Case | None:
        """Reopen the document decided (or skipped) last, with the gold as decided; the
        document that was on screen comes again after it. A new decision is a new row."""
        current = self.case.document.id if self.case else None
        back = [doc for doc in self._back if doc != current]
        if not back:
            return None
        document_id = back[-1]
        self._back.remove(document_id)
        _, review_id = self._outcomes[document_id]
        previous = next((r for r in self.store.review_history(document_id) if r.id == review_id), None)
        if document_id in self.queue[: self.position]:
            self.queue.remove(document_id)
            self.position -= 1
        self.queue.insert(self.position, document_id)
        self.case = self.open(document_id, previous)
        return self.case

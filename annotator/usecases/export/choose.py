"""Choosing what to export: the final spans of each document of a dataset (``core.consensus``),
and why the others are left out. Needs only the answers, reviews and input hashes: no texts."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from annotator.core.consensus import final_spans
from annotator.core.errors import UserError
from annotator.core.spans import Span, spans_from_json
from annotator.core.tasks import ACCEPT, Answer
from annotator.store import Store


@dataclass
class Plan:
    """The final spans of each document to export, and why the others are left out.
    A final is a tuple of spans, or the JSON of the one accepted answer (parsed when
    the document is written: most documents are that, and the parse is then done once)."""

    finals: dict[int, tuple[Span, ...] | str]
    hashes: dict[int, str]
    left_out: Counter


def plan_export(store: Store, dataset: str, conflicts: str = "review") -> Plan:
    answers = defaultdict(list)
    for row in store.latest_answers(dataset, raw=True):  # (document, annotator, answer, spans JSON)
        answers[row[0]].append(row)
    reviews = store.latest_reviews(dataset)
    plan = Plan({}, {}, Counter())
    for document, digest in store.document_hashes(dataset):
        rows = answers.get(document, ())
        review = reviews.get(document)
        if review is None and len(rows) == 1 and rows[0][2] == ACCEPT:  # the one accepted answer is final
            plan.finals[document] = rows[0][3]
            plan.hashes[document] = digest
            continue
        final = final_spans([_answer(row) for row in rows], review, conflicts)
        if final.spans is not None:  # kept
            plan.finals[document] = final.spans
            plan.hashes[document] = digest
        else:
            plan.left_out[final.reason] += 1
    return plan


def _answer(row: tuple) -> Answer:
    document, annotator, answer, spans = row  # ids and times do not decide the final spans
    return Answer(0, document, annotator, answer, spans_from_json(json.loads(spans)), 0.0, 0.0)


def span_tuples(final: tuple[Span, ...] | str) -> list[tuple[int, int, str]]:
    if isinstance(final, str):
        from srsly import ujson  # twice json's speed on these short lists (spaCy has loaded srsly)

        return [(span["start"], span["end"], span["label"]) for span in ujson.loads(final)]
    return list(final)


def check_enough(store: Store, dataset: str, plan: Plan, needed: int) -> None:
    if len(plan.finals) >= needed:
        return
    why = ", ".join(f"{count} {reason}" for reason, count in plan.left_out.most_common()) or "no documents"
    if not plan.finals:
        raise UserError(f"{store.path}: dataset {dataset!r} has nothing to export yet ({why})")
    raise UserError(
        f"{store.path}: dataset {dataset!r} has only one document to export ({why} left out); "
        "spaCy needs one to train on and one to evaluate"
    )

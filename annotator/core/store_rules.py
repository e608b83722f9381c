"""Glue for `annotator db`: the pure parts of merging and checking stores.

The SQL lives in ``annotator.store``; here are the rules it applies: what makes two answers
the same answer, when two datasets cannot be merged, and what is wrong with stored spans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import Tokens, span_problems, spans_from_json, spans_to_json
from annotator.core.tasks import ANSWERS
from annotator.core.token_codec import packed, stored_offsets


def canonical_spans(spans_json: str) -> str:
    """The spans column written one way only (sorted, same keys), so equal spans compare equal."""
    return json.dumps(spans_to_json(spans_from_json(json.loads(spans_json))))


# Task fields left out of an answer's identity: who answered is in the key already (and an
# export adds _annotator_id for --annotator's name); the task hash follows the spans.
NOT_IDENTITY = ("_annotator_id", "_session_id", "_task_hash")


def answer_key(row, document: int) -> tuple:
    """Two answers are the same answer when these agree (``document`` is this store's id):
    who, what, when it was given (exactly: the JSONL export keeps every digit), and the
    spans. An imported answer that came without a time (a Prodigy line with no _timestamp)
    got the time of its import; its task's own fields (_view_id, meta...) say when instead, so
    the same answer imported twice, or brought back by a round trip, is one answer. Not the
    ``_task_hash``: it describes the spans (in the key already), and is made anew on export
    when label_map changed them at import."""
    task = json.loads(row["task"]) if "task" in row.keys() and row["task"] else None
    if task is None or "_timestamp" in task:
        when = row["answered_at"]
    else:  # who answered is in the key already (and an export adds _annotator_id for --annotator's name)
        when = json.dumps({k: v for k, v in task.items() if k not in NOT_IDENTITY}, sort_keys=True)
    return (document, row["annotator"], row["answer"], when, canonical_spans(row["spans"]))


def review_key(row: dict, document: int) -> tuple:
    return (document, row["reviewer"], row["answer"], row["decided_at"], canonical_spans(row["spans"]))


def refuse_incompatible(other: Path, name: str, here: dict, there: dict) -> None:
    """A dataset is merged only when both stores tokenized it alike and use the same labels."""
    if here["lang"] != there["lang"]:
        raise UserError(
            f"{other}: dataset {name!r} was tokenized with lang {there['lang']!r} there but {here['lang']!r} here; "
            "not merged (the same text would have different tokens)"
        )
    mine, theirs = set(here["labels"]), set(there["labels"])
    if mine != theirs:
        parts = []
        if theirs - mine:
            parts.append("only there: " + ", ".join(sorted(theirs - mine)))
        if mine - theirs:
            parts.append("only here: " + ", ".join(sorted(mine - theirs)))
        raise UserError(f"{other}: dataset {name!r} has different labels ({'; '.join(parts)}); not merged")


def refuse_retokenized(
    other: Path, name: str, their_id: int, my_id: int, here: bytes | str, there: bytes | str
) -> None:
    if packed(here) != packed(there):
        raise UserError(
            f"{other}: document {their_id} of dataset {name!r} is tokenized differently from document {my_id} here; "
            "not merged"
        )


def stored_span_problems(rows: Iterable[dict]) -> list[str]:
    """Problems with stored answers and reviews. ``rows`` carry kind, id, who, answer,
    spans, document, text and tokens, ordered by document (tokens are built once per document)."""
    problems: list[str] = []
    document: int | None = None
    tokens: Tokens | None = None
    for row in rows:
        where = f"{row['kind']} {row['id']} by {row['who']} on document {row['document']}"
        if row["answer"] not in ANSWERS:
            problems.append(f"{where}: unknown answer {row['answer']!r}")
        if row["document"] != document:
            document, tokens = row["document"], Tokens(stored_offsets(row["tokens"]), row["text"])
        try:
            spans = spans_from_json(json.loads(row["spans"]))
        except (ValueError, TypeError, KeyError) as error:
            problems.append(f"{where}: unreadable spans ({error})")
            continue
        assert tokens is not None  # set by the row's own document above
        problems.extend(f"{where}: {problem}" for problem in span_problems(row["text"], tokens, spans))
    return problems

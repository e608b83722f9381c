"""Prodigy-compatible JSONL lines, one per annotator's answer, as Prodigy's ``db-out``
writes them, so that ``annotator import`` (or ``prodigy db-in``) brings back the same
documents, answers and spans.

Each line: ``text``, ``tokens`` (text/start/end/id/ws), ``spans`` (start/end/label with
inclusive ``token_start``/``token_end``), ``answer``, and for an answer imported from
Prodigy every other field of its line as it came (``_input_hash``, ``_task_hash``,
``_view_id``, ``_timestamp`` or none, ``meta``...); for an answer given here,
``_input_hash``/``_task_hash`` (Prodigy's signed 32-bit integers), ``_annotator_id``,
``_session_id``, ``_timestamp`` (full precision) and ``meta``. An imported task without
a ``_task_hash`` (its spans were changed by ``label_map`` at import) gets one made here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly

from annotator.core.spans import Span, Tokens
from annotator.core.tasks import Answer, Document
from annotator.io.jsonl import DEFAULT_ANNOTATOR

JSONL_FILE = "annotations.jsonl"


def prodigy_hash(*parts: str) -> int:
    """A signed 32-bit integer, the type Prodigy uses for its hashes."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def prodigy_tokens(document: Document) -> list[dict[str, Any]]:
    text = document.text
    return [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": text[end : end + 1] == " "}
        for i, (start, end) in enumerate(document.tokens)
    ]


def prodigy_spans(tokens: Tokens, spans: tuple[Span, ...]) -> list[dict[str, Any]]:
    out = []
    for span in sorted(spans):
        first, last = tokens.token_range(span)
        out.append({"start": span.start, "end": span.end, "label": span.label, "token_start": first, "token_end": last})
    return out


def task_hash(document: Document, spans: list[dict[str, Any]]) -> int:
    return prodigy_hash(document.input_hash, json.dumps(spans, sort_keys=True))


def prodigy_task(document: Document, answer: Answer, dataset: str) -> dict[str, Any]:
    """The line for one answer: an imported answer's task fields as they came (hashes,
    ``_view_id``, ``_timestamp`` or none, ``meta``...), else fields made here."""
    tokens = Tokens(document.tokens)
    spans = prodigy_spans(tokens, answer.spans)
    content = {"text": document.text, "tokens": prodigy_tokens(document), "spans": spans, "answer": answer.answer}
    if answer.task is not None:
        line = {"text": document.text, **answer.task, **content}
        if "_task_hash" not in answer.task:  # dropped at import: label_map changed its spans
            line["_task_hash"] = task_hash(document, spans)
        if (
            "_annotator_id" not in answer.task
            and not answer.task.get("_session_id")
            and answer.annotator != DEFAULT_ANNOTATOR
        ):
            line["_annotator_id"] = answer.annotator  # named by --annotator: the name travels with it
        return line
    return {
        "text": document.text,
        "meta": document.meta,
        "_input_hash": prodigy_hash(document.input_hash),
        "_task_hash": task_hash(document, spans),
        "tokens": prodigy_tokens(document),
        "spans": spans,
        "answer": answer.answer,
        "_timestamp": answer.answered_at,  # full precision: the same answer when imported back
        "_annotator_id": answer.annotator,
        "_session_id": f"{dataset}-{answer.annotator}",
    }


def write_jsonl(path: Path, lines: Iterable[dict[str, Any]]) -> None:
    srsly.write_jsonl(path, lines)

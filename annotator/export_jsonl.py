"""Store -> Prodigy-compatible JSONL: one line per annotator's answer, as Prodigy's
``db-out`` writes them, so that ``annotator import`` (or ``prodigy db-in``) brings back
the same documents, answers and spans.

Each line: ``text``, ``tokens`` (text/start/end/id/ws), ``spans`` (start/end/label with
inclusive ``token_start``/``token_end``), ``answer``, and for an answer imported from
Prodigy every other field of its line as it came (``_input_hash``, ``_task_hash``,
``_view_id``, ``_timestamp`` or none, ``meta``...); for an answer given here,
``_input_hash``/``_task_hash`` (Prodigy's signed 32-bit integers), ``_annotator_id``,
``_session_id``, ``_timestamp`` (full precision) and ``meta``. Documents nobody answered are not annotations and are left out, as are
reviews (the spaCy export is where the gold versions go).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import srsly

from annotator.core.errors import UserError
from annotator.core.spans import Span, Tokens
from annotator.core.tasks import Answer, Document
from annotator.io.jsonl import DEFAULT_ANNOTATOR
from annotator.store import Store
from annotator.usecases.export import Summary, output_folder

JSONL_FILE = "annotations.jsonl"


def prodigy_hash(*parts: str) -> int:
    """A signed 32-bit integer, the type Prodigy uses for its hashes."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def prodigy_tokens(document: Document) -> list[dict]:
    text = document.text
    return [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": text[end : end + 1] == " "}
        for i, (start, end) in enumerate(document.tokens)
    ]


def prodigy_spans(tokens: Tokens, spans: tuple[Span, ...]) -> list[dict]:
    out = []
    for span in sorted(spans):
        first, last = tokens.token_range(span)
        out.append({"start": span.start, "end": span.end, "label": span.label, "token_start": first, "token_end": last})
    return out


def prodigy_task(document: Document, answer: Answer, dataset: str) -> dict:
    """The line for one answer: an imported answer's task fields as they came (hashes,
    ``_view_id``, ``_timestamp`` or none, ``meta``...), else fields made here."""
    tokens = Tokens(document.tokens)
    spans = prodigy_spans(tokens, answer.spans)
    content = {"text": document.text, "tokens": prodigy_tokens(document), "spans": spans, "answer": answer.answer}
    if answer.task is not None:
        line = {"text": document.text, **answer.task, **content}
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
        "_task_hash": prodigy_hash(document.input_hash, json.dumps(spans, sort_keys=True)),
        "tokens": prodigy_tokens(document),
        "spans": spans,
        "answer": answer.answer,
        "_timestamp": answer.answered_at,  # full precision: the same answer when imported back
        "_annotator_id": answer.annotator,
        "_session_id": f"{dataset}-{answer.annotator}",
    }


def export_jsonl(
    store: Store,
    dataset: str,
    out_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write ``annotations.jsonl`` into ``out_dir``: every annotator's answer that counts."""
    answers = defaultdict(list)
    for answer in store.latest_answers(dataset):
        answers[answer.document].append(answer)
    summary = Summary(dataset, Path(out_dir))
    summary.left_out["not answered"] = store.count_documents(dataset) - len(answers)
    if not answers:
        raise UserError(f"{store.path}: dataset {dataset!r} has nothing to export yet (nobody has answered)")

    def lines() -> Iterator[dict]:
        for document in store.documents(dataset):
            for answer in sorted(answers.get(document.id, ()), key=lambda a: a.annotator):
                summary.documents[answer.answer] += 1
                for span in answer.spans:
                    summary.spans[span.label][answer.answer] += 1
                yield prodigy_task(document, answer, dataset)
            if progress is not None:
                progress(1)

    with output_folder(Path(out_dir), [JSONL_FILE], force) as temp:
        srsly.write_jsonl(temp / JSONL_FILE, lines())
    if not summary.left_out["not answered"]:
        del summary.left_out["not answered"]
    summary.files = [Path(out_dir) / JSONL_FILE]
    return summary

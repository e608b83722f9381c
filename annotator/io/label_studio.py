"""Label Studio's JSON export: a JSON array of tasks (labelstud.io/guide/export), or one
task in a file (as a target cloud storage keeps them).

Each task is one document: its text is the ``data`` field that ``--text-column`` names,
else the one the results' ``to_name`` names, else ``text``, else the only string field;
the other ``data`` fields, the task's ``meta`` and its ``id`` go into ``meta``.

- each of ``annotations`` is an answer of ``label-studio-<completed_by>`` (or the
  ``email`` where ``completed_by`` is an object, as older versions write it), given at its
  ``updated_at``: accept, or ignore where ``was_cancelled`` (the annotator skipped it);
- each of ``predictions`` is a suggestion whose source is its ``model_version``;
- ``labels`` results are the spans (``value.start``/``end``/``labels``; a ``value.text``
  must match the document there; whitespace at a span's ends is trimmed). Results of
  other types, predictions exported as ids only and drafts are counted and reported as
  not imported, never dropped in silence.

JSON-MIN exports are refused with a line saying why: they keep neither predictions nor
cancelled annotations, and their spans sit under a key the labeling config chooses.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import Span
from annotator.io.records import Item, NotImported, Problem, Record

SPAN_TYPE = "labels"
SOURCE = "label-studio"  # the suggestion source of a prediction without a model_version
WHITESPACE = " \t\n\r"


def is_label_studio(path: Path) -> bool:
    """Whether a ``.json`` file is Label Studio's: an array of tasks (the export), or one
    task (a target cloud storage keeps one per file), indented or on one line. A first
    line that is a whole object without a ``data`` field is JSON lines instead."""
    with path.open("rb") as handle:
        for raw in handle:
            first = raw.removeprefix(b"\xef\xbb\xbf").strip()
            if first:
                break
        else:
            return False
    if first.startswith(b"["):
        return True
    if not first.startswith(b"{"):
        return False
    try:
        line = json.loads(first)
    except ValueError:
        return True  # an object over several lines: one task
    return isinstance(line, dict) and "data" in line and "text" not in line


class BadTask(ValueError):
    """Why a task (or one of its annotations) cannot be read."""


def _tasks(path: Path) -> Iterator[tuple[int, object]]:
    """(line it starts on, task) for each element of the file's JSON array, parsed one
    at a time so that every problem can name its line."""
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UserError(f"{path}:{line}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    decoder, line, counted = json.JSONDecoder(), 1, 0

    def skip(at: int) -> int:
        while at < len(content) and content[at] in WHITESPACE:
            at += 1
        return at

    def line_of(at: int) -> int:
        nonlocal line, counted
        line += content.count("\n", counted, at)
        counted = at
        return line

    at = skip(0)
    if at == len(content):
        raise UserError(f"{path}:1: empty file (a Label Studio export is a JSON array of tasks)")
    if content[at] == "{":  # one task in the file
        try:
            yield line_of(at), json.loads(content)
        except json.JSONDecodeError:
            _json_error(path, content)
        return
    if content[at] != "[":
        raise UserError(f"{path}:{line_of(at)}: not a Label Studio JSON export (a JSON array of tasks, or one task)")
    at = skip(at + 1)
    if content.startswith("]", at):
        raise UserError(f"{path}:{line_of(at)}: no tasks (an empty JSON array)")
    while True:
        try:
            task, end = decoder.raw_decode(content, at)
        except json.JSONDecodeError:
            _json_error(path, content)
        yield line_of(at), task
        at = skip(end)
        if content.startswith(",", at):
            at = skip(at + 1)
        elif content.startswith("]", at):
            break
        else:
            _json_error(path, content)
    if skip(at + 1) != len(content):
        _json_error(path, content)


def _json_error(path: Path, content: str) -> None:
    """The json module's own words and place for what is wrong with the file."""
    try:
        json.loads(content)
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at")  # "Invalid control character at": the place follows
        raise UserError(f"{path}:{error.lineno}: not valid JSON ({reason} at column {error.colno})") from None
    raise UserError(f"{path}:1: not valid JSON")  # not reached: the array did not parse above


def _int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadTask(f"{what} must be a whole number, not {value!r}")
    return value


def _spans(text: str, results, not_imported: Counter) -> tuple[Span, ...]:
    if not isinstance(results, list):
        raise BadTask('"result" must be a list')
    spans = []
    for index, item in enumerate(results):
        if not isinstance(item, dict):
            raise BadTask(f"result {index} must be an object")
        kind = item.get("type")
        if kind != SPAN_TYPE:
            not_imported[f"{kind!r} results (only 'labels' results become spans)"] += 1
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            raise BadTask(f'result {index} has no "value" object')
        start, end = _int(value.get("start"), f"result {index} start"), _int(value.get("end"), f"result {index} end")
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels or not all(isinstance(label, str) for label in labels):
            raise BadTask(f'result {index} needs "labels": a list with one label')
        if len(labels) > 1:
            named = ", ".join(labels)
            raise BadTask(f"result {index}: a region with {len(labels)} labels ({named}); one label per span")
        if "text" in value and 0 <= start <= end <= len(text) and text[start:end] != value["text"]:
            there = text[start:end]
            raise BadTask(f"span {start}-{end} text {value['text']!r} does not match the text there ({there!r})")
        spans.append(_trimmed(text, Span(start, end, labels[0])))
    return tuple(spans)


def _trimmed(text: str, span: Span) -> Span:
    """The span without the whitespace at its ends: Label Studio selects characters, and a
    drag often takes the space after a word (ours end on words). Out of range stays as it is."""
    if not 0 <= span.start < span.end <= len(text) or not text[span.start : span.end].strip():
        return span
    piece = text[span.start : span.end]
    start = span.start + len(piece) - len(piece.lstrip())
    return Span(start, start + len(piece.strip()), span.label)


def _text_key(data: dict, results: list, text_column: str | None) -> str:
    strings = [key for key, value in data.items() if isinstance(value, str)]
    if text_column:
        if text_column not in strings:
            raise BadTask(f'no text field {text_column!r} in "data" (its fields: {", ".join(data) or "none"})')
        return text_column
    hints = [r["to_name"] for r in results if isinstance(r, dict) and r.get("type") == SPAN_TYPE and "to_name" in r]
    for key in (*hints, "text"):
        if key in strings:
            return key
    if len(strings) == 1:
        return strings[0]
    if not strings:
        raise BadTask(f'no text in "data" (its fields: {", ".join(data) or "none"})')
    raise BadTask(f'"data" has several text fields ({", ".join(strings)}); '
                  "name the one to annotate with --text-column NAME")  # fmt: skip


def annotator_name(completed_by) -> str | None:
    """``label-studio-<id>``, or the email where Label Studio gives the user as an object."""
    if isinstance(completed_by, dict):
        if completed_by.get("email"):
            return str(completed_by["email"])
        completed_by = completed_by.get("id")
    if completed_by is None or isinstance(completed_by, bool):
        return None
    return f"label-studio-{completed_by}"


def _time(stamp) -> float | None:
    if not isinstance(stamp, str):
        return None
    utc = stamp.removesuffix("Z") + "+00:00" if stamp.endswith("Z") else stamp  # Python 3.10 reads no "Z"
    try:
        return datetime.fromisoformat(utc).timestamp()
    except ValueError:
        return None


def _is_json_min(task) -> bool:
    return isinstance(task, dict) and "data" not in task and ("annotation_id" in task or "annotator" in task)


def _results(items: list) -> list:
    return [r for item in items if isinstance(item, dict) and isinstance(item.get("result"), list)
            for r in item["result"]]  # fmt: skip


def _lists(task: dict) -> tuple[list, list]:
    annotations = task.get("annotations", task.get("completions", []))  # "completions": before Label Studio 1.0
    predictions = task.get("predictions", [])
    if not isinstance(annotations, list) or not isinstance(predictions, list):
        raise BadTask('"annotations" and "predictions" must be lists')
    return annotations, predictions


def _document(task, path: Path, line: int, where: str, text_column: str | None) -> Record:
    if not isinstance(task, dict):
        raise BadTask("must be an object")
    data = task.get("data")
    if not isinstance(data, dict):
        raise BadTask('no "data" object')
    annotations, predictions = _lists(task)
    key = _text_key(data, _results([*annotations, *predictions]), text_column)
    given = task.get("meta")
    meta = {**(given if isinstance(given, dict) else {}), **{k: v for k, v in data.items() if k != key}}
    if "id" in task:
        meta["id"] = task["id"]
    return Record(text=data[key], where=where, meta={**meta, "file": str(path), "line": line}, source=SOURCE)


def _answer(document: Record, annotation: dict, spans: tuple[Span, ...], where: str) -> Record:
    return Record(
        text=document.text, where=where, meta=document.meta, spans=spans, same_document=True,
        answer="ignore" if annotation.get("was_cancelled") else "accept",
        annotator=annotator_name(annotation.get("completed_by")),
        answered_at=_time(annotation.get("updated_at")) or _time(annotation.get("created_at")),
    )  # fmt: skip


def _suggestion(document: Record, prediction: dict, spans: tuple[Span, ...], where: str) -> Record:
    source = prediction.get("model_version")
    return Record(text=document.text, where=where, meta=document.meta, spans=spans, same_document=True,
                  source=str(source) if source else SOURCE)  # fmt: skip


def _task_records(task, path: Path, line: int, where: str, text_column: str | None,
                  not_imported: Counter) -> Iterator[Item]:  # fmt: skip
    document = _document(task, path, line, where, text_column)
    yield document
    annotations, predictions = _lists(task)
    for kind, items, make in (("annotation", annotations, _answer), ("prediction", predictions, _suggestion)):
        for number, item in enumerate(items, start=1):
            if kind == "prediction" and not isinstance(item, dict):
                not_imported["predictions given by id only (export them in full to import them)"] += 1
                continue
            named = f" (id {item['id']})" if isinstance(item, dict) and "id" in item else ""
            at = f"{where}, {kind} {number}{named}"
            try:
                if not isinstance(item, dict):
                    raise BadTask("must be an object")
                yield make(document, item, _spans(document.text, item.get("result", []), not_imported), at)
            except BadTask as error:
                yield Problem(at, str(error))
    drafts = task.get("drafts")
    if isinstance(drafts, list) and drafts:
        not_imported["drafts (annotations not submitted)"] += len(drafts)


def read_label_studio(path: Path, text_column: str | None = None) -> Iterator[Record | Problem | NotImported]:
    not_imported: Counter = Counter()
    for number, (line, task) in enumerate(_tasks(path), start=1):
        if number == 1 and _is_json_min(task):
            raise UserError(
                f"{path}:{line}: Label Studio's JSON-MIN export, which leaves out predictions, skipped annotations "
                "and where the spans are; export the project as JSON instead"
            )
        named = f" (id {task['id']})" if isinstance(task, dict) and "id" in task else ""
        where = f"{path}:{line}: task {number}{named}"
        try:
            yield from _task_records(task, path, line, where, text_column, not_imported)
        except BadTask as error:
            if not isinstance(task, dict):
                raise UserError(f"{path}:{line}: task {number} {error}") from None
            yield Problem(where, str(error))
    for what, count in not_imported.items():
        yield NotImported(str(path), what, count)

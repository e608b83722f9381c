"""JSONL readers: plain (`text`, `meta`, `id`), Prodigy and doccano, found line by line.

- plain: ``{"text": ..., "meta": {...}, "id": ...}``
- Prodigy: adds ``tokens`` (kept as given), ``spans`` (start/end/label), ``answer`` and
  ``_annotator_id`` / ``_session_id`` / ``_timestamp``; spans with an answer are that
  annotator's answer, spans without one are suggestions.
- doccano: ``label`` or ``labels`` (``[[start, end, label], ...]``, the tutorial's export) or
  ``entities`` with ``start_offset``/``end_offset`` (the relation export): an accepted answer
  when the annotator is known (``username``, ``annotator`` or ``user``), else suggestions.
  ``relations`` have no place in the store: counted as not imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import srsly

from annotator.core.spans import Span
from annotator.core.tasks import ANSWERS
from annotator.io.checks import MAX_TIMESTAMP, empty_text, infinite_number, lone_surrogate, uncovered
from annotator.io.records import Item, NotImported, Problem, Record, json_error, text_lines

FLAVOURS = ("jsonl", "prodigy", "doccano")
PRODIGY_KEYS = ("spans", "tokens", "answer", "_input_hash", "_task_hash", "_annotator_id", "_session_id")
# A "\ud800".."\udfff" escape: only such a line can hold a lone surrogate (checked in full then).
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A digit before an exponent of three digits, or a number of 309 digits: only such a line can
# hold an infinity (in JSON a digit always comes before the "e"). Starting at a digit (ASCII:
# JSON's numbers are) makes the search a third of the time of "[eE]...|\d{309}" on prose,
# where every "e" was a start.
HUGE_NUMBER = re.compile(r"(?a)\d(?:[eE]\+?\d{3}|\d{308})")
# What a Prodigy line holds beyond these is kept with its answer as it came (hashes, _view_id,
# _timestamp, meta, ...) and written back by the JSONL export.
# Whose answers a Prodigy line with no _annotator_id or _session_id holds (spaCy's project
# templates' datasets have none) when no --annotator is given: the import summary says so.
DEFAULT_ANNOTATOR = "prodigy"
PRODIGY_CONTENT = ("text", "tokens", "spans", "answer")
DOCCANO_SPAN_KEYS = ("label", "labels", "entities")
DOCCANO_ANNOTATOR_KEYS = ("username", "annotator", "user")  # the export's, the tutorial's, older versions'
JSON_KINDS = {dict: "an object", list: "a list", bool: "true or false", float: "a number"}


class BadLine(ValueError):
    """Why one line cannot be read (becomes a Problem naming the file and line)."""


def flavour_of(data: dict) -> str:
    if not isinstance(data, dict):
        return "jsonl"  # parse_line says what is wrong with it
    # isdisjoint: a set operation, not a generator per line (an import's hot path)
    if not data.keys().isdisjoint(DOCCANO_SPAN_KEYS):
        return "doccano"
    if not data.keys().isdisjoint(PRODIGY_KEYS):
        return "prodigy"
    return "jsonl"


def _int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadLine(f"{what} must be a whole number, not {value!r}")
    return value


def _tokens(text: str, items) -> list[tuple[int, int]]:
    if not isinstance(items, list):
        raise BadLine('"tokens" must be a list')
    tokens, previous_end = [], 0
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadLine(f"token {index} must be an object with start and end")
        start, end = _int(item.get("start"), f"token {index} start"), _int(item.get("end"), f"token {index} end")
        if not previous_end <= start < end <= len(text):
            raise BadLine(
                f"token {index} ({start}-{end}) is out of order or out of range for a text of {len(text)} characters"
            )
        if "text" in item and text[start:end] != item["text"]:
            raise BadLine(
                f"token {index} {item['text']!r} does not match the text at {start}-{end} ({text[start:end]!r})"
            )
        tokens.append((start, end))
        previous_end = end
    problem = uncovered(text, tokens)
    if problem:
        raise BadLine(problem)
    return tokens


def _name(data: dict, key: str) -> str | None:
    """Who answered (``_annotator_id``, ``user``...): a name, or None when not given."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # doccano names its users by number
    if not isinstance(value, str):
        raise BadLine(f'"{key}" must be a name (a string), not {JSON_KINDS.get(type(value), type(value).__name__)}')
    if not value.strip():
        raise BadLine(f'"{key}" must be a name, not blank')
    return value


def _timestamp(value) -> float:
    """Prodigy's ``_timestamp``: seconds since 1970, finite and before the year 3000."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_TIMESTAMP:
        return float(value)
    hint = (
        " (milliseconds?)" if isinstance(value, (int, float)) and MAX_TIMESTAMP < value <= MAX_TIMESTAMP * 1000 else ""
    )
    raise BadLine(f'"_timestamp" must be seconds since 1970 (0 to {MAX_TIMESTAMP}), not {value!r}{hint}')


def _surrogates(line: str, data) -> None:
    if isinstance(data, dict) and SURROGATE_ESCAPE.search(line):
        for key, value in data.items():
            found = lone_surrogate(key) or lone_surrogate(value)
            if found:
                name = key.encode("utf-8", "backslashreplace").decode()
                raise BadLine(f'"{name}" holds {found}, half of a UTF-16 surrogate pair, not a character')


def _prodigy_spans(items) -> tuple[Span, ...]:
    if not isinstance(items, list):
        raise BadLine('"spans" must be a list')
    spans = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "label" not in item:
            raise BadLine(f"span {index} must be an object with start, end and label")
        spans.append(
            Span(
                _int(item.get("start"), f"span {index} start"),
                _int(item.get("end"), f"span {index} end"),
                str(item["label"]),
            )
        )
    return tuple(spans)


def _doccano_categories(data: dict) -> int:
    """How many document categories a doccano text classification line holds (``"label":
    ["sports"]``): no spans, so not an answer here; 0 for a span line."""
    key = next((key for key in DOCCANO_SPAN_KEYS if key in data), "label")
    items = data.get(key)
    return len(items) if isinstance(items, list) and items and all(isinstance(i, str) for i in items) else 0


def _doccano_spans(data: dict) -> tuple[Span, ...]:
    key = next((key for key in DOCCANO_SPAN_KEYS if key in data), "label")
    items = data.get(key)
    if not isinstance(items, list):
        raise BadLine(f'"{key}" must be a list of [start, end, label]')
    spans = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            item = [item.get("start_offset"), item.get("end_offset"), item.get("label")]
        if not isinstance(item, list) or len(item) != 3:
            raise BadLine(f"label {index} must be [start, end, label]")
        spans.append(Span(_int(item[0], f"label {index} start"), _int(item[1], f"label {index} end"), str(item[2])))
    return tuple(spans)


def parse_line(data, where: str, flavour: str) -> Record:
    if not isinstance(data, dict):
        raise BadLine('expected a JSON object with a "text" field')
    text = data.get("text")
    if not isinstance(text, str):
        raise BadLine('no "text" field' if text is None else '"text" must be a string')
    empty = empty_text(text)
    if empty:
        raise BadLine(empty)
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise BadLine('"meta" must be an object')
    meta = {**meta, "file": where.rsplit(":", 1)[0], "line": int(where.rsplit(":", 1)[1])}
    for key in ("id", "doc_id"):  # doc_id: the tutorial's export
        if key in data:
            meta["id"] = data[key]
    record = Record(text=text, where=where, meta=meta, source=flavour)
    if flavour == "doccano" and _doccano_categories(data):
        pass  # the text alone: its categories are counted as not imported (read_jsonl)
    elif flavour == "doccano":
        record.spans = _doccano_spans(data)
        record.answer_default = "accept"
        record.annotator = next((who for who in (_name(data, key) for key in DOCCANO_ANNOTATOR_KEYS) if who), None)
        record.answer = "accept" if record.annotator else None
    elif flavour == "prodigy":
        if "tokens" in data:
            record.tokens = _tokens(text, data["tokens"])
        if "spans" in data:
            record.spans = _prodigy_spans(data["spans"])
        answer = data.get("answer")
        if answer is not None and answer not in ANSWERS:
            raise BadLine(f'"answer" must be one of {", ".join(ANSWERS)}, not {answer!r}')
        record.answer = answer
        record.annotator = _name(data, "_annotator_id") or _name(data, "_session_id")
        if data.get("_timestamp") is not None:
            record.answered_at = _timestamp(data["_timestamp"])
        record.task = {key: value for key, value in data.items() if key not in PRODIGY_CONTENT}
    return record


def _infinities(line: str, data: dict) -> None:
    if HUGE_NUMBER.search(line):
        for key, value in data.items():
            if infinite_number(value):
                raise BadLine(f'"{key}" holds a number too big to store (1e999 reads as infinity)')


def read_jsonl(path: Path, flavour: str = "auto") -> Iterator[Item]:
    empty = True
    for number, line in text_lines(path):
        where = f"{path}:{number}"
        if isinstance(line, Problem):
            yield line
            continue
        if not line.strip():
            continue
        empty = False
        try:
            data = srsly.json_loads(line)
        except ValueError as error:
            yield Problem(where, f"not valid JSON ({json_error(line, error)})")
            continue
        try:
            _surrogates(line, data)
            record = parse_line(data, where, flavour_of(data) if flavour in ("auto", None) else flavour)
            _infinities(line, data)  # after parse_line: "_timestamp": 1e999 has its own message
            yield record
            relations = data.get("relations") if record.source == "doccano" else None
            if isinstance(relations, list) and relations:
                yield NotImported(str(path), "relations (only spans are imported)", len(relations))
            if record.source == "doccano" and _doccano_categories(data):
                yield NotImported(
                    str(path), "document categories (doccano text classification labels)", _doccano_categories(data)
                )
        except BadLine as error:
            yield Problem(where, str(error))
    if empty:
        yield Problem(f"{path}:1", "empty file (no JSON lines)")

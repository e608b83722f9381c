"""Import: read files, tokenize, validate and store, all in one store transaction.

Records stream from the readers in batches; each batch is tokenized with
``nlp.tokenizer.pipe`` (the model's tokenizer when one is configured and installed,
else ``spacy.blank(lang)``), checked, and written with ``executemany``. Any bad line
rolls the whole import back, so the store is exactly as before, unless
``skip_invalid`` is set: then bad lines are reported and the rest is imported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

from srsly import json_dumps as dumps  # ujson: the import's JSON is on the hot path

from annotator.core.spans import Span, Tokens, span_problems
from annotator.core.tasks import input_hash
from annotator.errors import UserError
from annotator.io import Problem, Record, expand_paths, read_path
from annotator.io.checks import empty_text, too_long
from annotator.labels import LabelsConfig
from annotator.progress import progress_bar
from annotator.store import Store

BATCH_SIZE = 2000


@dataclass
class ImportResult:
    files: int = 0
    read: int = 0
    added: int = 0
    answers: int = 0
    suggestions: int = 0
    skipped: list[Problem] = field(default_factory=list)

    @property
    def present(self) -> int:
        """Documents read that the dataset already held (same text)."""
        return self.read - self.added


@lru_cache(maxsize=4)
def blank_tokenizer(lang: str):
    """spacy.blank(lang), made once per process (building its special cases is slow)."""
    import spacy

    try:
        return spacy.blank(lang)
    except Exception as error:  # an unknown language code
        raise UserError(f"lang {lang!r}: no spaCy tokenizer for this language ({error})") from None


def token_offsets(doc) -> list[tuple[int, int]]:
    return [(token.idx, token.idx + len(token)) for token in doc]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Importer:
    """One import into one dataset; ``run`` does it all in one transaction."""

    def __init__(self, store: Store, config: LabelsConfig, dataset: str, nlp=None, annotator: str | None = None,
                 as_answers: bool = False, skip_invalid: bool = False, batch_size: int = BATCH_SIZE):  # fmt: skip
        self.store, self.config, self.dataset = store, config, dataset
        self.nlp = nlp if nlp is not None else blank_tokenizer(config.lang)
        self.annotator, self.as_answers, self.skip_invalid = annotator, as_answers, skip_invalid
        self.batch_size = batch_size
        self.result = ImportResult()
        self.labels = set(config.names)
        self._answered: dict[tuple[int, str], tuple[str, tuple[Span, ...]]] = {}

    def run(self, paths: Iterable[Path], fmt: str = "auto", split: str = "paragraph") -> ImportResult:
        files = expand_paths(paths)
        self.result.files = len(files)
        # The total is not known without reading everything: the bar counts what was read
        # (duplicates too: "44 read" for 43 new documents and one already there).
        with self.store.write(), progress_bar(f"importing into {self.dataset}", unit=" read") as advance:
            self.store.ensure_dataset(self.dataset, self.config.lang, self.config.names)
            records = self._records(files, fmt, split, advance)
            for batch in _batches(records, self.batch_size):
                self._import_batch(batch)
                advance(len(batch))
        return self.result

    def _records(self, files: list[Path], fmt: str, split: str, advance: Callable[..., None]) -> Iterator[Record | Problem]:
        for number, path in enumerate(files, start=1):
            if len(files) > 1:  # the files are the total that is known
                advance(0, f"importing into {self.dataset}: file {number}/{len(files)}")
            yield from read_path(path, fmt, split, self.config.lang)

    def _problem(self, problem: Problem) -> None:
        if not self.skip_invalid:
            raise UserError(f"{problem} (nothing was imported; --skip-invalid imports the other lines)")
        self.result.skipped.append(problem)

    def _import_batch(self, batch: list[Record | Problem]) -> None:
        problems = [(at, item) for at, item in enumerate(batch) if isinstance(item, Problem)]
        records = [(at, item) for at, item in enumerate(batch) if isinstance(item, Record)]
        untokenized = [r for _, r in records if r.tokens is None]
        for record, doc in zip(untokenized, self.nlp.tokenizer.pipe((r.text for r in untokenized), batch_size=1000)):
            record.tokens = token_offsets(doc)
        good: list[tuple[Record, str, str | None]] = []
        for at, record in records:
            checked = self._check(record)
            if isinstance(checked, Problem):
                problems.append((at, checked))
            else:
                good.append((record, input_hash(record.text), checked))
        for _, problem in sorted(problems, key=lambda item: item[0]):  # in file order
            self._problem(problem)
        self.result.read += len(good)
        self.result.added += self.store.insert_documents(
            self.dataset, [(digest, r.text, dumps(r.meta), dumps(r.tokens)) for r, digest, _ in good]
        )
        with_spans = [(r, digest, who) for r, digest, who in good if r.spans is not None or r.answer]
        if with_spans:
            self._store_spans(with_spans)

    def _check(self, record: Record) -> Problem | str | None:
        """A Problem, or who the record's answer belongs to (None: spans are suggestions)."""
        problem = empty_text(record.text) or too_long(len(record.text), len(record.tokens), record.resplit)
        if problem:
            return Problem(record.where, problem)
        if record.spans is not None:
            mapped = tuple(Span(s.start, s.end, self.config.label_map.get(s.label, s.label)) for s in record.spans)
            problems = span_problems(record.text, Tokens(record.tokens, record.text), mapped, self.labels)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                return Problem(record.where, problems[0] + more)
            record.spans = mapped
        who = record.annotator or self.annotator
        if record.answer is None and self.as_answers and record.answer_default:
            record.answer = record.answer_default
        if record.answer and not who:
            return Problem(record.where, "an answer with no annotator (no _annotator_id or _session_id); give --annotator NAME")
        return who if record.answer else None

    def _store_spans(self, items: list[tuple[Record, str, str | None]]) -> None:
        ids = self.store.document_ids(self.dataset, {digest for _, digest, _ in items})
        suggestions, answers = [], []
        for record, digest, who in items:
            doc_id, spans = ids[digest], record.spans or ()
            if not record.answer:
                suggestions.append((doc_id, record.source, spans))
                continue
            key, value = (doc_id, who), (record.answer, tuple(sorted(spans)))
            if key not in self._answered:
                latest = self.store.latest_answer(doc_id, who)
                self._answered[key] = (latest.answer, tuple(sorted(latest.spans))) if latest else None
            if self._answered[key] != value:  # re-importing the same answer adds nothing
                answered_at = record.answered_at or time.time()
                answers.append((doc_id, who, record.answer, spans, answered_at, answered_at))
                self._answered[key] = value
        if suggestions:
            self.result.suggestions += self.store.set_suggestions(suggestions, replace=False)
        if answers:
            self.result.answers += self.store.append_answers(answers)


def import_files(store: Store, config: LabelsConfig, paths: Iterable[Path], dataset: str, fmt: str = "auto",
                 split: str = "paragraph", annotator: str | None = None, as_answers: bool = False,
                 skip_invalid: bool = False, highlight: bool = True, n_process: int = 1) -> tuple[ImportResult, dict[str, int]]:  # fmt: skip
    """Import, then pre-highlight the dataset's new documents with labels.yaml's model and
    patterns. The pipelines load first, so a broken patterns file fails before any write;
    the model's tokenizer (when installed) tokenizes the import."""
    from annotator.preannotate import load_highlighters, preannotate, stderr_note

    notes: list[str] = []  # "model not installed": said once the import succeeded (an error is one line)
    highlighters = load_highlighters(config, note=notes.append) if highlight else []
    # The model's tokenizer if there is one, else the patterns' blank(lang) one: same tokens, one load.
    nlp = next((h.nlp for h in highlighters if h.source != "patterns"), highlighters[0].nlp if highlighters else None)
    result = Importer(store, config, dataset, nlp, annotator, as_answers, skip_invalid).run(paths, fmt, split)
    for note in notes:
        stderr_note(note)
    return result, preannotate(store, config, dataset, highlighters, n_process=n_process)

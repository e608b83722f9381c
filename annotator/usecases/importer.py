"""Import: read files, tokenize, validate and store; all of it or none, never blocking others.

Records stream from the readers in batches; each batch is tokenized by the model's
tokenizer when one is configured and installed, else ``spacy.blank(lang)``'s, copied onto a
bare vocabulary (usecases/import_tokens.py), and checked without holding the store's write lock, then
written with ``executemany`` in a short transaction of its own. A file of up to
READ_AHEAD batches is one transaction, as it always was. A longer one is a pending import of the store
(annotator/store/imports.py): its rows stay hidden from every reader until the last
transaction makes them visible together, and a failure or a kill undoes them. So any
bad line leaves the store as before (byte for byte when it is in the first READ_AHEAD
batches, which are checked before anything is written), unless ``skip_invalid`` is set:
then bad lines are reported and the rest is imported.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from srsly import json_dumps as dumps  # ujson: the import's JSON is on the hot path

from annotator.core.errors import UserError
from annotator.core.spans import Span, Tokens, span_problems
from annotator.core.tasks import NewDocument, input_hash
from annotator.core.token_codec import stored_offsets, token_count
from annotator.io import Problem, Record, expand_paths, read_path
from annotator.io.checks import empty_text, too_long
from annotator.io.jsonl import DEFAULT_ANNOTATOR
from annotator.io.labels import LabelsConfig
from annotator.io.records import Item, NotImported
from annotator.store import ImportBusy, Store
from annotator.usecases.import_tokens import OffsetsTokenizer, blank_tokenizer
from annotator.usecases.progress import progress_bar

# Each batch is written in one transaction, right after it is tokenized: small ones hold
# the write lock a few milliseconds, and tokenizing the next leaves it free for long
# enough that annotators waiting for it get in at once (back-to-back transactions would
# not: SQLite's busy handler sleeps, and the lock is taken again before it wakes).
BATCH_SIZE = 500
BATCH_CHARACTERS = 500_000  # long documents make shorter batches
READ_AHEAD = 8  # batches checked before the first write: a file of up to 4,000 lines is one transaction
WAIT_SECONDS = 0.5  # between looks at another import this one waits for
ALIGN_HINT = "--align expand or --align contract snaps spans to the tokens"
T = TypeVar("T")


@dataclass
class ImportResult:
    files: int = 0
    read: int = 0
    added: int = 0
    answers: int = 0
    suggestions: int = 0
    skipped: list[Problem] = field(default_factory=list)
    not_imported: Counter = field(default_factory=Counter)  # (file, what) -> how many (NotImported)
    unnamed: Counter = field(default_factory=Counter)  # name -> answers that named no annotator, stored under it
    rehashed: int = 0  # answers whose _task_hash was left out: label_map or --align changed their spans
    # The same text given again with other spans (or another answer) by the same annotator or
    # source: the places it appears, in file order. Answers and suggestions keep the last.
    conflicts: dict[tuple[str, str | None, str], list[str]] = field(
        default_factory=dict
    )  # (kind, whose, input hash) -> wheres

    @property
    def present(self) -> int:
        """Documents read that the dataset already held (same text)."""
        return self.read - self.added


def _batches(items: Iterable[Item], size: int, characters: int = BATCH_CHARACTERS) -> Iterator[list]:
    """Lists of up to ``size`` items holding up to about ``characters`` of text."""
    batch: list = []
    held = 0
    for item in items:
        batch.append(item)
        held += len(item.text) if isinstance(item, Record) else 0
        if len(batch) >= size or held >= characters:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


@dataclass
class _Prepared:
    """One batch, tokenized and checked: what its transaction writes."""

    good: list[tuple[Record, str, str | None]]  # (record, input hash, whose answer or None)
    size: int  # items read, problems included (the progress bar counts them)


class Importer:
    """One import into one dataset; ``run`` stores all of it or none."""

    def __init__(self, store: Store, config: LabelsConfig, dataset: str, nlp=None, annotator: str | None = None,
                 as_answers: bool = False, skip_invalid: bool = False, batch_size: int = BATCH_SIZE,
                 text_column: str | None = None, read_ahead: int = READ_AHEAD,
                 on_conflict: str = "keep", align: str = "strict"):  # fmt: skip
        self.store, self.config, self.dataset = store, config, dataset
        self.align = align
        self.text_column = text_column
        self.nlp = nlp if nlp is not None else blank_tokenizer(config.lang)
        self.tokenizer = OffsetsTokenizer(self.nlp)
        self.annotator, self.as_answers, self.skip_invalid = annotator, as_answers, skip_invalid
        self.batch_size, self.read_ahead = batch_size, read_ahead
        self.result = ImportResult()
        self.labels = set(config.names)
        self._answered: dict[tuple[int, str], tuple[str, tuple[Span, ...]] | None] = {}
        self.on_conflict = on_conflict  # keep (and report) | refuse
        # (kind, whose, input hash) -> (hash of the answer and spans, where, its batch, the first
        # one's batch): a hash, as it is kept for every line
        self._given: dict[tuple, tuple[int, str, int, int]] = {}
        self._prepared_batches = self._written_batches = 0
        # Suggestions given again with other spans keep the last: the earlier line is left
        # out if not written yet (``_superseded``), else the later one replaces its rows.
        self._superseded: set[str] = set()
        self._replacing: set[str] = set()

    def run(self, paths: Iterable[Path], fmt: str = "auto", split: str = "paragraph") -> ImportResult:
        files = expand_paths(paths, store=self.store.path)
        self.result.files = len(files)
        # The total is not known without reading everything: the bar counts what was read
        # (duplicates too: "44 read" for 43 new documents and one already there).
        with progress_bar(f"importing into {self.dataset}", unit=" read") as advance:
            records = self._records(files, fmt, split, advance)
            prepared = (self._prepare(batch) for batch in _batches(records, self.batch_size))
            # The first batches are checked before anything is written: a file of no more
            # is one transaction, as small imports always were.
            ready = list(islice(prepared, self.read_ahead + 1))
            if len(ready) <= self.read_ahead:
                self._when_no_other_import(lambda: self._write_at_once(ready))
                advance(sum(batch.size for batch in ready))
            else:
                self._run_pending(ready, prepared, advance)
        return self.result

    def _write_at_once(self, batches: list[_Prepared]) -> None:
        self.store.refuse_while_importing()  # its hidden documents are not there to share
        self.store.ensure_dataset(self.dataset, self.config.lang, self.config.names)
        for batch in batches:
            self._write(batch, None)

    def _run_pending(self, ready: list[_Prepared], rest: Iterator[_Prepared], advance: Callable[..., None]) -> None:
        """A transaction per batch, hidden from readers until the last one; undone on failure."""
        import_id = self._when_no_other_import(lambda: self.store.start_import(self.dataset))
        try:
            for batch in chain(ready, rest):
                with self.store.write():
                    self.store.keep_import_alive(import_id)
                    self._write(batch, import_id)
                advance(batch.size)
            with self.store.write():
                self.store.ensure_dataset(self.dataset, self.config.lang, self.config.names)
                self.store.finish_import(import_id)
        except BaseException:
            self.store.undo_import(import_id)  # if this fails too (or is killed), the next open does it
            raise
        self.store.forget_import(import_id)

    def _when_no_other_import(self, write: Callable[[], T]) -> T:
        """``write()`` in a transaction once no other import runs in this store: one at a
        time, or one could take the other's hidden documents for present."""
        said = False
        while True:
            try:
                with self.store.write():
                    return write()
            except ImportBusy as busy:
                if self.store.clean_up_imports():  # it was a dead one, now undone
                    continue
                if not said:
                    from annotator.usecases.preannotate import stderr_note

                    stderr_note(f"waiting for {busy.running} to finish")
                    said = True
                time.sleep(WAIT_SECONDS)

    def _records(self, files: list[Path], fmt: str, split: str, advance: Callable[..., None]) -> Iterator[Item]:
        for number, path in enumerate(files, start=1):
            if len(files) > 1:  # the files are the total that is known
                advance(0, f"importing into {self.dataset}: file {number}/{len(files)}")
            yield from read_path(path, fmt, split, self.config.lang,
                                 text_column=self.text_column, as_answers=self.as_answers)  # fmt: skip

    def _problem(self, problem: Problem) -> None:
        if not self.skip_invalid:
            raise UserError(f"{problem} (nothing was imported; --skip-invalid imports the other lines)")
        self.result.skipped.append(problem)

    def _prepare(self, batch: list[Record | Problem]) -> _Prepared:
        """Tokenize and check a batch (no store access): its problems stop the import here,
        before its transaction, unless ``skip_invalid``."""
        self._prepared_batches += 1
        for item in batch:
            if isinstance(item, NotImported):
                self.result.not_imported[item.file, item.what] += item.count
        problems = [(at, item) for at, item in enumerate(batch) if isinstance(item, Problem)]
        records = [(at, item) for at, item in enumerate(batch) if isinstance(item, Record)]
        untokenized = [r for _, r in records if r.tokens is None]
        for record, tokens in zip(untokenized, self.tokenizer.packed([r.text for r in untokenized]), strict=True):
            record.tokens = tokens
        good: list[tuple[Record, str, str | None]] = []
        for at, record in records:
            checked = self._check(record)
            if isinstance(checked, Problem):
                problems.append((at, checked))
            else:
                good.append((record, input_hash(record.text), checked))
                self._note_conflict(record, good[-1][1], checked)
        for _, problem in sorted(problems, key=lambda item: item[0]):  # in file order
            self._problem(problem)
        return _Prepared(good, len(batch))

    def _note_conflict(self, record: Record, digest: str, who: str | None) -> None:
        """Remember what this text was given as, and note (or refuse) the same text given
        again by the same annotator or source with other spans: one of the two is lost."""
        if record.spans is None and not record.answer:
            return  # a plain text again: nothing to lose
        kind, whose = ("answers", who) if record.answer else ("suggestions", record.source)
        given = hash((record.answer or "", tuple(sorted(record.spans or ()))))
        batch = self._prepared_batches
        earlier = self._given.get((kind, whose, digest))
        if earlier is None:
            self._given[kind, whose, digest] = (given, record.where, batch, batch)
            return
        if earlier[0] == given:
            return
        if self.on_conflict == "refuse":
            raise UserError(
                f"{record.where}: the same text as {earlier[1]} with different spans "
                "(nothing was imported; without --on-conflict refuse, one is kept and the summary lists them)"
            )
        self.result.conflicts.setdefault((kind, whose, digest), [earlier[1]]).append(record.where)
        if kind == "suggestions":
            if earlier[2] > self._written_batches:
                self._superseded.add(earlier[1])
            if earlier[3] <= self._written_batches:
                self._replacing.add(record.where)
        self._given[kind, whose, digest] = (given, record.where, batch, earlier[3])

    def _write(self, batch: _Prepared, import_id: int | None) -> None:
        """Write a prepared batch (inside the caller's transaction)."""
        good = batch.good
        self.result.read += sum(not r.same_document for r, _, _ in good)
        documents = [NewDocument(r.text, r.tokens or b"", r.meta, digest) for r, digest, _ in good]
        self.result.added += self.store.add_documents(self.dataset, documents, import_id, ids=False).added
        with_spans = [(r, digest, who) for r, digest, who in good if r.spans is not None or r.answer]
        if with_spans:
            self._store_spans(with_spans, import_id)
        self._written_batches += 1

    def _check(self, record: Record) -> Problem | str | None:
        """A Problem, or who the record's answer belongs to (None: spans are suggestions)."""
        assert record.tokens is not None  # every record is tokenized in _prepare
        problem = empty_text(record.text) or too_long(len(record.text), token_count(record.tokens), record.resplit)
        if problem:
            return Problem(record.where, problem)
        if record.spans is not None:
            mapped = tuple(Span(s.start, s.end, self.config.label_map.get(s.label, s.label)) for s in record.spans)
            tokens = Tokens(stored_offsets(record.tokens), record.text)
            if self.align != "strict":
                mapped = self._aligned(record, tokens, mapped)
            problems = span_problems(record.text, tokens, mapped, self.labels)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                hint = f"; {ALIGN_HINT}" if self.align == "strict" and "token boundaries" in problems[0] else ""
                return Problem(record.where, problems[0] + more + hint)
            if record.task is not None and "_task_hash" in record.task and set(mapped) != set(record.spans):
                # The hash describes the spans as they came: export makes one for the spans stored.
                record.task = {key: value for key, value in record.task.items() if key != "_task_hash"}
                self.result.rehashed += 1
            record.spans = mapped
        who = record.annotator or self.annotator
        if not who and record.source == "prodigy":
            who = DEFAULT_ANNOTATOR
        if record.answer is None and self.as_answers and record.answer_default:
            record.answer = record.answer_default
        if record.answer and not who:
            return Problem(
                record.where, "an answer with no annotator (no _annotator_id or _session_id); give --annotator NAME"
            )
        return who if record.answer else None

    def _aligned(self, record: Record, tokens: Tokens, spans: tuple[Span, ...]) -> tuple[Span, ...]:
        """Spans off token boundaries snapped as spaCy's ``alignment_mode`` does: ``expand``
        to every token they touch, ``contract`` to the tokens wholly inside. One that keeps no
        token is left out and counted, never dropped in silence."""
        aligned = []
        for span in spans:
            if not 0 <= span.start < span.end <= len(record.text) or (
                tokens.index_starting(span.start) is not None and tokens.index_ending(span.end) is not None
            ):
                aligned.append(span)  # on the tokens already (or out of range: span_problems says so)
                continue
            snapped = tokens.snap(span.start, span.end) if self.align == "expand" else _contracted(tokens, span)
            if snapped is None:
                what = f"spans with no whole token inside them (--align {self.align})"
                self.result.not_imported[record.where.rsplit(":", 1)[0], what] += 1
            else:
                aligned.append(Span(snapped[0], snapped[1], span.label))
        return tuple(aligned)

    def _store_spans(self, items: list[tuple[Record, str, str | None]], import_id: int | None) -> None:
        ids = self.store.document_ids(self.dataset, {digest for _, digest, _ in items})
        suggestions, replacing, answers = [], [], []
        for record, digest, who in items:
            doc_id, spans = ids[digest], record.spans or ()
            if not record.answer:
                if record.where in self._superseded:
                    self._superseded.discard(record.where)
                elif record.where in self._replacing:
                    self._replacing.discard(record.where)
                    replacing.append((doc_id, record.source, spans))
                else:
                    suggestions.append((doc_id, record.source, spans))
                continue
            assert who is not None  # _check refuses an answer with no annotator
            key, value = (doc_id, who), (record.answer, tuple(sorted(spans)))
            if key not in self._answered:
                latest = self.store.latest_answer(doc_id, who)
                self._answered[key] = (latest.answer, tuple(sorted(latest.spans))) if latest else None
            if self._answered[key] != value:  # re-importing the same answer adds nothing
                answered_at = record.answered_at if record.answered_at is not None else time.time()
                task = dumps(record.task) if record.task is not None else None
                answers.append((doc_id, who, record.answer, spans, answered_at, answered_at, task))
                self._answered[key] = value
                if record.source == "prodigy" and not record.annotator:
                    self.result.unnamed[who] += 1
        if suggestions:
            self.result.suggestions += self.store.add_suggestions(suggestions, import_id)
        if replacing and import_id is not None:  # without an import id nothing was written before
            self.store.replace_import_suggestions(replacing, import_id)
        if answers:
            self.result.answers += self.store.add_answers(answers, import_id)


def _contracted(tokens: Tokens, span: Span) -> tuple[int, int] | None:
    """The tokens wholly inside the span (``alignment_mode="contract"``), or None."""
    from bisect import bisect_left, bisect_right

    first = bisect_left(tokens.starts, span.start)
    last = bisect_right(tokens.ends, span.end) - 1
    while first <= last and tokens.is_space[first]:
        first += 1
    while last >= first and tokens.is_space[last]:
        last -= 1
    return (tokens.starts[first], tokens.ends[last]) if first <= last else None


def import_files(store: Store, config: LabelsConfig, paths: Iterable[Path], dataset: str, fmt: str = "auto",
                 split: str = "paragraph", annotator: str | None = None, as_answers: bool = False,
                 skip_invalid: bool = False, highlight: bool = True, n_process: int = 1,
                 text_column: str | None = None, on_conflict: str = "keep",
                 align: str = "strict") -> tuple[ImportResult, dict[str, int]]:  # fmt: skip
    """Import, then pre-highlight the dataset's new documents with labels.yaml's model and
    patterns. The pipelines load first, so a broken patterns file fails before any write;
    the model's tokenizer (when installed) tokenizes the import."""
    from annotator.usecases.preannotate import load_highlighters, preannotate, stderr_note

    notes: list[str] = []  # "model not installed": said once the import succeeded (an error is one line)
    highlighters = load_highlighters(config, note=notes.append) if highlight else []
    # The model's tokenizer if there is one, else the patterns' blank(lang) one: same tokens, one load.
    nlp = next((h.nlp for h in highlighters if h.source != "patterns"), highlighters[0].nlp if highlighters else None)
    importer = Importer(
        store,
        config,
        dataset,
        nlp,
        annotator,
        as_answers,
        skip_invalid,
        text_column=text_column,
        on_conflict=on_conflict,
        align=align,
    )
    result = importer.run(paths, fmt, split)
    for note in notes:
        stderr_note(note)
    return result, preannotate(store, config, dataset, highlighters, n_process=n_process)

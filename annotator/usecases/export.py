"""Store -> training data: spaCy's ``train.spacy``, ``dev.spacy`` (DocBin) and ``config.cfg``;
or Prodigy JSONL (``export_jsonl``) or CoNLL-2003 files (``export_conll``), written by their
format's module in ``annotator.io``.

One ``Doc`` per exported document: words and spaces from the stored tokens, ``doc.ents``
from the final spans (``core.consensus``), on the side of the seeded split
(``core.split``), or with a fixed evaluation dataset, that dataset whole as dev (a text
it shares with the training dataset is kept out of train and counted). Deciding what goes
where needs only the answers and the input hashes, so that is done first; then the texts are
streamed from the store, and each ``Doc`` is packed into its DocBin (which keeps arrays, not
Docs) and dropped. Everything is written into a temporary folder and moved into place at the end: nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.consensus import final_spans
from annotator.core.errors import UserError
from annotator.core.spans import Span, spans_from_json
from annotator.core.split import DEV, TRAIN, split
from annotator.core.tasks import ACCEPT, Answer
from annotator.io.conll import CONLL_FILES, conll_document
from annotator.io.jsonl import JSONL_FILE, prodigy_task, write_jsonl
from annotator.io.records import OFF_BOUNDARIES
from annotator.store import Store

SPACY_FILES = ("train.spacy", "dev.spacy", "config.cfg")
# What NER training reads; fewer attributes make smaller files, written faster.
DOC_ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE"]
IN_BOTH = "in the eval dataset too (kept out of train)"
NO_DEV = "no dev.spacy (--eval-split 0): spacy train needs --paths.dev (a dev set of your own)"


@dataclass
class Summary:
    """What an export wrote and what it left out, for the report at the end."""

    dataset: str
    out_dir: Path
    eval_dataset: str | None = None
    notes: list[str] = field(default_factory=list)  # said after the tables (no dev set written)
    files: list[Path] = field(default_factory=list)
    documents: Counter = field(default_factory=Counter)  # side (or answer) -> documents (or lines)
    spans: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # label -> side -> spans
    left_out: Counter = field(default_factory=Counter)  # reason -> documents


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
        return [(span["start"], span["end"], span["label"]) for span in json.loads(final)]
    return list(final)


def words_and_spaces(text: str, tokens: Sequence[Sequence[int]]) -> tuple[list[str], list[bool]]:
    """spaCy's words and spaces for stored token offsets, so that ``doc.text == text``.
    Text between tokens that is not one space (tokens from another tool may skip
    whitespace) becomes a token of its own, as spaCy's tokenizer would make it."""
    words = [text[start:end] for start, end in tokens]
    spaces = [text[end : end + 1] == " " for _, end in tokens]
    if "".join([word + " " if space else word for word, space in zip(words, spaces, strict=True)]) == text:
        return words, spaces  # the usual case: spaCy's own tokens, nothing between them
    words = []
    spaces = []
    position = 0
    for start, end in [*tokens, (len(text), len(text))]:
        if start > position:
            gap = text[position:start]
            if words and not spaces[-1] and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        position = max(position, end)
    return words, spaces


def make_doc(vocab, text: str, tokens: Sequence[Sequence[int]], spans: Sequence[tuple[int, int, str]]):
    """A Doc with the stored tokens and ``spans`` as ``doc.ents`` (every other token
    marked outside an entity: an accepted document with no spans teaches that too)."""
    from spacy.tokens import Doc

    words, spaces = words_and_spaces(text, tokens)
    doc = Doc(vocab, words=words, spaces=spaces)
    found = [doc.char_span(start, end, label=label) for start, end, label in spans]
    ents = [ent for ent in found if ent is not None]
    if len(ents) != len(found):
        raise ValueError(OFF_BOUNDARIES)
    doc.ents = ents
    return doc


def spacy_config(lang: str):
    """spaCy's own starting config for an NER pipeline in ``lang`` (CPU, efficiency)."""
    from spacy.cli.init_config import init_config

    return init_config(lang=lang, pipeline=["ner"], optimize="efficiency", silent=True)


def blank_vocab(lang: str):
    import spacy

    try:
        return spacy.blank(lang).vocab
    except ImportError:
        raise UserError(f"spaCy has no language {lang!r}; set `lang` in labels.yaml") from None


def dataset_lang(store: Store, dataset: str, fallback: str = "en") -> str:
    info = store.dataset_info(dataset)
    return (info or {}).get("lang") or fallback


@dataclass
class SplitPlan:
    """What each exported dataset gives, and the side each of its documents goes to: the
    training dataset, then the eval dataset (all dev) if there is one."""

    plans: dict[str, Plan]
    sides: dict[str, dict[str, str]]  # dataset -> {input hash: train | dev}
    left_out: Counter
    wants_dev: bool  # a dev set is expected: an eval dataset, or an eval split above 0


def check_eval_split(eval_split: float) -> None:
    if not 0.0 <= eval_split < 1.0:
        raise UserError(f"--eval-split must be at least 0 and below 1 (not {eval_split})")


def plan_split(store: Store, dataset: str, *, eval_dataset: str | None = None, eval_split: float = 0.2,
               seed: int = 0, conflicts: str = "review") -> SplitPlan:  # fmt: skip
    """The training dataset split by ``eval_split`` (0: all train), plus the eval dataset as
    dev whole. A text in both goes to dev only: an eval set the model trained on measures nothing."""
    check_eval_split(eval_split)
    plan = plan_export(store, dataset, conflicts)
    left_out = plan.left_out
    if eval_dataset is None:
        check_enough(store, dataset, plan, needed=2 if eval_split > 0 else 1)
        sides = {dataset: split(plan.hashes.values(), eval_split, seed)}
        return SplitPlan({dataset: plan}, sides, left_out, wants_dev=eval_split > 0)
    held = plan_export(store, eval_dataset, conflicts)
    held_texts = {digest for _, digest in store.document_hashes(eval_dataset)}
    for document, digest in list(plan.hashes.items()):
        if digest in held_texts:
            del plan.finals[document], plan.hashes[document]
            left_out[IN_BOTH] += 1
    for reason, count in held.left_out.items():
        left_out[f"{reason} (eval dataset)"] += count
    check_enough(store, dataset, plan, needed=1)
    check_enough(store, eval_dataset, held, needed=1)
    sides = {
        dataset: split(plan.hashes.values(), eval_split, seed),
        eval_dataset: dict.fromkeys(held.hashes.values(), DEV),
    }
    return SplitPlan({dataset: plan, eval_dataset: held}, sides, left_out, wants_dev=True)


def planned_documents(store: Store, planned: SplitPlan, progress: Callable[[int], None] | None = None):
    """(side, text, tokens, final spans) of each document to export, streamed dataset by dataset."""
    for name, plan in planned.plans.items():
        for document, digest, text, tokens in store.document_texts(name):
            if progress is not None:
                progress(1)
            final = plan.finals.get(document)
            if final is not None:
                yield planned.sides[name][digest], text, tokens, span_tuples(final)


def check_sides(store: Store, summary: Summary, wants_dev: bool) -> None:
    """Bad stored spans may take the last document of a side."""
    if not summary.documents[TRAIN] or (wants_dev and not summary.documents[DEV]):
        raise UserError(f"{store.path}: too few good documents for a train and a dev set; run `annotator db check`")


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


def export_spacy(
    store: Store,
    dataset: str,
    out_dir: Path,
    *,
    eval_dataset: str | None = None,
    eval_split: float = 0.2,
    seed: int = 0,
    conflicts: str = "review",
    force: bool = False,
    lang: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write train.spacy, dev.spacy and config.cfg into ``out_dir``; returns the summary.
    With no dev set (``eval_split`` 0, no eval dataset) dev.spacy is not written."""
    from spacy.tokens import DocBin

    planned = plan_split(
        store, dataset, eval_dataset=eval_dataset, eval_split=eval_split, seed=seed, conflicts=conflicts
    )
    lang = lang or dataset_lang(store, dataset)
    vocab = blank_vocab(lang)
    summary = Summary(dataset, Path(out_dir), eval_dataset, left_out=planned.left_out)
    names = SPACY_FILES if planned.wants_dev else ("train.spacy", "config.cfg")
    with output_folder(Path(out_dir), names, force, belonging=SPACY_FILES) as temp:
        bins = {TRAIN: DocBin(attrs=DOC_ATTRS), DEV: DocBin(attrs=DOC_ATTRS)}
        for side, text, tokens, spans in planned_documents(store, planned, progress):
            try:
                doc = make_doc(vocab, text, tokens, spans)
            except ValueError as error:
                summary.left_out[str(error) if str(error) == OFF_BOUNDARIES else "overlapping spans"] += 1
                continue
            bins[side].add(doc)
            summary.documents[side] += 1
            for _, _, label in spans:
                summary.spans[label][side] += 1
        check_sides(store, summary, planned.wants_dev)
        for side, doc_bin in bins.items():
            if f"{side}.spacy" in names:
                doc_bin.to_disk(temp / f"{side}.spacy")
        spacy_config(lang).to_disk(temp / "config.cfg")
    summary.files = [Path(out_dir) / name for name in names]
    if not planned.wants_dev:
        summary.notes.append(NO_DEV)
    return summary


def export_jsonl(
    store: Store,
    dataset: str,
    out_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write ``annotations.jsonl`` into ``out_dir``: every annotator's answer that counts
    (documents nobody answered are not annotations; reviews go to the spaCy export)."""
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
        write_jsonl(temp / JSONL_FILE, lines())
    if not summary.left_out["not answered"]:
        del summary.left_out["not answered"]
    summary.files = [Path(out_dir) / JSONL_FILE]
    return summary


def export_conll(
    store: Store,
    dataset: str,
    out_dir: Path,
    *,
    eval_dataset: str | None = None,
    eval_split: float = 0.2,
    seed: int = 0,
    conflicts: str = "review",
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write train.conll and dev.conll into ``out_dir`` (no dev.conll with no dev set): the
    same documents, final spans and split (or fixed eval dataset) as the spaCy export."""
    planned = plan_split(
        store, dataset, eval_dataset=eval_dataset, eval_split=eval_split, seed=seed, conflicts=conflicts
    )
    summary = Summary(dataset, Path(out_dir), eval_dataset, left_out=planned.left_out)
    names = CONLL_FILES if planned.wants_dev else CONLL_FILES[:1]
    with output_folder(Path(out_dir), names, force, belonging=CONLL_FILES) as temp:
        files = {side: (temp / f"{side}.conll").open("w", encoding="utf-8") for side in (TRAIN, DEV)[: len(names)]}
        try:
            for side, text, tokens, spans in planned_documents(store, planned, progress):
                try:
                    block = conll_document(text, tokens, spans)
                except ValueError as error:
                    summary.left_out[str(error)] += 1
                    continue
                files[side].write(block)
                summary.documents[side] += 1
                for _, _, label in spans:
                    summary.spans[label][side] += 1
        finally:
            for handle in files.values():
                handle.close()
        check_sides(store, summary, planned.wants_dev)
    summary.files = [Path(out_dir) / name for name in names]
    if not planned.wants_dev:
        summary.notes.append("no dev.conll (--eval-split 0): everything is in train.conll")
    return summary


@contextmanager
def output_folder(out_dir: Path, names: Sequence[str], force: bool, belonging: Sequence[str] = ()) -> Iterator[Path]:
    """A temporary folder inside ``out_dir`` to write ``names`` into; they are moved into
    ``out_dir`` only when the block finishes. On any failure nothing is left behind,
    not even the folders this made. ``belonging``: files of the same export not written
    this time (dev.spacy with --eval-split 0); an earlier one is replaced by none, as it
    would not match the new files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir}: is a file, not a folder")
    existing = [name for name in dict.fromkeys([*names, *belonging]) if (out_dir / name).exists()]
    if existing and not force:
        raise UserError(f"{out_dir / existing[0]}: already exists (use --force to replace it)")
    made = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".annotator-export-", dir=out_dir))
    except OSError as error:
        _remove_empty(made)
        raise UserError(f"{out_dir}: cannot write here ({error.strerror or error})") from None
    done = False
    try:
        yield temp
        for name in names:
            os.replace(temp / name, out_dir / name)
        for name in set(belonging) - set(names):
            (out_dir / name).unlink(missing_ok=True)
        done = True
    except OSError as error:
        raise UserError(f"{out_dir}: cannot write here ({error.strerror or error})") from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        if not done:
            _remove_empty(made)


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first
        try:
            folder.rmdir()
        except OSError:
            pass

"""Store -> CoNLL-2003 NER files, for tools outside spaCy: ``train.conll`` and ``dev.conll``.

The same documents, final spans and train/dev split as the spaCy export (``plan_export``
and ``core.split``). Each document is one block: ``-DOCSTART- -X- O O`` (the delimiter
spaCy's ``conll_ner_to_docs`` splits documents on), a blank line, then ``word TAG`` per
token with IOB2 tags (``B-`` starts every entity), and a blank line. Whitespace tokens are
left out; a token with whitespace inside (another tool's tokens may have it) is written
as one word per piece, all in its entity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.core.split import DEV, TRAIN, split
from annotator.errors import UserError
from annotator.export import OFF_BOUNDARIES, Summary, check_enough, output_folder, plan_export, span_tuples
from annotator.store import Store

CONLL_FILES = ("train.conll", "dev.conll")
DOC_DELIMITER = "-DOCSTART- -X- O O"


def iob_lines(text: str, tokens: Sequence[Sequence[int]], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """``word TAG`` for each word of the document; ValueError if a span is off the tokens."""
    tags = ["O"] * len(tokens)
    starts = {start: at for at, (start, _) in enumerate(tokens)}
    ends = {end: at for at, (_, end) in enumerate(tokens)}
    for start, end, label in spans:
        if start not in starts or end not in ends or starts[start] > ends[end]:
            raise ValueError(OFF_BOUNDARIES)
        first, last = starts[start], ends[end]
        if any(tag != "O" for tag in tags[first : last + 1]):
            raise ValueError("overlapping spans")
        tags[first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
    lines = []
    for (start, end), tag in zip(tokens, tags):
        for piece in text[start:end].split():
            lines.append(f"{piece} {tag}")
            tag = "I-" + tag[2:] if tag != "O" else tag  # the pieces after the first go on in the entity
    return lines


def export_conll(
    store: Store,
    dataset: str,
    out_dir: Path,
    *,
    eval_split: float = 0.2,
    seed: int = 0,
    conflicts: str = "review",
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write train.conll and dev.conll into ``out_dir``; returns the summary."""
    if not 0.0 < eval_split < 1.0:
        raise UserError(f"--eval-split must be between 0 and 1 (not {eval_split})")
    plan = plan_export(store, dataset, conflicts)
    check_enough(store, dataset, plan, needed=2)
    sides = split(plan.hashes.values(), eval_split, seed)
    summary = Summary(dataset, Path(out_dir), left_out=plan.left_out)
    with output_folder(Path(out_dir), CONLL_FILES, force) as temp:
        files = {side: (temp / f"{side}.conll").open("w", encoding="utf-8") for side in (TRAIN, DEV)}
        try:
            for document, digest, text, tokens in store.document_texts(dataset):
                if progress is not None:
                    progress(1)
                final = plan.finals.get(document)
                if final is None:
                    continue
                spans = span_tuples(final)
                try:
                    lines = iob_lines(text, tokens, spans)
                except ValueError as error:
                    summary.left_out[str(error)] += 1
                    continue
                side = sides[digest]
                files[side].write(f"{DOC_DELIMITER}\n\n" + "".join(line + "\n" for line in lines) + "\n")
                summary.documents[side] += 1
                for _, _, label in spans:
                    summary.spans[label][side] += 1
        finally:
            for handle in files.values():
                handle.close()
        if not (summary.documents[TRAIN] and summary.documents[DEV]):  # bad stored spans took the last of a side
            raise UserError(f"{store.path}: too few good documents for a train and a dev set; run `annotator db check`")
    summary.files = [Path(out_dir) / name for name in CONLL_FILES]
    return summary

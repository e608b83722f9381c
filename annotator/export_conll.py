"""Store -> CoNLL-2003 NER files, for tools outside spaCy: ``train.conll`` and ``dev.conll``.

The same documents, final spans and train/dev split (or fixed eval dataset) as the spaCy
export (``plan_split``). Each document is one block: ``-DOCSTART- -X- O O`` (the delimiter
spaCy's ``conll_ner_to_docs`` splits documents on), a blank line, then ``word TAG`` per
token with IOB2 tags (``B-`` starts every entity), and a blank line. Whitespace tokens are
left out; a token with whitespace inside (another tool's tokens may have it) is written
as one word per piece, all in its entity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.core.split import DEV, TRAIN
from annotator.store import Store
from annotator.usecases.export import OFF_BOUNDARIES, Summary, check_sides, output_folder, plan_split, planned_documents

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
    eval_dataset: str | None = None,
    eval_split: float = 0.2,
    seed: int = 0,
    conflicts: str = "review",
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write train.conll and dev.conll into ``out_dir`` (no dev.conll with no dev set); returns the summary."""
    planned = plan_split(
        store, dataset, eval_dataset=eval_dataset, eval_split=eval_split, seed=seed, conflicts=conflicts
    )
    summary = Summary(dataset, Path(out_dir), eval_dataset, left_out=planned.left_out)
    names = CONLL_FILES if planned.wants_dev else CONLL_FILES[:1]
    with output_folder(Path(out_dir), names, force, belonging=CONLL_FILES) as temp:
        files = {
            side: (temp / f"{side}.conll").open("w", encoding="utf-8")
            for side in (TRAIN, DEV)
            if f"{side}.conll" in names
        }
        try:
            for side, text, tokens, spans in planned_documents(store, planned, progress):
                try:
                    lines = iob_lines(text, tokens, spans)
                except ValueError as error:
                    summary.left_out[str(error)] += 1
                    continue
                files[side].write(f"{DOC_DELIMITER}\n\n" + "".join(line + "\n" for line in lines) + "\n")
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

"""Store -> CoNLL-2003 ``train.conll`` and ``dev.conll``: the same documents, final spans and
split as the spaCy export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.split import DEV, TRAIN
from annotator.core.token_codec import unpack_offsets
from annotator.io.conll import CONLL_FILES, conll_document
from annotator.store import Store
from annotator.usecases.export.output import output_folder
from annotator.usecases.export.sides import plan_split, planned_documents
from annotator.usecases.export.summary import Summary, check_sides


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
                    block = conll_document(text, unpack_offsets(tokens), spans)
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

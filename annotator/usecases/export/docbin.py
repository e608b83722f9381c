"""Store -> spaCy's ``train.spacy``, ``dev.spacy`` (DocBin, written by ``io.spacy_docs``) and
``config.cfg``. Deciding what goes where needs only the answers and the input hashes, so
that is done first; then the texts are streamed from the store, and each ``Doc`` is packed
into its DocBin (which keeps arrays, not Docs) and dropped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.split import DEV, TRAIN
from annotator.io.records import OFF_BOUNDARIES
from annotator.io.spacy_docs import doc_vocab, make_doc, new_doc_bin
from annotator.store import Store
from annotator.usecases.export.config import dataset_lang, spacy_config
from annotator.usecases.export.output import output_folder
from annotator.usecases.export.sides import plan_split, planned_documents
from annotator.usecases.export.summary import Summary, check_sides

SPACY_FILES = ("train.spacy", "dev.spacy", "config.cfg")
NO_DEV = "no dev.spacy (--eval-split 0): spacy train needs --paths.dev (a dev set of your own)"


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
    planned = plan_split(
        store, dataset, eval_dataset=eval_dataset, eval_split=eval_split, seed=seed, conflicts=conflicts
    )
    lang = lang or dataset_lang(store, dataset)
    vocab = doc_vocab(lang)
    summary = Summary(dataset, Path(out_dir), eval_dataset, left_out=planned.left_out)
    names = SPACY_FILES if planned.wants_dev else ("train.spacy", "config.cfg")
    with output_folder(Path(out_dir), names, force, belonging=SPACY_FILES) as temp:
        bins = {TRAIN: new_doc_bin(), DEV: new_doc_bin()}
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

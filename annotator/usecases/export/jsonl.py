"""Store -> Prodigy JSONL (``annotations.jsonl``): every annotator's answer that counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.core.errors import UserError
from annotator.io.jsonl import JSONL_FILE, prodigy_task, write_jsonl
from annotator.store import Store
from annotator.usecases.export.output import output_folder
from annotator.usecases.export.summary import Summary


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

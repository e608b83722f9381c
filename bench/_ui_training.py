"""Key press to repaint on the 300-token document while the trainer trains: the row of
`python -m bench ui` for `annotate --learn` (issue 14: p95 under 50 ms on this 2-core machine).

The trainer is the real one, the child process `annotate --learn` starts
(``usecases.trainer_process.trainer_running``: `annotator learn` at nice 10), on the same
store: a second dataset holds accepted answers enough for a round that outlasts the presses.
The presses start once the child has spent ``WARM_CPU_S`` of CPU (spaCy imported, the round
begun), and the row is kept only if the child was busy through them: its CPU share over the
presses is reported beside it, and a round that ended before the last press fails the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from annotator.io.labels import load_labels
from annotator.store import Store
from annotator.usecases import learned
from annotator.usecases.trainer_process import trainer_running
from bench.common import percentile, row

LEARN_DATASET = "learn"
TRAIN_DOCS = 400  # accepted answers: a round of several tens of seconds here, longer than the presses
WARM_CPU_S = 4.0  # the child's CPU before the presses: its imports and the start of the round
WARM_TIMEOUT_S = 120.0
LIMIT_S = 0.050


def add_training_answers(db: Path, documents: list) -> None:
    """The dataset the trainer learns from: the documents, each accepted with its spans."""
    with Store(db) as store:
        ids = store.add_documents(LEARN_DATASET, [document for document, _ in documents])
        with store.write():
            for document, spans in documents:
                store.add_answer(ids[document.input_hash], "bench", "accept", spans, started_at=1.0)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a running process (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rows_while_training(db: Path, folder: Path, labels_content: dict, training: list, key_latencies) -> list[dict]:
    """The key-to-repaint rows (median for reference, p95 against the target) with the trainer
    busy, and its CPU share over the presses."""
    add_training_answers(db, training)
    labels = folder / "labels.yaml"
    labels.write_text(json.dumps(labels_content), encoding="utf-8")
    config = load_labels(labels)
    with trainer_running(db, config, LEARN_DATASET, every=1) as child:
        deadline = time.monotonic() + WARM_TIMEOUT_S
        while cpu_seconds(child.pid) < WARM_CPU_S:
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the trainer did not start training (see {learned.learned_folder(db, 'learn')})")
            time.sleep(0.1)
        cpu_before, started = cpu_seconds(child.pid), time.monotonic()
        timings = asyncio.run(key_latencies(db))
        share = (cpu_seconds(child.pid) - cpu_before) / (time.monotonic() - started)
        if learned.answers_seen(learned.learned_folder(db, LEARN_DATASET)) or child.poll() is not None:
            raise RuntimeError("the trainer's round ended before the last key press: give it more answers")
    what = "key to repaint, 300 tokens, while the trainer trains"
    return [
        row(f"{what}: median s (for reference)", statistics.median(timings), LIMIT_S, float("inf")),
        row(f"{what}: p95 s", percentile(timings, 95), LIMIT_S),
        row("(for reference) the trainer's CPU over those presses, in cores", share, 1.0, float("inf")),
    ]

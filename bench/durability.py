"""What a power-loss-proof answer costs: commit + next task with synchronous FULL (the
screens' stores) against NORMAL (bulk writers), one annotator on a store file in this
folder's file system (a temporary one beside it), with a 100-document store.

    python -m bench durability
    python bench/durability.py --count 500
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `annotator` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.spans import Span
from annotator.store import Store
from bench.common import percentile, row
from bench.concurrency import DATASET, make_store

STEP_LIMIT = 0.100  # the concurrency benchmark's budget: commit + next task within 100 ms at p99
SPANS = [Span(0, 7, "PERSON"), Span(18, 23, "GPE")]


def answer_times(path: Path, durable: bool, count: int) -> list[float]:
    """Seconds for each of ``count`` answers: add_answer then next_task, as the screen does."""
    times = []
    with Store(path, durable=durable) as store:
        document = store.next_task(DATASET, "bench")
        for _ in range(count):
            if document is None:
                break
            started = time.perf_counter()
            store.add_answer(document, "bench", "accept", SPANS, time.time())
            document = store.next_task(DATASET, "bench")
            times.append(time.perf_counter() - started)
    return times


def measure(count: int = 300) -> dict[str, list[float]]:
    results = {}
    # Beside the repository, not /tmp: the file system stores usually live on (tmpfs syncs nothing).
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent.parent) as folder:
        for name, durable in (("NORMAL", False), ("FULL", True), ("NORMAL again", False), ("FULL again", True)):
            path = Path(folder) / f"{name.replace(' ', '-')}.db"
            make_store(path, count + 1)
            results.setdefault(name.split()[0], []).extend(answer_times(path, durable, count // 2))
    return results


def run(count: int = 300) -> list[dict]:
    times = measure(count)
    full, normal = times["FULL"], times["NORMAL"]
    return [
        row(
            "synchronous FULL: commit + next task per answer, median (ms)",
            statistics.median(full) * 1000,
            STEP_LIMIT * 1000,
        ),
        row(
            "synchronous FULL: commit + next task per answer, p99 (ms)", percentile(full, 99) * 1000, STEP_LIMIT * 1000
        ),
        row(
            "(reference) synchronous NORMAL: the same, median (ms)", statistics.median(normal) * 1000, STEP_LIMIT * 1000
        ),
        row("(reference) synchronous NORMAL: the same, p99 (ms)", percentile(normal, 99) * 1000, STEP_LIMIT * 1000),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    for r in run(parser.parse_args().count):
        print(f"{r['measure']}: {r['value']:.2f} (limit {r['limit']:.0f})")

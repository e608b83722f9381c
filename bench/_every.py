"""`python -m bench._every`: what decides the trainer's default ``every`` (answers a round).

The simulated annotator walks the first documents of ner_drugs once with the patterns alone and
once per ``every``, the trainer's round run after each answer (synchronously, its time kept
apart), and prints corrections per 100 documents, rounds, models kept and the training time.
A smaller ``every`` keeps a first model sooner (fewer corrections early on) and costs more
training; the real trainer runs its rounds back to back once a round takes longer than
``every`` answers, so past that point ``every`` no longer matters.

    python -m bench._every [--first 400] [--every 25,50,100,200] [--epochs 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from itertools import islice
from pathlib import Path

from bench.effort import DRUGS, drugs_labels, walk

EPOCHS = 10  # the trainer's own (usecases/learner.py)


def sweep(first: int, everies: list[int], epochs: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        gold = Path(folder) / "first.jsonl"
        with (DRUGS / "drugs_training.jsonl").open(encoding="utf-8") as source:
            gold.write_text("".join(islice(source, first)), encoding="utf-8")
        labels = drugs_labels(Path(folder))
        for every in [None, *everies]:
            effort = walk(f"every {every}", gold, labels, replay=0, learn_every=every, epochs=epochs)
            rows.append(
                {
                    "every": every,
                    "documents": effort.documents,
                    "corrections_per_100": effort.corrections_per_100,
                    "second_half_corrections_per_100": effort.second_half_corrections_per_100,
                    "keys_per_document": effort.keys_per_document,
                    "rounds": effort.rounds,
                    "kept": effort.kept,
                    "training_seconds": effort.training_seconds,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._every", description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=400, help="documents of drugs_training.jsonl (default 400)")
    parser.add_argument("--every", default="25,50,100,200", help="the values to compare (default 25,50,100,200)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"epochs a round (default {EPOCHS})")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    rows = sweep(args.first, [int(n) for n in args.every.split(",")], args.epochs)
    for row in rows:
        if args.json:
            print(json.dumps(row))
            continue
        every = "patterns only" if row["every"] is None else f"every {row['every']}"
        print(
            f"{every:>14}: {row['corrections_per_100']:6.2f} corrections per 100 "
            f"({row['second_half_corrections_per_100']:6.2f} over the second half), "
            f"{row['keys_per_document']:.2f} keys a document, {row['rounds']} rounds, {row['kept']} kept, "
            f"{row['training_seconds']:.0f} s training"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

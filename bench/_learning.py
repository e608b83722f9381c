"""`python -m bench effort --learn`: patterns only against suggestions that learn, on ner_drugs,
side by side, and the learning curve (F on drugs_eval.jsonl of the model trained on the first
100, 200, 400, 800 and all answered documents, in file order).

Target (issue 14): with --learn, span corrections per 100 documents over the second half of
ner_drugs at most 70% of those with patterns alone.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import srsly

from annotator.core.span_scores import span_scores
from annotator.core.spans import spans_from_json
from annotator.core.token_codec import pack_offsets
from annotator.io.labels import load_labels
from annotator.usecases.ner_training import Answered, predicted_spans, train_pipeline
from annotator.usecases.preannotate import Highlighter, load_highlighters
from bench.effort import DRUGS, drugs_labels, walk

TARGET_SHARE = 0.7
CURVE = (100, 200, 400, 800)


def answered(path: Path) -> list[Answered]:
    """The accepted lines of a Prodigy file, with their own tokens."""
    return [
        Answered(
            line["text"],
            pack_offsets((t["start"], t["end"]) for t in line["tokens"]),
            spans_from_json(line.get("spans") or []),
        )
        for line in srsly.read_jsonl(path)
        if line.get("answer", "accept") == "accept" and line.get("tokens")
    ]


def curve(gold: Path, labels: Path, epochs: int) -> list[dict]:
    """F on drugs_eval.jsonl of the patterns, then of a model trained on the first n answers."""
    config = load_labels(labels)
    train, held = answered(gold), answered(DRUGS / "drugs_eval.jsonl")
    truth = [document.spans for document in held]

    def f1(highlighters) -> float:
        return span_scores(zip(predicted_spans(highlighters, config, held), truth, strict=True)).f1

    points = [{"trained_on": 0, "f1": f1(load_highlighters(config)), "seconds": 0.0}]
    for size in [n for n in CURVE if n < len(train)] + [len(train)]:
        started = time.perf_counter()
        nlp = train_pipeline(config, train[:size], epochs)
        points.append(
            {"trained_on": size, "f1": f1([Highlighter("curve", nlp)]), "seconds": time.perf_counter() - started}
        )
    return points


def learning_table(gold: Path | None, labels: Path | None, every: int, epochs: int, as_json: bool) -> int:
    with tempfile.TemporaryDirectory() as folder:
        gold = gold or DRUGS / "drugs_training.jsonl"
        labels = labels or drugs_labels(Path(folder))
        alone = walk("patterns only", gold, labels, replay=0)
        learning = walk(
            f"--learn (every {every}, {epochs} epochs)", gold, labels, replay=0, learn_every=every, epochs=epochs
        )
        points = curve(gold, labels, epochs)
    share = learning.second_half_corrections_per_100 / alone.second_half_corrections_per_100
    if as_json:
        print(json.dumps({"patterns": asdict(alone), "learn": asdict(learning), "curve": points, "share": share}))
        return 0
    print(f"{'':44}{'patterns only':>16}{'--learn':>16}")
    for field in ("documents", "keys_per_document", "keys_per_fix", "corrections_per_100",
                  "second_half_corrections_per_100", "rounds", "kept", "training_seconds", "seconds"):  # fmt: skip
        a, b = getattr(alone, field), getattr(learning, field)
        cell = (lambda v: f"{v:16.2f}") if isinstance(a, float) else (lambda v: f"{v:16d}")
        print(f"{field:44}{cell(a)}{cell(b)}")
    met = "met" if share <= TARGET_SHARE else "NOT met"
    print(f"second-half corrections, --learn / patterns: {share:.2f} (target <= {TARGET_SHARE}: {met})")
    print("learning curve (F on drugs_eval.jsonl; file order):")
    for point in points:
        what = "patterns" if point["trained_on"] == 0 else f"first {point['trained_on']}"
        print(f"  {what:>12}  F {point['f1']:.3f}  ({point['seconds']:.0f} s)")
    return 0

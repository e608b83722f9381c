"""`python -m bench effort --learn`: patterns only, suggestions that learn, and suggestions that
learn with the least sure documents first (``--order uncertain``), on ner_drugs, side by side;
and the learning curves (F on drugs_eval.jsonl of the model trained on the first 100, 200,
400, 800 and all answered documents, in file order and in the order the uncertain walk
handed them out).

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
from annotator.core.task_order import FILE, UNCERTAIN
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


def curve(gold: Path, labels: Path, epochs: int, order: list[str] | None = None) -> list[dict]:
    """F on drugs_eval.jsonl of the patterns, then of a model trained on the first n answers
    (in file order, or in ``order``: the texts as handed out)."""
    config = load_labels(labels)
    train, held = answered(gold), answered(DRUGS / "drugs_eval.jsonl")
    if order is not None:
        rank = {text: n for n, text in enumerate(order)}
        train.sort(key=lambda document: rank.get(document.text, len(rank)))
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
        learn = {"replay": 0, "learn_every": every, "epochs": epochs}
        learning = walk(f"--learn (every {every}, {epochs} epochs)", gold, labels, **learn)
        handed: list[str] = []
        uncertain = walk("--learn --order uncertain", gold, labels, **learn, order=UNCERTAIN, handed=handed)
        points = {FILE: curve(gold, labels, epochs), UNCERTAIN: curve(gold, labels, epochs, handed)}
    walks = {"patterns": alone, "learn": learning, "uncertain": uncertain}
    shares = {
        name: w.second_half_corrections_per_100 / alone.second_half_corrections_per_100 for name, w in walks.items()
    }
    if as_json:
        print(json.dumps({**{name: asdict(w) for name, w in walks.items()}, "curve": points, "share": shares}))
        return 0
    print(f"{'':44}{'patterns only':>16}{'--learn':>16}{'--order uncertain':>18}")
    for field in ("documents", "keys_per_document", "keys_per_fix", "corrections_per_100",
                  "second_half_corrections_per_100", "rounds", "kept", "training_seconds", "seconds"):  # fmt: skip
        values = [getattr(w, field) for w in walks.values()]
        cells = [f"{v:16.2f}" if isinstance(v, float) else f"{v:16d}" for v in values]
        print(f"{field:44}{cells[0]}{cells[1]}  {cells[2]}")
    for name in ("learn", "uncertain"):
        met = "met" if shares[name] <= TARGET_SHARE else "NOT met"
        print(f"second-half corrections, {walks[name].name} / patterns: {shares[name]:.2f} "
              f"(target <= {TARGET_SHARE}: {met})")  # fmt: skip
    print("learning curves (F on drugs_eval.jsonl of a model trained on the first n answers):")
    print(f"  {'trained on':>12}  {'file order':>18}  {'uncertain order':>18}")
    for in_file, in_uncertain in zip(points[FILE], points[UNCERTAIN], strict=True):
        what = "patterns" if in_file["trained_on"] == 0 else f"first {in_file['trained_on']}"
        cells = [f"F {p['f1']:.3f} ({p['seconds']:3.0f} s)" for p in (in_file, in_uncertain)]
        print(f"  {what:>12}  {cells[0]:>18}  {cells[1]:>18}")
    return 0

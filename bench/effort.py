"""Effort: how many keys a careful annotator needs to turn the suggestions into the gold.

A simulated annotator walks a dataset with gold answers in the order the tool hands the
documents out (a real store, the real import and pre-highlighting, the annotate session's own
``next_task``). For each document it takes the spans the screen opens with, plans the fewest
key presses that make the gold (``bench/_planner.py``: shortest paths over the annotate
screen's bindings as labels.yaml configures them) and answers with the gold. A sample of
the plans is pressed in the real app (``bench/_replay.py``), and the stored answers must equal
the gold, so the planner cannot drift from the screen.

    python -m bench effort                        # the demo's gold and ner_drugs, as table rows
    python -m bench effort --gold FILE --labels FILE [--json] [--replay N]
    python -m bench effort --learn [--every N] [--epochs N]   # ner_drugs: patterns only, --learn,
                                                              # --learn --order uncertain, the curves

Figures: keys per document; keys per fix (the keys beyond the answer key, per fix; a fix is a
group of overlapping spans that the suggestions and the gold do not share); keys per document
when the suggestions were right; corrections (fixes) per 100 documents.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import srsly

from annotator.core.spans import Span, spans_from_json
from annotator.core.task_order import FILE, HandOut
from annotator.io.labels import LabelsConfig, load_labels
from annotator.store import Store
from annotator.usecases.annotate_session import AnnotateSession
from annotator.usecases.importer import import_files
from bench._planner import Planner
from bench.common import row

ROOT = Path(__file__).resolve().parent.parent
DRUGS = Path(os.environ.get("NER_DRUGS", ROOT.parent / "shared" / "data" / "ner_drugs"))  # beside the checkout
DATASET = "effort"
WIDTH = 94  # the document's width on the annotate screen in a 100-column terminal (the replay checks it)
REPLAY = 12  # documents pressed in the real app per run
ANSWER_STEP = {"accept": "accept", "reject": "reject", "ignore": "ignore"}
TARGET_KEYS_PER_FIX = 3.0
# --learn: a round per 200 answers, 5 epochs: the whole of ner_drugs in minutes on 2 shared cores.
LEARN_EVERY = 200
LEARN_EPOCHS = 5


@dataclass
class Gold:
    answer: str
    spans: tuple[Span, ...]


@dataclass
class Effort:
    name: str
    documents: int
    keys: int
    fixes: int
    keys_per_document: float
    keys_per_fix: float
    keys_per_right_document: float
    corrections_per_100: float
    replayed: int
    seconds: float
    second_half_corrections_per_100: float = 0.0  # fixes per 100 over the second half of the walk
    training_seconds: float = 0.0  # --learn: training, scoring and re-highlighting, synchronous, apart
    rounds: int = 0  # --learn: training rounds, and models kept
    kept: int = 0
    keys_by_kind: dict[str, int] = field(default_factory=dict)  # navigation, selection, labelling...


def read_gold(path: Path) -> dict[str, Gold]:
    """Text -> its gold answer (the last one for a text given twice, as the import keeps)."""
    gold = {}
    for line in srsly.read_jsonl(path):
        answer = line.get("answer", "accept")
        spans = spans_from_json(line.get("spans") or []) if answer == "accept" else ()
        gold[line["text"]] = Gold(answer, spans)
    return gold


def texts_only(gold_file: Path, out: Path) -> Path:
    """The gold file without its answers (texts, meta and given tokens), to import as new work."""
    keep = ("text", "meta", "tokens")
    srsly.write_jsonl(out, ({k: line[k] for k in keep if k in line} for line in srsly.read_jsonl(gold_file)))
    return out


def prepared_store(folder: Path, gold_file: Path, config: LabelsConfig) -> Store:
    """A new store holding the gold file's texts, pre-highlighted by labels.yaml's model/patterns."""
    store = Store(folder / "effort.db")
    import_files(store, config, [texts_only(gold_file, folder / "texts.jsonl")], DATASET, fmt="jsonl")
    return store


def planner_for(config: LabelsConfig, width: int | None = WIDTH) -> Planner:
    return Planner(config.bindings(), {label.name: label.key for label in config.labels if label.key}, width)


def walk(
    name: str,
    gold_file: Path,
    labels: Path,
    replay: int = REPLAY,
    learn_every: int | None = None,
    epochs: int = 0,
    order: str = FILE,
    handed: list[str] | None = None,
) -> Effort:
    """The simulated annotator over the gold file, in ``order`` (``annotate --order``); with
    ``learn_every``, the trainer's round (``Learner.learn_once``) runs after each answer,
    synchronously, its time kept apart. ``handed``: the texts, in the order handed out."""
    from annotator.usecases.learner import Learner

    started = time.perf_counter()
    config = load_labels(labels)
    gold = read_gold(gold_file)
    planner = planner_for(config)
    keys = fixes = documents = right = right_keys = rounds = kept = 0
    training = 0.0
    per_document: list[int] = []
    by_kind: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        replayed = replay_sample(gold_file, labels, replay, Path(folder) / "replay") if replay else 0
        store = prepared_store(Path(folder), gold_file, config)
        learner = Learner(store, config, DATASET, every=learn_every, epochs=epochs) if learn_every else None
        try:
            session = AnnotateSession(store, config, DATASET, "simulated", hand_out=HandOut(order))
            while (task := session.next_task()) is not None:
                wanted = gold[task.document.text]
                if handed is not None:
                    handed.append(task.document.text)
                plan = planner.plan(
                    task.document.text, task.tokens, task.spans, wanted.spans, wanted.answer, task.disputed
                )
                keys += len(plan.keys)
                for step in plan.steps:
                    by_kind[planner.kind(step)] += len(planner.keys(step))
                fixes += plan.fixes
                documents += 1
                if plan.fixes == 0:
                    right += 1
                    right_keys += len(plan.keys)
                per_document.append(plan.fixes)
                session.answer(wanted.answer, wanted.spans)
                if learner is not None:
                    trained_at = time.perf_counter()
                    done = learner.learn_once()
                    training += time.perf_counter() - trained_at
                    rounds += done is not None
                    kept += done is not None and done.kept is not None
            session.close()
        finally:
            store.close()
    return Effort(
        name=name,
        documents=documents,
        keys=keys,
        fixes=fixes,
        keys_per_document=keys / documents if documents else 0.0,
        keys_per_fix=(keys - documents) / fixes if fixes else 0.0,
        keys_per_right_document=right_keys / right if right else 0.0,
        corrections_per_100=100 * fixes / documents if documents else 0.0,
        replayed=replayed,
        seconds=time.perf_counter() - started,
        second_half_corrections_per_100=per_100(per_document[len(per_document) // 2 :]),
        training_seconds=training,
        rounds=rounds,
        kept=kept,
        keys_by_kind=dict(by_kind.most_common()),
    )


def per_100(fixes: list[int]) -> float:
    return 100 * sum(fixes) / len(fixes) if fixes else 0.0


def replay_sample(gold_file: Path, labels: Path, count: int, folder: Path) -> int:
    from bench._replay import replay

    return replay(gold_file, labels, count, folder)


def drugs_labels(folder: Path) -> Path:
    """A labels.yaml for ner_drugs: its one label and its patterns, no model (as its project starts)."""
    path = folder / "labels.yaml"
    path.write_text(
        f"lang: en\nmodel: null\npatterns: {DRUGS / 'drugs_patterns.jsonl'}\nlabels:\n  - name: DRUG\n    key: '1'\n",
        encoding="utf-8",
    )
    return path


def rows(effort: Effort) -> list[dict]:
    what = f"{effort.name}, patterns only, {effort.documents} docs ({effort.replayed} replayed in the app)"
    return [
        row(f"{what}: keys per fix (planner)", effort.keys_per_fix, TARGET_KEYS_PER_FIX),
        row(f"{effort.name}: keys per document when the suggestions are right", effort.keys_per_right_document, 1.0),
        # For reference (held against themselves): what the two figures above are made of.
        row(f"(reference) {effort.name}: keys per document", effort.keys_per_document, effort.keys_per_document),
        row(
            f"(reference) {effort.name}: corrections per 100 documents",
            effort.corrections_per_100,
            effort.corrections_per_100,
        ),  # fmt: skip
    ]


def run() -> list[dict]:
    out = rows(walk("demo gold", ROOT / "tests" / "data" / "news_gold.jsonl", ROOT / "labels.yaml"))
    if (DRUGS / "drugs_training.jsonl").exists():
        with tempfile.TemporaryDirectory() as folder:
            out += rows(walk("ner_drugs", DRUGS / "drugs_training.jsonl", drugs_labels(Path(folder))))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench effort", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, help="Prodigy JSONL of gold answers (--learn: ner_drugs' training file)")
    parser.add_argument("--labels", type=Path, help="the labels.yaml to start from (--learn: ner_drugs' patterns)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--replay", type=int, default=REPLAY, help=f"documents pressed in the app (default {REPLAY})")
    parser.add_argument("--learn", action="store_true", help="also with the trainer, and the learning curve")
    parser.add_argument(
        "--every", type=int, default=LEARN_EVERY, help=f"--learn: answers a round (default {LEARN_EVERY})"
    )
    parser.add_argument("--epochs", type=int, default=LEARN_EPOCHS, help=f"--learn: epochs (default {LEARN_EPOCHS})")
    args = parser.parse_args(argv)
    if args.learn:
        from bench._learning import learning_table

        return learning_table(args.gold, args.labels, args.every, args.epochs, args.json)
    if args.gold is None or args.labels is None:
        parser.error("--gold and --labels are needed (or --learn, on ner_drugs)")
    effort = walk(args.gold.name, args.gold, args.labels, args.replay)
    if args.json:
        print(json.dumps(asdict(effort)))
    else:
        for key, value in asdict(effort).items():
            print(f"{key:>24}  {value:.4g}" if isinstance(value, float) else f"{key:>24}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

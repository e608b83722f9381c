"""Pre-highlighting: `annotator preannotate` of 100,000 stored documents with a real spaCy
NER pipeline (trained here by tests.conftest.train_tiny_ner) against a bare ``nlp.pipe``
over the same texts with the same pipeline (target in docs/design.md: at most 1.1x), with
peak memory; and the cost of keeping a sentence-boundary component (a trained senter before the
NER: kept, since its boundaries change the entities) against the same pipeline with it switched off.

Each side runs in its own process; the ratio is of CPU time (steady on a shared machine),
with wall-clock time beside it. The bare side reads the texts first (not timed) and
times ``nlp.pipe`` collecting ``doc.ents``; the preannotate side times ``preannotate``
from the store: reading texts and tokens, nlp.pipe, label mapping, alignment to the
stored tokens, and writing the suggestions.
Run: `python -m bench preannotate` (BENCH_PREANNOTATE_DOCS=20000 for a quicker run).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_mb, row

N_DOCS = int(os.environ.get("BENCH_PREANNOTATE_DOCS", 100_000))
TARGET = 1.1
ROOT = Path(__file__).parent.parent


def train_tiny_senter_ner(output: Path, iterations: int = 30, seed: int = 0) -> Path:
    """The tiny NER behind a trained senter, on pairs of the training sentences."""
    import random

    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed

    from tests.helpers.model import TRAIN_SENTENCES, _entities

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("senter")
    nlp.add_pipe("ner")
    examples = []
    for (first, first_ents), (second, second_ents) in zip(
        TRAIN_SENTENCES, TRAIN_SENTENCES[1:] + TRAIN_SENTENCES[:1], strict=True
    ):
        doc = nlp.make_doc(f"{first} {second}")
        cut = len(nlp.make_doc(first))
        ents = _entities(first, first_ents) + [
            (s + len(first) + 1, e + len(first) + 1, label) for s, e, label in _entities(second, second_ents)
        ]
        starts = [1 if i in (0, cut) else 0 for i in range(len(doc))]
        examples.append(Example.from_dict(doc, {"entities": ents, "sent_starts": starts}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(iterations):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    nlp.meta["name"], nlp.meta["version"] = "tiny_senter_ner", "0.0.1"
    nlp.to_disk(output)
    return output


def prepare(folder: Path, n: int) -> tuple[Path, Path]:
    """The tiny pipeline and a store holding n generated documents (not timed)."""
    sys.path.insert(0, str(ROOT))
    from annotator.io.labels import LabelsConfig
    from annotator.store import Store
    from annotator.usecases.importer import Importer
    from tests.helpers.model import train_tiny_ner

    model = train_tiny_ner(folder / "tiny_ner")
    train_tiny_senter_ner(folder / "tiny_senter_ner")
    corpus = importlib.import_module("bench.import").write_corpus(folder / "corpus.jsonl", n)
    config = LabelsConfig.model_validate(
        {"labels": [{"name": name} for name in ("PERSON", "GPE", "NORP", "DATE", "CARDINAL")]}
    )
    with Store(folder / "bench.db") as store:
        Importer(store, config, "bench").run([corpus], "jsonl")
    return model, folder / "bench.db"


def side(kind: str, model: Path, db: Path) -> dict:
    import spacy

    cpu_seconds = importlib.import_module("bench.import").cpu_seconds

    from annotator.io.labels import LabelsConfig
    from annotator.store import Store

    if kind == "bare":
        nlp = spacy.load(model)
        with Store(db) as store:
            texts = [doc.text for doc in store.documents("bench")]
        started, cpu_started = time.perf_counter(), cpu_seconds()
        found = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=256))
    else:
        from annotator.usecases.preannotate import load_model, preannotate

        config = LabelsConfig.model_validate(
            {"labels": [{"name": name} for name in ("PERSON", "GPE", "NORP", "DATE", "CARDINAL")]}
        )
        replace = kind != "preannotate"  # the senter sides redo every document
        if replace:
            model = model.parent / "tiny_senter_ner"
        highlighter = load_model(str(model))
        if kind == "senter_off":  # what was done before: the senter disabled
            highlighter.nlp.select_pipes(enable=["ner"])
        with Store(db) as store:
            started, cpu_started = time.perf_counter(), cpu_seconds()
            found = sum(preannotate(store, config, "bench", [highlighter], replace=replace).values())
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "found": found, "peak_mb": peak_mb()}


def measure(kind: str, model: Path, db: Path) -> dict:
    code = (
        "import importlib, json, pathlib; m = importlib.import_module('bench.preannotate'); "
        f"print(json.dumps(m.side({kind!r}, pathlib.Path({str(model)!r}), pathlib.Path({str(db)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        model, db = prepare(Path(folder), N_DOCS)
        bare = measure("bare", model, db)
        done = measure("preannotate", model, db)
        kept = measure("senter_kept", model, db)
        off = measure("senter_off", model, db)
    per_10k = 10_000 / N_DOCS
    return [
        row(
            f"preannotate {N_DOCS:,} docs vs bare nlp.pipe (CPU s per 10k docs)",
            done["cpu"] * per_10k,
            bare["cpu"] * per_10k,
            TARGET,
        ),
        row(
            "  the same in wall-clock seconds per 10k docs",
            done["seconds"] * per_10k,
            bare["seconds"] * per_10k,
            TARGET,
        ),
        row(
            "preannotate peak memory MB vs bare nlp.pipe (texts held in memory)",
            done["peak_mb"],
            bare["peak_mb"],
            TARGET,
        ),
        # No target in docs/design.md: the price of suggestions equal to nlp(text).ents, reported.
        row(
            "senter+ner: senter kept vs switched off (CPU s per 10k docs)",
            kept["cpu"] * per_10k,
            off["cpu"] * per_10k,
            float("inf"),
        ),
    ]


if __name__ == "__main__":
    for r in run():
        print(
            f"{r['measure']}: {r['value']:.3f} vs {r['limit']:.3f} = {r['ratio']:.2f}x "
            f"(target {r['target']}x, {'met' if r['met'] else 'NOT met'})"
        )

"""Import: `annotator import` of 100,000 generated JSONL documents against spaCy's tokenizer
alone on the same texts (target in docs/design.md: at most 1.2x), and peak memory at 10,000
and 100,000 documents (target: flat, the larger at most 1.2x the smaller; 50,000 for reference).

Each side runs in its own process so that its peak memory (VmHWM) is its own; the
ratio is of CPU time (steady on a shared machine), with wall-clock time beside it. The
tokenizer side reads the texts first (not timed) and times ``nlp.tokenizer.pipe`` of
``spacy.blank("en")``; the import side times ``Importer.run`` from the file into a new store
(reading, tokenizing with its copy of that tokenizer on a bare vocab, token offsets,
validation, hashing and SQLite writes: a pending import, a transaction a batch). The rows "import
stage" break the import down (CPU per 10k documents of each stage run alone, in one more process).
Run: `python -m bench import` (BENCH_IMPORT_DOCS=20000 for a quicker run).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_mb, row

N_DOCS = int(os.environ.get("BENCH_IMPORT_DOCS", 100_000))
TARGET = 1.2
WORDS = (
    "the of and to in a said on for that with was as by at from his her their it is were will has have "
    "officials government forces border crossing soldiers ministry statement talks agreement security "
    "president minister army police city region country week month year people families roads north "
    "south returned announced reported agreed refused opened closed crossed handed over back into"
).split()
NAMES = (
    "Iraq Syria Turkey Lebanon Jordan Damascus Baghdad Aleppo Ankara Beirut Ahmed Sharaa Assad Erdogan Monday Thursday "
    "December"
).split()


def texts(n: int, seed: int = 0):
    """News-like paragraphs of 20 to 70 tokens with names, numbers and punctuation."""
    rng = random.Random(seed)
    for i in range(n):
        words = []
        for _ in range(rng.randint(18, 60)):
            pick = rng.random()
            words.append(
                rng.choice(NAMES)
                if pick < 0.12
                else f"{rng.randint(1, 9)},{rng.randint(100, 999)}"
                if pick < 0.15
                else rng.choice(WORDS)
            )
        yield f"{' '.join(words).capitalize()}, report {i} said. “We {rng.choice(WORDS)} it,” they added."


def write_corpus(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for text in texts(n):
            out.write(json.dumps({"text": text, "meta": {"source": "bench"}}, ensure_ascii=False) + "\n")
    return path


def cpu_seconds() -> float:
    """CPU time of this process: steadier than wall time on a machine others are using."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stage_seconds(corpus: Path, db: Path, nlp) -> dict[str, float]:
    """CPU seconds of each stage of an import, one after another in this process. The
    tokenizer is the import's own (a copy of ``nlp``'s on a bare vocabulary, made anew as it
    fills), each time a fresh one, as an import starts. The writes are the import's own: a
    pending import, a transaction per batch of 500, made visible at the end."""
    from annotator.core.tasks import NewDocument, input_hash
    from annotator.io import read_path
    from annotator.io.labels import LabelsConfig
    from annotator.store import Store
    from annotator.usecases.import_tokens import OffsetsTokenizer
    from annotator.usecases.importer import BATCH_SIZE, Importer

    seconds: dict[str, float] = {}

    def timed(name, work):
        started = cpu_seconds()
        result = work()
        seconds[name] = cpu_seconds() - started
        return result

    def batches(texts):
        return (texts[at : at + BATCH_SIZE] for at in range(0, len(texts), BATCH_SIZE))

    def tokenize():
        copy = OffsetsTokenizer(nlp)
        for batch in batches(texts):
            copy.packed([])  # renews the copy as the import does
            for _ in copy.tokenizer.pipe(batch, batch_size=1000):
                pass

    def tokenize_and_pack():
        copy = OffsetsTokenizer(nlp)
        return [blob for batch in batches(texts) for blob in copy.packed(batch)]

    records = timed("reading JSONL (parse, checks, Records)", lambda: list(read_path(corpus, "jsonl")))
    texts = [record.text for record in records]
    timed("tokenizer (the import's copy on a bare vocab)", tokenize)
    blobs = timed("offsets out of each Doc (to_array, packed)", tokenize_and_pack)
    seconds["offsets out of each Doc (to_array, packed)"] -= seconds["tokenizer (the import's copy on a bare vocab)"]
    config = LabelsConfig.model_validate({"labels": [{"name": "GPE"}, {"name": "PERSON"}]})
    with Store(db) as store:
        importer = Importer(store, config, "bench", nlp)
        for record, blob in zip(records, blobs, strict=True):
            record.tokens = blob
        good = timed("checks and hashing", lambda: [(r, input_hash(r.text), importer._check(r)) for r in records])

        def write():
            with store.write():
                import_id = store.start_import("bench")
            for at in range(0, len(good), BATCH_SIZE):
                with store.write():
                    store.keep_import_alive(import_id)
                    batch = [
                        NewDocument(r.text, r.tokens or b"", r.meta, digest)
                        for r, digest, _ in good[at : at + BATCH_SIZE]
                    ]
                    store.add_documents("bench", batch, import_id)
            with store.write():
                store.ensure_dataset("bench", "en", config.names)
                store.finish_import(import_id)
            store.forget_import(import_id)

        timed("store writes (pending import, one transaction a batch)", write)
    return seconds


def side(kind: str, corpus: Path, db: Path) -> dict:
    """One measured side, in this process."""
    from annotator.usecases.import_tokens import blank_tokenizer
    from annotator.usecases.importer import Importer

    nlp = blank_tokenizer("en")
    if kind == "stages":
        return stage_seconds(corpus, db, nlp)
    if kind in ("tokenizer", "offsets"):
        import srsly

        from annotator.usecases.import_tokens import OffsetsTokenizer

        items = [line["text"] for line in srsly.read_jsonl(corpus)]
        started, cpu_started = time.perf_counter(), cpu_seconds()
        if kind == "offsets":  # the floor of any import: its tokenizer's stored offsets, by batch
            copy = OffsetsTokenizer(nlp)
            for at in range(0, len(items), 500):
                copy.packed(items[at : at + 500])
        else:
            for _ in nlp.tokenizer.pipe(items, batch_size=1000):
                pass
    else:
        from annotator.io.labels import LabelsConfig
        from annotator.store import Store

        config = LabelsConfig.model_validate({"labels": [{"name": "GPE"}, {"name": "PERSON"}]})
        with Store(db) as store:
            started, cpu_started = time.perf_counter(), cpu_seconds()
            result = Importer(store, config, "bench", nlp).run([corpus], "jsonl")
            assert result.added > 0
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb()}


def measure(kind: str, corpus: Path, db: Path) -> dict:
    code = (
        f"import json; from bench import import_ as _; print(json.dumps(_.side({kind!r}, "
        f"__import__('pathlib').Path({str(corpus)!r}), __import__('pathlib').Path({str(db)!r}))))"
    )
    code = code.replace(
        "from bench import import_ as _", "import importlib; _ = importlib.import_module('bench.import')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        small_n, half_n = max(1, N_DOCS // 10), max(1, N_DOCS // 2)
        big, small = write_corpus(folder / "big.jsonl", N_DOCS), write_corpus(folder / "small.jsonl", small_n)
        half = write_corpus(folder / "half.jsonl", half_n)
        tokenizer = min((measure("tokenizer", big, folder / "unused.db") for _ in range(2)), key=lambda r: r["cpu"])
        offsets = measure("offsets", big, folder / "unused.db")
        imports = []
        for attempt in range(2):
            imports.append(measure("import", big, folder / f"big{attempt}.db"))
        imported = min(imports, key=lambda r: r["cpu"])
        # Peak memory is the process's (VmHWM): the interpreter, spaCy and the tokenizer
        # before the import starts (about 100 MB) and what the import holds on top of it.
        # Flat: the same at 10,000 documents and at 100,000 (the least of two runs each).
        big_peak = min(r["peak_mb"] for r in imports)
        small_peak = min(measure("import", small, folder / f"small{attempt}.db")["peak_mb"] for attempt in range(2))
        half_peak = measure("import", half, folder / "half.db")["peak_mb"]
        stages = measure("stages", big, folder / "stages.db")
    per_10k = 10_000 / N_DOCS
    return [
        row(
            f"import {N_DOCS:,} docs vs tokenizer alone (CPU s per 10k docs)",
            imported["cpu"] * per_10k,
            tokenizer["cpu"] * per_10k,
            TARGET,
        ),
        row(
            "  the same in wall-clock seconds per 10k docs",
            imported["seconds"] * per_10k,
            tokenizer["seconds"] * per_10k,
            TARGET,
        ),
        row(f"import peak memory MB, {N_DOCS:,} vs {small_n:,} docs (flat)", big_peak, small_peak, TARGET),
        row(
            f"(for reference) import peak memory MB, {N_DOCS:,} vs {half_n:,} docs (past the tokenizer copy's renewal)",
            big_peak,
            half_peak,
            float("inf"),
        ),
        row(
            "(for reference) the import's tokenizer (its bare-vocab copy) + offsets out of each Doc vs tokenizer alone",
            offsets["cpu"] * per_10k,
            tokenizer["cpu"] * per_10k,
            float("inf"),
        ),
        *(
            row(
                f"(for reference) import stage: {stage} vs tokenizer alone",
                cpu * per_10k,
                tokenizer["cpu"] * per_10k,
                float("inf"),
            )  # fmt: skip
            for stage, cpu in stages.items()
        ),
    ]


if __name__ == "__main__":
    for r in run():
        print(
            f"{r['measure']}: {r['value']:.3f} vs {r['limit']:.3f} = {r['ratio']:.2f}x "
            f"(target {r['target']}x, {'met' if r['met'] else 'NOT met'})"
        )

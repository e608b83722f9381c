"""Export: `annotator export` of 100,000 accepted documents against building and writing
the same DocBin directly with spaCy (target in docs/design.md: at most 1.2x), with peak memory.

Each side runs in its own process (so peak memory is its own). The export side times
`export_spacy` (reading the store, deciding the final spans and the split, building,
writing, the config). The limit is the script a person would write with spaCy alone
over the same store: one query, then Doc + doc.ents + DocBin. A third figure holds the
export against building and writing alone, from lists already in memory (the reading
not counted), to show what reading the store costs. Run: `python -m bench export`.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.token_codec import unpack_offsets  # the stored form (packed uint32 pairs)
from bench.common import peak_mb, row

N_DOCS = int(os.environ.get("BENCH_EXPORT_DOCS", 100_000))
TARGET = 1.2
NAMES = ["Ahmed al-Sharaa", "Bashar al-Assad", "Recep Erdogan", "Haider al-Abadi", "Asma Assad", "Nouri al-Maliki"]
PLACES = ["Damascus", "Baghdad", "Aleppo", "Ankara", "Beirut", "Homs", "Mosul", "Idlib"]


def document(i: int) -> tuple[str, list[tuple[str, str]]]:
    """A news-like paragraph (~45 tokens) with three entities."""
    name, place = NAMES[i % len(NAMES)], PLACES[(i // 7) % len(PLACES)]
    text = (
        f"{name} met officials in {place} on Thursday, report {i} said. The talks, the first since the "
        f"ceasefire, covered the return of {i % 5000} families and the reopening of roads to the north; "
        "no agreement was announced."
    )
    return text, [(name, "PERSON"), (place, "GPE"), ("Thursday", "DATE")]


def build_store(path: Path, n: int) -> None:
    import spacy

    from annotator.core.spans import Span
    from annotator.core.tasks import NewDocument
    from annotator.store import Store

    nlp = spacy.blank("en")
    texts = [document(i) for i in range(n)]
    with Store(path) as store:
        store.ensure_dataset("bench", "en", ["PERSON", "GPE", "DATE"])
        docs = (
            NewDocument(text, [(t.idx, t.idx + len(t)) for t in doc])
            for (text, _), doc in zip(texts, nlp.tokenizer.pipe(t for t, _ in texts), strict=True)
        )
        ids = store.add_documents("bench", docs)
        with store.write():
            for (text, pairs), doc_id in zip(texts, ids.values(), strict=True):
                spans = [Span(text.index(p), text.index(p) + len(p), label) for p, label in pairs]
                store.add_answer(doc_id, "alice", "accept", spans, started_at=1.0)


def run_export(db: Path, out: Path) -> tuple[float, float]:
    import spacy.tokens  # noqa: F401  (imported before timing, as on the direct side)

    from annotator.store import Store
    from annotator.usecases.export import export_spacy

    with Store(db) as store:
        started, cpu = time.perf_counter(), time.process_time()
        export_spacy(store, "bench", out, force=True)
        return time.perf_counter() - started, time.process_time() - cpu


def build_doc_bin(vocab, rows, out: Path) -> None:
    """Docs from (text, token offsets, [(start, end, label)]) into one DocBin, written."""
    from spacy.tokens import Doc, DocBin

    from annotator.io.spacy_docs import DOC_ATTRS

    doc_bin = DocBin(attrs=DOC_ATTRS)
    for text, tokens, ents in rows:
        words = [text[s:e] for s, e in tokens]
        spaces = [text[e : e + 1] == " " for _, e in tokens]
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in ents]
        doc_bin.add(doc)
    out.mkdir(parents=True, exist_ok=True)
    doc_bin.to_disk(out / "all.spacy")


def run_direct_from_store(db: Path, out: Path) -> tuple[float, float]:
    """The script a person would write without annotator: one query over the same store
    (each document has one accepted answer here), spaCy for the rest."""
    import spacy

    vocab = spacy.blank("en").vocab
    started, cpu = time.perf_counter(), time.process_time()
    with sqlite3.connect(db) as conn:
        sql = "SELECT d.text, d.tokens, a.spans FROM documents d JOIN answers a ON a.document = d.id ORDER BY d.id"
        rows = (
            (text, unpack_offsets(tokens), [(s["start"], s["end"], s["label"]) for s in json.loads(spans)])
            for text, tokens, spans in conn.execute(sql)
        )
        build_doc_bin(vocab, rows, out)
    return time.perf_counter() - started, time.process_time() - cpu


def run_direct_from_memory(db: Path, out: Path) -> tuple[float, float]:
    """Only building and writing: texts, tokens and spans already in lists (not timed)."""
    import spacy

    with sqlite3.connect(db) as conn:
        sql = "SELECT d.text, d.tokens, a.spans FROM documents d JOIN answers a ON a.document = d.id ORDER BY d.id"
        rows = [
            (text, unpack_offsets(tokens), [(s["start"], s["end"], s["label"]) for s in json.loads(spans)])
            for text, tokens, spans in conn.execute(sql)
        ]
    vocab = spacy.blank("en").vocab
    gc.freeze()  # the input lists are not the work measured: keep the collector off them
    started, cpu = time.perf_counter(), time.process_time()
    build_doc_bin(vocab, rows, out)
    return time.perf_counter() - started, time.process_time() - cpu


RUNS = {"export": run_export, "direct-store": run_direct_from_store, "direct-memory": run_direct_from_memory}


def child(mode: str, db: Path, out: Path) -> None:
    seconds, cpu = RUNS[mode](db, out)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb()}))


def measure(db: Path, folder: Path, repeat: int = 3) -> dict[str, dict]:
    """Best of ``repeat`` runs of each, taken in turns so that a busy moment on a shared
    machine does not fall on one side only."""
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for mode in RUNS:
            done = subprocess.run(
                [sys.executable, "-m", "bench.export", mode, str(db), str(folder / mode)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            result = json.loads(done.stdout.strip().splitlines()[-1])
            best[mode] = {key: min(best.get(mode, result)[key], result[key]) for key in result}
    return best


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        started = time.perf_counter()
        build_store(db, N_DOCS)
        print(f"built a store of {N_DOCS:,} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        best = measure(db, Path(folder))
    export, store, memory = best["export"], best["direct-store"], best["direct-memory"]
    per = f"{N_DOCS // 1000}k docs"
    return [
        row(
            f"export: wall s, {per} (limit: direct DocBin from the store)", export["seconds"], store["seconds"], TARGET
        ),
        row(f"export: CPU s, {per} (limit: direct DocBin from the store)", export["cpu"], store["cpu"], TARGET),
        row(f"export: CPU s, {per} (limit: direct DocBin from lists in memory)", export["cpu"], memory["cpu"], TARGET),
        row(
            f"export: peak MB, {per} (limit: direct DocBin from the store)", export["peak_mb"], store["peak_mb"], TARGET
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4:
        child(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        for r in run():
            print(r)

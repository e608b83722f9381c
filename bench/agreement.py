"""Agreement on 10,000 documents x 3 annotators (docs/design.md: under 3 s).

Builds a store with 10,000 documents of 100 tokens (about 6 spans each; the three
annotators drop, relabel and resize some of them and skip 5% of the documents), then
times the whole report as `annotator agreement` computes it: reading the newest answers
and the tokens from SQLite, and every statistic.

    python -m bench agreement
    python bench/agreement.py [DOCUMENTS] [TOKENS_PER_DOCUMENT]
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `annotator` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.spans import Span
from annotator.core.tasks import NewDocument, input_hash
from annotator.store import Store
from annotator.usecases.agreement_report import compute
from bench.common import best_of, row

DATASET = "bench"
LABELS = ["PERSON", "GPE", "ORG", "DATE", "NORP"]
ANNOTATORS = ["ann", "bob", "cat"]
LIMIT_SECONDS = 3.0


def _document(rng: random.Random, tokens: int) -> tuple[str, list[list[int]], list[Span]]:
    words = ["".join(rng.choices("abcdefghij", k=rng.randint(1, 9))) for _ in range(tokens)]
    offsets, position = [], 0
    for word in words:
        offsets.append([position, position + len(word)])
        position += len(word) + 1
    spans, k = [], 0
    while k < tokens:
        if rng.random() < 0.06:
            last = min(tokens - 1, k + rng.randint(0, 2))
            spans.append(Span(offsets[k][0], offsets[last][1], rng.choice(LABELS)))
            k = last + 2
        else:
            k += 1
    return " ".join(words), offsets, spans


def _variant(rng: random.Random, spans: list[Span], offsets: list[list[int]]) -> list[Span]:
    starts = [s for s, _ in offsets]
    out = []
    for span in spans:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.1:
            span = span._replace(label=rng.choice(LABELS))
        elif roll < 0.15:
            first = starts.index(span.start)
            if first + 1 < len(offsets) and offsets[first + 1][0] < span.end:
                span = span._replace(start=offsets[first + 1][0])  # drop the first token
        out.append(span)
    return out


def make_store(path: Path, documents: int, tokens: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    rows, gold = [], []
    for _ in range(documents):
        text, offsets, spans = _document(rng, tokens)
        rows.append((input_hash(text), text, "{}", json.dumps(offsets)))
        gold.append((offsets, spans))
    with Store(path) as store:
        store.ensure_dataset(DATASET, "en", LABELS)
        store.add_documents(DATASET, [NewDocument(text, json.loads(tokens)) for _, text, _, tokens in rows])
        ids = store.document_ids(DATASET, [r[0] for r in rows])
        answers = []
        for (digest, *_), (offsets, spans) in zip(rows, gold, strict=True):
            for name in ANNOTATORS:
                kind = "ignore" if rng.random() < 0.05 else "accept"
                answers.append((ids[digest], name, kind, _variant(rng, spans, offsets), 0.0, 1.0))
        store.add_answers(answers)


def run(documents: int = 10_000, tokens: int = 100) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agreement.db"
        make_store(path, documents, tokens)
        with Store(path) as store:
            result = {}
            seconds = best_of(lambda: result.setdefault("report", compute(store, DATASET, LABELS)), repeat=3)
    report = result["report"].report
    print(
        f"agreement bench: {report['documents']} documents, {result['report'].coverage['tokens']} tokens, "
        f"f1_exact {report['f1_exact']:.3f}, alpha {report['krippendorff_alpha']:.3f}, alpha-U {report['alpha_u']:.3f}",
        file=sys.stderr,
    )
    return [row(f"agreement: seconds for {documents:,} docs x {tokens} tokens x 3 annotators", seconds, LIMIT_SECONDS)]


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    started = time.perf_counter()
    for r in run(*args):
        print(f"{r['measure']}: {r['value']:.3f} s (limit {r['limit']:.1f} s, ratio {r['ratio']:.2f})")

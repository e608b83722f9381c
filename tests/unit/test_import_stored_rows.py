"""The rows an import stores, byte for byte: each document's id, dataset, input hash, text,
meta JSON and packed token offsets, against what they are worked out to be independently
(spaCy's own Token.idx of a fresh ``spacy.blank``, json.dumps of the meta, blake2b of the
text), however the import is run: one transaction, or a pending import in many batches."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from pathlib import Path

import pytest

from annotator.core.token_codec import unpack_offsets
from annotator.store import Store
from annotator.usecases import import_tokens
from annotator.usecases.importer import Importer
from tests.helpers.importing import run_import

ROWS_FILE = Path(__file__).parent.parent / "data" / "import_rows.jsonl"


def expected_rows(path: Path, dataset: str) -> list[tuple]:
    """(id, dataset, input_hash, text, meta, tokens) of each new text of the file, in order."""
    import spacy

    nlp = spacy.blank("en")
    rows, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        data = json.loads(line)
        text = data["text"]
        if text in seen:
            continue
        seen.add(text)
        meta = {**data.get("meta", {}), "file": str(path), "line": number}
        for key in ("id", "doc_id"):
            if key in data:
                meta["id"] = data[key]
        tokens = b"".join(struct.pack("<II", t.idx, t.idx + len(t)) for t in nlp.make_doc(text))
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        rows.append((len(rows) + 1, dataset, digest, text, json.dumps(meta), tokens))
    return rows


def stored_rows(path: Path) -> tuple[list[tuple], int]:
    """The documents' rows, and how many rows of pending-import bookkeeping are left."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, dataset, input_hash, text, meta, tokens FROM documents ORDER BY id").fetchall()
        left = conn.execute("SELECT (SELECT COUNT(*) FROM imports) + (SELECT COUNT(*) FROM import_documents)")
        return rows, left.fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "options",
    [{}, {"batch_size": 2, "read_ahead": 1}],
    ids=["one transaction", "pending import in batches of 2"],
)
def test_the_stored_rows_are_those_worked_out_independently(tmp_path, config, options):
    with Store(tmp_path / "rows.db") as store:
        result = run_import(store, config, [ROWS_FILE], **options)
    expected = expected_rows(ROWS_FILE, "news")
    assert result.added == len(expected) < result.read
    assert stored_rows(tmp_path / "rows.db") == (expected, 0)


def test_a_tokenizer_renewed_at_every_batch_stores_the_same_rows(tmp_path, config, monkeypatch):
    monkeypatch.setattr(import_tokens, "RENEW_STRINGS", 0)
    with Store(tmp_path / "rows.db") as store:
        importer = Importer(store, config, "news", batch_size=2, read_ahead=1)
        importer.run([ROWS_FILE])
    assert importer.tokenizer.copies > 3
    assert stored_rows(tmp_path / "rows.db") == (expected_rows(ROWS_FILE, "news"), 0)


@pytest.mark.parametrize("lang", ["en", pytest.param("fr", marks=pytest.mark.slow)])  # French: 3 s to build
def test_the_bare_copy_gives_the_language_s_own_tokens(lang):
    import spacy

    nlp = spacy.blank(lang)
    texts = [json.loads(line)["text"] for line in ROWS_FILE.read_text(encoding="utf-8").splitlines()]
    texts += ["Aujourd'hui l'homme d'État est allé à Saint-Étienne, c.-à-d. au sud-est.", "M. Dupont n'a pas 3,5 €."]
    copy = import_tokens.OffsetsTokenizer(nlp)
    assert copy.tokenizer is not nlp.tokenizer and copy.tokenizer.vocab is not nlp.vocab
    assert [unpack_offsets(blob) for blob in copy.packed(texts)] == [
        [(t.idx, t.idx + len(t)) for t in nlp.make_doc(text)] for text in texts
    ]


def test_a_tokenizer_of_its_own_class_is_used_as_it_is():
    import spacy
    from spacy.tokens import Doc

    class Whitespace:
        def __init__(self, vocab):
            self.vocab = vocab

        def __call__(self, text):
            return Doc(self.vocab, words=text.split())

        def pipe(self, texts, batch_size=1000):
            return map(self, texts)

    nlp = spacy.blank("en")
    nlp.tokenizer = Whitespace(nlp.vocab)
    copy = import_tokens.OffsetsTokenizer(nlp)
    assert copy.tokenizer is nlp.tokenizer and copy.copies == 0
    assert unpack_offsets(copy.packed(["a bb  c"])[0]) == [(0, 1), (2, 4), (5, 6)]

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

from annotator.store import Store
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

"""Helpers for tests that need real stores on disk (whitespace tokens, no spaCy)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from annotator.core.tasks import NewDocument
from annotator.store import Store

LABELS = ("PERSON", "GPE", "ORG")


def whitespace_doc(text: str, **meta) -> NewDocument:
    return NewDocument(text, [m.span() for m in re.finditer(r"\S+", text)], meta)


def make_store(path: Path, texts, dataset: str = "d", lang: str = "en", labels=LABELS) -> tuple[Store, list[int]]:
    store = Store(path)
    store.ensure_dataset(dataset, lang, labels)
    docs = [whitespace_doc(t) for t in texts]
    ids = store.add_documents(dataset, docs)
    return store, [ids[d.input_hash] for d in docs]


def dump(path: Path) -> str:
    """The whole content of a store as SQL text (to show a command left it as it was)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real `annotator` command in a child process (so exit status and stderr are real)."""
    return subprocess.run(
        [sys.executable, "-c", "from annotator.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )

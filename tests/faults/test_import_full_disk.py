"""`annotator import` onto a full disk: one line saying the store is full, exit status 1, and
every row of the store as it was (before: a traceback at COMMIT). Both a small import (one
transaction) and a long one (hidden batches, undone on failure) are tried."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import Store
from tests.helpers.disks import fill
from tests.helpers.paths import ROOT
from tests.helpers.stores import dump, open_store


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator.cli", *args], cwd=folder, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip


@pytest.mark.parametrize(("lines", "room"), [(50, 0), (20_000, 0), (20_000, 300_000)])
def test_import_onto_a_full_disk_is_one_line_and_leaves_every_row(small_disk, tmp_path, lines, room):
    """room: bytes left free, so that a long import fills the disk part way through."""
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    labels = labels.replace("model: en_core_web_sm", "model: null").replace(
        "patterns: patterns.jsonl", "patterns: null"
    )
    (tmp_path / "labels.yaml").write_text(labels, encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"text": f"Document {n} says Iraq sent troops to Syria."}) + "\n" for n in range(lines))
    )
    db = small_disk / "store.db"
    open_store(db, ["Iraq sent troops", "Bob met Syria"])[0].close()
    before = dump(db)
    filler = fill(small_disk)
    with open(filler, "r+b") as out:
        out.truncate(max(0, filler.stat().st_size - room))
    done = _run(tmp_path, "import", str(corpus), "--db", str(db), "--labels", "labels.yaml", "--dataset", "d")
    filler.unlink()
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"annotator: {db}: full"), line
    Store(db).close()  # the next open undoes what a long import could not undo on a full disk
    assert dump(db) == before

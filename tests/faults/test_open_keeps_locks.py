"""Opening a second Store on a file this process already has open must not drop the
process's SQLite locks on it.

POSIX advisory locks belong to the process, and closing any descriptor of the file drops
them all: a plain ``open()``/``close()`` of the store (to read its header, say) while the
screen's connection is open lets another program's connection, closing last as it thinks,
checkpoint and delete the -wal under us; our next commit then goes into a deleted file and
is lost, though SQLite said it was committed. The annotate screen opens a Store per worker,
so this lost answers given while another writer had held the store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from annotator.store import Store, StoreBusy
from tests.helpers.stores import open_store

OTHER_PROGRAM = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # another writer holds the store a while
print("open", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("closed", flush=True)
"""


def test_an_answer_committed_after_another_store_opened_and_another_program_closed_is_kept(tmp_path):
    db = tmp_path / "store.db"
    store, ids = open_store(db, ["Iraq sent troops", "Bob met Syria"])
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROGRAM, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline().strip() == "open"
        try:  # a worker's own connection, opened (and given up: the store is busy) while ours is open
            Store(db, busy_timeout=0.2).close()
        except StoreBusy:
            pass
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "closed"
    finally:
        other.communicate(timeout=30)
    assert (tmp_path / "store.db-wal").exists()  # the other program did not think it was the last
    store.add_answer(ids[0], "ana", "accept", [], started_at=0.0)
    conn = sqlite3.connect(db)  # as another program sees it, while ours is still open (then killed)
    try:
        assert conn.execute("SELECT annotator, answer FROM answers").fetchall() == [("ana", "accept")]
    finally:
        conn.close()
        store.close()

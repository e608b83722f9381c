"""A broken `annotator` for the kill test's own test: it holds answers in an open
transaction and commits them five at a time, while the screen moves on at once. The
kill test must catch it losing answers, or the kill test proves nothing.

Run as ``python tests/faults/late_writer.py annotate ...``.
"""

from __future__ import annotations

from annotator.cli import main
from annotator.store import Store

HELD = 5
_add_answer = Store.add_answer


def add_answer_late(self: Store, *args, **kwargs) -> int:
    if not self.db.conn.in_transaction:
        self.db.execute("BEGIN IMMEDIATE")  # add_answer's own write() nests in it, uncommitted
    row = _add_answer(self, *args, **kwargs)
    self.held = getattr(self, "held", 0) + 1
    if self.held % HELD == 0:
        self.db.execute("COMMIT")
    return row


Store.add_answer = add_answer_late

if __name__ == "__main__":
    main()

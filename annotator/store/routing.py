"""Who gets which document: leases, overlap, skipped documents coming back."""

from __future__ import annotations

import os
import time
from typing import Any

from annotator.core.task_order import TaskOrder
from annotator.store.ordering import Ordering, Walk
from annotator.store.ordering import walks as ordered_walks
from annotator.store.rows import LATEST_ANSWERS, visible
from annotator.store.sessions import process_gone, this_host

LEASE_SECONDS = 30 * 60


class Routing(Ordering):
    """Who gets which document: leases per session, overlap, progress."""

    def next_task(
        self,
        dataset: str,
        annotator: str,
        overlap: int = 1,
        lease_seconds: float = LEASE_SECONDS,
        ignored_before: float | None = None,
        now: float | None = None,
        session: str | None = None,
        order: TaskOrder | None = None,
    ) -> int | None:
        """Lease and return the next document for ``annotator``, or None when nothing is left.

        Order: a document this session already holds a live lease on (resume after a
        restart); else the first document in ``order`` (default: the file's; see
        ``core.task_order``; ``prepare_order`` makes its shuffle) that this annotator has not answered, that no
        other session of this annotator holds, and that fewer than ``overlap`` other
        annotators have answered (ignores do not count) or hold a live lease on; else, when
        ``ignored_before`` is given, a document this annotator ignored before that time
        (ignored documents come back after the rest).

        ``session``: the screen asking (see ``sessions.new_session_id``). It first takes over
        the annotator's leases whose process is gone, so a restart resumes. Without a session
        every lease of the annotator counts as its own (one session per name). When nothing is
        free, the others' leases whose process is gone on this host are given back first.
        """
        now = time.time() if now is None else now
        params: dict[str, Any] = {
            "dataset": dataset,
            "me": annotator,
            "now": now,
            "overlap": overlap,
            "session": session,
        }
        # Not a document another session of mine holds: the same person never gets it twice.
        not_mine_elsewhere = """
            NOT EXISTS (SELECT 1 FROM leases l WHERE l.document = d.id AND l.annotator = :me
                        AND :session IS NOT NULL AND l.session IS NOT :session AND l.until > :now)
        """
        not_answered_by_me = "NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id AND a.annotator = :me)"
        needs_more = """
            (SELECT COUNT(DISTINCT a.annotator) FROM answers a
              WHERE a.document = d.id AND a.annotator != :me AND a.answer != 'ignore')
          + (SELECT COUNT(*) FROM leases l
              WHERE l.document = d.id AND l.annotator != :me AND l.until > :now) < :overlap
        """
        free = f"{not_answered_by_me} AND {needs_more} AND {not_mine_elsewhere} AND {visible()}"
        order = order or TaskOrder()
        walks = [
            # "+d.dataset" here too: start from the few leases, not from the whole dataset.
            Walk(
                f"""SELECT d.id, d.id FROM leases l JOIN documents d ON d.id = l.document
                   WHERE +d.dataset = :dataset AND l.annotator = :me AND l.until > :now AND {visible()}
                     AND (:session IS NULL OR l.session IS :session)
                     AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id AND a.annotator = :me)
                   ORDER BY d.id LIMIT 1""",
                {},
                (),
            ),
            *(Walk(walk.sql.format(free=free), walk.start, walk.resume) for walk in ordered_walks(order)),
        ]
        params.update(shuffle=order.shuffle_name, ranked=order.ranked_by)
        for walk in walks:
            params.update(walk.start)
        if ignored_before is not None:
            params["ignored_before"] = ignored_before
            walks.append(
                Walk(
                    f"""SELECT d.id, d.id FROM ({LATEST_ANSWERS}) mine JOIN documents d ON d.id = mine.document
                       WHERE d.dataset = :dataset AND {visible()} AND mine.annotator = :me AND mine.answer = 'ignore'
                         AND mine.answered_at < :ignored_before AND {needs_more} AND {not_mine_elsewhere}
                       ORDER BY mine.answered_at LIMIT 1""",
                    {},
                    (),
                )
            )
        # Search on a read snapshot first (WAL: no lock, others go on writing), then take the
        # write lock and search again from what was found: the lock is held for the few rows
        # others took meanwhile, not for a walk past every answered document (annotators
        # queue on that lock; at 32 of them the walk made commits wait half a second).
        found_by, row = self._first_task(walks, params)
        if found_by is not None and row is not None:
            params.update((name, value) for name, value in zip(found_by.resume, row, strict=False) if name)
        with self.write():
            self.db.execute("DELETE FROM leases WHERE until <= ?", [now])
            if session is not None:
                self._take_over_leases_of_gone_sessions(annotator, session, now)
            _, row = self._first_task(walks, params)
            if row is None and self._release_leases_of_gone_processes(annotator, now):
                _, row = self._first_task(walks, params)
            found = row[0] if row else None
            if found is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO leases (document, annotator, until, session, host, pid) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [found, annotator, now + lease_seconds, session, this_host(), os.getpid()],
                )
            return found

    def _take_over_leases_of_gone_sessions(self, annotator: str, session: str, now: float) -> None:
        """Make the annotator's leases whose process has ended this session's (inside the lock)."""
        rows = self.db.execute(
            "SELECT document, host, pid FROM leases WHERE annotator = ? AND session IS NOT ? AND until > ?",
            [annotator, session, now],
        ).fetchall()
        for document, host, pid in rows:
            if process_gone(host, pid):
                self.db.execute(
                    "UPDATE leases SET session = ?, host = ?, pid = ? WHERE document = ? AND annotator = ?",
                    [session, this_host(), os.getpid(), document, annotator],
                )

    def _release_leases_of_gone_processes(self, annotator: str, now: float) -> bool:
        """Give back the others' leases whose process has ended on this host (inside the lock);
        True if there were any. Only once nothing else is free: a crashed annotator's restart
        resumes her document while there is other work, but nobody waits the lease's 30 minutes
        for a terminal that was killed."""
        rows = self.db.execute(
            "SELECT document, annotator, host, pid FROM leases WHERE annotator != ? AND until > ?", [annotator, now]
        ).fetchall()
        gone = [(document, holder) for document, holder, host, pid in rows if process_gone(host, pid)]
        for document, holder in gone:
            self.db.execute("DELETE FROM leases WHERE document = ? AND annotator = ?", [document, holder])
        return bool(gone)

    def _first_task(self, walks: list[Walk], params: dict[str, Any]) -> tuple[Walk | None, tuple | None]:
        """(the walk, its row: the document and where it was found) of the first of ``walks``
        that finds a document."""
        for walk in walks:
            row = self.db.execute(walk.sql, params).fetchone()
            if row:
                return walk, tuple(row)
        return None, None

    def release_lease(self, document: int, annotator: str, session: str | None = None) -> None:
        """Give a document back: this session's lease on it (without a session: the annotator's)."""
        with self.write():
            self._release(document, annotator, session)

    def leases(self) -> list[dict[str, Any]]:
        """Every lease row (document, annotator, until, session, host, pid), expired ones too until
        the next ``next_task`` deletes them, by document then annotator."""
        return list(self.db.query("SELECT * FROM leases ORDER BY document, annotator"))

    def progress(self, dataset: str, annotator: str, overlap: int = 1) -> tuple[int, int]:
        """(answered, answered + still open) for this annotator; ignored documents are not answered."""
        done = self.db.execute(
            f"SELECT COUNT(*) FROM ({LATEST_ANSWERS}) l JOIN documents d ON d.id = l.document "
            f"WHERE d.dataset = ? AND {visible()} AND l.annotator = ? AND l.answer != 'ignore'",
            [dataset, annotator],
        ).fetchone()[0]
        open_ = self.db.execute(
            f"""SELECT COUNT(*) FROM documents d WHERE d.dataset = :dataset AND {visible()}
               AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document = d.id AND a.annotator = :me
                               AND a.answer != 'ignore')
               AND (SELECT COUNT(DISTINCT a.annotator) FROM answers a
                    WHERE a.document = d.id AND a.annotator != :me AND a.answer != 'ignore') < :overlap""",
            {"dataset": dataset, "me": annotator, "overlap": overlap},
        ).fetchone()[0]
        return done, done + open_

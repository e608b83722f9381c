"""Bulk reads and writes: the import's inserts, stats, agreement and export rows.

Every read hides the documents of an import not finished yet (``visible``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.core.spans import Span, spans_to_json
from annotator.core.tasks import NewDocument
from annotator.core.token_codec import packed
from annotator.store.imports import Imports
from annotator.store.rows import LATEST_ANSWERS, visible


class DocumentIds(dict[str, int]):
    """{input_hash: id} of documents just added or already there; ``added``: how many were new."""

    added: int = 0


class Bulk(Imports):
    """Many rows at once: the import's writes, and the reads of stats, agreement and export."""

    # -- import (bulk writes in the import's transactions) and stats (read-only counts) ---

    def add_documents(
        self, dataset: str, documents: Iterable[NewDocument], import_id: int | None = None, *, ids: bool = True
    ) -> DocumentIds:
        """Add the documents not yet in the dataset (by input hash), in one transaction;
        returns {input_hash: id} of all of them, new and present, with ``added``: how many were
        new. With ``import_id`` the new ones are that pending import's (hidden until it is done).
        One executemany: the import's hot path. ``ids=False``: only ``added`` (no ids read back:
        the import looks them up only for the documents that come with spans)."""
        now = time.time()
        rows = [(dataset, d.input_hash, d.text, json.dumps(d.meta), packed(d.tokens), now) for d in documents]
        found = DocumentIds()
        with self.write():
            before = self.db.conn.total_changes
            last_id = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM documents").fetchone()[0]
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO documents (dataset, input_hash, text, meta, tokens, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            found.added = self.db.conn.total_changes - before
            if import_id is not None and found.added:
                self._mark_import_documents(import_id, last_id)
            if ids:
                found.update(self.db.execute("SELECT input_hash, id FROM documents WHERE id > ?", [last_id]))
                present = {row[1] for row in rows} - found.keys()
                if present:
                    found.update(self.document_ids(dataset, present))
        return found

    def document_ids(self, dataset: str, hashes: Iterable[str]) -> dict[str, int]:
        """{input_hash: id} for the given hashes that are in the dataset (an import's own
        hidden documents too: the import attaches its answers and suggestions to them)."""
        hashes, found = list(hashes), dict[str, int]()
        for at in range(0, len(hashes), 500):  # stay under SQLite's variable limit
            chunk = hashes[at : at + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT input_hash, id FROM documents WHERE dataset = ? AND input_hash IN ({marks})"
            found.update(self.db.execute(sql, [dataset, *chunk]).fetchall())
        return found

    def add_answers(self, rows: Iterable[tuple[Any, ...]], import_id: int | None = None) -> int:
        """Append imported (document, annotator, answer, spans, started_at, answered_at[, task
        JSON]) rows (task: the fields the answer's task came with, kept for the export).
        With ``import_id``: on the import's own documents they are written tagged; on
        documents others can see they wait in import_answers until the import is done."""
        values = [
            (doc, who, answer, json.dumps(spans_to_json(spans)), started, answered, max(0.0, answered - started), *task)
            for doc, who, answer, spans, started, answered, *task in rows
        ]
        values = [v if len(v) == 8 else (*v, None) for v in values]
        columns = "document, annotator, answer, spans, started_at, answered_at, duration, task"
        with self.write():
            direct, waiting = self._split_by_visibility(import_id, values)
            self.db.conn.executemany(
                f"INSERT INTO answers ({columns}, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*v, import_id) for v in direct],
            )
            self.db.conn.executemany(
                f"INSERT INTO import_answers ({columns}, import) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*v, import_id) for v in waiting],
            )
        return len(values)

    def add_suggestions(
        self, rows: Iterable[tuple[int, str, Iterable[Span]]], import_id: int | None = None, *, replace: bool = False
    ) -> int:
        """Store (document, source, spans) rows, one per document and source, in one transaction;
        returns how many rows were given. A document's suggestions from that source are kept
        (``replace``: replaced). With ``import_id``, those on documents others can see wait
        like ``add_answers``' until the import is done."""
        if replace and import_id is not None:
            raise ValueError("an import never replaces suggestions")
        now = time.time()
        values = [(doc, source, json.dumps(spans_to_json(spans)), now) for doc, source, spans in rows]
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self.write():
            direct, waiting = self._split_by_visibility(import_id, values)
            self.db.conn.executemany(
                f"{verb} INTO suggestions (document, source, spans, made_at, import_id) VALUES (?, ?, ?, ?, ?)",
                [(*v, import_id) for v in direct],
            )
            self.db.conn.executemany(
                "INSERT INTO import_suggestions (document, source, spans, made_at, import) VALUES (?, ?, ?, ?, ?)",
                [(*v, import_id) for v in waiting],
            )
        return len(values)

    def replace_import_suggestions(self, rows: Iterable[tuple[int, str, Iterable[Span]]], import_id: int) -> None:
        """New spans for (document, source) suggestions that import ``import_id`` wrote
        (visible or waiting); those of anything else are left as they are."""
        now = time.time()
        values = [(json.dumps(spans_to_json(spans)), now, doc, source) for doc, source, spans in rows]
        with self.write():
            self.db.conn.executemany(
                "UPDATE suggestions SET spans = ?, made_at = ? WHERE document = ? AND source = ? AND import_id = ?",
                [(*v, import_id) for v in values],
            )
            self.db.conn.executemany(
                "UPDATE import_suggestions SET spans = ?, made_at = ? WHERE document = ? AND source = ? AND import = ?",
                [(*v, import_id) for v in values],
            )

    def _split_by_visibility(
        self, import_id: int | None, values: list[tuple[Any, ...]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """(rows on documents of import ``import_id`` or with no import, rows that must wait)."""
        if import_id is None:
            return values, []
        own = self._own_documents(import_id, {v[0] for v in values})
        return [v for v in values if v[0] in own], [v for v in values if v[0] not in own]

    def texts_and_tokens(self, document_ids: list[int]) -> list[tuple[int, str, bytes]]:
        """(id, text, packed token offsets: core/token_codec.py) in the order asked, for
        pre-highlighting and agreement."""
        rows: dict[int, tuple[int, str, bytes]] = {}
        for at in range(0, len(document_ids), 500):
            chunk = document_ids[at : at + 500]
            sql = f"SELECT id, text, tokens FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            rows.update((row[0], (row[0], row[1], packed(row[2]))) for row in self.db.execute(sql, chunk))
        return [rows[i] for i in document_ids if i in rows]

    def stats(self, dataset: str) -> dict[str, Any]:
        """Counts for `annotator stats`: documents, suggestions per source, answers per
        annotator and kind, spans per label (latest accepted answers), answers per day."""
        in_dataset = f"JOIN documents d ON d.id = l.document WHERE d.dataset = :dataset AND {visible()}"
        p = {"dataset": dataset}

        def q(sql: str) -> list[Any]:
            return self.db.execute(sql, p).fetchall()

        return {
            "dataset": dataset,
            "documents": self.count_documents(dataset),
            "answered_documents": q(f"SELECT COUNT(DISTINCT l.document) FROM answers l {in_dataset}")[0][0],
            "reviewed_documents": q(f"SELECT COUNT(DISTINCT l.document) FROM reviews l {in_dataset}")[0][0],
            "suggestions": dict(q(f"SELECT l.source, COUNT(*) FROM suggestions l {in_dataset} GROUP BY 1 ORDER BY 1")),
            # span_seconds: first start to last answer, per day, summed (nights are not work time)
            "answers": [
                {"annotator": who, "answer": kind, "documents": n, "seconds": secs, "span_seconds": span}
                for who, kind, n, secs, span in q(
                    "SELECT who, kind, SUM(n), SUM(secs), SUM(span) FROM (SELECT l.annotator who, l.answer kind, "
                    "date(l.answered_at, 'unixepoch'), COUNT(*) n, SUM(l.duration) secs, "
                    "MAX(l.answered_at) - MIN(l.started_at) span "
                    f"FROM ({LATEST_ANSWERS}) l {in_dataset} GROUP BY 1, 2, 3) GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ],
            "labels": dict(
                q(
                    f"SELECT json_extract(j.value, '$.label'), COUNT(*) FROM ({LATEST_ANSWERS}) l "
                    "JOIN documents d ON d.id = l.document JOIN json_each(l.spans) j "
                    f"WHERE d.dataset = :dataset AND {visible()} AND l.answer = 'accept' GROUP BY 1 ORDER BY 2 DESC, 1"
                )
            ),
            "per_day": [
                {"day": day, "annotator": who, "answers": n, "seconds": secs, "span_seconds": span}
                for day, who, n, secs, span in q(
                    "SELECT date(l.answered_at, 'unixepoch'), l.annotator, COUNT(*), SUM(l.duration), "
                    f"MAX(l.answered_at) - MIN(l.started_at) FROM answers l {in_dataset} GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ],
        }

    def suggested_and_answered(self, dataset: str) -> Iterator[tuple[str, str, str]]:
        """(source, suggested spans JSON, answered spans JSON) for each source's suggestions
        on each latest accepted answer of the dataset's visible documents, for judging the
        sources; streamed, by document."""
        sql = (
            f"SELECT s.source, s.spans, l.spans FROM ({LATEST_ANSWERS}) l JOIN documents d ON d.id = l.document "
            f"JOIN suggestions s ON s.document = l.document WHERE d.dataset = ? AND {visible()} "
            "AND l.answer = 'accept' ORDER BY l.document, s.id"
        )
        yield from self.db.execute(sql, [dataset])

    # -- export ------------------------------------------------------------------------

    def document_hashes(self, dataset: str) -> list[tuple[int, str]]:
        """(id, input hash) of every document in the dataset, by id: enough to decide what
        to export and where before reading any text."""
        sql = f"SELECT id, input_hash FROM documents d WHERE dataset = ? AND {visible()} ORDER BY id"
        return self.db.execute(sql, [dataset]).fetchall()  # sqlite3 rows are tuples already

    def document_texts(self, dataset: str) -> Iterator[tuple[int, str, str, bytes]]:
        """(id, input hash, text, token offsets in core.token_codec's packed form) of each
        document, by id, streamed: the export reads every document once and needs no more
        (no meta, no Document). A store of schema 5 read as it is holds JSON: packed here."""
        sql = f"SELECT id, input_hash, text, tokens FROM documents d WHERE dataset = ? AND {visible()} ORDER BY id"
        for document, digest, text, tokens in self.db.execute(sql, [dataset]):
            yield document, digest, text, packed(tokens)

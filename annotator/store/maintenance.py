"""annotator db: merge another store in, online backup, check the invariants."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from annotator.core.store_rules import (
    answer_key,
    refuse_incompatible,
    refuse_retokenized,
    review_key,
    stored_span_problems,
)
from annotator.store.base import StoreBase
from annotator.store.connection import inserted_id
from annotator.store.copies import migrated_copy
from annotator.store.errors import StoreError, translated
from annotator.store.opening import check_store, connect_read_only, refuse_unreadable_version
from annotator.store.rows import visible


class Maintenance(StoreBase):
    """``annotator db``: merge another store in, back up, check."""

    def merge_from(self, other_path: str | Path, dataset: str | None = None) -> dict[str, int]:
        """Bring documents, suggestions, answers and reviews of another store into this one,
        in one transaction. Documents match by (dataset, input hash); an answer or review
        already here (same document, person, answer, times and spans) is not added again,
        so merging the same file twice adds nothing. Leases are not merged."""
        other_path = Path(other_path)
        if other_path.exists() and self.path.exists() and other_path.samefile(self.path):
            raise StoreError(f"{other_path}: is this store; nothing to merge")
        with migrated_copy(other_path, self.path.parent, self.busy_timeout) as readable:
            return self._merge_from(readable, other_path, dataset)

    def _merge_from(self, readable: Path, other_path: Path, dataset: str | None) -> dict[str, int]:
        """Merge the store at ``readable`` (``other_path`` or its migrated copy) in; errors name ``other_path``."""
        other = _open_read_only(readable, self.busy_timeout)
        counts = dict.fromkeys(("datasets", "documents", "suggestions", "answers", "reviews"), 0)
        counts.update(documents_present=0, answers_present=0, reviews_present=0)
        try:
            other.execute("BEGIN")  # one snapshot of the other store, even if it is being written
            shown = _visible_in(other)
            names = [
                r[0]
                for r in other.execute(
                    f"SELECT name FROM datasets UNION SELECT dataset FROM documents d WHERE {shown} ORDER BY 1"
                )
            ]
            if dataset is not None:
                if dataset not in names:
                    raise StoreError(f"{other_path}: no dataset {dataset!r} (datasets: {', '.join(names) or 'none'})")
                names = [dataset]
            with self.write():
                for name in names:
                    self._merge_dataset(other, other_path, name, counts, shown)
        finally:
            other.close()
        return counts

    def _merge_dataset(
        self, other: sqlite3.Connection, other_path: Path, name: str, counts: dict[str, int], shown: str
    ) -> None:
        """``shown``: the SQL that hides the other store's documents of an unfinished import."""
        there = other.execute("SELECT * FROM datasets WHERE name = ?", [name]).fetchone()
        here = self.dataset_info(name)
        if there is not None:
            there = {**there, "labels": json.loads(there["labels"])}
            if here is not None:
                refuse_incompatible(other_path, name, here, there)
            else:
                self.db.insert("datasets", {**there, "labels": json.dumps(sorted(there["labels"]))})
                counts["datasets"] += 1
        document_ids: dict[int, int] = {}
        for row in other.execute(f"SELECT * FROM documents d WHERE dataset = ? AND {shown} ORDER BY id", [name]):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO documents (dataset, input_hash, text, meta, tokens, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [name, row["input_hash"], row["text"], row["meta"], row["tokens"], row["added_at"]],
            )
            if cursor.rowcount:
                document_ids[row["id"]] = inserted_id(cursor)
                counts["documents"] += 1
                continue
            mine, tokens = self.db.execute(
                "SELECT id, tokens FROM documents WHERE dataset = ? AND input_hash = ?", [name, row["input_hash"]]
            ).fetchone()
            refuse_retokenized(other_path, name, row["id"], mine, tokens, row["tokens"])
            document_ids[row["id"]] = mine
            counts["documents_present"] += 1
        in_dataset = f"document IN (SELECT id FROM documents d WHERE dataset = ? AND {shown})"
        for row in other.execute(f"SELECT * FROM suggestions WHERE {in_dataset} ORDER BY id", [name]):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO suggestions (document, source, spans, made_at, confidence) "
                "VALUES (?, ?, ?, ?, ?)",
                [document_ids[row["document"]], row["source"], row["spans"], row["made_at"], row["confidence"]],
            )
            counts["suggestions"] += cursor.rowcount
        answer_ids = self._merge_log(other, "answers", name, document_ids, counts, in_dataset)
        self._merge_log(other, "reviews", name, document_ids, counts, in_dataset, answer_ids)

    def _merge_log(
        self,
        other: sqlite3.Connection,
        table: str,
        name: str,
        document_ids: dict[int, int],
        counts: dict[str, int],
        in_dataset: str,
        answer_ids: dict[int, int] | None = None,
    ) -> dict[int, int]:
        """Append the other store's answers (or reviews) not already here; {their id: my id}."""
        key = answer_key if table == "answers" else review_key
        mine_sql = f"SELECT t.* FROM {table} t JOIN documents d ON d.id = t.document WHERE d.dataset = ?"
        present = {key(row, row["document"]): row["id"] for row in self.db.query(mine_sql, [name])}
        ids: dict[int, int] = {}
        their_sql = f"SELECT * FROM {table} WHERE {in_dataset} ORDER BY id"
        for row in other.execute(their_sql, [name]):
            document = document_ids[row["document"]]
            row_key = key(row, document)
            if row_key in present:
                ids[row["id"]] = present[row_key]
                counts[f"{table}_present"] += 1
                continue
            values = {**row, "document": document, "spans": row_key[-1]}
            del values["id"]
            values.pop("import_id", None)  # the other store's import ids mean nothing here
            if answer_ids is not None:  # reviews name the answers they were decided from
                values["decided_from"] = json.dumps(
                    [answer_ids[a] for a in json.loads(row["decided_from"]) if a in answer_ids]
                )
            cursor = self.db.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            ids[row["id"]] = present[row_key] = inserted_id(cursor)
            counts[table] += 1
        return ids

    def backup_to(self, out_path: str | Path, overwrite: bool = False) -> Path:
        """Copy the store with SQLite's online backup, in one step: a consistent snapshot
        taken under a read lock, which in WAL mode does not stop annotators writing."""
        out = Path(out_path)
        if out.exists():
            if out.samefile(self.path):
                raise StoreError(f"{out}: is this store; back up to another file")
            if not overwrite:
                raise StoreError(f"{out}: already exists (choose another name, or --force to replace it)")
        partial = out.with_name(f"{out.name}.partial-{time.time_ns()}")
        try:
            target = sqlite3.connect(str(partial))
            try:
                self.db.conn.backup(target)
            finally:
                target.close()
            partial.replace(out)  # the backup appears whole or not at all
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"{out}: backup failed ({error})") from None
        finally:
            partial.unlink(missing_ok=True)
        return out

    def check(self) -> list[str]:
        """What is wrong with the store: SQLite's integrity check, answers or reviews whose
        document is missing, and stored spans off token boundaries or overlapping."""
        try:
            problems = [f"integrity: {r[0]}" for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
            for table in ("answers", "reviews", "suggestions"):
                sql = (
                    f"SELECT t.id, t.document FROM {table} t LEFT JOIN documents d ON d.id = t.document "
                    "WHERE d.id IS NULL"
                )
                problems += [f"{table[:-1]} {id_}: its document {doc} is missing" for id_, doc in self.db.execute(sql)]
            rows = self.db.query(
                f"""SELECT 'answer' AS kind, a.id AS id, a.annotator AS who, a.answer, a.spans, d.id AS document,
                          d.text, d.tokens
                   FROM answers a JOIN documents d ON d.id = a.document WHERE {visible()}
                   UNION ALL
                   SELECT 'review', r.id, r.reviewer, r.answer, r.spans, d.id, d.text, d.tokens
                   FROM reviews r JOIN documents d ON d.id = r.document WHERE {visible()}
                   ORDER BY document, kind, id"""
            )
            return problems + stored_span_problems(rows)
        except sqlite3.DatabaseError as error:
            return [f"cannot read the store: {error}"]


def _visible_in(other: sqlite3.Connection) -> str:
    """SQL hiding the other store's unfinished imports (a store before schema 4 has none)."""
    tables = {r[0] for r in other.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return visible() if "import_documents" in tables else "1"


def _open_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """Open another store for reading (never writing into it), refusing files that are not
    annotator stores or whose rows this version cannot read as they are."""
    if not path.exists():
        raise StoreError(f"{path}: no such store")
    refuse_unreadable_version(path, check_store(path, busy_timeout))
    try:
        conn = connect_read_only(path, busy_timeout)
    except sqlite3.DatabaseError as error:
        raise translated(path, error, busy_timeout) or StoreError(f"{path}: cannot be read ({error})") from None
    conn.row_factory = sqlite3.Row
    return conn

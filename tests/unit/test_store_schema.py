"""The schema in plain SQL: a new store is the store sqlite-utils used to make, and making,
migrating or writing one never imports sqlite-utils (nor pandas and numpy through it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import Store
from tests.helpers.stores import store_of_version_1

# Dumped from a new store (schema 7): the sqlite-utils statements, the documents table rebuilt at 6, columns added at 7.
GOLDEN = Path(__file__).with_name("store_schema.sql")


def _ddl(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name")
        return "\n\n".join(f"{sql};" for (sql,) in rows) + "\n"
    finally:
        conn.close()


def _columns_and_indexes(path: Path) -> dict[str, tuple]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {
            table: (
                conn.execute(f"PRAGMA table_info({table})").fetchall(),
                sorted(r[1:] for r in conn.execute(f"PRAGMA index_list({table})")),
                conn.execute(f"PRAGMA foreign_key_list({table})").fetchall(),
            )
            for table in tables
        }
    finally:
        conn.close()


def test_a_new_store_has_the_schema_sqlite_utils_made(tmp_path):
    Store(tmp_path / "new.db").close()
    assert _ddl(tmp_path / "new.db") == GOLDEN.read_text().split("\n\n", 1)[1]


def test_a_migrated_store_has_the_tables_and_indexes_of_a_new_one(tmp_path):
    store_of_version_1(tmp_path / "old.db")
    Store(tmp_path / "old.db").close()
    Store(tmp_path / "new.db").close()
    assert _columns_and_indexes(tmp_path / "old.db") == _columns_and_indexes(tmp_path / "new.db")


@pytest.mark.slow
def test_making_and_writing_a_store_never_imports_sqlite_utils(tmp_path):
    # sqlite-utils imports pandas and numpy to recognise their values (0.25-0.45 s here);
    # making a store is on the start path of `annotator` and `annotator import`.
    code = f"""
import sys
from pathlib import Path
from annotator.core.tasks import NewDocument
from annotator.store import Store
from tests.helpers.stores import store_of_version_1
folder = Path({str(tmp_path)!r})
store_of_version_1(folder / "old.db")
Store(folder / "old.db").close()  # migrated
with Store(folder / "other.db") as other:
    other.ensure_dataset("d", "en", ["X"])
    other.add_documents("d", [NewDocument("Ann", [(0, 3)])])
with Store(folder / "a.db") as store:
    store.ensure_dataset("d", "en", ["X"])
    with store.write():
        with store.write():  # nested: a savepoint
            store.add_documents("d", [NewDocument("Bob", [(0, 3)])])
    try:
        with store.write():
            store.add_documents("d", [NewDocument("Cy", [(0, 2)])])
            raise KeyError("rolled back")
    except KeyError:
        pass
    store.merge_from(folder / "other.db")
    assert store.count_documents("d") == 2, store.count_documents("d")
print(sorted(m for m in ("sqlite_utils", "pandas", "numpy") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

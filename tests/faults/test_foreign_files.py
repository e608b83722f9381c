"""Every command, given a file that is not an annotator store it can use (another program's
SQLite database, an empty file, junk, a store of a newer schema), refuses it with one line and
exit status 1, and leaves it byte for byte as it was: same bytes, same modification time, and no
-wal, -shm or -journal file beside it. Nothing is created, migrated or switched to WAL."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from annotator.store import SCHEMA_VERSION, Store
from tests.helpers.cli_runner import CLI
from tests.helpers.paths import ROOT
from tests.helpers.stores import open_store

FOREIGN = "annotations.db"  # the default --db, so the bare `annotator` meets it too


def _other_program(path: Path, wal: bool = False, tables: tuple[str, ...] = ("users", "notes")) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for table in tables:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute(f"INSERT INTO {table} (body) VALUES ('kept as it was')")
    conn.commit()
    conn.close()  # the last connection: a WAL database's -wal and -shm go away


def _newer_store(path: Path) -> None:
    open_store(path, ["Iraq sent troops"])[0].close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema SET version = ?", [SCHEMA_VERSION + 1])
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: a WAL switch would show
    conn.close()


KINDS = {
    "other program's database": (lambda p: _other_program(p), "not an annotator store"),
    "other program's WAL database": (lambda p: _other_program(p, wal=True), "not an annotator store"),
    "a database with its own documents table": (
        lambda p: _other_program(p, tables=("documents", "datasets", "answers")),
        "not an annotator store",
    ),
    "an empty file": (lambda p: p.write_bytes(b""), "not an annotator store"),
    "junk": (lambda p: p.write_bytes(b"not sqlite at all\n" * 300), "not an annotator store"),
    "a store of a newer schema": (_newer_store, "newer annotator"),
}

# {db}: the file under test; good.db: a real store with one dataset; corpus.txt: a text file.
COMMANDS = {
    "stats": "stats --db {db}",
    "agreement": "agreement --db {db}",
    "export": "export out --db {db}",
    "train": "train out --db {db} --training.max_steps 2",
    "db check": "db check --db {db}",
    "db backup (source)": "db backup copy.db --db {db}",
    "db merge (source)": "db merge {db} --db good.db",
    "db merge (target)": "db merge good.db --db {db}",
    "import": "import corpus.txt --db {db} --labels labels.yaml --dataset d",
    "annotate": "annotate --db {db} --labels labels.yaml --dataset d",
    "review": "review --db {db} --labels labels.yaml --dataset d",
    "preannotate": "preannotate --db {db} --labels labels.yaml --dataset d",
    "annotator (no command)": "",
}


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in the folder: its sha256 and modification time (ns)."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="module")
def cli():
    runner = CLI()
    yield runner
    runner.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (tmp_path / "labels.yaml").write_text(labels, encoding="utf-8")
    (tmp_path / "patterns.jsonl").write_text(json.dumps({"label": "GPE", "pattern": "Iraq"}) + "\n", encoding="utf-8")
    (tmp_path / "corpus.txt").write_text("Iraq sent troops.\n", encoding="utf-8")
    store, _ = open_store(tmp_path / "good.db", ["Iraq sent troops"])
    store.close()
    return tmp_path


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_that_is_not_a_usable_store_is_refused_and_left_as_it_was(cli, folder, command, kind):
    make, expected = KINDS[kind]
    make(folder / FOREIGN)
    before = fingerprint(folder)
    status, out, err = cli.run(folder, *COMMANDS[command].format(db=FOREIGN).split())
    assert status == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"annotator: {FOREIGN}: ") and expected in lines[0], err
    assert "Traceback" not in err + out
    assert fingerprint(folder) == before  # same bytes, same mtime, no sidecar, no copy, no out/
    assert not (folder / "out").exists()


def test_the_refusal_leaves_another_programs_rows_readable_by_it(cli, folder):
    _other_program(folder / FOREIGN)
    cli.run(folder, "db", "check", "--db", FOREIGN)
    conn = sqlite3.connect(folder / FOREIGN)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"users", "notes"}
    conn.close()


def test_only_a_path_that_does_not_exist_becomes_a_new_store(cli, folder):
    status, out, err = cli.run(
        folder, "import", "corpus.txt", "--db", "new.db", "--labels", "labels.yaml", "--dataset", "d"
    )
    assert status == 0, err
    with Store(folder / "new.db", read_only=True) as store:
        assert store.count_documents("d") == 1 and store.schema_version == SCHEMA_VERSION
    assert not [p.name for p in folder.iterdir() if ".partial" in p.name]  # made aside, then linked in whole


@pytest.mark.parametrize(
    "command", ["stats --db {db}", "db check --db {db}", "agreement --db {db}", "export out --db {db}"]
)
def test_reading_commands_never_create_a_store(cli, folder, command):
    status, _, err = cli.run(folder, *command.format(db="missing.db").split())
    assert status == 1 and "missing.db: no such store" in err
    assert not list(folder.glob("missing.db*"))


def _older_store(path: Path) -> None:
    """A store as schema 1 left it, in rollback-journal mode, holding two answers."""
    from annotator.core.spans import Span

    store, ids = open_store(path, ["Iraq sent troops", "Bob met Syria"])
    for who in ("ana", "ben"):
        store.add_answer(ids[0], who, "accept", [Span(0, 4, "GPE")], started_at=0.0)
        store.add_answer(ids[1], who, "accept", [Span(8, 13, "GPE")], started_at=0.0)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE leases")  # schema 1's leases, before sessions
    conn.execute(
        "CREATE TABLE leases (document INTEGER, annotator TEXT, until FLOAT, PRIMARY KEY (document, annotator))"
    )
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%answer_annotator'"
    ).fetchall():
        conn.execute(f"DROP INDEX {name}")  # schema 2's index
    conn.execute("UPDATE schema SET version = 1")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize(
    "command", ["stats", "agreement", "export", "db check", "db backup (source)", "db merge (source)"]
)
def test_reading_commands_read_an_older_store_without_migrating_it(cli, folder, command):
    _older_store(folder / FOREIGN)
    before = fingerprint(folder)[FOREIGN]
    status, out, err = cli.run(folder, *COMMANDS[command].format(db=FOREIGN).split())
    assert status == 0, err
    assert fingerprint(folder)[FOREIGN] == before
    assert not list(folder.glob(f"{FOREIGN}-*"))
    conn = sqlite3.connect(folder / FOREIGN)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT version FROM schema").fetchone()[0] == 1
    conn.close()

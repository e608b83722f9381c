"""A store on read-only media: the reading commands work and leave it exactly as it was; the
writing commands say in one line that it is read-only, exit status 1, no traceback.

The store and its folder are made unwritable with chmod, and, since root ignores permissions
(the tests run as root here), also with `chattr +i` (immutable: not even root may write the
file or add one beside it). What proves nothing was written is the file's bytes and mtime and
the folder's listing, not the permissions."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from annotator.core.spans import Span
from annotator.store import Store
from tests.helpers.cli_runner import CLI
from tests.helpers.paths import ROOT
from tests.helpers.stores import open_store

READING = {
    "stats": ("stats --db {db} --json", '"documents": 2'),
    "agreement": ("agreement --db {db} --json", '"annotators"'),
    "export": ("export out --db {db} --format jsonl", "annotations.jsonl"),
    "db check": ("db check --db {db}", "ok"),
    "db backup": ("db backup copy.db --db {db}", "backed up"),
    "db merge (source)": ("db merge {db} --db here.db", "merged"),
}
WRITING = {
    "import": "import corpus.txt --db {db} --labels labels.yaml --dataset d",
    "annotate": "annotate --db {db} --labels labels.yaml --dataset d --annotator cy",
    "review": "review --db {db} --labels labels.yaml --dataset d",
    "preannotate": "preannotate --db {db} --labels labels.yaml --dataset d",
    "db merge (target)": "db merge here.db --db {db}",
}


def _chattr(flag: str, *paths: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def cli():
    runner = CLI()
    yield runner
    runner.close()


def _listing(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())
    }


@pytest.fixture(params=["closed cleanly", "with its -wal and -shm"])
def media(request, tmp_path) -> tuple[Path, Path]:
    """(a read-only folder holding store.db, a writable working folder)."""
    media, work = tmp_path / "media", tmp_path / "work"
    media.mkdir()
    work.mkdir()
    store, ids = open_store(media / "store.db", ["Iraq sent troops", "Bob met Syria"])
    for who in ("ana", "ben"):
        store.add_answer(ids[0], who, "accept", [Span(0, 4, "GPE")], started_at=0.0)
    leftovers = request.param != "closed cleanly"
    if leftovers:  # as a crashed annotator leaves them: keep a copy of the files while it is open
        store.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        for name in ("store.db", "store.db-wal", "store.db-shm"):
            shutil.copy(media / name, work / name)
    store.close()
    if leftovers:
        for name in ("store.db", "store.db-wal", "store.db-shm"):
            shutil.copy(work / name, media / name)
            (work / name).unlink()
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (work / "labels.yaml").write_text(labels, encoding="utf-8")
    (work / "patterns.jsonl").write_text(json.dumps({"label": "GPE", "pattern": "Iraq"}) + "\n", encoding="utf-8")
    (work / "corpus.txt").write_text("Iraq sent troops.\n", encoding="utf-8")
    open_store(work / "here.db", ["Something else entirely"])[0].close()
    files = sorted(media.iterdir())
    for path in files:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    media.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    if os.geteuid() == 0 and not _chattr("+i", *files, media):
        pytest.skip("running as root without chattr +i: cannot make a folder read-only")
    try:
        yield media, work
    finally:
        if os.geteuid() == 0:
            _chattr("-i", media, *files)
        media.chmod(stat.S_IRWXU)
        for path in files:
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.parametrize("command", list(READING))
def test_reading_commands_work_on_read_only_media_and_change_nothing(cli, media, command):
    folder, work = media
    before = _listing(folder)
    args, expected = READING[command]
    status, out, err = cli.run(work, *args.format(db=folder / "store.db").split())
    assert status == 0, err
    assert expected in out + err
    assert _listing(folder) == before


def test_what_is_read_from_read_only_media_includes_the_wal(cli, media):
    folder, work = media
    status, out, err = cli.run(work, "stats", "--db", str(folder / "store.db"), "--json")
    assert status == 0, err
    figures = json.loads(out)
    assert figures["documents"] == 2 and sum(a["documents"] for a in figures["answers"]) == 2, figures


@pytest.mark.parametrize("command", list(WRITING))
def test_writing_commands_say_read_only_in_one_line(cli, media, command):
    folder, work = media
    before = _listing(folder)
    status, out, err = cli.run(work, *WRITING[command].format(db=folder / "store.db").split())
    assert status == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"annotator: {folder / 'store.db'}: read-only"), err
    assert "Traceback" not in out + err
    assert _listing(folder) == before


def test_the_store_api_opens_read_only_media_read_only(media):
    folder, _ = media
    with Store(folder / "store.db", read_only=True) as store:
        assert store.count_documents("d") == 2
        assert len(store.latest_answers("d")) == 2
        assert store.check() == []


def test_a_new_store_in_a_read_only_folder_is_one_line(cli, media):
    folder, work = media
    before = _listing(folder)
    status, out, err = cli.run(
        work, "import", "corpus.txt", "--db", str(folder / "new.db"), "--labels", "labels.yaml", "--dataset", "d"
    )
    assert status == 1, (out, err)
    assert err.strip().splitlines() == [f"annotator: {folder / 'new.db'}: read-only folder; cannot make a store there"]
    assert _listing(folder) == before

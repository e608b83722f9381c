"""Nothing from the data reaches the terminal raw: a project whose documents, meta,
annotator, label, dataset and file names are full of OSC, CSI, BEL, C1 and
right-to-left controls goes through every command of the real CLI, and none of those
characters is in what the command writes (stdout and stderr), on success or on error."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from annotator.core.visible import visible
from tests.helpers.cli_runner import CLI
from tests.helpers.hostile import ANNOTATORS, DATASET, EVIL, FILE, LABELS, labels_yaml, raw_controls, write_project


@pytest.fixture(scope="module")
def cli():
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "400"  # Rich's tables wide enough that every name shows whole
    runner = CLI()
    if before is None:
        del os.environ["COLUMNS"]
    else:
        os.environ["COLUMNS"] = before
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory, cli):
    folder = tmp_path_factory.mktemp("hostile")
    data = write_project(folder)
    status, out, err = cli.run(folder, "import", data.name, "--dataset", DATASET)
    assert status == 0, err
    return folder, out + err


def commands(folder: Path) -> list[tuple[list[str], int]]:
    """Every command on the hostile project, with the exit status each must give."""
    d = ["--dataset", DATASET]
    shutil.copy(folder / "annotations.db", folder / f"{FILE}.db")
    # labels.yaml naming a model that is not there (a note, then on without it), a broken line.
    (folder / "model.yaml").write_text(
        labels_yaml().replace("model: null", f"model: {json.dumps('xx' + EVIL)}"), encoding="utf-8"
    )
    (folder / f"bad{FILE}.jsonl").write_text('{"text": "fine"}\n{broken\n', encoding="utf-8")
    return [
        (["import", f"bad{FILE}.jsonl", "--labels", "model.yaml", "--dataset", f"other{EVIL}", "--skip-invalid"], 0),
        (["preannotate", *d, "--patterns", f"{FILE}.patterns.jsonl"], 0),
        (["stats", *d], 0),
        (["stats", *d, "--json"], 0),
        (["agreement", *d], 0),
        (["agreement", *d, "--json"], 0),
        (["export", f"out{FILE}", *d, "--conflicts", "majority"], 0),
        (["export", f"jsonl{FILE}", *d, "--format", "jsonl"], 0),
        (["train", f"model{FILE}", *d, "--conflicts", "majority", "--training.max_steps", "10"], 0),
        (["db", "check"], 0),
        (["db", "check", "--db", f"{FILE}.db"], 0),
        (["db", "backup", f"backup{FILE}.db"], 0),
        (["db", "merge", f"{FILE}.db"], 0),
        (["init", f"new{FILE}"], 0),
        # Errors naming a hostile file, dataset or value: one line each, exit 1 (2: usage).
        (["import", f"missing{FILE}.jsonl", *d], 1),
        (["import", f"{FILE}.patterns.jsonl", *d], 1),
        (["stats", "--dataset", f"none{EVIL}"], 1),
        (["stats", "--db", f"missing{FILE}.db"], 1),
        (["stats", "--labels", f"missing{FILE}.yaml"], 1),
        (["db", "merge", f"missing{FILE}.db"], 1),
        (["db", "backup", f"backup{FILE}.db"], 1),
        (["export", f"out{FILE}", *d, "--conflicts", EVIL], 2),  # a value not among the choices: a usage mistake
        (["import", f"{FILE}.jsonl", *d, "--format", EVIL], 2),  # a value not among the choices: a usage mistake
        (["annotate", "--dataset", f"none{EVIL}"], 1),
        (["review", "--dataset", f"none{EVIL}"], 1),
        (["stats", "--json", f"--{EVIL}"], 2),
    ]


def test_no_command_writes_a_raw_control_character(project, cli):
    folder, imported = project
    leaks = {"import": raw_controls(imported)} if raw_controls(imported) else {}
    statuses = {}
    for args, expected in commands(folder):
        status, out, err = cli.run(folder, *args)
        shown = " ".join(visible(a) for a in args)
        statuses[shown] = (status, expected, err.strip())
        if raw_controls(out + err):
            leaks[shown] = raw_controls(out + err)
        if expected:
            assert len(err.strip().splitlines()) == 1, (shown, err)
    assert leaks == {}
    assert {k: v for k, v in statuses.items() if v[0] != v[1]} == {}


def test_names_show_visibly_and_literally(project, cli):
    folder, imported = project
    assert f"{visible(DATASET)}: 3 new documents" in imported
    _, table, _ = cli.run(folder, "agreement", "--dataset", DATASET)
    _, stats, _ = cli.run(folder, "stats", "--dataset", DATASET)
    for name in (*ANNOTATORS, *LABELS):
        assert visible(name) in table and visible(name) in stats, name
    assert visible(f"{FILE}.jsonl") in table  # the worst documents' source
    assert "[bold]b[/]" in table and "[bold]b[/]" in stats  # markup stays literal

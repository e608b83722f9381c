"""`annotator init`, `stats`, `--help`, and the first run of `annotator` in a project."""

from __future__ import annotations

import json

import pytest

from annotator.cli import app
from annotator.io.labels import load_labels
from tests.helpers.cli import run_main


def test_init_writes_a_valid_labels_yaml(tmp_path, monkeypatch, capsys):
    status, out, _ = run_main(monkeypatch, capsys, "init", str(tmp_path / "proj"))
    assert status == 0 and "wrote" in out
    config = load_labels(tmp_path / "proj" / "labels.yaml")
    assert config.names == ["PERSON", "ORG", "GPE", "DATE"] and config.model is None
    status, _, err = run_main(monkeypatch, capsys, "init", str(tmp_path / "proj"))
    assert status == 1 and "already exists" in err


def test_first_run_imports_seeds_prehighlights_and_opens_annotate(project, monkeypatch, capsys):
    import annotator.ui.app as ui_app

    opened = []
    monkeypatch.setattr(ui_app, "run_annotate", lambda *args, **kw: opened.append((args, kw)))
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    status, out, _ = run_main(monkeypatch, capsys)
    assert status == 0 and "into 'demo'" in out and "patterns:" in out
    (db, config, dataset, annotator), kw = opened[0]
    assert dataset == "demo" and kw == {"overlap": 1}
    from annotator.store import Store

    with Store(project / "annotations.db") as store:
        documents = list(store.documents("demo"))
        assert len(documents) > 20
        assert all("patterns" in store.suggestions(d.id) for d in documents)  # every document pre-highlighted
    run_main(monkeypatch, capsys)  # a second run imports nothing more
    with Store(project / "annotations.db") as store:
        assert store.count_documents("demo") == len(documents)


def test_stats_json_and_table(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")[0] == 0
    status, out, _ = run_main(monkeypatch, capsys, "stats", "--json")
    figures = json.loads(out)
    assert status == 0 and figures["dataset"] == "news" and figures["suggestions"]["patterns"] == figures["documents"]
    status, out, _ = run_main(monkeypatch, capsys, "stats", "-d", "news")
    assert status == 0 and "patterns" in out
    status, _, err = run_main(monkeypatch, capsys, "stats", "-d", "nope")
    assert status == 1 and "no dataset 'nope'" in err


@pytest.mark.parametrize(
    "command, options",
    [
        ("init", []),
        (
            "import",
            [
                "--db",
                "--labels",
                "--dataset",
                "--format",
                "--split",
                "--annotator",
                "--as-answers",
                "--skip-invalid",
                "--no-preannotate",
            ],
        ),
        (
            "preannotate",
            ["--db", "--labels", "--dataset", "--model", "--patterns", "--replace", "--n-process", "--batch-size"],
        ),
        ("stats", ["--db", "--labels", "--dataset", "--json"]),
    ],
)
def test_help_explains_every_option(command, options):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in options:
        assert option in result.output


# Found trying the program: `annotator --help` listed the commands but never said that `annotator`
# alone (the README's quick start) imports the demo and opens the annotate screen.
def test_the_top_help_says_what_annotator_alone_does():
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "`annotator` alone opens the annotate screen" in " ".join(result.output.split())


@pytest.mark.parametrize(
    "command", [["annotate", "--annotator", "ana", "--overlap", "3"], ["review"], ["stats"], ["agreement"]]
)
def test_no_store_yet_says_what_to_do(project, monkeypatch, capsys, command):
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    status, _, err = run_main(monkeypatch, capsys, *command)
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert "annotations.db: no such store" in err and "run `annotator` once" in err and "annotator import PATH" in err
    assert not (project / "annotations.db").exists()


@pytest.mark.parametrize(
    "command", ["export", "train", "agreement", "stats", "annotate", "review", "preannotate", "import"]
)
def test_a_labels_file_given_explicitly_must_exist(project, monkeypatch, capsys, command):
    """Before: export, agreement and stats went on without a missing --labels file (exit 0)."""
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")[0] == 0
    before = (project / "annotations.db").read_bytes()
    args = [command, "seeds"] if command == "import" else [command]
    status, _, err = run_main(monkeypatch, capsys, *args, "--labels", "nope.yaml")
    assert status == 1 and err.strip() == "annotator: nope.yaml: no such file (run `annotator init` to make one)"
    assert (project / "annotations.db").read_bytes() == before and not (project / "exports").exists()


def test_export_needs_no_labels_yaml(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")[0] == 0
    from annotator.store import Store

    with Store(project / "annotations.db") as store:
        for document in list(store.documents("news"))[:5]:
            store.add_answer(document.id, "ana", "accept", [], 0)
    (project / "labels.yaml").unlink()
    status, out, err = run_main(monkeypatch, capsys, "export")
    assert status == 0, err
    assert (project / "exports" / "train.spacy").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["annotate", "--overlap", "0"], "Invalid value for '--overlap'"),
        (["import"], "Missing argument 'paths' (see `annotator import --help`)"),
        (["export", "--eval-split", "abc"], "Invalid value for '--eval-split'"),
        (["--nope"], "No such option: --nope"),
        (["frob"], "No such command 'frob'"),
    ],
)
def test_usage_errors_are_one_plain_line_exit_2(project, monkeypatch, capsys, args, message):
    """Before: Typer's boxed multi-line panel."""
    monkeypatch.chdir(project)
    status, out, err = run_main(monkeypatch, capsys, *args)
    assert status == 2 and err.startswith("annotator: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "╭" not in err and out == ""


def test_exit_statuses_pass_through(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert run_main(monkeypatch, capsys, "--help")[0] == 0
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")[0] == 0
    status, out, _ = run_main(monkeypatch, capsys, "db", "check")
    assert status == 0 and "ok" in out


@pytest.mark.parametrize("command", [[], ["import", "seeds", "-d", "news"]])
def test_a_missing_patterns_file_leaves_no_new_store_behind(project, monkeypatch, capsys, command):
    """Found by trying it as a new user: labels.yaml and seeds/ copied without patterns.jsonl,
    then bare `annotator` (or an import) said the patterns were missing and left an empty store."""
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    (project / "patterns.jsonl").unlink()
    status, _, err = run_main(monkeypatch, capsys, *command)
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert "labels.yaml" in err and "patterns.jsonl" in err and "no such patterns file" in err
    assert not (project / "annotations.db").exists()


def test_without_preannotating_a_missing_patterns_file_does_not_stop_an_import(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    (project / "patterns.jsonl").unlink()
    status, _, err = run_main(monkeypatch, capsys, "import", "seeds", "-d", "news", "--no-preannotate")
    assert status == 0, err
    assert (project / "annotations.db").exists()

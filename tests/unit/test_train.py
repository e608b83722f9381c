"""The export trains with spaCy's own commands, and `annotator train` reports dev scores."""

from __future__ import annotations

import subprocess
import sys

import pytest
import spacy

from annotator.store import Store
from annotator.usecases.export import export_spacy
from tests.helpers import export_fixtures as fx
from tests.helpers.cli import run_main

TINY = ["--training.max_steps", "6", "--training.eval_frequency", "3"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("train")
    with fx.build_generated_store(folder / "annotations.db") as store:
        export_spacy(store, "news", folder / "out")
    return folder


def spacy_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spacy", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_spacy_debug_data_reports_no_errors(exported):
    out = exported / "out"
    run = spacy_command(
        "debug", "data", str(out / "config.cfg"),
        "--paths.train", str(out / "train.spacy"), "--paths.dev", str(out / "dev.spacy"), *TINY,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "✘" not in run.stdout  # spaCy marks each error with ✘
    assert "Corpus is loadable" in run.stdout


@pytest.mark.slow
def test_spacy_train_on_the_export_writes_a_model_that_predicts(exported):
    out = exported / "out"
    run = spacy_command(
        "train", str(out / "config.cfg"), "--output", str(exported / "model"),
        "--paths.train", str(out / "train.spacy"), "--paths.dev", str(out / "dev.spacy"), *TINY,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    nlp = spacy.load(exported / "model" / "model-last")
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert {"PERSON", "GPE", "DATE"} <= set(nlp.get_pipe("ner").labels)
    doc = nlp("Asma Assad met officials in Homs on Friday.")
    assert doc.has_annotation("ENT_IOB")


@pytest.mark.slow
def test_annotator_train_exports_trains_and_reports_scores(exported, monkeypatch, capsys):
    db, out = exported / "annotations.db", exported / "trained"
    code, stdout, err = run_main(monkeypatch, capsys, "train", str(out), "--db", str(db), *TINY)
    assert code == 0, err
    assert (out / "train.spacy").exists() and (out / "model" / "model-best" / "meta.json").exists()
    assert "dev scores" in stdout and "PERSON" in stdout and f"--model {out / 'model' / 'model-best'}" in stdout
    trained = spacy.load(out / "model" / "model-best")
    assert trained("Homs").has_annotation("ENT_IOB") and trained.meta["name"] == "news_ner"
    # Again without --force: refused, nothing changed; with --force: replaced.
    before = (out / "model" / "model-best" / "meta.json").stat().st_mtime_ns
    code, _, err = run_main(monkeypatch, capsys, "train", str(out), "--db", str(db), *TINY)
    assert code == 1 and "already exists" in err and len(err.strip().splitlines()) == 1
    assert (out / "model" / "model-best" / "meta.json").stat().st_mtime_ns == before


@pytest.mark.slow
def test_train_result_reads_the_scores(exported):
    from annotator.usecases.train import train

    with Store(exported / "annotations.db") as store:
        result = train(
            store, "news", exported / "direct", overrides={"training.max_steps": 4, "training.eval_frequency": 2}
        )
    assert set(result.scores) == {"ents_f", "ents_p", "ents_r"}
    assert all(value is None or 0.0 <= value <= 1.0 for value in result.scores.values())
    assert result.export.documents["train"] + result.export.documents["dev"] == 150


@pytest.mark.parametrize(
    "args, message",
    [
        (["--config", "missing.cfg"], "missing.cfg: no such config file"),
        (["--nodot", "1"], "cannot read the spaCy overrides"),
        (["--dataset", "nope"], "no dataset 'nope'"),
    ],
)
def test_train_bad_input(exported, monkeypatch, capsys, args, message):
    out = exported / "bad"
    code, _, err = run_main(monkeypatch, capsys, "train", str(out), "--db", str(exported / "annotations.db"), *args)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_training_that_fails_keeps_the_export_and_no_partial_model(exported, monkeypatch, capsys):
    out = exported / "flag"
    code, _, err = run_main(
        monkeypatch, capsys, "train", str(out), "--db", str(exported / "annotations.db"), "--training.max_steps"
    )
    assert code == 1 and "spaCy training stopped" in err.splitlines()[-1] and "export in" in err
    assert sorted(p.name for p in out.iterdir()) == ["config.cfg", "dev.spacy", "train.spacy"]


@pytest.mark.slow
def test_train_with_a_config_of_ones_own(exported, monkeypatch, capsys):
    from spacy.util import load_config

    config = load_config(exported / "out" / "config.cfg")
    config["training"]["seed"] = 4242
    config.to_disk(exported / "mine.cfg")
    out = exported / "own"
    code, _, err = run_main(
        monkeypatch,
        capsys,
        "train",
        str(out),
        "--db",
        str(exported / "annotations.db"),
        "--config",
        str(exported / "mine.cfg"),
        *TINY,
    )
    assert code == 0, err
    used = load_config(out / "model" / "model-best" / "config.cfg")
    assert used["training"]["seed"] == 4242 and used["training"]["max_steps"] == 6


@pytest.mark.parametrize(
    "args, out_dir, overrides",
    [
        (["--training.max_steps", "50"], None, ["--training.max_steps", "50"]),
        (["--training.max_steps=50"], None, ["--training.max_steps=50"]),
        (["out", "--training.max_steps", "50"], "out", ["--training.max_steps", "50"]),
        (["--a.b", "--c.d=2", "out"], "out", ["--a.b", "--c.d=2"]),
        (["--training.dropout", "-0.1", "out"], "out", ["--training.dropout", "-0.1"]),
    ],
)
def test_out_dir_never_swallows_an_override(args, out_dir, overrides):
    from annotator.cli.train_arguments import split_arguments

    assert split_arguments(args) == (out_dir, overrides)


@pytest.mark.parametrize("args", [["--training.max_steps", "50"], ["--training.max_steps=50"]])
def test_overrides_parse_both_ways_without_spacy_lines(args, capsys):
    from annotator.cli.train_arguments import parse_overrides

    assert parse_overrides(args) == {"training.max_steps": 50}
    with pytest.raises(Exception, match="cannot read the spaCy overrides"):
        parse_overrides(["--nodot", "1"])
    assert "✘" not in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [(["a", "b"], "unexpected argument 'b'"), (["-x"], "no such option '-x'")])
def test_train_stray_arguments_are_one_line(exported, monkeypatch, capsys, args, message):
    code, out, err = run_main(monkeypatch, capsys, "train", "--db", str(exported / "annotations.db"), *args)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1 and "✘" not in out


@pytest.mark.slow
@pytest.mark.parametrize("form", [["--training.max_steps", "20"], ["--training.max_steps=20"]])
def test_a_short_run_without_out_dir_keeps_a_trained_model_best(exported, monkeypatch, capsys, tmp_path, form):
    """Before: the override became OUT_DIR (or '20' a bad override), and with spaCy's
    eval_frequency of 200 model-best was the untrained step-0 model (F 0, no entities)."""
    from spacy.util import load_config

    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(monkeypatch, capsys, "train", "--force", "--db", str(exported / "annotations.db"), *form)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]  # no folder named after the override
    best = tmp_path / "exports" / "model" / "model-best"
    used = load_config(best / "config.cfg")["training"]
    assert used["max_steps"] == 20 and used["eval_frequency"] == 4
    assert spacy.load(best).meta["performance"]["ents_f"] > 0
    assert spacy.load(best)("Ahmed al-Sharaa met officials in Damascus on Thursday.").ents


def test_eval_frequency_fits_max_steps_unless_given():
    from annotator.usecases.train import with_eval_frequency

    assert with_eval_frequency({"training.max_steps": 50}, 200)["training.eval_frequency"] == 10
    assert with_eval_frequency({"training.max_steps": 3}, 200)["training.eval_frequency"] == 1
    assert with_eval_frequency({"training.max_steps": 5000}, 200)["training.eval_frequency"] == 200
    given = {"training.max_steps": 50, "training.eval_frequency": 50}
    assert with_eval_frequency(given, 200) == given
    assert with_eval_frequency({"training.max_steps": 0}, 200) == {"training.max_steps": 0}  # 0: no limit


@pytest.mark.slow
def test_the_printed_train_command_saves_a_model(exported, monkeypatch, capsys):
    """Before: the hint had no --output, and spaCy then trains and saves nothing."""
    out = exported / "hint"
    code, stdout, err = run_main(monkeypatch, capsys, "export", str(out), "--db", str(exported / "annotations.db"))
    assert code == 0, err
    line = next(line for line in stdout.splitlines() if line.startswith("train with: "))
    command = line.removeprefix("train with: python -m spacy ").split()
    assert command[:4] == ["train", str(out / "config.cfg"), "--output", str(out / "model")]
    run = spacy_command(*command, *TINY)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (out / "model" / "model-best" / "meta.json").exists()

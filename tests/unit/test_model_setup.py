"""Getting a model working: advice that is right for the name given, a model that cannot be
loaded is an error for `preannotate`, and a changed model or patterns is noticed."""

from __future__ import annotations

from annotator.store import Store
from annotator.usecases.preannotate import load_highlighters, model_notices, preannotate
from tests.helpers.cli import run_main
from tests.helpers.importing import labels_config, run_import, write_jsonl


def test_a_real_pipeline_name_is_advised_with_spacy_download(tmp_path):
    notes = []
    load_highlighters(labels_config(tmp_path, model="en_core_web_sm"), note=notes.append)
    assert len(notes) == 1 and "python -m spacy download en_core_web_sm" in notes[0]
    assert "pip install" not in notes[0]  # no registry serves the pipelines


def test_a_mistyped_name_is_not_advised_to_download_and_the_installed_ones_are_listed(tmp_path):
    """Before: "install it with `python -m spacy download en_core_web_smm`", a name that does not exist."""
    notes = []
    load_highlighters(labels_config(tmp_path, model="en_core_web_smm"), note=notes.append)
    assert len(notes) == 1
    assert "spacy download" not in notes[0] and "not a spaCy pipeline name" in notes[0]
    assert "installed pipelines: none" in notes[0]


def test_preannotate_refuses_a_labels_model_that_cannot_be_loaded(project, monkeypatch, capsys):
    """Before: a note, pre-highlighting with patterns only, exit 0."""
    monkeypatch.chdir(project)
    labels = project / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("model: null", "model: en_core_web_smm"), encoding="utf-8"
    )
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news", "--no-preannotate")[0] == 0
    before = (project / "annotations.db").read_bytes()
    code, _, err = run_main(monkeypatch, capsys, "preannotate")
    assert code == 1 and "en_core_web_smm" in err and len(err.strip().splitlines()) == 1
    assert (project / "annotations.db").read_bytes() == before


def test_a_source_added_since_pre_highlighting_is_noticed_with_the_command(tmp_path, tiny_model):
    old = write_jsonl(tmp_path / "p.jsonl", [{"label": "GPE", "pattern": "Iraq"}])
    texts = [{"text": "Iraq sent soldiers back to Syria."}, {"text": "Officials in Baghdad met on Monday."}]
    corpus = write_jsonl(tmp_path / "c.jsonl", texts)
    with Store(tmp_path / "a.db") as store:
        config = labels_config(tmp_path, patterns=str(old))
        run_import(store, config, [corpus])
        preannotate(store, config, "news", load_highlighters(config), progress=False)
        assert model_notices(store, config, "news") == []
        changed = labels_config(tmp_path, model=str(tiny_model), patterns=str(old))
        notices = model_notices(store, changed, "news")
    assert len(notices) == 1
    assert "2 documents of 'news' have no suggestions from tiny_ner 0.0.1" in notices[0]
    # The exact command: this store and this labels.yaml are not the defaults, so it names them.
    assert notices[0].endswith(
        f"run `annotator preannotate --dataset news --db {tmp_path / 'a.db'} --labels {tmp_path / 'labels.yaml'}`"
    )


def test_annotator_says_on_the_console_that_the_model_changed(project, tiny_model, monkeypatch, capsys):
    """Before: changing `model:` on an existing store changed nothing and nothing said so."""
    import annotator.ui.app as ui_app

    monkeypatch.setattr(ui_app, "run_annotate", lambda *args, **kw: None)
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    assert run_main(monkeypatch, capsys)[0] == 0  # the demo, pre-highlighted with patterns
    labels = project / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("model: null", f"model: {tiny_model}"), encoding="utf-8"
    )
    code, _, err = run_main(monkeypatch, capsys)
    assert code == 0
    assert "documents of 'demo' have no suggestions from tiny_ner 0.0.1" in err
    assert "run `annotator preannotate --dataset demo`\n" in err  # the defaults: nothing more to name
    code, _, err = run_main(monkeypatch, capsys, "annotate")
    assert code == 0 and "run `annotator preannotate --dataset demo`\n" in err
    # The command offered does what it says: afterwards nothing is missing, and nothing is said.
    assert run_main(monkeypatch, capsys, "preannotate", "--dataset", "demo")[0] == 0
    code, _, err = run_main(monkeypatch, capsys)
    assert code == 0 and "preannotate" not in err

"""The trainer (`annotator learn`, usecases.learner): real spaCy training on a real store,
held-out scoring, models kept beside the store only when they beat the suggestions, the
unanswered documents re-highlighted, one trainer per store and dataset."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import spacy
import srsly

from annotator.usecases import learned
from annotator.usecases.learner import Learner
from annotator.usecases.ner_training import starting_pipeline
from tests.helpers.cli import run_main, run_process
from tests.helpers.learning import DRUGS, answer_all, drug_project
from tests.helpers.paths import ROOT

pytestmark = pytest.mark.slow
EVERY = 40


@pytest.fixture
def project(tmp_path):
    store, config, ids, gold = drug_project(tmp_path)
    with store:
        yield store, config, ids, gold


def test_nothing_is_trained_before_every_new_answers(project):
    store, config, ids, gold = project
    answer_all(store, gold, ids[: EVERY - 1])
    learner = Learner(store, config, "drugs", every=EVERY)
    assert learner.learn_once() is None
    assert learned.kept_models(learner.folder) == []
    assert not any(store.suggestions(i) for i in ids)


def test_a_round_keeps_a_better_model_and_rehighlights_only_unanswered_documents(project):
    store, config, ids, gold = project
    answer_all(store, gold, ids[:EVERY])
    learner = Learner(store, config, "drugs", every=EVERY)
    done = learner.learn_once()
    assert done is not None and done.kept is not None, done
    assert done.trained_on + done.held_out == EVERY and done.held_out > 0
    assert done.f1_after > done.f1_before and done.before == "patterns"
    meta = srsly.read_json(learner.folder / "1" / "meta.json")
    assert meta["k"] == 1 and meta["trained_on"] == done.trained_on and meta["f1_after"] == done.f1_after
    nlp = spacy.load(learned.model_path(learner.folder, 1))
    assert nlp.pipe_names == ["entity_ruler", "ner"]
    for document in ids[:EVERY]:
        assert "learned 1" not in store.suggestions(document)
    unanswered = ids[EVERY:]
    assert done.highlighted == len(unanswered)
    found = [store.suggestions(i).get("learned 1") for i in unanswered]
    assert all(spans is not None for spans in found)
    right = sum(spans == gold[i] for spans, i in zip(found, unanswered, strict=True))
    assert right > len(unanswered) / 2, found  # the patterns know one drug of eight
    assert learner.learn_once() is None  # no new answers: no second round


def test_a_model_that_does_not_beat_the_suggestions_is_not_kept(tmp_path):
    store, config, ids, gold = drug_project(tmp_path, patterns=DRUGS)  # the patterns are perfect
    with store:
        answer_all(store, gold, ids[:EVERY])
        learner = Learner(store, config, "drugs", every=EVERY)
        done = learner.learn_once()
        assert done is not None and done.kept is None and done.f1_before == 1.0
        assert learned.kept_models(learner.folder) == []
        assert not any("learned 1" in store.suggestions(i) for i in ids)
        assert learner.learn_once() is None  # that round counted: not again on the same answers


def test_a_trainable_model_in_labels_yaml_is_trained_further(tmp_path, tiny_model):
    store, config, ids, gold = drug_project(tmp_path, model=str(tiny_model))
    with store:
        nlp, resumed = starting_pipeline(config)
        assert resumed and "DRUG" in nlp.get_pipe("ner").labels and "PERSON" in nlp.get_pipe("ner").labels
        answer_all(store, gold, ids[:EVERY])
        done = Learner(store, config, "drugs", every=EVERY, epochs=3).learn_once()
        assert done is not None and done.before == "tiny_ner 0.0.1 + patterns"


def test_the_command_trains_once_and_says_what_it_kept(project, monkeypatch, capsys, tmp_path):
    store, config, ids, gold = project
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "learn", "--db", "drugs.db", "--once", "--every", str(EVERY))
    assert code == 0, err
    assert out.strip() == f"0 new accepted answers since the last round; training needs {EVERY}"
    answer_all(store, gold, ids[:EVERY])
    code, out, err = run_main(monkeypatch, capsys, "learn", "--db", "drugs.db", "--once", "--every", str(EVERY))
    assert code == 0, err
    assert out.startswith("learned 1: F ") and f"re-highlighted {len(ids) - EVERY} unanswered documents" in out


def test_one_trainer_per_store_and_dataset_and_the_lock_dies_with_its_process(project, tmp_path):
    store, *_ = project
    folder = learned.learned_folder(store.path, "drugs")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from annotator.usecases.learned import trainer_lock\n"
         "from pathlib import Path\nwith trainer_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(60)",
         str(folder)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = run_process("learn", "--db", str(store.path), "--once", cwd=tmp_path)
        assert refused.returncode == 1
        assert "another `annotator learn` is training 'drugs' already" in refused.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 10
    with learned.trainer_lock(folder, wait=True):  # the kernel let it go with the killed process
        assert time.monotonic() < deadline

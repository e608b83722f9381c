"""Shared fixtures: a real tiny spaCy NER pipeline trained here, real stores on disk."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Programs the tests start (the CLI, the app in tmux) run this checkout's code, not whichever
# copy of the package happens to be installed.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def _forget_terminal_size() -> None:
    """GNU readline (loaded into the test process) puts COLUMNS=80 and LINES=24 into the C
    environment, which programs started here inherit: Textual then takes the terminal for
    80x24 whatever tmux's pane is, and a resize is never seen."""
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
        os.unsetenv(name)


_forget_terminal_size()


@pytest.fixture(autouse=True)
def _no_inherited_terminal_size():
    _forget_terminal_size()


SEEDS = ROOT / "seeds"
LABELS_YAML = ROOT / "labels.yaml"

TRAIN_SENTENCES = [
    (
        "Ahmed al-Sharaa met officials in Damascus on Thursday.",
        [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE"), ("Thursday", "DATE")],
    ),
    ("Iraq sent soldiers back to Syria.", [("Iraq", "GPE"), ("Syria", "GPE")]),
    ("Bashar al-Assad fled to Russia.", [("Bashar al-Assad", "PERSON"), ("Russia", "GPE")]),
    ("The Iraqi military said 1,905 officers returned.", [("Iraqi", "NORP"), ("1,905", "CARDINAL")]),
    ("Mohammad al-Bashir was named prime minister in Syria.", [("Mohammad al-Bashir", "PERSON"), ("Syria", "GPE")]),
    ("Syrian rebels seized Damascus in December.", [("Syrian", "NORP"), ("Damascus", "GPE"), ("December", "DATE")]),
    ("Officials in Baghdad met on Monday.", [("Baghdad", "GPE"), ("Monday", "DATE")]),
    ("Russia and Iraq spoke about 2,000 soldiers.", [("Russia", "GPE"), ("Iraq", "GPE"), ("2,000", "CARDINAL")]),
]


def _entities(text: str, pairs: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out = []
    for phrase, label in pairs:
        start = text.index(phrase)
        out.append((start, start + len(phrase), label))
    return out


def train_tiny_ner(output: Path, iterations: int = 30, seed: int = 0) -> Path:
    """Train and save a small English NER pipeline: a real model, loaded back by path."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    examples = []
    for text, pairs in TRAIN_SENTENCES:
        ents = _entities(text, pairs)
        for _, _, label in ents:
            ner.add_label(label)
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    nlp.meta["name"] = "tiny_ner"
    nlp.meta["version"] = "0.0.1"
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(iterations):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    nlp.to_disk(output)
    return output


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """Path of a tiny NER pipeline trained for this test session."""
    return train_tiny_ner(tmp_path_factory.mktemp("model") / "tiny_ner")


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder: the demo's labels.yaml (without a model) and a copy of seeds/."""
    import shutil

    shutil.copytree(SEEDS, tmp_path / "seeds")
    text = LABELS_YAML.read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (tmp_path / "labels.yaml").write_text(text, encoding="utf-8")
    if (ROOT / "patterns.jsonl").exists():
        shutil.copy(ROOT / "patterns.jsonl", tmp_path / "patterns.jsonl")
    return tmp_path


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the real `annotator` entry point in this process: (exit status, stdout, stderr)."""
    import sys

    from annotator.cli import main

    monkeypatch.setattr(sys, "argv", ["annotator", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err

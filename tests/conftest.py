"""Fixtures every test directory shares: a tiny spaCy NER pipeline trained here, a project
folder, a small full-able disk. Helpers that are not fixtures are in tests/helpers."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from contextlib import closing as closing_at_exit
from pathlib import Path

import pytest

from tests.helpers.model import train_tiny_ner
from tests.helpers.paths import LABELS_YAML, ROOT, SEEDS

# Tests laid out by speed: what is slow is marked so, and a process started by a test that is
# not marked slow fails it (the rules: tests/helpers/speed_marks.py).
# pytester: the guard's own tests run a small test suite in this process. open_stores: a test
# that leaves a Store open fails, naming where it was opened.
pytest_plugins = ["pytester", "tests.helpers.speed_marks", "tests.helpers.open_stores"]

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

# labels.yaml's validation cache (the user cache folder) goes to a folder of this session, not
# the home folder; programs the tests start inherit it.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="annotator-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


@pytest.fixture(autouse=True)
def _no_inherited_terminal_size():
    _forget_terminal_size()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """Path of a tiny NER pipeline trained for this test session."""
    return train_tiny_ner(tmp_path_factory.mktemp("model") / "tiny_ner")


@pytest.fixture
def closing():
    """``closing(store)``: the store (anything with close()) is closed at the test's teardown,
    whatever the test did; returns it."""
    with ExitStack() as stack:
        yield lambda thing: stack.enter_context(closing_at_exit(thing))


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder: the demo's labels.yaml (without a model) and a copy of seeds/."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    text = LABELS_YAML.read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (tmp_path / "labels.yaml").write_text(text, encoding="utf-8")
    if (ROOT / "patterns.jsonl").exists():
        shutil.copy(ROOT / "patterns.jsonl", tmp_path / "patterns.jsonl")
    return tmp_path


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (root only), unmounted after the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)

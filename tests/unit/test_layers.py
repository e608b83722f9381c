"""The layers of README's "How it is built" are held by machines: import-linter's contracts
(pyproject.toml) pass, a cycle would fail them, and the screens load neither SQLite nor spaCy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(cwd: Path, *args: str, pythonpath: Path) -> subprocess.CompletedProcess:
    program = shutil.which("lint-imports")
    if program is None:
        pytest.fail("lint-imports is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([program, "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT, pythonpath=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.slow
def test_an_import_cycle_breaks_the_contracts(tmp_path):
    """The acyclic contract is not a formality: two modules importing each other fail it."""
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text("def later():\n    from cyclic import a  # a function-level import is a cycle too\n")
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent("""\
            [importlinter]
            root_package = cyclic

            [importlinter:contract:acyclic]
            name = no cycles
            type = acyclic_siblings
            ancestors = cyclic
            """)
    )
    result = lint_imports(tmp_path, "--config", ".importlinter", pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout


@pytest.mark.parametrize(
    "module", ["annotator.ui.screens.annotate", "annotator.ui.screens.review", "annotator.ui.screens.agreement"]
)
@pytest.mark.slow
def test_a_screen_loads_neither_sqlite_nor_spacy(module):
    """The screens reach SQLite through the store and spaCy through the use cases, in their
    workers, when they open them; importing a screen loads neither."""
    code = f"import sys, {module}; print(sorted(m for m in ('sqlite3', 'sqlite_utils', 'spacy') if m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]"


def test_a_use_case_draws_progress_only_through_the_bar_installed():
    from contextlib import contextmanager

    from annotator.usecases import progress

    drawn: list = []

    @contextmanager
    def bar(description, total=None, unit="", transient=False):
        drawn.append((description, total))
        yield lambda n, description=None: drawn.append(n)

    progress.show_progress_with(None)
    with progress.progress_bar("importing", total=2) as advance:
        advance(2)
    assert drawn == []  # nothing installed: nothing drawn, nothing printed
    progress.show_progress_with(bar)
    try:
        with progress.progress_bar("importing", total=2) as advance:
            advance(2)
    finally:
        progress.show_progress_with(None)
    assert drawn == [("importing", 2), 2]


@pytest.mark.slow
def test_the_command_draws_the_import_progress_on_a_terminal(project):
    """The use case prints nothing itself; `annotator import` installs Rich's bar, which
    draws on stderr when stderr is a terminal."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    corpus = project / "corpus.txt"
    corpus.write_text("Alice flew to Paris.\n\nBob stayed in Rome.\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "annotator.cli",
        "import",
        str(corpus),
        "--dataset",
        "news",
        "--split",
        "paragraph",
    ]
    process = subprocess.run(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=120)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: all read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.returncode == 0, shown
    assert b"importing into news" in shown

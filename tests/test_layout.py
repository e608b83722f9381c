"""The test tree's own rule: shared code lives in tests/helpers, and no test module imports
another test module or a conftest (each conftest may import helpers only, too)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _sibling_modules() -> set[str]:
    """Names a bare ``import x`` could reach in a test folder that pytest puts on sys.path."""
    return {path.stem for path in TESTS.rglob("*.py")} - {"__init__"}


def imports_of_other_test_code(path: Path, root: Path = TESTS.parent) -> list[str]:
    """Each import in ``path`` of test code that is not tests.helpers, as 'file:line: module'."""
    siblings = _sibling_modules()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module] + (
                [f"{node.module}.{a.name}" for a in node.names] if node.module == "tests" else []
            )
        elif isinstance(node, ast.ImportFrom):  # relative: always another test module
            modules = ["." * node.level + (node.module or "")]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            ours = parts[0] == "tests" and parts[1:2] != ["helpers"] and len(parts) > 1
            bare = parts[0] in siblings and parts[0] != "tests"
            if ours or bare or module.startswith("."):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {module}")
    return found


def test_no_test_module_imports_another_test_module():
    found = [hit for path in sorted(TESTS.rglob("*.py")) for hit in imports_of_other_test_code(path)]
    assert found == [], "import these from tests.helpers instead:\n" + "\n".join(found)


def test_the_check_sees_each_kind_of_import(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "from tests.conftest import ROOT\n"
        "from tests.unit.test_export import ALWAYS\n"
        "from tests import conftest\n"
        "import tests.ui.conftest\n"
        "from kill_harness import Annotating\n"
        "from .stores import dump\n"
        "from tests.helpers.stores import dump\n"
        "from tests import helpers\n",
        encoding="utf-8",
    )
    lines = [hit.split(": ", 1)[1] for hit in imports_of_other_test_code(module, root=tmp_path)]
    assert lines == [
        "tests.conftest",
        "tests.unit.test_export",
        "tests.conftest",
        "tests.ui.conftest",
        "kill_harness",
        ".stores",
    ]

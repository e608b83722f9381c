"""The command group built one command at a time (annotator.cli.command_group) and options
coerced without pydantic (annotator.cli.plain_values): what `--help` lists, what a command
imports, and that every plain value comes out as Typer's own coercion makes it."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer._click.exceptions import BadParameter

import annotator.cli
from annotator.cli import app, plain_values
from annotator.cli.command_group import COMMANDS
from tests.helpers.cli import run_main


def every_command_module() -> None:
    for module in pkgutil.iter_modules(annotator.cli.__path__):
        if module.name != "__main__":  # that one runs the command
            importlib.import_module(f"annotator.cli.{module.name}")


def registered() -> dict[str, str]:
    """Every command and sub-group registered on `app`: name -> the module that registers it."""
    every_command_module()
    names = {info.name: info.callback.__module__ for info in app.registered_commands}
    for group in app.registered_groups:
        modules = {info.callback.__module__ for info in group.typer_instance.registered_commands}
        assert len(modules) == 1, group.name
        names[group.name] = modules.pop()
    return names


def test_the_table_names_every_command_and_the_module_that_registers_it():
    assert registered() == {name: f"annotator.cli.{module}" for name, module in COMMANDS.items()}


def test_help_lists_every_command_in_the_table_order_with_its_own_help(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "300")
    status, out, _ = run_main(monkeypatch, capsys, "--help")
    listed = re.findall(r"^│ (\S+) {2,}(.+?) *│$", out.split("Commands")[1], re.M)
    assert status == 0 and [name for name, _ in listed] == list(COMMANDS)
    group = typer.main.get_command(app)
    for name, short_help in listed:
        assert short_help.startswith(group.commands[name].get_short_help_str(300)[:40]), name


def test_a_mistyped_command_is_still_answered_with_the_names_near_it(monkeypatch, capsys):
    status, _, err = run_main(monkeypatch, capsys, "anotate")
    assert status == 2 and "Did you mean 'annotate', 'preannotate'?" in err


# The child: `annotator COMMAND ...` with the command's work replaced by a print of which of
# annotator's command and io modules, and whether pydantic, are imported by then.
CHILD = """
import sys
import {module} as target
setattr(target, {function!r}, lambda *args, **kwargs: print(sorted(
    name for name in sys.modules if name.startswith(("annotator.cli.", "annotator.io.", "pydantic")))))
from annotator.cli import main
sys.argv = ["annotator", *sys.argv[1:]]
main()
"""


def modules_imported_by(project: Path, module: str, function: str, *args: str) -> list[str]:
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(module=module, function=function), *args],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    return eval(child.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_annotate_imports_neither_other_commands_nor_pydantic_nor_readers(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")[0] == 0
    labels = project / "labels.yaml"  # without patterns: their notices load spaCy before the screen
    labels.write_text(labels.read_text(encoding="utf-8").replace("patterns.jsonl", "null"), encoding="utf-8")
    load_labels = ["--labels", "labels.yaml"]
    assert run_main(monkeypatch, capsys, "stats", *load_labels)[0] == 0  # labels.yaml validated (and remembered)
    imported = modules_imported_by(project, "annotator.ui.app", "run_annotate", "annotate", "--annotator", "ana")
    assert "annotator.cli.screens" in imported
    assert not [name for name in imported if name.split(".")[0] == "pydantic"]
    readers = [name for name in imported if name.startswith(("annotator.io.conll", "annotator.io.spacy_docs"))]
    assert "annotator.io.labels" in imported and not readers
    others = {f"annotator.cli.{module}" for module in COMMANDS.values()} - {"annotator.cli.screens"}
    assert others.isdisjoint(imported)


@pytest.mark.slow
def test_stats_imports_only_its_own_command_module(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert run_main(monkeypatch, capsys, "import", "seeds", "-d", "news")[0] == 0
    imported = modules_imported_by(project, "annotator.cli.stats_tables", "print_stats", "stats")
    others = {f"annotator.cli.{module}" for module in COMMANDS.values()} - {"annotator.cli.reports"}
    assert "annotator.cli.reports" in imported and others.isdisjoint(imported)


def typer_parameters():
    """Every Typer parameter of every command (and --help), built by Typer."""
    every_command_module()
    group = typer.main.get_command(app)
    ctx = group.make_context("annotator", ["stats"], resilient_parsing=True)

    def walk(command):
        yield from command.get_params(ctx)
        for name in list(getattr(command, "commands", {})):
            yield from walk(command.commands[name])

    return [param for param in walk(group) if hasattr(param, "type_descriptor")]


RAW_VALUES = [None, "", "0", "1", "7", "65536", "007", "-1", "+3", " 5", "1_000", "١", "x", "1.5", "0.2", "nan",
              "annotations.db", "~/a b", "a\x00b", " spaced ", Path("labels.yaml"), 3, 0, 0.25, True]  # fmt: skip


def coerced(runtime_param, param, value):
    """What a coercion makes of ``value``: the value, or the error (Typer's own raises
    ValueError for a path with a NUL in it; so must ours)."""
    try:
        value = runtime_param.coerce(value, param=param, ctx=None)
        return "value", type(value), repr(value)  # repr: a NaN is not equal to itself
    except BadParameter as error:
        return "refused", error.message
    except ValueError as error:
        return "ValueError", str(error)


def test_plain_values_come_out_as_typer_coerces_them():
    assert plain_values.RuntimeParam is not None  # this Typer has the pydantic coercion to avoid
    from typer._coercion import build_runtime_param

    checked = 0
    for param in typer_parameters():
        descriptor = param.type_descriptor
        if not plain_values.plain(descriptor):
            continue
        ours = plain_values.PlainValue(descriptor.parameter_info, descriptor.annotation)
        typers = build_runtime_param(descriptor)
        for value in RAW_VALUES:
            assert coerced(ours, param, value) == coerced(typers, param, value), (param.name, value)
            checked += 1
    assert checked > 1000  # every command's options, not a few


def test_every_option_of_annotate_is_plain():
    every_command_module()
    command = typer.main.get_command(app).commands["annotate"]
    ctx = command.make_context("annotate", [], resilient_parsing=True)
    assert all(isinstance(param._runtime_param, plain_values.PlainValue) for param in command.get_params(ctx))

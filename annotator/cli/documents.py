"""The commands that bring documents in: `init`, `import`, `preannotate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DEFAULT_LABELS,
    DatasetOption,
    DbOption,
    LabelsOption,
    app,
    choice_option,
    dataset_name,
    usage_mistake,
)
from annotator.core.errors import UserError
from annotator.core.visible import visible
from annotator.core.wording import counted
from annotator.io import FORMATS, TEXT_COLUMN_FORMATS
from annotator.io.records import ALIGNS
from annotator.io.text import SPLITS

ON_CONFLICT = ("keep", "refuse")

FORMAT_HELP = (
    "auto (from the extension, else the content), text, jsonl (text/meta/id; Prodigy and doccano lines "
    "are recognised), prodigy, doccano, spacy (.spacy DocBin), conll (CoNLL-2003 columns or IOB), "
    "csv or tsv (a header row; the text in --text-column), "
    "label-studio (its JSON export: a .json holding an array of tasks, or one task)."
)
SPLIT_HELP = (
    "Plain text: none (a file is a document), paragraph (blank-line separated) or sentence. "
    "CoNLL: a document per -DOCSTART- block, or per sentence with sentence."
)


@app.command("init")
def init(folder: Annotated[Path, typer.Argument(help="The project folder to make (may exist).")] = Path(".")) -> None:
    """Make a project folder with a labels.yaml to edit (labels, keys, colours, model, patterns)."""
    from annotator.usecases.project import init_project

    labels = init_project(folder)
    typer.echo(visible(f"wrote {labels}: edit the labels, then `annotator import PATH --dataset NAME` in {folder}"))


def _choose_import_dataset(store, dataset: str | None) -> str:
    if dataset is not None:
        return dataset
    from annotator.usecases.project import resolve_dataset

    if not store.datasets():
        raise UserError("give the dataset to import into with --dataset NAME")
    return resolve_dataset(store, None)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],  # readable=False: our own check says why in the house style, for files in folders too
        typer.Argument(readable=False, help="Files or folders to import (folders: every file in them)."),
    ],
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", "-d", callback=dataset_name, help="The dataset to add to (made if new)."),
    ] = None,
    format: Annotated[
        str, choice_option("--format", "-f", choices=FORMATS, help=FORMAT_HELP, metavar="FORMAT")
    ] = "auto",
    split: Annotated[str, choice_option("--split", choices=SPLITS, help=SPLIT_HELP)] = "paragraph",
    annotator: Annotated[
        str | None,
        typer.Option(
            "--annotator",
            help="Whose answers the file's spans are, when a line names nobody (Prodigy "
            "lines with an answer but no _annotator_id/_session_id; --as-answers).",
        ),
    ] = None,
    as_answers: Annotated[
        bool,
        typer.Option(
            "--as-answers",
            help="Store the file's spans (DocBin, CoNLL, doccano) as accepted answers of --annotator, "
            "not as suggestions.",
        ),
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the good lines and report each bad one, instead of importing nothing."
        ),
    ] = False,
    text_column: Annotated[
        str | None,
        typer.Option(
            "--text-column",
            help="CSV/TSV: the column holding the text (default: the one named text; "
            "the other columns go into meta). Label Studio: the data field holding it.",
        ),
    ] = None,
    on_conflict: Annotated[
        str,
        choice_option(
            "--on-conflict",
            choices=ON_CONFLICT,
            help="The same text twice with different spans (same annotator or source): "
            "keep (the last; listed in the summary) or refuse (import nothing).",
        ),
    ] = "keep",
    align: Annotated[
        str,
        choice_option(
            "--align",
            choices=ALIGNS,
            help="Spans that start or end inside a token: strict (an error), contract (to the tokens "
            "wholly inside) or expand (to every token they touch), as spaCy's Doc.char_span alignment_mode.",
        ),
    ] = "strict",
    preannotate: Annotated[
        bool,
        typer.Option(
            "--preannotate/--no-preannotate", help="Pre-highlight new documents with labels.yaml's model and patterns."
        ),
    ] = True,
) -> None:
    """Add documents to a dataset (the same text twice is stored once). One transaction:
    a bad line imports nothing, and the error names the file and line."""
    from annotator.io import detect_format, expand_paths
    from annotator.usecases.importer import import_files
    from annotator.usecases.project import open_project

    if as_answers and not annotator:
        raise UserError("--as-answers needs --annotator NAME (whose answers they are)")
    files = expand_paths(paths, store=db)  # a missing file fails before the store is touched
    if text_column is not None:
        formats = [(file, format if format != "auto" else detect_format(file)) for file in files]
        if not any(fmt in TEXT_COLUMN_FORMATS for _, fmt in formats):
            file, fmt = formats[0]
            raise usage_mistake(  # else the option would be ignored in silence
                ctx, f"--text-column is for CSV/TSV and Label Studio files, and {file} is read as {fmt}"
            )
    store, config = open_project(db, labels, patterns_needed=preannotate)
    with store:
        name = _choose_import_dataset(store, dataset)
        result, highlighted = import_files(
            store,
            config,
            files,
            name,
            format,
            split,
            annotator,
            as_answers,
            skip_invalid,
            highlight=preannotate,
            text_column=text_column,
            on_conflict=on_conflict,
            align=align,
        )
    for problem in result.skipped:
        typer.echo(visible(f"skipped {problem}"), err=True)
    counts = (
        f"{counted(result.added, 'new document')}, {result.present} already there, "
        f"{counted(result.answers, 'answer')}, {counted(result.suggestions, 'suggestion')} "
        f"from {counted(result.files, 'file')}; {len(result.skipped)} skipped"
    )
    typer.echo(visible(f"{name}: {counts}"))
    for who, count in result.unnamed.items():
        typer.echo(
            visible(f"{name}: {counted(count, 'answer')} with no _annotator_id or _session_id: imported as {who!r}")
        )
    if result.rehashed:
        typer.echo(
            visible(
                f"{name}: {result.rehashed} answers whose spans label_map or --align changed: their _task_hash "
                "is left out (export --format jsonl makes a new one)"
            )
        )
    for (file, what), count in result.not_imported.items():
        typer.echo(visible(f"{name}: not imported: {file}: {count} {what}"))
    for line in conflict_lines(result.conflicts):
        typer.echo(visible(f"{name}: {line}"))
    for source, count in highlighted.items():
        typer.echo(visible(f"{name}: pre-highlighted {count} documents with {source}"))


def conflict_lines(conflicts: dict[tuple[str, str | None, str], list[str]], shown: int = 20) -> list[str]:
    """`11 texts appear twice with different spans: kept the last; lines 3 and 40, ... of a.conll`,
    one line for answers and one for suggestions (both keep the last)."""
    lines = []
    for kind, what, kept in (("answers", "spans", "the last"), ("suggestions", "suggested spans", "the last")):
        places = [wheres for (k, *_), wheres in conflicts.items() if k == kind]
        if not places:
            continue
        often = "twice" if all(len(wheres) == 2 for wheres in places) else "more than once"
        files = {where.rsplit(":", 1)[0] for wheres in places for where in wheres}
        if len(files) == 1 and all(where.rsplit(":", 1)[-1].isdigit() for wheres in places for where in wheres):
            listed = ", ".join(" and ".join(w.rsplit(":", 1)[1] for w in wheres) for wheres in places[:shown])
            tail = f" of {files.pop()}"
        else:
            listed, tail = "; ".join(" and ".join(wheres) for wheres in places[:shown]), ""
        more = f" and {len(places) - shown} more" if len(places) > shown else ""
        texts = "text appears" if len(places) == 1 else "texts appear"
        lines.append(f"{len(places)} {texts} {often} with different {what}: kept {kept}; lines {listed}{more}{tail}")
    return lines


@app.command("preannotate")
def preannotate(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="spaCy pipeline (name or path); default: labels.yaml's model."),
    ] = None,
    patterns: Annotated[
        Path | None, typer.Option("--patterns", help="EntityRuler patterns JSONL; default: labels.yaml's patterns.")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Redo the suggestions of every document nobody has answered yet.")
    ] = False,
    n_process: Annotated[
        int, typer.Option("--n-process", min=1, help="Processes for nlp.pipe (use every core on large corpora).")
    ] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per nlp.pipe batch.")] = 256,
) -> None:
    """Pre-highlight spans with a spaCy pipeline and/or patterns; stored per source
    ("en_core_web_sm 3.8.0", "patterns"). Fills in documents without suggestions from that source."""
    from annotator.usecases.preannotate import load_highlighters
    from annotator.usecases.preannotate import preannotate as run
    from annotator.usecases.project import open_project, resolve_dataset

    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
        highlighters = load_highlighters(
            config, model, str(patterns) if patterns else None, strict=True
        )  # asked for: must load
        if not highlighters:
            raise UserError(
                f"{labels}: nothing to pre-highlight with; name a model or patterns (or give --model/--patterns)"
            )
        done = run(store, config, name, highlighters, replace=replace, n_process=n_process, batch_size=batch_size)
    for source, count in done.items():
        typer.echo(visible(f"{name}: pre-highlighted {count} documents with {source}"))

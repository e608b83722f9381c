"""`python -m bench [NAME...]`: run every benchmark in bench/ and print one table.

Each module here (other than this one and common.py) exposes ``run() -> list[dict]``
with rows made by ``bench.common.row``. Name modules to run only those.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.common import COLUMNS

NOT_BENCHMARKS = {"__init__", "__main__", "common"}


def benchmark_names() -> list[str]:
    here = Path(__file__).parent
    return sorted(p.stem for p in here.glob("*.py") if p.stem not in NOT_BENCHMARKS and not p.stem.startswith("_"))


def machine() -> str:
    import os

    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()}"
    )


def table(rows: list[dict], title: str) -> Table:
    out = Table(title=title)
    out.add_column("benchmark")
    out.add_column("measure")
    for column in ("value", "limit", "ratio", "target"):
        out.add_column(column, justify="right")
    out.add_column("met", justify="center")
    for r in rows:
        met = "[green]yes[/]" if r["met"] else "[red]no[/]"
        out.add_row(
            r["benchmark"],
            r["measure"],
            f"{r['value']:.4g}",
            f"{r['limit']:.4g}",
            f"{r['ratio']:.2f}",
            f"{r['target']:.2f}",
            met,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(benchmark_names())})")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    args, extra = parser.parse_known_args(argv)
    if extra:  # options of one benchmark's own (`python -m bench effort --gold FILE ...`)
        one = len(args.names) == 1 and args.names[0] in benchmark_names()
        module = importlib.import_module(f"bench.{args.names[0]}") if one else None
        if module is None or not hasattr(module, "main"):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return module.main([*extra, *(["--json"] if args.json else [])])
    names = args.names or benchmark_names()
    unknown = sorted(set(names) - set(benchmark_names()))
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)} (have: {', '.join(benchmark_names())})")
    # Wide enough for the table when the output is a file or a pipe (Rich assumes 80 columns there).
    console = Console(stderr=args.json, width=None if sys.stdout.isatty() else 160)
    rows, failed = [], []
    for name in names:
        console.print(f"[dim]running bench/{name}.py ...[/]")
        try:
            module = importlib.import_module(f"bench.{name}")
            for r in module.run():
                missing = set(COLUMNS) - set(r)
                if missing:
                    raise ValueError(f"row {r!r} lacks {sorted(missing)}")
                rows.append({"benchmark": name, **r})
        except Exception:
            failed.append(name)
            console.print(f"[red]bench/{name}.py failed:[/]\n{traceback.format_exc()}")
    if args.json:
        print(json.dumps({"machine": machine(), "rows": rows}, indent=2))
    else:
        console.print(table(rows, f"annotator benchmarks ({machine()})"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The Rich progress bar the long commands (import, pre-highlighting, export) show."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


def _count_column(unit: str):
    """ "44/100" when the total is known, else "44" (Rich's own column says "44/?")."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class CountColumn(ProgressColumn):
        def render(self, task) -> Text:
            done = int(task.completed)
            shown = f"{done}/{int(task.total)}" if task.total is not None else str(done)
            return Text(shown + unit, style="progress.download")

    return CountColumn()


@contextmanager
def progress_bar(
    description: str, total: int | None = None, unit: str = "", transient: bool = False
) -> Iterator[Callable[..., None]]:
    """A Rich progress bar on stderr (silent when stderr is not a terminal); yields
    advance(n, description=None). ``transient`` bars vanish when done."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from annotator.core.visible import visible

    console = Console(stderr=True)
    # The description names a dataset or a source: shown literally (no markup), controls visible.
    text = TextColumn("{task.description}", markup=False)
    columns = [SpinnerColumn(), text, BarColumn(), _count_column(unit), TimeElapsedColumn()]
    with Progress(*columns, console=console, disable=not console.is_terminal, transient=transient) as progress:
        task = progress.add_task(visible(description), total=total)
        yield lambda n, description=None: progress.update(
            task, advance=n, description=None if description is None else visible(description)
        )

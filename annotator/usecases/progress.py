"""How a long use case (import, pre-highlighting) reports its progress without printing.

A use case opens ``progress_bar(...)`` and calls the ``advance`` it yields; what that draws
is up to the front end, which installs its bar with ``show_progress_with`` (the CLI's is
Rich's, ``annotator.cli.progress``). With none installed nothing is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

Advance = Callable[..., None]  # advance(n, description=None)
BarFactory = Callable[..., AbstractContextManager[Advance]]  # (description, total, unit, transient)

_factory: BarFactory | None = None


def show_progress_with(factory: BarFactory | None) -> None:
    """Draw every use case's progress with ``factory`` from now on (None: draw nothing)."""
    global _factory
    _factory = factory


@contextmanager
def progress_bar(
    description: str, total: int | None = None, unit: str = "", transient: bool = False
) -> Iterator[Advance]:
    """The installed bar for this piece of work, or one that shows nothing."""
    if _factory is None:
        yield lambda n, description=None: None
        return
    with _factory(description, total=total, unit=unit, transient=transient) as advance:
        yield advance

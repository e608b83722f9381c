"""The shape every benchmark reports in, so `python -m bench` can print one table.

Each benchmark module in bench/ exposes ``run() -> list[dict]``; each dict is one
measure, made with :func:`row`:

    measure  what was measured, with its unit ("import: seconds per 10k docs")
    value    the measured figure (float)
    limit    the figure it is held against (float): a budget, or the time of the
             baseline it is compared with (e.g. spaCy's tokenizer alone)
    ratio    value / limit (lower is better; <= target meets the target)
    target   the target ratio from docs/design.md (1.0 when the limit is itself the budget)
    met      ratio <= target

When a bigger value is better (answers per second), pass ``higher_is_better=True``:
the ratio is then limit / value, so "lower is better" still holds for every row.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

COLUMNS = ("measure", "value", "limit", "ratio", "target", "met")


def row(measure: str, value: float, limit: float, target: float = 1.0, higher_is_better: bool = False) -> dict:
    """One line of the benchmark table."""
    if higher_is_better:
        ratio = limit / value if value else float("inf")
    else:
        ratio = value / limit if limit else float("inf")
    return {
        "measure": measure,
        "value": float(value),
        "limit": float(limit),
        "ratio": ratio,
        "target": float(target),
        "met": ratio <= target,
    }


def best_of(function: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` wall-clock timings of ``function()`` in seconds
    (the minimum is the least noisy estimate of what the code itself costs)."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) of ``values``."""
    if len(values) < 2:
        return float(values[0]) if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    Read from /proc (VmHWM, which a new program starts afresh) rather than ru_maxrss: on
    Linux ru_maxrss survives fork and exec, so a child started by a large parent (as under
    `python -m bench`, after the export benchmark) would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

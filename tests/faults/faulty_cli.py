"""The real `annotator` with one injected bug: ``ANNOTATOR_FAULT=module:Owner.name:N`` makes
the (N+1)-th call of that function raise ``KeyError('injected fault')``; the first N calls
run as usual. The crash tests prove with it that an unexpected error becomes one line,
a report file and exit status 1, with every answer given before it kept.

Run as ``python tests/faults/faulty_cli.py annotate ...``.
"""

from __future__ import annotations

import functools
import importlib
import os

from annotator.cli import main


def inject(spec: str) -> None:
    module_name, path, after = spec.split(":")
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original, calls = getattr(owner, name), [0]

    @functools.wraps(original)
    def faulty(*args, **kwargs):
        calls[0] += 1
        if calls[0] > int(after):
            raise KeyError("injected fault")
        return original(*args, **kwargs)

    setattr(owner, name, faulty)


if __name__ == "__main__":
    inject(os.environ["ANNOTATOR_FAULT"])
    main()

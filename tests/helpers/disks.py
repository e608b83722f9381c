"""A file system with no room left (on the conftest's ``small_disk``)."""

from __future__ import annotations

from pathlib import Path


def fill(folder: Path) -> Path:
    """Fill the file system to the last byte; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                continue
    return filler

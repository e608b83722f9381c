"""The output folder of an export: written in a temporary folder, moved into place at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import UserError


@contextmanager
def output_folder(out_dir: Path, names: Sequence[str], force: bool, belonging: Sequence[str] = ()) -> Iterator[Path]:
    """A temporary folder inside ``out_dir`` to write ``names`` into; they are moved into
    ``out_dir`` only when the block finishes. On any failure nothing is left behind,
    not even the folders this made. ``belonging``: files of the same export not written
    this time (dev.spacy with --eval-split 0); an earlier one is replaced by none, as it
    would not match the new files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir}: is a file, not a folder")
    existing = [name for name in dict.fromkeys([*names, *belonging]) if (out_dir / name).exists()]
    if existing and not force:
        raise UserError(f"{out_dir / existing[0]}: already exists (use --force to replace it)")
    made = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".annotator-export-", dir=out_dir))
    except OSError as error:
        _remove_empty(made)
        raise UserError(f"{out_dir}: cannot write here ({error.strerror or error})") from None
    done = False
    try:
        yield temp
        for name in names:
            os.replace(temp / name, out_dir / name)
        for name in set(belonging) - set(names):
            (out_dir / name).unlink(missing_ok=True)
        done = True
    except OSError as error:
        raise UserError(f"{out_dir}: cannot write here ({error.strerror or error})") from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        if not done:
            _remove_empty(made)


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first
        try:
            folder.rmdir()
        except OSError:
            pass

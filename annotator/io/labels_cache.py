"""labels.yaml files already validated, so that a start does not validate the same file again.

An entry is the validated content as JSON, in the user's cache folder, under a name made of
the file's bytes and of what decides validity: the program's version and the source of the
rules (so an edited rule, even without a new version, is never answered from an old entry).
Only a file that passed is remembered: a broken one is checked, and said, every time. A
cache that cannot be read or written is no cache: the file is just validated.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import annotator
from annotator.core import actions
from annotator.io import label_keys

# The modules whose code decides whether a labels.yaml is valid.
_RULES = (Path(label_keys.__file__), Path(label_keys.__file__).with_name("labels_schema.py"), Path(actions.__file__))


def folder() -> Path:
    """Where entries live: the user cache folder (XDG_CACHE_HOME on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("annotator", appauthor=False)) / "labels"


def entry_name(content: bytes) -> str | None:
    """The entry's file name for labels.yaml's bytes, or None when the rules' source cannot
    be read (then nothing is cached)."""
    digest = hashlib.sha256(annotator.__version__.encode() + b"\0")
    try:
        for rules in _RULES:
            digest.update(rules.read_bytes())
    except OSError:
        return None
    digest.update(b"\0" + content)
    return digest.hexdigest() + ".json"


def recall(content: bytes) -> dict | None:
    """The validated content of a labels.yaml with these bytes, if this program has seen it."""
    name = entry_name(content)
    if name is None:
        return None
    try:
        data = json.loads((folder() / name).read_bytes())
    except (OSError, ValueError):  # no entry, or one cut short: validate again
        return None
    return data if isinstance(data, dict) else None


def remember(content: bytes, data: dict) -> None:
    """Keep the validated ``data`` of a labels.yaml with these bytes (silently not, where the
    cache folder cannot be written)."""
    name = entry_name(content)
    if name is None:
        return
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        # Written whole then renamed: a start running beside this one never reads half an entry.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=where, suffix=".tmp", delete=False) as out:
            json.dump(data, out)
    except OSError:
        return
    try:
        os.replace(out.name, where / name)
    except OSError:
        Path(out.name).unlink(missing_ok=True)

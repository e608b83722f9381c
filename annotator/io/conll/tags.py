"""Entity tag sequences of CoNLL/IOB files: which scheme a file uses, and whether each
sentence's tags make sense in it.

Accepted schemes, decided per file:
- IOB1 (CoNLL-2003's original): ``I-X`` starts an entity too; ``B-X`` only parts two
  entities of one label that touch.
- IOB2 (BIO): every entity starts with ``B-X``. A file is IOB2 as soon as one ``B-X``
  starts an entity (after ``O``, another label or the sentence start); then an ``I-X`` that
  continues nothing is an error, not a new entity.
- BILUO / IOBES: a file with any ``L-``/``U-``/``E-``/``S-`` tag. An entity is ``B (I)* L``
  (or ``E``), or a single ``U`` (or ``S``); anything else is an error.

Good tags are rewritten as IOB2, the one form spaCy's converters read the same way always.
"""

from __future__ import annotations

from collections.abc import Sequence

BILUO_PREFIXES = {"L", "U", "E", "S"}


class BadTag(ValueError):
    """A tag that breaks its sentence's sequence: ``at`` is its index in the sentence."""

    def __init__(self, at: int, message: str):
        super().__init__(message)
        self.at = at


def _split(tag: str) -> tuple[str, str]:
    return ("O", "") if tag == "O" else (tag[0], tag[2:])


def scheme_of(sentences: Sequence[Sequence[str]]) -> str:
    """ "biluo", "iob2" or "iob1" for a file's sentences (their tags)."""
    if any(tag[0] in BILUO_PREFIXES and tag != "O" for tags in sentences for tag in tags):
        return "biluo"
    for tags in sentences:
        before = ("O", "")
        for tag in tags:
            prefix, label = _split(tag)
            if prefix == "B" and not (before[0] in ("B", "I") and before[1] == label):
                return "iob2"
            before = (prefix, label)
    return "iob1"


def as_iob2(tags: Sequence[str], scheme: str) -> list[str]:
    """The sentence's tags in IOB2, or BadTag naming the first one that breaks the scheme."""
    return _biluo(tags) if scheme == "biluo" else _iob(tags, scheme)


def _iob(tags: Sequence[str], scheme: str) -> list[str]:
    out, before = [], ("O", "")
    for at, tag in enumerate(tags):
        prefix, label = _split(tag)
        continues = before[0] in ("B", "I") and before[1] == label
        if prefix == "I" and not continues:
            if scheme == "iob2":
                after = "the sentence start" if at == 0 else f"{tags[at - 1]}"
                raise BadTag(
                    at, f"{tag} after {after}: this file starts its entities with B- (IOB2), so an I- must continue one"
                )
            prefix = "B"  # IOB1: an I- after O or another label starts the entity
        out.append("O" if prefix == "O" else f"{prefix}-{label}")
        before = (prefix, label)
    return out


def _biluo(tags: Sequence[str]) -> list[str]:
    out, open_at, open_label = [], None, ""
    for at, tag in enumerate(tags):
        prefix, label = _split(tag)
        if prefix in ("B", "U", "S", "O") and open_at is not None:
            raise BadTag(
                open_at, f"{tags[open_at]} is never closed (an L- or E- of {open_label} must end it before {tag})"
            )
        if prefix in ("I", "L", "E") and (open_at is None or label != open_label):
            what = "continues" if prefix == "I" else "ends"
            raise BadTag(at, f"{tag} {what} no entity (BILUO/IOBES: an entity starts with B- or is one U-/S-)")
        if prefix == "B":
            open_at, open_label = at, label
        elif prefix in ("L", "E"):
            open_at = None
        out.append({"O": "O", "B": "B", "U": "B", "S": "B"}.get(prefix, "I") + ("" if prefix == "O" else f"-{label}"))
    if open_at is not None:
        raise BadTag(open_at, f"{tags[open_at]} is never closed (the sentence ends before an L- or E- of {open_label})")
    return out

"""`annotator train`'s own arguments: OUT_DIR and spaCy's ``--section.key value`` overrides,
from what Click leaves over (spaCy's overrides are not options Click could know)."""

from __future__ import annotations

from annotator.core.errors import UserError


def split_arguments(args: list[str]) -> tuple[str | None, list[str]]:
    """OUT_DIR (the one argument not after an override) and spaCy's override arguments,
    from what Click left over: ``[OUT_DIR] --a.b VALUE --c.d=VALUE ...`` in any order.
    An option-looking argument is never taken as OUT_DIR."""
    out_dir, overrides, rest = None, [], list(args)
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--"):
            overrides.append(arg)
            if "=" not in arg and rest and not rest[0].startswith("--"):  # spaCy's rule for a value
                overrides.append(rest.pop(0))
        elif arg.startswith("-") and arg != "-":
            raise UserError(f"no such option {arg!r} (spaCy overrides are --section.key VALUE)")
        elif out_dir is None:
            out_dir = arg
        else:
            raise UserError(
                f"unexpected argument {arg!r}: OUT_DIR is {out_dir!r} (spaCy overrides are --section.key VALUE)"
            )
    return out_dir, overrides


def parse_overrides(args: list[str]) -> dict:
    """spaCy's own parsing of ``--section.key value`` / ``--section.key=value`` arguments
    (its own error lines silenced: ours is the one line the user sees)."""
    import contextlib
    import io

    from click.exceptions import NoSuchOption
    from spacy.cli._util import parse_config_overrides

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return parse_config_overrides(list(args))
    except (SystemExit, NoSuchOption):  # not --section.key
        raise UserError(f"cannot read the spaCy overrides {' '.join(args)!r} (use --section.key value)") from None

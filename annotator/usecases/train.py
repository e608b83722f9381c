"""`annotator train`: export the dataset, train a spaCy NER pipeline on it (CPU), and
report the dev scores, so that the next documents can be pre-highlighted by a model
that learnt from the team's own answers.

The export's ``config.cfg`` is spaCy's own starting config; training runs spaCy's own
``train`` with a small default budget (overridable like on spaCy's command line:
``--training.max_steps 50``). The pipeline is saved in ``OUT_DIR/model/model-best``.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import srsly

from annotator.core.errors import UserError
from annotator.core.visible import visible_lines
from annotator.usecases.export import Summary, export_spacy

# Enough for a few thousand annotated documents on a laptop CPU; raise for more.
DEFAULT_OVERRIDES = {"training.max_steps": 1000, "training.eval_frequency": 100, "training.patience": 400}
MODEL_FOLDER = "model"


@dataclass
class TrainResult:
    export: Summary
    model: Path  # model-best
    scores: dict = field(default_factory=dict)  # ents_f, ents_p, ents_r
    per_label: dict = field(default_factory=dict)  # label -> {p, r, f}


def with_eval_frequency(settings: dict, configured: int) -> dict:
    """Evaluate (and so save model-best) at least five times in a short run: with spaCy's
    default of every 200 steps, a 50-step run would keep the untrained step-0 model as
    model-best. An eval_frequency the user gave is kept."""
    steps = settings.get("training.max_steps")
    if "training.eval_frequency" in settings or not isinstance(steps, int) or steps <= 0:
        return settings
    return {**settings, "training.eval_frequency": min(configured, max(1, steps // 5))}


def configured_eval_frequency(config_path: Path) -> int:
    from spacy.util import load_config

    try:
        return int(load_config(config_path)["training"]["eval_frequency"])
    except Exception:  # a config spaCy cannot read: spaCy's train says why, later
        return 200


def train(
    store,
    dataset: str,
    out_dir: Path,
    *,
    config: Path | None = None,
    overrides: dict | None = None,
    force: bool = False,
    on_exported: Callable[[Summary], None] | None = None,
    **export_options,
) -> TrainResult:
    """Export ``dataset`` into ``out_dir`` and train on it; the model goes to ``out_dir/model``."""
    out_dir = Path(out_dir)
    model_dir = out_dir / MODEL_FOLDER
    if config is not None and not Path(config).is_file():
        raise UserError(f"{config}: no such config file")
    if model_dir.exists() and not force:
        raise UserError(f"{model_dir}: already exists (use --force to replace it)")
    summary = export_spacy(store, dataset, out_dir, force=force, **export_options)
    if on_exported is not None:
        on_exported(summary)
    shutil.rmtree(model_dir, ignore_errors=True)  # --force: no stale model-best from an earlier run
    config_path = Path(config) if config is not None else out_dir / "config.cfg"
    settings: dict[str, object] = {} if config is not None else dict(DEFAULT_OVERRIDES)
    overrides = overrides or {}
    if "training.max_steps" in overrides:  # the user's budget: the default eval_frequency no longer fits it
        settings.pop("training.eval_frequency", None)
    settings.update({"paths.train": str(out_dir / "train.spacy"), "paths.dev": str(out_dir / "dev.spacy")})
    settings.update(overrides)
    base = DEFAULT_OVERRIDES["training.eval_frequency"] if config is None else configured_eval_frequency(config_path)
    settings = with_eval_frequency(settings, base)
    run_spacy_train(config_path, model_dir, settings)
    name_pipelines(model_dir, dataset)
    best = model_dir / "model-best"
    result = TrainResult(summary, best)
    performance = srsly.read_json(best / "meta.json").get("performance", {})
    result.scores = {key: performance.get(key) for key in ("ents_f", "ents_p", "ents_r")}
    result.per_label = performance.get("ents_per_type") or {}
    return result


def name_pipelines(model_dir: Path, dataset: str) -> None:
    """Name the trained pipelines after the dataset (spaCy calls every one "pipeline"),
    so that suggestions made with one say where they came from ("news_ner 0.0.0")."""
    name = re.sub(r"\W+", "_", f"{dataset}_ner").strip("_") or "ner"
    for meta_path in model_dir.glob("model-*/meta.json"):
        meta = srsly.read_json(meta_path)
        srsly.write_json(meta_path, {**meta, "name": name})


# wasabi's colours in spaCy's output: dropped, as they would show as ␛[..m once visible.
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class _VisibleWriter:
    """A text stream that writes through ``visible_lines`` to the one it wraps."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(visible_lines(_COLOUR.sub("", text)))
        return len(text)

    def __getattr__(self, name):  # flush, isatty, encoding, ...
        return getattr(self.stream, name)


@contextmanager
def spacy_output_visible():
    """spaCy prints our paths and labels (``Saved pipeline to OUT_DIR``) as they are: its
    output goes through ``visible`` too."""
    with redirect_stdout(_VisibleWriter(sys.stdout)):
        yield


def run_spacy_train(config_path: Path, model_dir: Path, overrides: dict) -> None:
    from confection import ConfigValidationError
    from spacy.cli.train import train as spacy_train

    kept = f"; the export in {config_path.parent} is complete"
    try:
        with spacy_output_visible():
            spacy_train(config_path, model_dir, use_gpu=-1, overrides=overrides)
    except ConfigValidationError as error:
        shutil.rmtree(model_dir, ignore_errors=True)
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors) or str(error.title)
        raise UserError(f"{config_path}: {problems}{kept}") from None
    except SystemExit:  # spaCy printed why (a missing file, a bad setting)
        shutil.rmtree(model_dir, ignore_errors=True)
        raise UserError(f"{config_path}: spaCy training stopped (see its message above){kept}") from None

"""Where the checkout's files are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
LABELS_YAML = ROOT / "labels.yaml"

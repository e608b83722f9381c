"""The effort benchmark's plans pressed in the real annotate screen store exactly the gold."""

from __future__ import annotations

import pytest

import bench._planner
from bench._replay import PlanDrift, replay
from tests.helpers.paths import ROOT

GOLD = ROOT / "tests" / "data" / "news_gold.jsonl"
pytestmark = pytest.mark.slow


def test_plans_pressed_in_the_app_store_the_gold(project, tmp_path):
    assert replay(GOLD, project / "labels.yaml", 6, tmp_path / "replay") == 6


def test_a_planner_that_drifts_from_the_screen_is_caught(project, tmp_path, monkeypatch):
    """A planner that takes a span's end for its start makes plans the screen does not follow."""
    calls = dict(bench._planner.CALLS)
    calls["start_earlier"], calls["end_later"] = calls["end_later"], calls["start_earlier"]
    monkeypatch.setattr(bench._planner, "CALLS", calls)
    with pytest.raises(PlanDrift, match="stored"):
        replay(GOLD, project / "labels.yaml", 6, tmp_path / "replay")

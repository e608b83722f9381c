"""The effort benchmark's plans pressed in the real annotate screen store exactly the gold."""

from __future__ import annotations

from collections import Counter

import pytest
import srsly

import bench._planner
from bench._replay import PlanDrift, replay
from tests.helpers.paths import ROOT

GOLD = ROOT / "tests" / "data" / "news_gold.jsonl"
pytestmark = pytest.mark.slow


def test_plans_pressed_in_the_app_store_the_gold(project, tmp_path):
    steps: Counter = Counter()
    assert replay(GOLD, project / "labels.yaml", 6, tmp_path / "replay", steps) == 6
    assert steps["select_name"] and steps["next_candidate"] and steps["label"]  # the name key is pressed too


def test_plans_that_label_every_other_occurrence_store_the_gold(tmp_path):
    """Slang repeated in a post (as in ner_drugs): one label key, then = for the rest."""
    texts = ["I took some dope and then more dope , the dope was bad .", "no dope here , only bupe and bupe ."]
    lines = []
    for text in texts:
        spans = [{"start": i, "end": i + 4, "label": "DRUG"} for i in range(len(text)) if text.startswith("dope", i)]
        lines.append({"text": text, "spans": spans if "bupe" not in text else spans[:1], "answer": "accept"})
    srsly.write_jsonl(tmp_path / "gold.jsonl", lines)
    labels = tmp_path / "labels.yaml"
    labels.write_text("lang: en\nmodel: null\npatterns: null\nlabels:\n  - {name: DRUG, key: '1'}\n", encoding="utf-8")
    steps: Counter = Counter()
    assert replay(tmp_path / "gold.jsonl", labels, 2, tmp_path / "replay", steps) == 2
    assert steps["label_others"] == 1  # the first text; the second has one dope (its bupes are not gold)


def test_a_planner_that_drifts_from_the_screen_is_caught(project, tmp_path, monkeypatch):
    """A planner that takes a span's end for its start makes plans the screen does not follow."""
    calls = dict(bench._planner.CALLS)
    calls["start_earlier"], calls["end_later"] = calls["end_later"], calls["start_earlier"]
    monkeypatch.setattr(bench._planner, "CALLS", calls)
    with pytest.raises(PlanDrift, match="stored"):
        replay(GOLD, project / "labels.yaml", 6, tmp_path / "replay")

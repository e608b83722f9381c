"""`annotator stats`: answers per hour only where the figure means something."""

from __future__ import annotations

from rich.console import Console

from annotator.cli.stats_tables import print_stats
from annotator.usecases.stats import with_rates
from tests.helpers.stores import open_store

DAY = 86400.0
MONDAY = 1_700_000_000.0 - 1_700_000_000.0 % DAY + 9 * 3600  # 09:00 UTC


def test_rates_over_the_working_span_and_none_for_a_lone_answer(tmp_path):
    store, ids = open_store(tmp_path / "s.db", [f"Document number {n} ." for n in range(10)], dataset="news")
    with store:
        # One reject answered in 0.26 s: before, "1 document, 13689.7 per hour".
        store.add_answer(ids[0], "ana", "reject", [], MONDAY, MONDAY + 0.26)
        # Six accepts: three on Monday within 60 s, three on Tuesday within 120 s; 10 s each.
        for k, (day, offset) in enumerate([(0, 0), (0, 25), (0, 50), (1, 0), (1, 55), (1, 110)]):
            start = MONDAY + day * DAY + 100 + offset
            store.add_answer(ids[1 + k], "ana", "accept", [], start, start + 10)
        figures = with_rates(store.stats("news"))
    by_kind = {row["answer"]: row for row in figures["answers"]}
    assert by_kind["reject"]["per_hour"] is None
    assert by_kind["accept"]["per_hour"] == round(6 * 3600 / (60 + 120), 1)  # not over the night between
    per_day = [row["per_hour"] for row in figures["per_day"]]
    assert per_day == [round(4 * 3600 / 160, 1), round(3 * 3600 / 120, 1)]  # Monday: the reject counts too
    console = Console(width=100, record=True)
    print_stats(figures, console)
    shown = console.export_text()
    assert "13689" not in shown and "–" in shown and "120.0" in shown


def test_three_answers_in_a_few_seconds_say_nothing_about_speed(tmp_path):
    store, ids = open_store(tmp_path / "s.db", ["One .", "Two .", "Three ."], dataset="news")
    with store:
        for k, document in enumerate(ids):
            store.add_answer(document, "bo", "accept", [], MONDAY + k, MONDAY + k + 0.5)
        figures = with_rates(store.stats("news"))
    assert figures["answers"][0]["per_hour"] is None and figures["per_day"][0]["per_hour"] is None

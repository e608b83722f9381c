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


def test_each_source_is_judged_by_the_accepted_answers(tmp_path):
    """Per source: suggested spans kept, resized, relabelled, removed, and answer spans it missed."""
    from annotator.core.spans import Span
    from annotator.usecases.stats import judged_sources

    text = "Iraq sent 2,000 soldiers to Syria on Thursday ."
    at = {word: (text.index(word), text.index(word) + len(word)) for word in ("Iraq", "2,000", "Syria", "Thursday")}

    def span(word, label, end_word=None):
        return Span(at[word][0], at[end_word or word][1], label)

    store, ids = open_store(tmp_path / "s.db", [text, "Nothing here ."], dataset="news")
    with store:
        model = [span("Iraq", "GPE"), span("2,000", "CARDINAL"), span("Syria", "ORG"), span("Thursday", "DATE")]
        store.add_suggestions([(ids[0], "model", model), (ids[1], "model", [])], replace=True)
        store.add_suggestions([(ids[0], "patterns", [span("Syria", "GPE")])], replace=True)
        answer = [span("Iraq", "GPE"), span("2,000", "CARDINAL", "2,000"), span("Syria", "GPE")]
        store.add_answer(ids[0], "ana", "accept", answer, MONDAY, MONDAY + 5)
        # bo also drops Thursday, and takes "2,000 soldiers": a resize of the model's 2,000.
        longer = Span(at["2,000"][0], text.index("soldiers") + len("soldiers"), "CARDINAL")
        store.add_answer(
            ids[0], "bo", "accept", [span("Iraq", "GPE"), longer, span("Syria", "GPE")], MONDAY, MONDAY + 5
        )
        store.add_answer(ids[1], "ana", "reject", [], MONDAY, MONDAY + 5)  # a reject judges nothing
        judged = judged_sources(store, "news")
        figures = with_rates(store.stats("news"))
    assert judged["model"] == {"answers": 2, "suggested": 8, "unchanged": 3, "resized": 1, "relabelled": 2,
                               "removed": 2, "missed": 0}  # fmt: skip
    assert judged["patterns"] == {"answers": 2, "suggested": 2, "unchanged": 2, "resized": 0, "relabelled": 0,
                                  "removed": 0, "missed": 4}  # fmt: skip
    console = Console(width=120, record=True)
    print_stats({**figures, "sources": judged}, console)
    assert "suggestions judged by the accepted answers" in console.export_text()


def test_agreement_sources_scores_each_source_per_label(tmp_path, monkeypatch, capsys):
    """`annotator agreement --sources --json`: exact-span precision, recall and F per label."""
    import json

    from annotator.core.spans import Span
    from tests.helpers.cli import run_main

    text = "Iraq and Syria met in Baghdad ."
    iraq, syria, baghdad = (Span(text.index(w), text.index(w) + len(w), "GPE") for w in ("Iraq", "Syria", "Baghdad"))
    store, ids = open_store(tmp_path / "annotations.db", [text], dataset="news")
    with store:
        store.add_suggestions([(ids[0], "model", [iraq, syria._replace(label="PERSON"), baghdad])], replace=True)
        store.add_answer(ids[0], "ana", "accept", [iraq, syria, baghdad], MONDAY, MONDAY + 5)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_main(monkeypatch, capsys, "agreement", "--sources", "--json", "--dataset", "news")
    assert code == 0
    scores = json.loads(out)["model"]
    assert scores["GPE"] == {"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "matched": 2, "suggested": 2, "answered": 3}
    assert scores["PERSON"]["precision"] == 0.0 and scores["PERSON"]["recall"] is None
    assert scores["all"]["matched"] == 2 and scores["all"]["f1"] == 2 * 2 / (3 + 3)
    code, out, _ = run_main(monkeypatch, capsys, "agreement", "--sources", "--dataset", "news")
    assert code == 0 and "Suggestion sources against the accepted answers" in out

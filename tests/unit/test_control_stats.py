"""`annotator stats`' control section: answers on documents shown without suggestions
against the rest, on a real store, as figures, as the printed table and as --json."""

from __future__ import annotations

import json
import time

from rich.console import Console

from annotator.cli.stats_tables import print_control
from annotator.core.spans import Span
from annotator.usecases.control_stats import control_comparison
from tests.helpers.cli import run_main
from tests.helpers.stores import open_store

TEXTS = [f"Ann met Bob in Rome number {n}" for n in range(8)]
ANN, BOB, ROME = Span(0, 3, "PERSON"), Span(8, 11, "PERSON"), Span(15, 19, "GPE")


def _store(tmp_path):
    store, ids = open_store(tmp_path / "s.db", TEXTS)
    store.add_suggestions([(i, "patterns", [ANN, ROME]) for i in ids])
    later = time.time() + 10  # shown after the suggestions were made
    # control: 3 answers (2 accepted, 1 rejected), 20 s each; they find Ann and Bob
    for n, i in enumerate(ids[:3]):
        kind, spans = ("reject", []) if n == 2 else ("accept", [ANN, BOB])
        store.add_answer(i, "ann", kind, spans, started_at=later, answered_at=later + 20, shown="")
    # suggested: 4 accepted as shown, 5 s each, and one answer from before schema 7 (not known)
    for i in ids[3:7]:
        store.add_answer(i, "ann", "accept", [ANN, ROME], started_at=later, answered_at=later + 5, shown="patterns")
    store.add_answer(ids[7], "ann", "accept", [], started_at=later, answered_at=later + 1, shown=None)
    return store


def test_control_and_suggested_answers_side_by_side(tmp_path):
    with _store(tmp_path) as store:
        figures = control_comparison(store, "d")
    assert figures is not None and figures["few"] is True
    control, suggested = figures["control"], figures["suggested"]
    assert (control["answers"], control["accept"], control["reject"]) == (3, 2, 1)
    assert (suggested["answers"], suggested["accept"]) == (4, 4)  # the NULL one is in neither group
    assert control["spans_per_accepted"] == suggested["spans_per_accepted"] == 2.0
    # against what the screen would have shown (Ann, Rome): control kept Ann, not Rome, added Bob
    assert (control["matched"], control["suggested_spans"], control["answered_spans"]) == (2, 4, 4)
    assert control["f1_against_suggestions"] == 0.5 and suggested["f1_against_suggestions"] == 1.0
    assert control["median_seconds"] == 20.0 and suggested["median_seconds"] == 5.0
    console = Console(width=120, record=True)
    print_control(figures, console)
    text = console.export_text()
    assert "2 / 1 / 0" in text and "2 / 4 / 4" in text and "0.50" in text and "fewer than 30 answers" in text


def test_no_control_answers_no_section(tmp_path, monkeypatch, capsys):
    store, ids = open_store(tmp_path / "s.db", TEXTS)
    with store:
        store.add_answer(ids[0], "ann", "accept", [], started_at=1.0, shown="patterns")
        assert control_comparison(store, "d") is None
    code, out, err = run_main(monkeypatch, capsys, "stats", "--db", str(tmp_path / "s.db"))
    assert code == 0, err
    assert "1 answered" in out and "shown without suggestions" not in out


def test_stats_prints_and_gives_the_control_section_as_json(tmp_path, monkeypatch, capsys):
    _store(tmp_path).close()
    code, out, err = run_main(monkeypatch, capsys, "stats", "--db", str(tmp_path / "s.db"), "--json")
    assert code == 0, err
    control = json.loads(out)["control"]
    assert control["control"]["answers"] == 3 and control["suggested"]["answers"] == 4
    code, out, err = run_main(monkeypatch, capsys, "stats", "--db", str(tmp_path / "s.db"))
    assert code == 0, err
    assert "shown without suggestions" in out and "F against the suggestions" in out

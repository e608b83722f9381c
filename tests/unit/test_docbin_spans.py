"""DocBin `doc.spans` groups (spancat, SpanRuler): imported where they do not overlap, the
overlapping ones reported by group; they were dropped in silence before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.spans import Span
from annotator.store import Store
from tests.helpers.cli import run_main
from tests.helpers.importing import TEXT_A, TEXT_B, run_import

DATA = Path(__file__).resolve().parents[1] / "data"
SPANS_GROUPS = DATA / "spans_groups.spacy"


def test_groups_become_suggestions_per_group(store, config):
    result = run_import(store, config, [SPANS_GROUPS])
    a, b = store.documents("news")
    assert (a.text, b.text) == (TEXT_A, TEXT_B) and (result.read, result.added, result.present) == (2, 2, 0)
    assert store.suggestions(a.id) == {
        "spacy": (Span(0, 15, "PERSON"), Span(33, 41, "GPE")),
        "spans:sc": (Span(0, 15, "PERSON"),),  # DATE 45-53 and EVENT 33-53 overlap: neither is taken
        "spans:places": (),
    }
    assert store.suggestions(b.id) == {
        "spacy": (Span(0, 4, "GPE"),),
        "spans:sc": (Span(10, 15, "CARDINAL"), Span(33, 38, "GPE")),
        "spans:places": (Span(0, 4, "GPE"), Span(33, 38, "GPE")),
    }
    assert result.not_imported == {(str(SPANS_GROUPS), "overlapping spans in spans group 'sc'"): 2}


def test_as_answers_the_groups_join_the_entities_where_nothing_overlaps(store, config):
    result = run_import(store, config, [SPANS_GROUPS], annotator="alice", as_answers=True)
    a, b = store.documents("news")
    assert store.latest_answer(a.id, "alice").spans == (Span(0, 15, "PERSON"), Span(33, 41, "GPE"))
    assert store.latest_answer(b.id, "alice").spans == (
        Span(0, 4, "GPE"),
        Span(10, 15, "CARDINAL"),
        Span(33, 38, "GPE"),
    )
    assert result.answers == 2 and store.suggestions(a.id) == {}
    assert result.not_imported == {(str(SPANS_GROUPS), "overlapping spans in spans group 'sc'"): 2}


def test_a_group_label_outside_labels_yaml_names_the_group(store, config, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    doc = spacy.blank("en")("Iraq sent troops.")
    doc.spans["sc"] = [doc.char_span(0, 4, "CITY")]
    path = tmp_path / "bad.spacy"
    DocBin(docs=[doc]).to_disk(path)
    with pytest.raises(Exception, match=r"bad.spacy: doc 1 \(spans group 'sc'\): label 'CITY' is not in labels.yaml"):
        run_import(store, config, [path])
    assert store.count_documents("news") == 0


def test_round_trip_as_answers_through_the_spacy_export(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    shutil.copy(SPANS_GROUPS, project / "groups.spacy")
    status, out, err = run_main(
        monkeypatch,
        capsys,
        "import",
        "groups.spacy",
        "--dataset",
        "gold",
        "--as-answers",
        "--annotator",
        "alice",
        "--no-preannotate",
    )
    assert status == 0, err
    assert "gold: not imported: groups.spacy: 2 overlapping spans in spans group 'sc'" in out
    assert run_main(monkeypatch, capsys, "export", "out", "--dataset", "gold")[0] == 0
    status, out, err = run_main(
        monkeypatch,
        capsys,
        "import",
        "out/train.spacy",
        "out/dev.spacy",
        "--dataset",
        "gold",
        "--db",
        "again.db",
        "--as-answers",
        "--annotator",
        "alice",
        "--no-preannotate",
    )
    assert status == 0, err
    with Store(project / "annotations.db") as first, Store(project / "again.db") as second:

        def answers(store):
            return {
                d.text: tuple((d.text[s.start : s.end], s.label) for s in store.latest_answer(d.id, "alice").spans)
                for d in store.documents("gold")
            }

        assert answers(first) == answers(second) and len(answers(first)) == 2


def test_without_overlaps_against_the_pairwise_definition():
    import random

    from annotator.core.spans import overlaps
    from annotator.io.spacy_docs import without_overlaps

    rng = random.Random(0)
    for _ in range(300):
        spans = {
            Span(s, s + rng.randint(1, 6), rng.choice("AB"))
            for s in (rng.randint(0, 30) for _ in range(rng.randint(0, 8)))
        }
        taken = tuple(Span(s, s + 2, "A") for s in range(0, 30, rng.randint(5, 12)))
        expected = [x for x in sorted(spans) if x not in taken and not any(overlaps(x, y) for y in spans if y != x)
                    and not any(overlaps(x, t) for t in taken)]  # fmt: skip
        kept, left_out = without_overlaps(spans, taken)
        assert list(kept) == expected and left_out == len(spans - set(taken)) - len(expected)

"""The same text twice in one import with different spans (WNUT17's training file has 11): listed
in the summary, and refused with `--on-conflict refuse`; never resolved in silence."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.store import Store
from tests.helpers.cli import run_main
from tests.helpers.importing import labels_config

DATA = Path(__file__).resolve().parents[1] / "data"
WNUT = DATA / "wnut17_repeats.conll"
ESB = "@paulwalk It 's the view from Empire State Building = ESB ."
LABEL_MAP = "label_map: {person: PERSON, location: GPE, corporation: ORG}\n"


def project(tmp_path: Path) -> Path:
    labels_config(tmp_path)
    path = tmp_path / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("label_map:")) + "\n" + LABEL_MAP,
        encoding="utf-8",
    )
    return path


def import_wnut(monkeypatch, capsys, db, labels, *more: str):
    """`annotator import` of the WNUT17 excerpt into dataset wnut, with these options more."""
    return run_main(monkeypatch, capsys, "import", str(WNUT), "--db", str(db), "--labels", str(labels),
                    "--dataset", "wnut", *more)  # fmt: skip


AS_GOLD = ("--as-answers", "--annotator", "gold")


def test_texts_given_twice_with_other_spans_are_listed_and_the_last_answer_kept(tmp_path, monkeypatch, capsys):
    labels, db = project(tmp_path), tmp_path / "a.db"
    status, out, err = import_wnut(monkeypatch, capsys, db, labels, *AS_GOLD, "--no-preannotate")
    assert status == 0, err
    assert f"wnut: 2 texts appear twice with different spans: kept the last; lines 1 and 18, 35 and 39 of {WNUT}" in out
    with Store(db) as store:
        docs = {d.text: d for d in store.documents("wnut")}
        assert len(docs) == 3  # the tweet given twice with the same tags is no conflict
        esb = store.latest_answer(docs["@paulwalk It 's the view from Empire State Building = ESB ."].id, "gold")
        assert [(s.start, s.end, s.label) for s in esb.spans] == [(30, 51, "GPE")]  # the second: ESB untagged
        dave = store.latest_answer(docs["@dave met Dave"].id, "gold")
        assert [s.label for s in dave.spans] == ["ORG"]


def suggested(store: Store, text: str) -> list[tuple[int, int, str]]:
    document = next(d for d in store.documents("wnut") if d.text == text)
    return [(s.start, s.end, s.label) for spans in store.suggestions(document.id).values() for s in spans]


def test_suggestions_given_twice_keep_the_last_as_answers_do_and_say_so(tmp_path, monkeypatch, capsys):
    labels, db = project(tmp_path), tmp_path / "a.db"
    status, out, err = import_wnut(monkeypatch, capsys, db, labels, "--no-preannotate")
    assert status == 0, err
    assert (
        f"wnut: 2 texts appear twice with different suggested spans: kept the last; lines 1 and 18, 35 and 39 of {WNUT}"
        in out
    )
    with Store(db) as store:
        assert [label for *_, label in suggested(store, "@dave met Dave")] == ["ORG"]
        assert suggested(store, ESB) == [(30, 51, "GPE")]


def test_suggestions_given_again_after_their_batch_was_written_keep_the_last(tmp_path):
    """One-record batches and no read-ahead: the first suggestions are written (a pending
    import, some waiting for documents already there) before the text comes again."""
    from annotator.io.labels import load_labels
    from tests.helpers.importing import run_import

    config = load_labels(project(tmp_path))
    with Store(tmp_path / "a.db") as store:
        earlier = tmp_path / "earlier.txt"
        earlier.write_text("@dave met Dave\n", encoding="utf-8")  # visible already: its suggestions wait
        run_import(store, config, [earlier], dataset="wnut")
        run_import(store, config, [WNUT], dataset="wnut", batch_size=1, read_ahead=1)
        assert [label for *_, label in suggested(store, "@dave met Dave")] == ["ORG"]
        assert suggested(store, ESB) == [(30, 51, "GPE")]
        run_import(store, config, [WNUT], dataset="wnut")  # an import again changes nothing: it fills in only
        assert [label for *_, label in suggested(store, "@dave met Dave")] == ["ORG"]


def test_on_conflict_refuse_names_both_lines_and_leaves_the_store_as_it_was(tmp_path, monkeypatch, capsys):
    labels, db = project(tmp_path), tmp_path / "a.db"
    first = tmp_path / "first.txt"
    first.write_text("Something already there.\n", encoding="utf-8")
    assert run_main(monkeypatch, capsys, "import", str(first), "--db", str(db), "--labels", str(labels),
                    "--dataset", "wnut", "--no-preannotate")[0] == 0  # fmt: skip
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    status, out, err = import_wnut(monkeypatch, capsys, db, labels, *AS_GOLD, "--on-conflict", "refuse")
    assert status == 1
    assert err.strip().splitlines() == [
        f"annotator: {WNUT}:18: the same text as {WNUT}:1 with different spans "
        "(nothing was imported; without --on-conflict refuse, one is kept and the summary lists them)"
    ]
    assert "Traceback" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_on_conflict_takes_keep_or_refuse(tmp_path, monkeypatch, capsys):
    labels, db = project(tmp_path), tmp_path / "a.db"
    status, _, err = import_wnut(monkeypatch, capsys, db, labels, "--on-conflict", "first")
    assert status == 2 and "Invalid value for '--on-conflict': 'first' is not one of keep, refuse" in err
    assert not db.exists()


def test_a_conflict_found_after_batches_were_written_undoes_the_whole_import(tmp_path):
    """With one-record batches and no read-ahead the conflict comes after rows were written
    (a pending import): refusing it leaves no document of it behind."""
    import pytest

    from annotator.core.errors import UserError
    from annotator.io.labels import load_labels
    from tests.helpers.importing import run_import

    config = load_labels(project(tmp_path))
    with Store(tmp_path / "a.db") as store:
        with pytest.raises(UserError, match=r"wnut17_repeats.conll:18: the same text as .*:1 with different spans"):
            run_import(store, config, [WNUT], dataset="wnut", annotator="gold", as_answers=True,
                       on_conflict="refuse", batch_size=1, read_ahead=1)  # fmt: skip
        assert store.count_documents("wnut") == 0 and not store.datasets()

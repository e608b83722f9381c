"""Pending imports on a real store file: hidden from every read until done, then all at
once; undone when their process is gone; one at a time; a failure leaves nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.spans import Span
from annotator.core.tasks import NewDocument, input_hash
from annotator.store import Store
from annotator.store.imports import STALE_SECONDS, ImportAbandoned
from tests.helpers.importing import TEXT_A, labels_config, run_import, write_jsonl
from tests.helpers.stores import dump, open_store

VISIBLE = ["Ann flew to Paris today", "Bob works at Acme in Rome"]
IMPORTED = ["Cy met Dee in Oslo", "Eve left Lima on Monday"]


def _rows(texts):
    return [NewDocument(t, [(m, m + len(w)) for m, w in _words(t)]) for t in texts]


def _words(text):
    at = 0
    for word in text.split(" "):
        yield at, word
        at += len(word) + 1


def pending_import(store: Store, dataset: str = "d", texts=IMPORTED) -> tuple[int, dict[str, int]]:
    """A pending import's first batch, written as the importer writes it: new documents, a
    suggestion and an answer on them, and an answer and a suggestion on a visible document."""
    with store.write():
        import_id = store.start_import(dataset)
        store.add_documents(dataset, _rows(texts + VISIBLE[:1]), import_id)
        ids = store.document_ids(dataset, [input_hash(t) for t in texts + VISIBLE[:1]])
        new, old = ids[input_hash(texts[0])], ids[input_hash(VISIBLE[0])]
        store.add_suggestions([(new, "wire", [Span(0, 2, "PERSON")]), (old, "wire", [Span(0, 3, "PERSON")])], import_id)
        store.add_answers(
            [(new, "importer", "accept", [], 1.0, 2.0), (old, "importer", "reject", [], 1.0, 2.0)], import_id
        )
    return import_id, ids


def what_readers_see(store: Store, dataset: str = "d") -> dict:
    return {
        "documents": [d.text for d in store.documents(dataset)],
        "count": store.count_documents(dataset),
        "count_all": store.count_documents(),
        "datasets": store.datasets(),
        "annotators": store.annotators(dataset),
        "latest": sorted((a.document, a.annotator, a.answer) for a in store.latest_answers(dataset)),
        "agreement_rows": len(store.latest_answers(dataset, raw=True)),
        "hashes": len(store.document_hashes(dataset)),
        "texts": len(list(store.document_texts(dataset))),
        "unanswered": len(store.unanswered_documents(dataset)),
        "no_wire": len(store.documents_without_suggestions(dataset, "wire")),
        "lacking": len(store.documents_without_suggestions(dataset, limit=100)),
        "stats": {
            k: v for k, v in store.stats(dataset).items() if k in ("documents", "suggestions", "answered_documents")
        },
        "progress": store.progress(dataset, "zed"),
    }


def test_reads_hide_a_pending_import_until_it_is_done_then_show_all(tmp_path, closing):
    store, ids = open_store(tmp_path / "s.db", VISIBLE)
    closing(store)
    store.add_answer(ids[1], "ann", "accept", [], 1.0, 2.0)
    with Store(tmp_path / "s.db") as reader:
        before = what_readers_see(reader)
        import_id, new_ids = pending_import(store)
        assert what_readers_see(reader) == before
        assert reader.suggestions(ids[0]) == {} and reader.answer_history(ids[0]) == []
        pending_new = {new_ids[input_hash(t)] for t in IMPORTED}
        taken = []
        while (task := reader.next_task("d", "zed", overlap=2)) is not None and len(taken) < 5:
            reader.add_answer(task, "zed", "accept", [], 3.0, 4.0)
            taken.append(task)
        assert taken == [ids[0], ids[1]] and not set(taken) & pending_new
        assert reader.check() == []
        other, _ = open_store(tmp_path / "other.db", [])
        closing(other)
        assert other.merge_from(tmp_path / "s.db")["documents"] == 2  # the pending ones stay behind

        with store.write():
            store.finish_import(import_id)
        after = what_readers_see(reader)
        assert after["documents"] == VISIBLE + IMPORTED and after["count"] == 4 and after["count_all"] == 4
        assert after["annotators"] == ["ann", "importer", "zed"]
        assert reader.suggestions(ids[0]) == {"wire": (Span(0, 3, "PERSON"),)}  # waited, then moved in
        assert [a.answer for a in reader.answer_history(ids[0], "importer")] == ["reject"]
        store.forget_import(import_id)
        assert what_readers_see(reader) == after
        assert store.db.execute("SELECT COUNT(*) FROM import_documents").fetchone()[0] == 0
        assert store.db.execute("SELECT COUNT(*) FROM imports").fetchone()[0] == 0
        assert reader.check() == []


def test_a_dataset_only_a_pending_import_fills_is_not_listed(tmp_path, closing):
    store, _ = open_store(tmp_path / "s.db", VISIBLE)
    closing(store)
    import_id, _ = pending_import(store, "fresh")
    assert store.datasets() == ["d"] and store.count_documents("fresh") == 0
    with store.write():
        store.finish_import(import_id)
    assert store.datasets() == ["d", "fresh"] and store.count_documents("fresh") == 3


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.slow
def test_the_next_open_undoes_an_import_whose_process_is_gone(tmp_path):
    store, ids = open_store(tmp_path / "s.db", VISIBLE)
    before = what_readers_see(store)
    import_id, new_ids = pending_import(store)
    # Meanwhile someone else answered one of its documents (a merge of the same text): that one stays.
    adopted = new_ids[input_hash(IMPORTED[1])]
    store.add_answer(adopted, "bob", "accept", [], 5.0, 6.0)
    store.db.execute("UPDATE imports SET pid = ? WHERE id = ?", [dead_pid(), import_id])
    store.close()

    with Store(tmp_path / "s.db") as reopened:
        assert reopened.import_rows(import_id) == 0
        seen = what_readers_see(reopened)
        assert seen["documents"] == VISIBLE + IMPORTED[1:]
        assert [(a.annotator, a.answer) for a in reopened.answer_history(adopted)] == [("bob", "accept")]
        assert reopened.suggestions(ids[0]) == {} and reopened.answer_history(ids[0]) == []
        assert reopened.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3
        assert seen["datasets"] == before["datasets"] and seen["count"] == 3
        assert reopened.check() == []


def test_an_import_silent_too_long_is_undone_and_may_not_go_on(tmp_path, closing):
    store, _ = open_store(tmp_path / "s.db", VISIBLE)
    closing(store)
    import_id, _ = pending_import(store)
    store.db.execute(
        "UPDATE imports SET host = 'elsewhere', heartbeat_at = ? WHERE id = ?",
        [time.time() - STALE_SECONDS - 1, import_id],
    )
    with Store(tmp_path / "s.db") as other:
        assert other.import_rows(import_id) == 0 and other.count_documents("d") == 2
    with pytest.raises(ImportAbandoned), store.write():
        store.keep_import_alive(import_id)
    assert store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2


@pytest.fixture
def config(tmp_path):
    return labels_config(tmp_path)


def test_a_bad_line_after_batches_were_committed_leaves_nothing(tmp_path, config, closing):
    store, _ = open_store(tmp_path / "s.db", VISIBLE)
    closing(store)
    before = dump(tmp_path / "s.db")
    lines = [{"text": f"Document {n} about Iraq."} for n in range(20)]
    lines[16] = {"text": ""}
    path = write_jsonl(tmp_path / "bad.jsonl", lines)
    with pytest.raises(UserError, match=r"bad.jsonl:17: empty text \(nothing was imported"):
        run_import(store, config, [path], dataset="d", batch_size=4, read_ahead=2)
    assert dump(tmp_path / "s.db") == before  # every row as before (the file's pages were written)


def store_bytes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("s.db*")) if p.stat().st_size
    }


def test_a_bad_line_in_the_batches_read_ahead_leaves_the_file_byte_for_byte(tmp_path, config, closing):
    open_store(tmp_path / "s.db", VISIBLE)[0].close()
    store = closing(Store(tmp_path / "s.db"))
    before = store_bytes(tmp_path)
    lines = [{"text": f"Document {n} about Iraq."} for n in range(20)]
    lines[6] = {"text": ""}
    path = write_jsonl(tmp_path / "bad.jsonl", lines)
    with pytest.raises(UserError, match="bad.jsonl:7"):
        run_import(store, config, [path], dataset="d", batch_size=4, read_ahead=2)
    assert store_bytes(tmp_path) == before


def test_a_long_import_leaves_no_bookkeeping_behind(tmp_path, config, closing):
    store, _ = open_store(tmp_path / "s.db", VISIBLE)
    closing(store)
    lines = [{"text": f"Document {n} about Iraq."} for n in range(20)] + [{"text": VISIBLE[0]}]
    result = run_import(
        store, config, [write_jsonl(tmp_path / "ok.jsonl", lines)], dataset="d", batch_size=4, read_ahead=2
    )
    assert (result.added, result.present) == (20, 1) and store.count_documents("d") == 22
    for table in ("imports", "import_documents", "import_answers", "import_suggestions"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [4, 2000], ids=["in batches", "in one transaction"])
def test_two_imports_at_once_run_one_after_the_other(tmp_path, config, capsys, batch_size, closing):
    store, _ = open_store(tmp_path / "s.db", VISIBLE)
    closing(store)
    first_id, _ = pending_import(store)  # this process's, so alive: the second waits for it
    path = write_jsonl(tmp_path / "ok.jsonl", [{"text": f"Document {n} about Iraq."} for n in range(20)])
    finished = {}

    def second_import():
        with Store(tmp_path / "s.db") as mine:
            run_import(mine, config, [path], dataset="d", batch_size=batch_size, read_ahead=2)
        finished["second"] = time.monotonic()

    thread = threading.Thread(target=second_import)
    thread.start()
    time.sleep(1.5)
    assert thread.is_alive() and store.count_documents("d") == 2
    with store.write():
        store.finish_import(first_id)
    finished["first"] = time.monotonic()
    thread.join(timeout=60)
    assert finished["first"] < finished["second"]
    assert store.count_documents("d") == 2 + len(IMPORTED) + 20
    assert "waiting for an import into 'd' (process" in capsys.readouterr().err


def test_merge_does_not_carry_another_stores_import_ids(tmp_path, config, closing):
    other, _ = open_store(tmp_path / "other.db", [])
    closing(other)
    lines = [{"text": TEXT_A, "spans": [], "answer": "accept", "_annotator_id": "ann"}] + [
        {"text": f"Document {n} about Iraq."} for n in range(10)
    ]
    run_import(other, config, [write_jsonl(tmp_path / "a.jsonl", lines)], dataset="d", batch_size=4, read_ahead=2)
    assert other.db.execute("SELECT COUNT(*) FROM answers WHERE import_id IS NOT NULL").fetchone()[0] == 1
    here, _ = open_store(tmp_path / "here.db", [])
    closing(here)
    assert here.merge_from(tmp_path / "other.db")["answers"] == 1
    assert here.db.execute("SELECT COUNT(*) FROM answers WHERE import_id IS NULL").fetchone()[0] == 1

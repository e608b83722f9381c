"""CSV/TSV import (annotator.io.table): the text column, the other columns into meta, the
physical line of each record in messages, on files shaped as Excel and pandas write them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.io import detect_format
from annotator.store import Store
from tests.helpers.cli import round_trip_jsonl, run_main
from tests.helpers.importing import run_import

DATA = Path(__file__).resolve().parents[1] / "data"


def test_csv_from_excel_text_column_and_meta(store, config):
    result = run_import(store, config, [DATA / "excel_utf8.csv"])
    docs = list(store.documents("news"))
    assert result.added == result.read == 3 and detect_format(DATA / "excel_utf8.csv") == "csv"
    assert [d.text for d in docs] == [
        "Ahmed al-Sharaa met officials in Damascus on Thursday.",
        'The statement said: "Iraq sent 1,905 soldiers back to Syria."\nIt gave no date.',  # quoted, two lines
        "Bashar al-Assad fled to Russia.",
    ]
    first, second, third = (d.meta for d in docs)
    assert first == {
        "id": "17",
        "source": "Reuters, Beirut desk",
        "published": "2024-12-12",
        "file": str(DATA / "excel_utf8.csv"),
        "line": 2,
    }  # the BOM is not part of "id"
    assert second["line"] == 3 and third["line"] == 5  # physical lines: record 2 spans lines 3-4
    assert third["source"] == ""


def test_tsv_from_pandas_with_text_column(store, config):
    path = DATA / "pandas.tsv"
    with pytest.raises(
        UserError,
        match=r"pandas.tsv:1: no column named 'text' \(the columns are: '', headline, body, words\); "
        r"name the text's column with --text-column NAME",
    ):
        run_import(store, config, [path])
    result = run_import(store, config, [path], text_column="body")
    docs = list(store.documents("news"))
    assert result.added == 2 and detect_format(path) == "tsv"
    assert docs[1].text == "Iraq sent 1,905 soldiers back to Syria.\tOfficials confirmed it."  # the quoted tab stays
    assert docs[1].meta == {
        "column 1": "1",
        "headline": "Iraq returns soldiers",
        "words": "8",
        "file": str(path),
        "line": 3,
    }


def test_unknown_text_column_names_the_columns(store, config):
    with pytest.raises(
        UserError, match=r"excel_utf8.csv:1: no column named 'body' \(the columns are: id, text, source, published\)"
    ):
        run_import(store, config, [DATA / "excel_utf8.csv"], text_column="body")
    assert store.count_documents("news") == 0


@pytest.mark.parametrize(
    "content, line, words",
    [
        (b'id,text\n1,fine\n2,"two\nlines"\n3,\n', 5, "empty text"),  # record 3 starts on physical line 5
        (b"id,text\n1,fine\n2,caf\xe9 au lait\n", 3, "not UTF-8 text"),
        (b'id,text\n1,fine\n2,"two\nlines"\n3,a,b\n', 5, "3 fields, the header has 2"),
        (b'id,text\n1,fine\n2,"never closed\n3,more\n', 3, "a quoted field that is never closed"),
        (b"id,text\n", 1, "no rows under the header"),
    ],
)
def test_bad_rows_name_their_physical_line(store, config, tmp_path, content, line, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as error:
        run_import(store, config, [path])
    assert str(error.value).startswith(f"{path}:{line}: ") and words in str(error.value)
    assert store.count_documents("news") == 0


def test_skip_invalid_keeps_the_good_rows(store, config, tmp_path):
    path = tmp_path / "some_bad.csv"
    path.write_bytes(b"text,n\nfirst row,1\n,2\nthird row,3\n")
    result = run_import(store, config, [path], skip_invalid=True)
    assert [d.text for d in store.documents("news")] == ["first row", "third row"]
    assert [str(p) for p in result.skipped] == [f"{path}:3: empty text"]


def test_semicolon_csv_is_sniffed_and_crlf_in_a_cell_reads_as_lf(store, config, tmp_path):
    path = tmp_path / "european.csv"  # Excel in locales with a decimal comma writes ';'
    path.write_bytes(b'text;price\r\n"Iraq sent troops.\r\nSyria answered.";1,5\r\nA second row.;2,0\r\n')
    run_import(store, config, [path])
    docs = list(store.documents("news"))
    assert [d.text for d in docs] == ["Iraq sent troops.\nSyria answered.", "A second row."]
    assert docs[0].meta["price"] == "1,5" and docs[1].meta["line"] == 4


def test_cli_text_column(project, monkeypatch, capsys, closing):
    monkeypatch.chdir(project)
    shutil.copy(DATA / "pandas.tsv", project / "pandas.tsv")
    status, out, err = run_main(monkeypatch, capsys, "import", "pandas.tsv", "--dataset", "news", "--no-preannotate")
    assert (
        status == 1
        and err.strip().startswith("annotator: pandas.tsv:1: no column named 'text'")
        and len(err.strip().splitlines()) == 1
    )
    assert (
        not (project / "annotations.db").exists()
        or closing(Store(project / "annotations.db")).count_documents("news") == 0
    )
    status, out, err = run_main(
        monkeypatch, capsys, "import", "pandas.tsv", "--dataset", "news", "--text-column", "body", "--no-preannotate"
    )
    assert status == 0, err
    assert "news: 2 new documents" in out


def test_round_trip_csv_import_export_import(project, monkeypatch, capsys):
    """import the CSV, answer it, export, import the export into a new store: the same texts,
    the CSV's columns in meta, the same tokens and answers."""
    from annotator.core.spans import Span

    monkeypatch.chdir(project)
    shutil.copy(DATA / "excel_utf8.csv", project / "wire.csv")
    assert run_main(monkeypatch, capsys, "import", "wire.csv", "--dataset", "news", "--no-preannotate")[0] == 0
    with Store(project / "annotations.db") as store:
        for doc in store.documents("news"):
            at = doc.text.find("Damascus")
            spans = [Span(at, at + 8, "GPE")] if at >= 0 else []
            store.add_answer(doc.id, "ana", "accept", spans, started_at=1.0)
    status, out, err = round_trip_jsonl(monkeypatch, capsys, "news")
    assert status == 0, err
    with Store(project / "annotations.db") as first, Store(project / "again.db") as second:
        one, two = list(first.documents("news")), list(second.documents("news"))
        assert [d.text for d in one] == [d.text for d in two] and len(one) == 3
        for a, b in zip(one, two, strict=True):
            assert {k: b.meta[k] for k in ("id", "source", "published")} == {
                k: a.meta[k] for k in ("id", "source", "published")
            }
            assert a.tokens == b.tokens
            x, y = first.latest_answer(a.id, "ana"), second.latest_answer(b.id, "ana")
            assert (x.answer, x.spans, int(x.answered_at)) == (y.answer, y.spans, int(y.answered_at))


def test_text_column_for_no_file_it_applies_to_is_a_usage_error(project, monkeypatch, capsys):
    """--text-column names a column of a CSV/TSV (or a Label Studio data field): given for
    files of other formats only, it would be ignored in silence."""
    monkeypatch.chdir(project)
    (project / "notes.txt").write_text("Iraq sent troops.\n", encoding="utf-8")
    status, out, err = run_main(
        monkeypatch, capsys, "import", "notes.txt", "--dataset", "news", "--text-column", "body"
    )
    assert status == 2 and err.strip().splitlines() == [
        "annotator: --text-column is for CSV/TSV and Label Studio files, and notes.txt is read as text "
        "(see `annotator import --help`)"
    ]
    assert not (project / "annotations.db").exists()
    status, *_ = run_main(monkeypatch, capsys, "import", "notes.txt", "--format", "text", "--text-column", "body")
    assert status == 2
    (project / "corpus").mkdir()
    shutil.copy(project / "notes.txt", project / "corpus" / "notes.txt")
    shutil.copy(DATA / "pandas.tsv", project / "corpus" / "pandas.tsv")  # a folder with a table in it: it applies
    status, out, err = run_main(
        monkeypatch, capsys, "import", "corpus", "--dataset", "news", "--text-column", "body", "--no-preannotate"
    )
    assert status == 0, err
    assert "news: 3 new documents" in out

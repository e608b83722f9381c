"""Every bad input through the real `annotator import`: one line naming the file and the
line, exit status 1, and the store file byte for byte as it was."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run_main
from tests.helpers.importing import TEXT_A, TEXT_B, prodigy_line

GOOD = json.dumps({"text": TEXT_B}) + "\n"


@pytest.fixture
def project(project, monkeypatch, capsys):
    """The demo project (no model; no patterns, for speed) with a store that already holds documents."""
    monkeypatch.chdir(project)
    labels = project / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("patterns: patterns.jsonl", "patterns: null"), encoding="utf-8"
    )
    (project / "ok.jsonl").write_text(json.dumps({"text": TEXT_A}) + "\n", encoding="utf-8")
    assert run_main(monkeypatch, capsys, "import", "ok.jsonl", "--dataset", "news")[0] == 0
    return project


def _prodigy(spans_override) -> str:
    line = prodigy_line(TEXT_A, [("Damascus", "GPE")], "accept", _annotator_id="alice")
    line["spans"] = spans_override
    return GOOD + json.dumps(line) + "\n"


def _doccano(labels) -> str:
    return GOOD + json.dumps({"text": TEXT_A, "label": labels}) + "\n"


def _not_docbin() -> bytes:
    return b"\x78\x9c" + bytes(range(256)) * 4


BAD = {
    # name: (file name, content, the line the message names, words the message holds)
    "broken json": ("a.jsonl", GOOD + '{"text": "Iraq\n', 2, "not valid JSON"),
    "bad utf-8 jsonl": ("a.jsonl", GOOD.encode() + b'{"text": "caf\xe9"}\n', 2, "not UTF-8"),
    "bad utf-8 text": ("a.txt", b"Fine first paragraph.\n\nBad \xff byte here.\n", 3, "not UTF-8"),
    "bad utf-8 conll": ("a.conll", b"Iraq B-GPE\n\nSyri\xe4 B-GPE\n", 3, "not UTF-8"),
    "empty text jsonl": ("a.jsonl", GOOD + '{"text": "  "}\n', 2, "empty text"),
    "empty text file": ("a.txt", b"\n\n  \n", 1, "empty text"),
    "no text field": ("a.jsonl", GOOD + '{"body": "x"}\n', 2, 'no "text" field'),
    "prodigy out of range": ("a.jsonl", _prodigy([{"start": 40, "end": 99, "label": "GPE"}]), 2, "out of range"),
    "doccano out of range": ("a.jsonl", _doccano([[0, 500, "PERSON"]]), 2, "out of range"),
    "prodigy overlap": (
        "a.jsonl",
        _prodigy([{"start": 0, "end": 15, "label": "PERSON"}, {"start": 6, "end": 15, "label": "PERSON"}]),
        2,
        "overlap",
    ),
    "doccano overlap": ("a.jsonl", _doccano([[0, 15, "PERSON"], [6, 15, "PERSON"]]), 2, "overlap"),
    "prodigy off tokens": ("a.jsonl", _prodigy([{"start": 34, "end": 41, "label": "GPE"}]), 2, "token boundaries"),
    "doccano off tokens": ("a.jsonl", _doccano([[0, 3, "PERSON"]]), 2, "token boundaries"),
    "prodigy unknown label": (
        "a.jsonl",
        _prodigy([{"start": 33, "end": 41, "label": "CITY"}]),
        2,
        "'CITY' is not in labels.yaml",
    ),
    "doccano unknown label": ("a.jsonl", _doccano([[33, 41, "CITY"]]), 2, "'CITY' is not in labels.yaml"),
    "conll unknown label": ("a.conll", "Iraq B-GPE\n\nDamascus B-CITY\n", 3, "'CITY' is not in labels.yaml"),
    "conll bad tag": ("a.conll", "Iraq B-GPE\nsent\n", 2, "not a CoNLL/IOB line"),
    "prodigy bad answer": (
        "a.jsonl",
        GOOD + json.dumps({"text": TEXT_A, "answer": "maybe", "_annotator_id": "a"}) + "\n",
        2,
        '"answer" must be',
    ),
    # ujson reads these as infinity: JSON cannot hold it again (the store keeps meta as JSON)
    "infinity 1E+400 in meta": ("a.jsonl", GOOD + '{"text": "Iraq", "meta": {"x": 1E+400}}\n', 2, "too big to store"),
    "infinity -1e999 as id": ("a.jsonl", GOOD + '{"text": "Iraq", "id": -1e999}\n', 2, "too big to store"),
    "infinity in a list": ("a.jsonl", GOOD + '{"text": "Iraq", "meta": {"x": [1, 1.5e0400]}}\n', 2, "too big to store"),
    "infinity 0.0001e310": ("a.jsonl", GOOD + '{"text": "Iraq", "meta": {"x": 0.0001e310}}\n', 2, "too big to store"),
    "binary as text": ("a.txt", b"GIF89a\x00\x01\x02\x00", None, "binary file"),
    "binary as jsonl": ("a.jsonl", b"\x00\x01\x02\x03", None, "binary file"),
    "not a docbin": ("a.spacy", _not_docbin(), None, "not a spaCy DocBin"),
    "text file named .spacy": ("a.spacy", b"just text\n", None, "not a spaCy DocBin"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_leaves_store_unchanged(case, project, monkeypatch, capsys):
    name, content, line, words = BAD[case]
    path = project / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = (project / "annotations.db").read_bytes()
    status, out, err = run_main(monkeypatch, capsys, "import", name, "--dataset", "news")
    assert status == 1
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"annotator: {name}" + (f":{line}:" if line else ":")), err
    assert words in err
    assert "Traceback" not in err + out
    assert (project / "annotations.db").read_bytes() == before


def test_bad_unknown_label_in_docbin(project, monkeypatch, capsys):
    import spacy
    from spacy.tokens import DocBin

    doc = spacy.blank("en").make_doc(TEXT_A)
    doc.ents = [doc.char_span(33, 41, label="CITY")]
    DocBin(docs=[doc]).to_disk(project / "a.spacy")
    before = (project / "annotations.db").read_bytes()
    status, _, err = run_main(monkeypatch, capsys, "import", "a.spacy", "--dataset", "news")
    assert status == 1 and err.startswith("annotator: a.spacy: doc 1: label 'CITY'"), err
    assert (project / "annotations.db").read_bytes() == before


def test_missing_file(project, monkeypatch, capsys):
    before = (project / "annotations.db").read_bytes()
    status, _, err = run_main(monkeypatch, capsys, "import", "ok.jsonl", "nowhere.jsonl", "--dataset", "news")
    assert (status, err.strip()) == (1, "annotator: nowhere.jsonl: no such file")
    assert (project / "annotations.db").read_bytes() == before


def test_missing_file_makes_no_store(tmp_path, monkeypatch, capsys, project):
    (project / "annotations.db").unlink()
    status, _, err = run_main(monkeypatch, capsys, "import", "nowhere.txt", "--dataset", "news")
    assert status == 1 and not (project / "annotations.db").exists()


def test_skip_invalid_reports_each_skipped_line(project, monkeypatch, capsys):
    (project / "a.jsonl").write_text(_doccano([[0, 3, "PERSON"]]) + "{oops\n", encoding="utf-8")
    status, out, err = run_main(monkeypatch, capsys, "import", "a.jsonl", "--dataset", "news", "--skip-invalid")
    assert status == 0
    assert err.splitlines() == [
        "skipped a.jsonl:2: span 0-3 ('Ahm') does not fall on token boundaries; "
        "--align expand or --align contract snaps spans to the tokens",
        "skipped a.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
    ]
    assert "1 new document," in out and "2 skipped" in out


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"text": "a" "b"}', "Expecting ',' delimiter at column 14"),
        ('{"text": "Iraq', "Unterminated string starting at column 10"),
        ('{"text": }', "Expecting value at column 10"),
    ],
)
def test_broken_json_says_what_and_where_in_the_line(project, monkeypatch, capsys, line, reason):
    """Before: ujson's "Unexpected character in found when decoding object value"."""
    (project / "broken.jsonl").write_text(GOOD + line + "\n", encoding="utf-8")
    status, _, err = run_main(monkeypatch, capsys, "import", "broken.jsonl", "--dataset", "news")
    assert status == 1 and f"broken.jsonl:2: not valid JSON ({reason})" in err and len(err.strip().splitlines()) == 1


def test_broken_patterns_json_says_what_and_where(tmp_path):
    from annotator.core.errors import UserError
    from annotator.usecases.preannotate import read_patterns

    (tmp_path / "p.jsonl").write_text(
        '{"label": "GPE", "pattern": "Iraq"}\n{"label": "GPE" "pattern": "Syria"}\n', encoding="utf-8"
    )
    with pytest.raises(UserError, match=r"p.jsonl:2: not valid JSON \(Expecting ',' delimiter at column 17\)"):
        read_patterns(tmp_path / "p.jsonl")


def test_bad_line_deep_in_a_long_file_leaves_every_row_as_it_was(project, monkeypatch, capsys):
    """Past the batches read ahead the import has committed hidden batches: the error undoes
    them. Every row is as before (the file's pages were written, so not its bytes)."""
    from tests.helpers.stores import dump

    lines = [json.dumps({"text": f"Document {n} about Iraq."}) for n in range(9000)]
    lines[8500] = json.dumps({"text": "  "})
    (project / "long.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = dump(project / "annotations.db")
    status, out, err = run_main(monkeypatch, capsys, "import", "long.jsonl", "--dataset", "news")
    assert (
        status == 1
        and err.strip()
        == "annotator: long.jsonl:8501: empty text (nothing was imported; --skip-invalid imports the other lines)"
    ), err
    assert dump(project / "annotations.db") == before


# -- what the new checks must still let through ------------------------------------------


def test_what_looks_odd_but_is_not_a_mistake_still_imports(project, monkeypatch, capsys):
    """The checks for surrogates, names, timestamps, tokens and invisible text refuse only
    what is wrong: each of these lines imports, as it says."""
    lines = [
        {"text": "Smile \ud83d\ude00 in Damascus.", "meta": {"by": "\ud83d\ude00"}},  # a pair escaped: one character
        {
            "text": "Iraq  sent troops.",
            "tokens": [
                {"start": 0, "end": 4},
                {"start": 6, "end": 10},
                {"start": 11, "end": 17},
                {"start": 17, "end": 18},
            ],
        },
        {"text": "Zero\u200bwidth inside a real text."},
        {
            "text": TEXT_B,
            "spans": [],
            "answer": "accept",
            "_annotator_id": "",
            "_session_id": "news-ben",
            "_timestamp": 1732185600.5,
        },
        {"text": TEXT_A, "label": [[33, 41, "GPE"]], "user": 7},
    ]
    (project / "odd.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    status, out, err = run_main(monkeypatch, capsys, "import", "odd.jsonl", "--dataset", "odd")
    assert status == 0 and "5 new documents" in out and "2 answers" in out, (out, err)
    from annotator.store import Store

    with Store(project / "annotations.db") as store:
        docs = {d.text: d for d in store.documents("odd")}
        assert docs["Smile \U0001f600 in Damascus."].meta["by"] == "\U0001f600"
        ben = store.answer_history(dataset="odd", annotator="news-ben")
        assert [a.answered_at for a in ben] == [1732185600.5]
        assert [a.spans for a in store.answer_history(dataset="odd", annotator="7")] == [((33, 41, "GPE"),)]


def test_conll_headers_of_any_shape_split_documents_and_are_never_text(project, monkeypatch, capsys):
    (project / "a.conll").write_text(
        "-DOCSTART- O\n-DOCSTART- O\n\nIraq B-GPE\nsent O\n\n-DOCSTART- O\n\nSyria B-GPE\n", encoding="utf-8"
    )
    status, out, err = run_main(monkeypatch, capsys, "import", "a.conll", "--dataset", "conll")
    assert status == 0 and "2 new documents" in out, (out, err)
    from annotator.store import Store

    with Store(project / "annotations.db") as store:
        assert sorted(d.text for d in store.documents("conll")) == ["Iraq sent", "Syria"]


def test_a_document_at_the_token_limit_imports(project, monkeypatch, capsys):
    from annotator.io.checks import MAX_TOKENS

    (project / "long.txt").write_text("a " * (MAX_TOKENS - 1) + "a", encoding="utf-8")
    status, out, err = run_main(monkeypatch, capsys, "import", "long.txt", "--dataset", "long", "--split", "none")
    assert status == 0 and "1 new document," in out, (out, err)


@pytest.mark.parametrize("key", ["f10", "ctrl+p", "~", "semicolon", "slash", "é", "Z"])
def test_keys_a_keyboard_can_type_are_label_keys(project, key):
    from annotator.io.labels import load_labels

    labels = project / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace('key: "9"', f"key: {json.dumps(key)}"), encoding="utf-8"
    )
    assert load_labels(labels).labels[-1].key == key


def test_a_key_as_its_character_and_as_its_name_is_one_key(project):
    from annotator.io.labels import LabelsError, load_labels

    labels = project / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace('key: "8"', 'key: "~"').replace('key: "9"', 'key: "tilde"'), encoding="utf-8")
    with pytest.raises(LabelsError, match=r"labels.8.key: key 'tilde' is used by both DATE and CARDINAL"):
        load_labels(labels)


def test_a_paragraph_over_spacys_max_length_is_cut_into_sentences(project, monkeypatch, capsys):
    """Before: spaCy's E088 traceback (nlp.max_length) from the sentencizer."""
    from annotator.io.checks import MAX_CHARS

    sentence = "Iraq sent back nearly 2,000 Syrian soldiers on Thursday. "
    (project / "long.txt").write_text(sentence * (MAX_CHARS // len(sentence) + 100), encoding="utf-8")
    status, out, err = run_main(monkeypatch, capsys, "import", "long.txt", "--dataset", "long", "--split", "sentence")
    assert status == 0 and "1 new document," in out and "already there" in out, (
        out,
        err,
    )  # the same sentence, stored once


def test_sentences_keep_their_line_in_the_file(project, monkeypatch, capsys):
    (project / "s.txt").write_text("First one.\nSecond one. Third\none.\n\nNew one.\n", encoding="utf-8")
    assert run_main(monkeypatch, capsys, "import", "s.txt", "--dataset", "s", "--split", "sentence")[0] == 0
    from annotator.store import Store

    with Store(project / "annotations.db") as store:
        assert [(d.text, d.meta["line"]) for d in store.documents("s")] == [
            ("First one.", 1),
            ("Second one.", 2),
            ("Third\none.", 2),
            ("New one.", 5),
        ]


# -- the store is never read as a document --------------------------------------------------


def test_the_store_named_as_a_file_to_import_is_refused(project, monkeypatch, capsys):
    """Reading the store's own file while it is open would also drop this process's SQLite
    locks on it (POSIX locks go with any descriptor's close)."""
    from tests.helpers.stores import dump

    before = dump(project / "annotations.db")
    status, out, err = run_main(monkeypatch, capsys, "import", "annotations.db", "--dataset", "news")
    assert status == 1 and err.strip() == "annotator: annotations.db: is the store itself, not documents to import", err
    assert dump(project / "annotations.db") == before


def test_a_folder_holding_the_store_imports_its_documents_without_it(project, monkeypatch, capsys):
    from annotator.store import Store

    (project / "corpus").mkdir()
    (project / "corpus" / "a.txt").write_text(TEXT_B + "\n", encoding="utf-8")
    with Store(project / "corpus" / "inside.db"):  # a store kept beside its documents, open (-wal, -shm)
        status, out, err = run_main(
            monkeypatch, capsys, "import", "corpus", "--dataset", "folder", "--db", "corpus/inside.db"
        )
    assert status == 0 and "1 new document," in out and "from 1 file;" in out, (out, err)

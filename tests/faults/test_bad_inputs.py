"""The bad-input corpus (tests/bad_inputs/, listed in cases.yaml) through the real
`annotator` command: exit status 1, one line on stderr naming the file and the line, no
traceback, and the store's file byte for byte as before. Then what is not an error: a
UTF-8 BOM is dropped and CRLF line ends import as LF, offsets right."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from annotator.store import Store
from cli_runner import CLI

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))["cases"]
TEXT = "Alice Smith met officials in Damascus on Thursday."
GOOD = [
    {"text": TEXT, "spans": [{"start": 29, "end": 37, "label": "GPE"}]},
    {"text": "Iraq sent troops to Syria.", "spans": [{"start": 0, "end": 4, "label": "GPE"}], "answer": "accept", "_annotator_id": "ann"},
]


def generate(name: str, path: Path) -> None:
    """The corpus files too big or too binary for git."""
    if name == "huge_line.jsonl":  # 5 MB on one line, no newline, the JSON never closed
        path.write_text('{"text": "' + "word " * 1_000_000, encoding="utf-8")
        return
    if path.suffix == ".db":  # stores that are not usable ones, to merge from
        generate_store(name, path)
        return
    import spacy
    from spacy.tokens import DocBin

    docs = []
    if name == "unknown_label.spacy":
        nlp = spacy.blank("en")
        docs = [nlp.make_doc("Iraq sent troops."), nlp.make_doc(TEXT)]
        docs[0].ents = [docs[0].char_span(0, 4, label="GPE")]
        docs[1].ents = [docs[1].char_span(29, 37, label="CITY")]
    path.write_bytes(DocBin(docs=docs).to_bytes())


def store_files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("store.db*")) if p.stat().st_size}


@pytest.fixture(scope="module")
def cli():
    runner = CLI()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, cli) -> Path:
    """A project whose store already holds a dataset: documents, a suggestion, an answer."""
    folder = tmp_path_factory.mktemp("seeded")
    labels = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    labels = labels.replace("model: en_core_web_sm", "model: null").replace("patterns: patterns.jsonl", "patterns: null")
    (folder / "labels.yaml").write_text(labels, encoding="utf-8")
    (folder / "good.jsonl").write_text("".join(json.dumps(line) + "\n" for line in GOOD), encoding="utf-8")
    status, out, err = cli.run(folder, "import", "good.jsonl", "--db", "store.db", "--labels", "labels.yaml", "--dataset", "news")
    assert status == 0, err
    with Store(folder / "store.db") as store:
        assert store.count_documents("news") == 2 and len(store.answers_by("news", "ann")) == 1
    return folder


def generate_store(name: str, path: Path) -> None:
    import sqlite3

    if name == "empty.db":
        path.write_bytes(b"")
        return
    if name == "newer_schema.db":
        Store(path).close()
    conn = sqlite3.connect(path)
    if name == "newer_schema.db":
        conn.execute("UPDATE schema SET version = version + 1")
    else:  # another program's database
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()


def test_the_corpus_is_big_enough():
    files = {name.split("@")[0] for name in CASES}
    assert len(files) >= 25
    assert {Path(f).suffix for f in files} >= {".jsonl", ".txt", ".conll", ".iob", ".spacy", ".yaml"}
    on_disk = {p.name for p in CORPUS.iterdir()} - {"cases.yaml"}
    needed = {f for f in files if not CASES.get(f, {}).get("generated")} | {n for c in CASES.values() for n in c.get("needs", [])}
    assert needed <= on_disk and on_disk <= needed | files  # no case without its file, no file without its case


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_clear_line_and_the_store_is_untouched(case, seeded, cli, tmp_path):
    spec, name = CASES[case], case.split("@")[0]
    for file in ("labels.yaml", "good.jsonl", *(p.name for p in seeded.glob("store.db*"))):
        shutil.copy(seeded / file, tmp_path / file)
    for extra in spec.get("needs", []):
        shutil.copy(CORPUS / extra, tmp_path / extra)
    if spec.get("generated"):
        generate(name, tmp_path / name)
    else:
        shutil.copy(CORPUS / name, tmp_path / name)
    args = shlex.split(spec["run"].format(file=name, good="good.jsonl")) + ["--db", "store.db", "--dataset", "news"]
    if "--labels" not in args and args[0] != "db":  # `annotator db` reads no labels.yaml
        args += ["--labels", "labels.yaml"]
    before = store_files(tmp_path)
    status, out, err = cli.run(tmp_path, *args)
    assert "Traceback" not in out + err, err
    assert status == spec.get("status", 1), (out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"annotator: {spec['expect']}"), err
    assert store_files(tmp_path) == before  # byte for byte


def test_bom_and_crlf_import_as_if_they_were_not_there(seeded, cli, tmp_path):
    for file in ("labels.yaml", "store.db"):
        shutil.copy(seeded / file, tmp_path / file)
    line = {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "PERSON"}, {"start": 29, "end": 37, "label": "GPE"}]}
    (tmp_path / "windows.jsonl").write_bytes(b"\xef\xbb\xbf" + (json.dumps(line) + "\r\n").encode() * 2)
    (tmp_path / "windows.txt").write_bytes(b"\xef\xbb\xbfFirst line of one paragraph\r\nand its second line.\r\n\r\nAnother paragraph.\r\n")
    labels = (tmp_path / "labels.yaml").read_text(encoding="utf-8")
    (tmp_path / "windows.yaml").write_bytes(b"\xef\xbb\xbf" + labels.replace("\n", "\r\n").encode())
    common = ["--db", "store.db", "--labels", "windows.yaml"]
    status, out, err = cli.run(tmp_path, "import", "windows.jsonl", "windows.txt", "--dataset", "win", *common)
    assert status == 0, err
    assert "3 new documents" in out  # the JSONL's line twice is one document
    (tmp_path / "unix.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    (tmp_path / "unix.txt").write_text("First line of one paragraph\nand its second line.\n\nAnother paragraph.\n", encoding="utf-8")
    status, out, err = cli.run(tmp_path, "import", "unix.jsonl", "unix.txt", "--dataset", "win", *common)
    assert status == 0 and "0 new documents, 3 already there" in out, (out, err)  # the same texts
    raw = (tmp_path / "windows.txt").read_bytes()[3:].decode()
    with Store(tmp_path / "store.db") as store:
        docs = {d.text: d for d in store.documents("win")}
        assert TEXT in docs and store.suggestions(docs[TEXT].id) == {"prodigy": ((0, 11, "PERSON"), (29, 37, "GPE"))}
        paragraph = docs["First line of one paragraph\nand its second line."]
        second = docs["Another paragraph."]
        assert all("\ufeff" not in text and "\r" not in text for text in docs)
    assert raw[second.meta["offset"] :].startswith("Another paragraph.")  # offsets count the file's characters
    assert paragraph.meta["offset"] == 0 and second.meta["line"] == 4

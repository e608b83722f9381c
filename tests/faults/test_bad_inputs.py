"""The bad-input corpus (tests/bad_inputs/, listed in cases.yaml) through the real
`annotator` command: exit status 1, one line on stderr naming the file and the line, no
traceback, and the store's file byte for byte as before. Then what is not an error: a
UTF-8 BOM is dropped and CRLF line ends import as LF, offsets right."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml

from annotator.store import Store
from tests.helpers.cli_runner import CLI

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))["cases"]
TEXT = "Alice Smith met officials in Damascus on Thursday."
GOOD = [
    {"text": TEXT, "spans": [{"start": 29, "end": 37, "label": "GPE"}]},
    {
        "text": "Iraq sent troops to Syria.",
        "spans": [{"start": 0, "end": 4, "label": "GPE"}],
        "answer": "accept",
        "_annotator_id": "ann",
    },
]


def _docbin(texts: list[str], ents: dict[int, tuple[int, int, str]] | None = None) -> bytes:
    import spacy
    from spacy.tokens import DocBin

    ents = ents or {}

    nlp = spacy.blank("en")
    docs = [nlp.make_doc(text) for text in texts]
    for index, (start, end, label) in ents.items():
        docs[index].ents = [docs[index].char_span(start, end, label=label)]
    return DocBin(docs=docs).to_bytes()


def _without_strings(data: bytes) -> bytes:
    """A DocBin whose string table was emptied: its token hashes name no string."""
    import srsly

    message = srsly.msgpack_loads(zlib.decompress(data))
    message["strings"] = []
    return zlib.compress(srsly.msgpack_dumps(message))


@functools.lru_cache(maxsize=1)
def _zlib_bomb() -> bytes:
    """600 MB of zeros in a 0.6 MB zlib stream (a DocBin is a zlib stream)."""
    packer, zeros = zlib.compressobj(9), bytes(1 << 20)
    return b"".join([packer.compress(zeros) for _ in range(600)] + [packer.flush()])


def _folder(path: Path, **entries) -> None:
    path.mkdir()
    (path / "a.txt").write_text(TEXT + "\n", encoding="utf-8")
    for name, make in entries.items():
        make(path / name)


def _unreadable(path: Path, content: str = TEXT + "\n") -> None:
    path.write_text(content, encoding="utf-8")
    path.chmod(0)


def _locked_folder(path: Path) -> None:
    path.mkdir()
    (path / "b.txt").write_text(TEXT + "\n", encoding="utf-8")
    path.chmod(0)


LONG = ("Iraq sent back nearly 2,000 Syrian soldiers on Thursday. " * 25_000)[:1_200_000]
MANY_TOKENS = "a " * 149_999 + "a"  # 150,000 tokens in 299,999 characters
GENERATED = {  # the corpus files too big, too binary or too special for git
    "huge_line.jsonl": lambda p: p.write_text(
        '{"text": "' + "word " * 1_000_000, encoding="utf-8"
    ),  # 5 MB, never closed
    "empty_docbin.spacy": lambda p: p.write_bytes(_docbin([])),
    "unknown_label.spacy": lambda p: p.write_bytes(
        _docbin(["Iraq sent troops.", TEXT], {0: (0, 4, "GPE"), 1: (29, 37, "CITY")})
    ),
    "docbin_missing_strings.spacy": lambda p: p.write_bytes(_without_strings(_docbin([TEXT]))),
    "docbin_bomb.spacy": lambda p: p.write_bytes(_zlib_bomb()),
    "docbin_truncated.spacy": lambda p: p.write_bytes(_docbin([TEXT] * 50)[:200]),
    "long_document.spacy": lambda p: p.write_bytes(_docbin(["Iraq sent troops.", MANY_TOKENS])),
    "fifo.jsonl": os.mkfifo,
    "labels_fifo.yaml": os.mkfifo,
    "patterns_fifo.jsonl": os.mkfifo,
    "folder_with_fifo": lambda p: _folder(p, **{"pipe.txt": os.mkfifo}),
    "folder_with_broken_link": lambda p: _folder(p, **{"gone.txt": lambda link: link.symlink_to(p / "nowhere.txt")}),
    "unreadable.jsonl": _unreadable,
    "folder_with_unreadable": lambda p: _folder(p, **{"secret.txt": _unreadable}),
    "folder_with_unreadable_folder": lambda p: _folder(p, locked=_locked_folder),
    "long_document.jsonl": lambda p: p.write_text(
        json.dumps(GOOD[0]) + "\n" + json.dumps({"text": LONG}) + "\n", encoding="utf-8"
    ),
    "long_document.txt": lambda p: p.write_text(LONG, encoding="utf-8"),
    "long_paragraph.txt": lambda p: p.write_text(TEXT + "\n\n" + LONG + "\n", encoding="utf-8"),
    "long_sentence.txt": lambda p: p.write_text(TEXT + "\n\n" + LONG.replace(".", ",") + "\n", encoding="utf-8"),
    "huge_paragraph.txt": lambda p: p.write_text(
        TEXT + "\n\n" + "Iraq sent troops. " * 566_666 + "Iraq sent 2.\n", encoding="utf-8"
    ),
    "many_tokens.jsonl": lambda p: p.write_text(
        json.dumps(GOOD[0]) + "\n" + json.dumps({"text": MANY_TOKENS}) + "\n", encoding="utf-8"
    ),
    "many_tokens.txt": lambda p: p.write_text(MANY_TOKENS, encoding="utf-8"),
    "good.jsonl": lambda p: None,  # the project's own good file: the case is in the command line
    "labels_dir": Path.mkdir,
    "patterns_dir": Path.mkdir,
    "model_dir": Path.mkdir,
}


def generate(name: str, path: Path) -> None:
    GENERATED[name](path)


for _store in ("foreign.db", "empty.db", "newer_schema.db"):  # stores that are not usable ones, to merge from
    GENERATED[_store] = functools.partial(lambda name, path: generate_store(name, path), _store)


def unprivileged_command() -> list[str]:
    """The real command with the permission checks root skips (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH dropped from the bounding set), so an unreadable file is unreadable."""
    if os.geteuid() != 0:
        return [sys.executable, "-m", "annotator.cli"]
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to make a file unreadable")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", sys.executable, "-m", "annotator.cli"]


def run_unprivileged(folder: Path, *args: str) -> tuple[int, str, str]:
    done = subprocess.run([*unprivileged_command(), *args], cwd=folder, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def store_files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("store.db*")) if p.stat().st_size
    }


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
    labels = labels.replace("model: en_core_web_sm", "model: null").replace(
        "patterns: patterns.jsonl", "patterns: null"
    )
    (folder / "labels.yaml").write_text(labels, encoding="utf-8")
    (folder / "good.jsonl").write_text("".join(json.dumps(line) + "\n" for line in GOOD), encoding="utf-8")
    status, out, err = cli.run(
        folder, "import", "good.jsonl", "--db", "store.db", "--labels", "labels.yaml", "--dataset", "news"
    )
    assert status == 0, err
    with Store(folder / "store.db") as store:
        assert store.count_documents("news") == 2 and len(store.answer_history(dataset="news", annotator="ann")) == 1
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
    assert len(files) >= 25 and len(CASES) >= 90
    assert {Path(f).suffix for f in files} >= {".jsonl", ".txt", ".conll", ".iob", ".spacy", ".yaml"}
    on_disk = {p.name for p in CORPUS.iterdir()} - {"cases.yaml"}
    generated = {case.split("@")[0] for case, spec in CASES.items() if spec.get("generated")}
    needed = (files - generated) | {n for c in CASES.values() for n in c.get("needs", [])}
    assert needed <= on_disk and on_disk <= needed | files  # no case without its file, no file without its case
    made = generated | {n for c in CASES.values() for n in c.get("generated_needs", [])}
    assert made <= set(GENERATED) and not made & on_disk


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_clear_line_and_the_store_is_untouched(case, seeded, cli, tmp_path):
    spec, name = CASES[case], case.split("@")[0]
    for file in ("labels.yaml", "good.jsonl", *(p.name for p in seeded.glob("store.db*"))):
        shutil.copy(seeded / file, tmp_path / file)
    for extra in spec.get("needs", []):
        shutil.copy(CORPUS / extra, tmp_path / extra)
    for extra in spec.get("generated_needs", []):
        generate(extra, tmp_path / extra)
    if spec.get("generated"):
        generate(name, tmp_path / name)
    else:
        shutil.copy(CORPUS / name, tmp_path / name)
    args = shlex.split(spec["run"].format(file=name, good="good.jsonl"))
    for option, value in (("--db", "store.db"), ("--dataset", "news"), ("--labels", "labels.yaml")):
        if option not in args and not (option == "--labels" and args[0] == "db"):
            args += [option, value]
    before = store_files(tmp_path)
    status, out, err = (run_unprivileged if spec.get("unprivileged") else cli.run)(tmp_path, *args)
    assert "Traceback" not in out + err, err
    assert status == spec.get("status", 1), (out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"annotator: {spec['expect']}"), err
    assert store_files(tmp_path) == before  # byte for byte


def test_bom_and_crlf_import_as_if_they_were_not_there(seeded, cli, tmp_path):
    for file in ("labels.yaml", "store.db"):
        shutil.copy(seeded / file, tmp_path / file)
    line = {
        "text": TEXT,
        "spans": [{"start": 0, "end": 11, "label": "PERSON"}, {"start": 29, "end": 37, "label": "GPE"}],
    }
    (tmp_path / "windows.jsonl").write_bytes(b"\xef\xbb\xbf" + (json.dumps(line) + "\r\n").encode() * 2)
    (tmp_path / "windows.txt").write_bytes(
        b"\xef\xbb\xbfFirst line of one paragraph\r\nand its second line.\r\n\r\nAnother paragraph.\r\n"
    )
    labels = (tmp_path / "labels.yaml").read_text(encoding="utf-8")
    (tmp_path / "windows.yaml").write_bytes(b"\xef\xbb\xbf" + labels.replace("\n", "\r\n").encode())
    common = ["--db", "store.db", "--labels", "windows.yaml"]
    status, out, err = cli.run(tmp_path, "import", "windows.jsonl", "windows.txt", "--dataset", "win", *common)
    assert status == 0, err
    assert "3 new documents" in out  # the JSONL's line twice is one document
    (tmp_path / "unix.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    (tmp_path / "unix.txt").write_text(
        "First line of one paragraph\nand its second line.\n\nAnother paragraph.\n", encoding="utf-8"
    )
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

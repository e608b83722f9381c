"""The line `annotator import` ends with: its counts in words a person would write."""

from __future__ import annotations

from tests.helpers.cli import run_main
from tests.helpers.importing import labels_config


def _import(tmp_path, monkeypatch, capsys, lines: list[str]) -> str:
    labels_config(tmp_path)
    path = tmp_path / "one.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    status, out, err = run_main(
        monkeypatch, capsys, "import", str(path), "--db", str(tmp_path / "a.db"),
        "--labels", str(tmp_path / "labels.yaml"), "--dataset", "news", "--no-preannotate",
    )  # fmt: skip
    assert status == 0, err
    return out


# Found trying the program: "news: 1 new documents, ... from 1 file(s)".
def test_one_of_each_is_singular(tmp_path, monkeypatch, capsys):
    out = _import(tmp_path, monkeypatch, capsys, ['{"text": "Iraq sent troops."}'])
    assert "news: 1 new document, 0 already there, 0 answers, 0 suggestions from 1 file; 0 skipped" in out


def test_several_are_plural(tmp_path, monkeypatch, capsys):
    out = _import(tmp_path, monkeypatch, capsys, ['{"text": "Iraq sent troops."}', '{"text": "Bob met Ana."}'])
    assert "news: 2 new documents, 0 already there, 0 answers, 0 suggestions from 1 file; 0 skipped" in out

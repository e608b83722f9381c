"""labels.yaml validated once per content: a start on a file already seen imports neither
pydantic nor PyYAML, and the cache is never wrong (an edited file is checked again, a broken
one still fails with its one line) nor needed (a cache that cannot be written is no cache)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import annotator
from annotator.io import labels_cache
from annotator.io.labels import LabelsError, load_labels
from tests.helpers.paths import LABELS_YAML, ROOT

GOOD = 'labels:\n  - name: A\n    key: "1"\n  - name: B\n    key: "2"\n'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def entries(cache) -> list:
    return sorted(cache.rglob("*.json"))


def test_a_file_seen_before_is_loaded_from_its_entry(tmp_path, cache):
    path = tmp_path / "labels.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = load_labels(path)
    assert len(entries(cache)) == 1
    again = load_labels(path)
    assert again == first and again.names == ["A", "B"] and again.path == path


def test_an_edited_file_is_validated_again_and_a_broken_one_still_fails_with_its_line(tmp_path, cache):
    path = tmp_path / "labels.yaml"
    path.write_text(GOOD, encoding="utf-8")
    load_labels(path)
    path.write_text(GOOD.replace('key: "2"', 'key: "1"'), encoding="utf-8")
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    assert str(caught.value) == f"{path}:5: labels.1.key: key '1' is used by both A and B"
    with pytest.raises(LabelsError):  # still, the second time: a broken file is never remembered
        load_labels(path)
    assert len(entries(cache)) == 1
    path.write_text(GOOD.replace("name: B", "name: C"), encoding="utf-8")
    assert load_labels(path).names == ["A", "C"]


def test_another_version_of_the_program_does_not_take_this_ones_entries(tmp_path, cache, monkeypatch):
    path = tmp_path / "labels.yaml"
    path.write_text(GOOD, encoding="utf-8")
    load_labels(path)
    monkeypatch.setattr(annotator, "__version__", annotator.__version__ + ".1")
    load_labels(path)
    assert len(entries(cache)) == 2


def test_a_cut_short_or_foreign_entry_is_not_believed(tmp_path, cache):
    path = tmp_path / "labels.yaml"
    path.write_text(GOOD, encoding="utf-8")
    load_labels(path)
    (entry,) = entries(cache)
    for damaged in ('{"labels": [{"name": "A"', '{"labels": "A"}', "[]"):
        entry.write_text(damaged, encoding="utf-8")
        assert load_labels(path).names == ["A", "B"]


def test_a_cache_folder_that_cannot_be_made_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # root ignores permissions; a file does not
    path = tmp_path / "labels.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_labels(path).names == ["A", "B"]
    path.write_text("labels: []\n", encoding="utf-8")
    with pytest.raises(LabelsError, match=r":1: labels: List should have at least 1 item"):
        load_labels(path)
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert labels_cache.recall(GOOD.encode()) is None


@pytest.mark.slow
def test_a_start_on_a_known_file_imports_neither_pydantic_nor_yaml(tmp_path, cache):
    probe = (
        "import sys; from annotator.io.labels import load_labels; load_labels(sys.argv[1]);"
        " print(sorted({'pydantic', 'yaml'} & set(sys.modules)))"
    )

    def imported() -> str:
        child = subprocess.run(
            [sys.executable, "-c", probe, str(LABELS_YAML)], capture_output=True, text=True, cwd=ROOT, check=True
        )
        return child.stdout.strip()

    assert imported() == "['pydantic', 'yaml']"  # the first start validates
    assert imported() == "[]"

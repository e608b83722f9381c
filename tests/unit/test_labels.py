"""labels.yaml validation: every broken file is one line naming the file, line and key."""

from __future__ import annotations

import pytest

from annotator.io.labels import LabelsError, load_labels
from tests.conftest import LABELS_YAML


def test_demo_labels_load():
    config = load_labels(LABELS_YAML)
    assert {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "EVENT", "DATE", "CARDINAL"} <= set(config.names)
    assert all(label.key and label.color and label.description for label in config.labels)
    assert config.bindings()["accept"] == "a,enter"


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            'labels:\n  - name: A\n    key: "1"\n  - name: B\n    key: "1"\n',
            ":5: labels.1.key: key '1' is used by both A and B",
        ),
        ("labels:\n  - name: A\n  - name: A\n", ":3: labels.1.name: label 'A' is defined twice"),
        ('labels:\n  - name: A\n    color: "#zz"\n', ":3: labels.0.color: '#zz' is not a colour"),
        ('labels:\n  - name: A\n    key: "x"\n', ":3: labels.0.key: key 'x' of A is already bound to an action"),
        ("keymap: {acept: x}\nlabels:\n  - name: A\n", ":1: keymap: unknown binding id 'acept'"),
        ("labels: [\n", ": not valid YAML"),
        ("lang: english\nlabels:\n  - name: A\n", ":1: lang: 'english' is not a spaCy language code"),
        ("labels:\n  - name: A\n    colour: red\n", ":3: labels.0.colour: Extra inputs are not permitted"),
        ("labels: []\n", ":1: labels: List should have at least 1 item"),
        ("- just a list\n", ":1: expected a mapping"),
    ],
)
def test_broken_labels_name_file_line_and_key(tmp_path, content, expected):
    path = tmp_path / "labels.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_keymap_overrides_defaults(tmp_path):
    path = tmp_path / "labels.yaml"
    path.write_text('keymap: {accept: "y"}\nlabels:\n  - name: A\n    key: "a"\n', encoding="utf-8")
    config = load_labels(path)
    assert config.bindings()["accept"] == "y"  # and "a" is now free for a label


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(LabelsError, match="no such file"):
        load_labels(tmp_path / "nope.yaml")
    path = tmp_path / "labels.yaml"
    path.write_bytes(b"labels:\n  - name: \xff\n")
    with pytest.raises(LabelsError, match="not UTF-8"):
        load_labels(path)

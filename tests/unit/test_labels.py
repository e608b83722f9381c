"""labels.yaml validation: every broken file is one line naming the file, line and key."""

from __future__ import annotations

import pytest

from annotator.io.labels import LabelsError, load_labels
from tests.helpers.paths import LABELS_YAML


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


@pytest.mark.parametrize(
    "content, expected",
    [
        (  # reject would lose its key without a word (Textual drops a clashing binding)
            'keymap: {accept: "x"}\nlabels:\n  - name: A\n',
            ":1: keymap.accept: 'x' is also the key of reject on the annotate and review screens",
        ),
        (
            'keymap: {agreement_refresh: "escape"}\nlabels:\n  - name: A\n',
            ":1: keymap.agreement_refresh: 'escape' is also the key of agreement_back on the agreement screen",
        ),
        (  # "?" and "question_mark" are one key
            'keymap: {quit: "?"}\nlabels:\n  - name: A\n',
            ":1: keymap.quit: '?' is also the key of help on the annotate, review and finished screens",
        ),
    ],
)
def test_a_keymap_key_that_another_action_of_the_screen_has_is_refused(tmp_path, content, expected):
    path = tmp_path / "labels.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    assert str(caught.value) == f"{path}{expected}"


def test_keys_swapped_by_the_keymap_are_no_clash(tmp_path):
    path = tmp_path / "labels.yaml"
    path.write_text('keymap: {accept: "x", reject: "a"}\nlabels:\n  - name: A\n', encoding="utf-8")
    assert load_labels(path).bindings()["reject"] == "a"


def test_a_label_key_may_be_a_key_of_a_screen_without_labels(tmp_path):
    # r recomputes on the agreement screen and w keeps waiting on the unsaved question:
    # label keys act only where labels do (annotate, review)
    path = tmp_path / "labels.yaml"
    path.write_text('labels:\n  - name: A\n    key: "r"\n  - name: B\n    key: "w"\n', encoding="utf-8")
    assert [label.key for label in load_labels(path).labels] == ["r", "w"]


def test_every_action_of_the_registry_can_be_rebound_by_its_id(tmp_path):
    from annotator.core.actions import ACTIONS

    ids = sorted({action.id for action in ACTIONS})
    keys = [f"f{n}" for n in range(1, 25)] + [f"ctrl+{letter}" for letter in "abdefghijklnoprstuvwyz"]
    assert len(keys) >= len(ids)  # one key each: no two actions share one
    lines = "".join(f'  {binding_id}: "{key}"\n' for binding_id, key in zip(ids, keys, strict=False))
    path = tmp_path / "labels.yaml"
    path.write_text(f"keymap:\n{lines}labels:\n  - name: A\n", encoding="utf-8")
    assert set(load_labels(path).keymap) == set(ids)


@pytest.mark.parametrize(
    ("setting", "every"),
    [("", None), ("learn: false\n", None), ("learn: true\n", 25), ("learn: {every: 7}\n", 7)],
)
def test_learn_is_true_false_or_every_n(tmp_path, setting, every):
    path = tmp_path / "labels.yaml"
    path.write_text(f"{setting}labels:\n  - name: DRUG\n", encoding="utf-8")
    learn = load_labels(path).learn
    assert (learn.every if learn else None) == every


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("learn: {every: 0}", ":1: learn.every: Input should be greater than or equal to 1"),
        ("learn: {often: 3}", ":1: learn.often: Extra inputs are not permitted"),
        ("learn: sometimes", ":1: learn: learn is true, false, or {every: N}"),
    ],
)
def test_a_broken_learn_setting_names_the_line_and_key(tmp_path, setting, expected):
    path = tmp_path / "labels.yaml"
    path.write_text(f"{setting}\nlabels:\n  - name: DRUG\n", encoding="utf-8")
    with pytest.raises(LabelsError) as error:
        load_labels(path)
    assert str(error.value) == f"{path}{expected}"

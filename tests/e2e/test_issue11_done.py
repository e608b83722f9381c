"""Issue 11's "Done when", as a newcomer does it: each step is one `annotator` command run as
a program, on the real files in tests/data (their provenance is in tests/data/README.md) and
the real ner_drugs dataset of spaCy's project templates. One project for all of it, whose
labels.yaml names a trained pipeline (a tiny NER behind a component that sets sentence
boundaries), so every import also pre-highlights."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest
import spacy
import srsly
from spacy.tokens import DocBin

from annotator.store import Store

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DRUGS = Path("/work/shared/data/ner_drugs/drugs_training.jsonl")
SOURCE = "tiny_ner 0.0.1"
LABELS = """lang: en
model: {model}
patterns: null
# doccano's tutorial labels and CoNLL-2003's PER, onto this label set
label_map: {Title: WORK_OF_ART, Person: PERSON, Date: DATE, Genre: MISC, Other: ORG, PER: PERSON}
labels:
""" + "".join(
    f'  - {{name: {name}, key: "{key}", color: "#e5c07b"}}\n'
    for key, name in zip(
        "1234567890", "PERSON NORP ORG GPE LOC DATE CARDINAL DRUG WORK_OF_ART MISC".split(), strict=True
    )
)
# Texts the tiny pipeline knows, one of them cut by the sentence boundary before "al-Assad".
TEXTS = "Bashar al-Assad fled to Russia.\n\nIraq sent soldiers back to Syria.\n\nOfficials in Baghdad met on Monday.\n"


def annotator(project: Path, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ANNOTATOR_DB", None)
    done = subprocess.run([sys.executable, "-m", "annotator.cli", *args], cwd=project, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, env=env, timeout=300)  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def ok(project: Path, *args: str) -> str:
    code, out, err = annotator(project, *args)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory, tiny_model) -> Path:
    folder = tmp_path_factory.mktemp("issue11")
    nlp = spacy.load(tiny_model)
    nlp.add_pipe("sentencizer", first=True, config={"punct_chars": ["Bashar"]})  # a boundary inside a name
    nlp.to_disk(folder / "pipeline")
    (folder / "labels.yaml").write_text(LABELS.replace("{model}", "pipeline"), encoding="utf-8")
    (folder / "drugs.jsonl").write_text("".join(islice(DRUGS.open(encoding="utf-8"), 60)), encoding="utf-8")
    (folder / "notes.txt").write_text(TEXTS, encoding="utf-8")
    return folder


def answers_of(store: Store, dataset: str) -> dict[str, list[tuple[str, str, list[tuple[int, int, str]]]]]:
    """text -> [(annotator, answer, spans)] of the answers that count."""
    texts = {d.id: d.text for d in store.documents(dataset)}
    out: dict[str, list] = {}
    for a in store.latest_answers(dataset):
        out.setdefault(texts[a.document], []).append(
            (a.annotator, a.answer, [(s.start, s.end, s.label) for s in a.spans])
        )
    return out


def test_1_prodigy_with_session_id_null(project):
    lines = list(srsly.read_jsonl(DATA / "prodigy_db_out.jsonl"))
    assert any("_session_id" in line and line["_session_id"] is None for line in lines)
    out = ok(project, "import", str(DATA / "prodigy_db_out.jsonl"), "--dataset", "prodigy")
    assert "prodigy: 4 new documents, 0 already there, 4 answers" in out
    assert "prodigy: 1 answer with no _annotator_id or _session_id: imported as 'prodigy'" in out
    with Store(project / "annotations.db") as store:
        got = answers_of(store, "prodigy")
    for line in lines:
        ((who, answer, spans),) = got[line["text"]]
        assert answer == line["answer"] and who == (line.get("_annotator_id") or line.get("_session_id") or "prodigy")
        assert spans == [(s["start"], s["end"], s["label"]) for s in line["spans"]]


def test_2_doccano_tutorial_export(project):
    (line,) = srsly.read_jsonl(DATA / "doccano_tutorial.jsonl")
    code, _, err = annotator(project, "import", str(DATA / "doccano_tutorial.jsonl"), "--dataset", "doccano")
    assert code == 1 and "does not fall on token boundaries; --align expand" in err  # HHGTTG inside HHGTTGor
    out = ok(project, "import", str(DATA / "doccano_tutorial.jsonl"), "--dataset", "doccano", "--align", "expand")
    assert "doccano: 1 new document, 0 already there, 1 answer," in out and "not imported" not in out
    with Store(project / "annotations.db") as store:
        ((who, answer, spans),) = answers_of(store, "doccano")[line["text"]]
    assert (who, answer) == ("admin", "accept") and len(spans) == len(line["labels"])  # every span kept
    assert (69, 77, "WORK_OF_ART") in spans  # expanded to the token: "HHGTTGor"
    assert {label for *_, label in spans} == {"WORK_OF_ART", "MISC", "PERSON", "ORG", "DATE"}


def conll_documents(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(words joined by spaces, [(entity words, label)]) per -DOCSTART- block, read by hand."""
    docs: list[tuple[list[str], list[tuple[str, str]]]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("-DOCSTART-"):
            docs.append(([], []))
        elif raw.strip():
            word, *_, tag = raw.split()
            words, ents = docs[-1]
            label = {"PER": "PERSON"}.get(tag[2:], tag[2:])
            if tag.startswith("B-"):
                ents.append((word, label))
            elif tag.startswith("I-"):
                ents[-1] = (f"{ents[-1][0]} {word}", label)
            words.append(word)
    return [(" ".join(words), ents) for words, ents in docs]


def test_3_conll2003_as_distributed(project):
    out = ok(
        project, "import", str(DATA / "conll2003.conll"), "--dataset", "held", "--as-answers", "--annotator", "gold"
    )
    expected = conll_documents(DATA / "conll2003.conll")
    assert len(expected) == 2 and f"held: {len(expected)} new documents, 0 already there, 2 answers" in out
    with Store(project / "annotations.db") as store:
        got = answers_of(store, "held")
    for words, ents in expected:
        text = next(t for t in got if t.split() == words.split())
        ((_, answer, spans),) = got[text]
        assert answer == "accept" and [(" ".join(text[s:e].split()), label) for s, e, label in spans] == ents


def test_4_label_studio_export(project):
    tasks = json.loads((DATA / "label_studio.json").read_text(encoding="utf-8"))
    out = ok(project, "import", str(DATA / "label_studio.json"), "--dataset", "ls")
    assert f"ls: {len(tasks)} new documents, 0 already there, 4 answers, 2 suggestions" in out
    assert "not imported: " in out and "1 'choices' results (only 'labels' results become spans)" in out
    with Store(project / "annotations.db") as store:
        got = answers_of(store, "ls")
        assert sorted(d.text for d in store.documents("ls")) == sorted(t["data"]["text"] for t in tasks)
    assert sum(len(v) for v in got.values()) == 4
    assert any(answer == "ignore" for v in got.values() for _, answer, _ in v)  # the cancelled annotation


def test_5_csv_with_nothing_dropped(project):
    import csv

    rows = list(csv.DictReader((DATA / "excel_utf8.csv").open(encoding="utf-8-sig", newline="")))
    out = ok(project, "import", str(DATA / "excel_utf8.csv"), "--dataset", "csv")
    assert f"csv: {len(rows)} new documents, 0 already there, 0 answers" in out and "0 skipped" in out
    assert "not imported" not in out
    with Store(project / "annotations.db") as store:
        docs = list(store.documents("csv"))
    assert [d.text for d in docs] == [row["text"] for row in rows]
    assert [{k: d.meta[k] for k in ("id", "source", "published")} for d in docs] == [
        {k: row[k] for k in ("id", "source", "published")} for row in rows
    ]


def docbin(path: Path) -> set[tuple[str, tuple[tuple[int, int, str], ...]]]:
    nlp = spacy.blank("en")
    return {
        (doc.text, tuple((e.start_char, e.end_char, e.label_) for e in doc.ents))
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab)
    }


def test_6_export_with_a_fixed_eval_dataset(project):
    ok(project, "export", "out", "--dataset", "prodigy,eval:held")
    with Store(project / "annotations.db") as store:
        held, news = answers_of(store, "held"), answers_of(store, "prodigy")
    assert docbin(project / "out" / "dev.spacy") == {(text, tuple(spans)) for text, ((_, _, spans),) in held.items()}
    accepted = {(text, tuple(spans)) for text, ((_, answer, spans),) in news.items() if answer == "accept"}
    assert docbin(project / "out" / "train.spacy") == accepted


def test_7_prodigy_jsonl_round_trip_unchanged_and_merging_it_adds_nothing(project):
    originals = list(srsly.read_jsonl(project / "drugs.jsonl"))
    ok(project, "import", "drugs.jsonl", "--dataset", "drugs")
    ok(project, "export", "trip1", "--dataset", "drugs", "--format", "jsonl")
    first = list(srsly.read_jsonl(project / "trip1" / "annotations.jsonl"))
    ok(project, "import", "trip1/annotations.jsonl", "--dataset", "drugs", "--db", "second.db")
    ok(project, "export", "trip2", "--dataset", "drugs", "--format", "jsonl", "--db", "second.db")
    assert list(srsly.read_jsonl(project / "trip2" / "annotations.jsonl")) == first  # line by line, field by field
    by_text = {line["text"]: line for line in first}
    for original in originals:
        written = by_text[original["text"]]
        for key in ("meta", "_input_hash", "_task_hash", "_timestamp", "answer", "_annotator_id", "_session_id"):
            assert written.get(key, "absent") == original.get(key, "absent"), key
        assert [(s["start"], s["end"], s["label"]) for s in written.get("spans", [])] == [
            (s["start"], s["end"], s["label"]) for s in original.get("spans", [])
        ]
    with Store(project / "annotations.db") as store:
        before = sum(len(store.answer_history(d.id)) for d in store.documents("drugs"))
    out = ok(project, "db", "merge", "second.db")
    assert "added 0 documents, 0 suggestions, 0 answers, 0 reviews; already here: 60 documents, 60 answers" in out
    with Store(project / "annotations.db") as store:
        assert sum(len(store.answer_history(d.id)) for d in store.documents("drugs")) == before == len(originals)


def test_8_pre_highlighting_equals_the_pipelines_own_entities(project):
    out = ok(project, "import", "notes.txt", "--dataset", "notes")
    assert "notes: pre-highlighted 3 documents with tiny_ner 0.0.1" in out
    nlp, bare = spacy.load(project / "pipeline"), spacy.load(project / "pipeline", exclude=["sentencizer"])
    cut = 0
    with Store(project / "annotations.db") as store:
        for dataset in ("notes", "csv", "ls", "doccano", "prodigy"):
            for document in store.documents(dataset):
                ents = [(e.start_char, e.end_char, e.label_) for e in nlp(document.text).ents]
                got = store.suggestions(document.id).get(SOURCE, ())
                assert [(s.start, s.end, s.label) for s in got] == ents, (dataset, document.text)
                cut += ents != [(e.start_char, e.end_char, e.label_) for e in bare(document.text).ents]
    assert cut >= 1  # the sentence boundary changed an entity there, and the suggestions followed it

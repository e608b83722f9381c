"""The spaCy exports whose DocBins are kept in tests/data/export_reference/ (written by
tests/data/make_export_reference.py with the export as it was before it was made faster),
and the comparison of two DocBins document by document."""

from __future__ import annotations

from pathlib import Path

from annotator.io.labels import load_labels
from annotator.store import Store
from annotator.usecases.export import export_spacy
from annotator.usecases.importer import import_files
from tests.helpers import export_fixtures as fx

REFERENCE = Path(__file__).parent.parent / "data" / "export_reference"
DRUGS = Path("/work/shared/data/ner_drugs")
DRUGS_LABELS = 'lang: en\nlabels:\n  - {name: DRUG, key: "1", color: "#e5c07b"}\n'
CASES = ("news-review", "news-majority", "drugs-split", "drugs-eval")
SIDES = ("train.spacy", "dev.spacy")


def export_case(case: str, folder: Path) -> Path:
    """Build the case's store in ``folder``, export it; the folder the DocBins are in."""
    out = folder / case
    if case.startswith("news-"):
        with fx.build_store(folder / f"{case}.db") as store:
            export_spacy(store, "news", out, conflicts=case.removeprefix("news-"))
        return out
    (folder / "labels.yaml").write_text(DRUGS_LABELS, encoding="utf-8")
    config = load_labels(folder / "labels.yaml")
    with Store(folder / f"{case}.db") as store:
        import_files(store, config, [DRUGS / "drugs_training.jsonl"], "drugs", highlight=False)
        if case == "drugs-eval":
            import_files(store, config, [DRUGS / "drugs_eval.jsonl"], "drugs_eval", highlight=False)
            export_spacy(store, "drugs", out, eval_dataset="drugs_eval")
        else:
            export_spacy(store, "drugs", out, seed=3)
    return out


def doc_bin_contents(path: Path) -> tuple[list[str], list[tuple]]:
    """A DocBin's stored attributes and, per document, everything training reads of it:
    text, words, spaces, entity tags, entities, user data."""
    import spacy
    from spacy.tokens import DocBin

    doc_bin = DocBin(store_user_data=True).from_disk(path)
    docs = [
        (
            doc.text,
            [token.text for token in doc],
            [token.whitespace_ for token in doc],
            [(token.ent_iob_, token.ent_type_) for token in doc],
            [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents],
            doc.user_data,
        )
        for doc in doc_bin.get_docs(spacy.blank("en").vocab)
    ]
    return sorted(doc_bin.attrs), docs

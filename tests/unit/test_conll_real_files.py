"""CoNLL files as the CoNLL-2003 data itself writes them: articles after `-DOCSTART- -X- -X- O`,
which spaCy's converter does not take for a delimiter (it looks for `-DOCSTART- -X- O O`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store import Store
from tests.unit.importing import labels_config, run_import

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def config(tmp_path):
    config = labels_config(tmp_path)  # the CoNLL-2003 tags mapped onto the demo's labels
    return config.model_copy(update={"label_map": {"PER": "PERSON", "MISC": "NORP"}})


def test_conll2003_articles_are_documents_without_the_delimiter_in_them(tmp_path, config):
    with Store(tmp_path / "a.db") as store:
        result = run_import(store, config, [DATA / "conll2003.conll"], annotator="gold", as_answers=True)
        docs = list(store.documents("news"))
        assert result.added == 2
        assert [d.text for d in docs] == [
            "EU rejects German call to boycott British lamb . Peter Blackburn",
            "BRUSSELS 1996-08-22",
        ]
        assert all("DOCSTART" not in d.text for d in docs)
        first = store.latest_answer(docs[0].id, "gold").spans
        assert [(docs[0].text[s.start : s.end], s.label) for s in first] == [
            ("EU", "ORG"), ("German", "NORP"), ("British", "NORP"), ("Peter Blackburn", "PERSON")
        ]
        assert docs[1].meta["doc"] == 2

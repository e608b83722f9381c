"""The spaCy export writes the same documents it wrote before it was made faster: every
doc's text, words, spaces, entity tags and user data equal to the reference DocBins
(tests/data/export_reference/, written by the earlier code) on the news store of the export
tests and on the real ner_drugs dataset (Prodigy answers; split, and with its eval set)."""

from __future__ import annotations

import pytest

from tests.helpers.export_reference import CASES, REFERENCE, SIDES, doc_bin_contents, export_case


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_export_writes_the_reference_docs(case, tmp_path):
    out = export_case(case, tmp_path)
    for side in SIDES:
        attrs, docs = doc_bin_contents(out / side)
        reference_attrs, reference_docs = doc_bin_contents(REFERENCE / case / side)
        assert reference_docs  # a reference with nothing in it would hold the export to nothing
        assert attrs == reference_attrs
        assert len(docs) == len(reference_docs)
        for doc, reference in zip(docs, reference_docs, strict=True):
            assert doc == reference

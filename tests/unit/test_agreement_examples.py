"""Agreement on published examples, hand-made span cases and the edge cases."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from annotator.core.agreement import agreement, coverage
from annotator.core.study import OverlappingSpans, study_from_documents
from annotator.core.unitizing import Units, alpha_u, category_disagreements


def doc(doc_id: int, text: str):
    return (doc_id, text, [(m.start(), m.end()) for m in re.finditer(r"\S+|\n\n", text)])


def one_token_docs(count: int):
    return [doc(k, "x") for k in range(count)]


# -- published examples --------------------------------------------------------------


def test_krippendorff_2011_four_coders_twelve_units_with_missing_values():
    """Krippendorff (2011), Computing Krippendorff's alpha-reliability, nominal: 0.743."""
    coders = [
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    ]
    answers = {
        f"coder{c}": {u: [(0, 1, f"V{v}")] for u, v in enumerate(row.split()) if v != "."}
        for c, row in enumerate(coders)
    }
    report = agreement(study_from_documents(one_token_docs(12), answers))
    assert report["krippendorff_alpha"] == pytest.approx(0.743, abs=5e-4)
    # Unit 12 has one value: not pairable, and not a document two annotators accepted.
    assert report["documents"] == 11


def test_fleiss_1971_thirty_subjects_six_raters():
    """Fleiss (1971: 379): kappa 0.430 (observed 0.5556, expected 0.2201)."""
    items = [
        "444444 222555 233335 555555 222444 113333 333355 113334 114444 555555",
        "144444 124444 222333 144444 224445 333335 111455 111112 224444 133555",
        "555555 244444 224555 114444 144445 222224 111155 224444 133333 555555",
    ]
    subjects = [s for line in items for s in line.split()]
    answers = {f"rater{r}": {k: [(0, 1, f"D{s[r]}")] for k, s in enumerate(subjects)} for r in range(6)}
    report = agreement(study_from_documents(one_token_docs(30), answers))
    assert report["fleiss_kappa"] == pytest.approx(0.430, abs=5e-4)
    assert report["percent_agreement"] == pytest.approx(0.5556, abs=5e-4)


def test_krippendorff_2004_unitizing_example_as_in_dkpro():
    """Krippendorff (2004: 254); DKPro asserts 0.8591 overall, c 0.7286, k 1.0.
    Continuum 150..450, so offsets here are shifted by 150."""

    def units(*pairs):
        return Units(np.array([s - 150 for s, _ in pairs]), np.array([s - 150 + n for s, n in pairs]))

    c = category_disagreements([units((225, 70), (370, 30)), units((220, 80), (355, 20), (400, 20))], 300)
    k = category_disagreements([units((180, 60), (300, 50)), units((180, 60), (300, 50))], 300)
    assert c[0] == pytest.approx(0.0144, abs=1e-4) and c[1] == pytest.approx(0.0532, abs=1e-4)
    assert 1 - c[0] / c[1] == pytest.approx(0.7286, abs=1e-4)
    assert k[0] == 0.0 and k[1] == pytest.approx(0.0490, abs=1e-4)
    assert alpha_u([c[0], k[0]], [c[1], k[1]]) == pytest.approx(0.8591, abs=5e-4)


def test_dkpro_unitizing_example_with_negative_alpha():
    """DKPro's UnitizingAgreementTest: one long unit against three short ones, alpha -0.7003."""
    d_o, d_e = category_disagreements(
        [Units(np.array([1]), np.array([9])), Units(np.array([2, 4, 6]), np.array([3, 5, 7]))], 10
    )
    assert (d_o, d_e, 1 - d_o / d_e) == pytest.approx((0.91, 0.5351, -0.7003), abs=1e-4)


# -- span F1 by hand -----------------------------------------------------------------

TEXT = "Barack Obama visited New York City and Paris in May 2010 ."


def pair_report(a_spans, b_spans, text=TEXT):
    return agreement(study_from_documents([doc(1, text)], {"a": {1: a_spans}, "b": {1: b_spans}}))


def test_exact_and_overlap_differ_on_a_boundary_disagreement():
    report = pair_report([(0, 12, "PERSON"), (21, 34, "GPE")], [(7, 12, "PERSON"), (21, 34, "GPE")])
    assert report["f1_exact"] == pytest.approx(0.5)
    assert report["f1_overlap"] == pytest.approx(1.0)
    assert report["diagnosis"] == {"boundary": 1, "label": 0, "missing": 0}


def test_one_long_span_matches_only_one_of_two_short_ones():
    # "New York City and Paris" against "New York" and "Paris", all GPE.
    report = pair_report([(21, 44, "GPE")], [(21, 29, "GPE"), (39, 44, "GPE")])
    assert report["f1_exact"] == 0.0
    assert report["f1_overlap"] == pytest.approx(2 * 1 / 3)
    assert report["diagnosis"] == {"boundary": 1, "label": 0, "missing": 1}


def test_label_only_and_missing_disagreements():
    report = pair_report([(0, 12, "PERSON"), (39, 44, "GPE")], [(0, 12, "ORG"), (48, 56, "DATE")])
    assert report["f1_exact"] == 0.0 and report["f1_overlap"] == 0.0
    assert report["diagnosis"] == {"boundary": 0, "label": 1, "missing": 2}
    assert report["worst_documents"] == [{"id": 1, "f1_exact": 0.0}]


def test_per_label_f1_and_counts():
    report = pair_report([(0, 12, "PERSON"), (39, 44, "GPE")], [(0, 12, "PERSON"), (39, 44, "LOC")])
    assert report["per_label"]["PERSON"] == {"f1_exact": 1.0, "f1_overlap": 1.0, "alpha_u": 1.0, "count": 2}
    assert report["per_label"]["GPE"]["f1_exact"] == 0.0 and report["per_label"]["GPE"]["count"] == 1


def test_overlapping_spans_of_one_annotator_are_refused():
    with pytest.raises(OverlappingSpans, match="a's spans overlap in document 1"):
        pair_report([(0, 12, "PERSON"), (7, 20, "GPE")], [])


# -- edge cases ----------------------------------------------------------------------


def test_one_annotator_gives_nulls_with_reasons():
    report = agreement(study_from_documents([doc(1, TEXT)], {"a": {1: [(0, 12, "PERSON")]}}))
    assert report["documents"] == 0 and report["pairs"] == []
    for key in (
        "f1_exact",
        "f1_overlap",
        "cohen_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
        "alpha_u",
        "percent_agreement",
    ):
        assert report[key] is None and report["undefined"][key], key


def test_two_annotators_with_no_shared_document():
    documents = [doc(1, TEXT), doc(2, TEXT)]
    report = agreement(study_from_documents(documents, {"a": {1: [(0, 12, "PERSON")]}, "b": {2: [(0, 12, "PERSON")]}}))
    assert report["documents"] == 0
    assert report["pairs"] == [
        {"a": "a", "b": "b", "documents": 0, "f1_exact": None, "f1_overlap": None, "cohen_kappa": None}
    ]
    assert report["undefined"]["pairs.a/b.f1_exact"] == "no document accepted by both"
    assert report["f1_exact"] is None and report["fleiss_kappa"] is None


def test_everyone_agrees_on_a_document_without_spans():
    answers = {name: {1: []} for name in "abc"}
    report = agreement(study_from_documents([doc(1, TEXT)], answers))
    assert report["documents"] == 1 and report["percent_agreement"] == 1.0
    assert report["f1_exact"] is None and "neither annotator" in report["undefined"]["pairs.a/b.f1_exact"]
    assert report["cohen_kappa"] is None and "only one category (O)" in report["undefined"]["pairs.a/b.cohen_kappa"]
    assert report["fleiss_kappa"] is None and report["krippendorff_alpha"] is None and report["alpha_u"] is None
    assert report["worst_documents"] == []


def test_an_agreed_empty_document_raises_token_agreement_but_not_span_f1():
    spans = {"a": [(0, 12, "PERSON")], "b": [(7, 12, "PERSON")]}
    one = agreement(study_from_documents([doc(1, TEXT)], {n: {1: s} for n, s in spans.items()}))
    both = agreement(
        study_from_documents(
            [doc(1, TEXT), doc(2, "Nothing to see here .")], {n: {1: s, 2: []} for n, s in spans.items()}
        )
    )
    assert both["f1_exact"] == one["f1_exact"] and both["documents"] == 2
    assert both["cohen_kappa"] > one["cohen_kappa"] and both["percent_agreement"] > one["percent_agreement"]


def test_an_annotator_who_skipped_documents_is_missing_not_o():
    documents = [doc(1, TEXT), doc(2, "Paris in May .")]
    full = {1: [(0, 12, "PERSON")], 2: [(0, 5, "GPE")]}
    skipped = agreement(study_from_documents(documents, {"a": full, "b": full, "c": {1: [(0, 12, "PERSON")]}}))
    as_o = agreement(study_from_documents(documents, {"a": full, "b": full, "c": {1: [(0, 12, "PERSON")], 2: []}}))
    assert [p["documents"] for p in skipped["pairs"]] == [2, 1, 1]
    assert skipped["krippendorff_alpha"] == 1.0 and as_o["krippendorff_alpha"] < 1.0
    # Fleiss and alpha-U use only document 1, which all three accepted.
    assert skipped["fleiss_kappa"] == 1.0 and skipped["alpha_u"] == 1.0


def test_empty_documents_give_reasons_not_errors():
    report = agreement(study_from_documents([(1, "", [])], {"a": {1: []}, "b": {1: []}}))
    assert report["documents"] == 1 and report["pairs"][0]["documents"] == 1
    assert report["percent_agreement"] is None and report["alpha_u"] is None
    assert report["undefined"]["pairs.a/b.cohen_kappa"] == "no shared document with tokens"
    assert report["undefined"]["alpha_u"] == "the documents all annotators accepted are empty"


def test_whitespace_tokens_are_not_items():
    """Five tokens, one of them "\\n\\n": agreement is 3 of 4, not 4 of 5."""
    study = study_from_documents([doc(1, "Paris\n\nis nice .")], {"a": {1: [(0, 5, "GPE")]}, "b": {1: []}})
    assert coverage(study)["tokens"] == 4
    assert agreement(study)["percent_agreement"] == 0.75


@pytest.mark.slow
def test_core_imports_no_textual_and_no_sqlite():
    """Every module of annotator.core, walked (a list by hand missed consensus and split)."""
    import pkgutil

    import annotator.core

    modules = [info.name for info in pkgutil.walk_packages(annotator.core.__path__, "annotator.core.")]
    assert "annotator.core.consensus" in modules and "annotator.core.split" in modules
    loaded = "[m for m in ('textual', 'rich', 'sqlite3', 'sqlite_utils', 'spacy') if m in sys.modules]"
    code = f"import sys, {', '.join(modules)}; print({loaded})"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )

"""Each agreement statistic against an independent implementation, on many random
annotation sets: scikit-learn, statsmodels, the krippendorff package, NLTK, scipy's
assignment solver and a port of DKPro's alpha-U. Equal to 1e-9."""

from __future__ import annotations

import math
import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from annotator.core.agreement import agreement
from annotator.core.study import study_from_documents
from tests.helpers.agreement_data import dkpro_alpha_u, io_tag_table, random_annotations, random_documents

NAMES = ("ann", "bob", "cat")
SEEDS = range(40)


def _close(mine, reference):
    if reference is None or (isinstance(reference, float) and math.isnan(reference)):
        assert mine is None, (mine, reference)
    else:
        assert mine is not None and abs(mine - reference) < 1e-9, (mine, reference)


def _random_case(seed, p_missing=0.2, n_docs=12):
    rng = np.random.default_rng(seed)
    documents = random_documents(rng, n_docs)
    answers = random_annotations(rng, documents, NAMES, p_missing)
    return documents, answers, agreement(study_from_documents(documents, answers, ["PERSON", "GPE", "DATE"]))


@pytest.mark.parametrize("seed", SEEDS)
def test_cohen_kappa_per_pair_matches_scikit_learn(seed):
    documents, answers, report = _random_case(seed)
    table = io_tag_table(documents, answers, NAMES)
    for pair in report["pairs"]:
        both = [
            (x, y) for x, y in zip(table[pair["a"]], table[pair["b"]], strict=True) if x is not None and y is not None
        ]
        if not both or len({v for xy in both for v in xy}) == 1:
            reference = None
        else:
            reference = cohen_kappa_score([x for x, _ in both], [y for _, y in both])
        _close(pair["cohen_kappa"], reference)


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_kappa_matches_statsmodels_on_complete_tokens(seed):
    documents, answers, report = _random_case(seed)
    table = io_tag_table(documents, answers, NAMES)
    rows = [row for row in zip(*(table[n] for n in NAMES), strict=True) if None not in row]
    codes = {label: k for k, label in enumerate(sorted({v for row in rows for v in row}))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = (
            statsmodels_fleiss(aggregate_raters(np.array([[codes[v] for v in row] for row in rows]))[0])
            if len(codes) > 1
            else None
        )
    _close(report["fleiss_kappa"], reference)


@pytest.mark.parametrize("seed", SEEDS)
def test_krippendorff_alpha_matches_the_package_with_missing_values(seed):
    documents, answers, report = _random_case(seed, p_missing=0.35)
    table = io_tag_table(documents, answers, NAMES)
    codes = {label: k for k, label in enumerate(["O", "PERSON", "GPE", "DATE"])}
    data = np.array([[np.nan if v is None else codes[v] for v in table[n]] for n in NAMES], dtype=float)
    values = set(data[~np.isnan(data)])
    reference = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal") if len(values) > 1 else None
    _close(report["krippendorff_alpha"], reference)


@pytest.mark.parametrize("seed", SEEDS[:15])
def test_token_statistics_match_nltk(seed):
    """NLTK's AnnotationTask: alpha with missing values; kappa, pi (Fleiss) and observed
    agreement on complete data (NLTK assumes every coder coded every item for those)."""
    documents, answers, report = _random_case(seed, p_missing=0.3)
    table = io_tag_table(documents, answers, NAMES)
    data = [(n, k, v) for n in NAMES for k, v in enumerate(table[n]) if v is not None]
    if len({v for _, _, v in data}) > 1:
        _close(report["krippendorff_alpha"], AnnotationTask(data=data).alpha())

    documents, answers, report = _random_case(seed, p_missing=0.0)
    table = io_tag_table(documents, answers, NAMES)
    task = AnnotationTask(data=[(n, k, v) for n in NAMES for k, v in enumerate(table[n])])
    if all(p["cohen_kappa"] is not None for p in report["pairs"]):
        _close(report["cohen_kappa"], task.kappa())
    if report["fleiss_kappa"] is not None:
        _close(report["fleiss_kappa"], task.pi())
    _close(report["percent_agreement"], task.avg_Ao())


def _reference_f1(documents, answers, a, b, label=None):
    """Micro F1 by sets (exact) and by an assignment solver per document (overlap)."""
    exact = overlap = spans = 0
    for doc_id, _, _ in documents:
        if doc_id not in answers[a] or doc_id not in answers[b]:
            continue
        x = [s for s in answers[a][doc_id] if label in (None, s[2])]
        y = [s for s in answers[b][doc_id] if label in (None, s[2])]
        spans += len(x) + len(y)
        exact += len(set(x) & set(y))
        if x and y:
            weights = np.array([[1 if p[2] == q[2] and p[0] < q[1] and q[0] < p[1] else 0 for q in y] for p in x])
            rows, cols = linear_sum_assignment(weights, maximize=True)
            overlap += int(weights[rows, cols].sum())
    return (2 * exact / spans, 2 * overlap / spans) if spans else (None, None)


@pytest.mark.parametrize("seed", SEEDS)
def test_span_f1_matches_sets_and_an_assignment_solver(seed):
    documents, answers, report = _random_case(seed)
    for pair in report["pairs"]:
        exact, overlap = _reference_f1(documents, answers, pair["a"], pair["b"])
        _close(pair["f1_exact"], exact)
        _close(pair["f1_overlap"], overlap)
    for label, entry in report["per_label"].items():
        values = [_reference_f1(documents, answers, a, b, label) for a, b in combinations(NAMES, 2)]
        for k, key in enumerate(("f1_exact", "f1_overlap")):
            defined = [v[k] for v in values if v[k] is not None]
            _close(entry[key], float(np.mean(defined)) if defined else None)


@pytest.mark.parametrize("seed", SEEDS)
def test_alpha_u_matches_a_port_of_dkpro(seed):
    """Over the documents every annotator accepted, laid end to end as one continuum."""
    documents, answers, report = _random_case(seed, p_missing=0.1)
    complete = [d for d in documents if all(d[0] in answers[n] for n in NAMES)]
    offset, units, length = 0, {n: [] for n in NAMES}, 0
    for doc_id, text, _ in complete:
        for n in NAMES:
            units[n] += [(offset + s, e - s, label) for s, e, label in answers[n][doc_id]]
        offset += len(text)
    length = offset
    if not complete:
        assert report["alpha_u"] is None and "alpha_u" in report["undefined"]
        return
    per_category, overall = dkpro_alpha_u([sorted(units[n]) for n in NAMES], length)
    _close(report["alpha_u"], overall)
    for label, entry in report["per_label"].items():
        d_o, d_e = per_category.get(label, (0, 0))
        _close(entry["alpha_u"], float(1 - d_o / d_e) if d_e else None)


def test_overlap_matching_is_maximum_on_random_disjoint_spans():
    """The greedy matching of non-crossing overlap edges against scipy's assignment solver."""
    from annotator.core.span_agreement import max_matching
    from annotator.core.unitizing import Units, overlapping_pairs

    rng = np.random.default_rng(7)

    def disjoint(count):
        points = np.sort(rng.choice(60, size=2 * count, replace=False))
        return Units(points[0::2], points[1::2])

    for _ in range(2000):
        a, b = disjoint(int(rng.integers(1, 10))), disjoint(int(rng.integers(1, 10)))
        i, j = overlapping_pairs(a, b)
        weights = np.zeros((len(a.starts), len(b.starts)))
        weights[i, j] = 1
        rows, cols = linear_sum_assignment(weights, maximize=True)
        assert len(max_matching(i, j)) == int(weights[rows, cols].sum())

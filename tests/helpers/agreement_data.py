"""Random annotation sets for the agreement tests, and the slow obvious definitions
(IO tags by scanning, DKPro's alpha-U loop) to compare the vectorised code against."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

LABELS = ["PERSON", "GPE", "DATE"]


def random_documents(rng: np.random.Generator, count: int) -> list[tuple[int, str, list[tuple[int, int]]]]:
    """Documents of words and the odd "\\n\\n" whitespace token, with their token offsets."""
    documents = []
    for doc_id in range(1, count + 1):
        text, tokens = "", []
        for _ in range(int(rng.integers(1, 25))):
            piece = "\n\n" if rng.random() < 0.1 else "w" * int(rng.integers(1, 6))
            tokens.append((len(text), len(text) + len(piece)))
            text += piece + " "
        documents.append((doc_id * 10, text, tokens))
    return documents


def _word_tokens(text, tokens):
    return [k for k, (s, e) in enumerate(tokens) if text[s:e].strip()]


def random_spans(rng, text, tokens, labels=LABELS) -> list[tuple[int, int, str]]:
    words = _word_tokens(text, tokens)
    spans, k = [], 0
    while k < len(words):
        if rng.random() < 0.3:
            last = min(len(words) - 1, k + int(rng.integers(0, 3)))
            spans.append((tokens[words[k]][0], tokens[words[last]][1], labels[int(rng.integers(len(labels)))]))
            k = last + 2
        else:
            k += 1
    return spans


def perturb(rng, text, tokens, spans, labels=LABELS):
    """Another annotator's version: some spans dropped, relabelled, resized; some added."""
    words = _word_tokens(text, tokens)
    starts = {tokens[k][0]: i for i, k in enumerate(words)}
    ends = {tokens[k][1]: i for i, k in enumerate(words)}
    out = []
    for start, end, label in spans:
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.3:
            label = labels[int(rng.integers(len(labels)))]
        elif roll < 0.5:
            first, last = starts[start], ends[end]
            first = max(0, first - int(rng.integers(0, 2)))
            last = min(len(words) - 1, last + int(rng.integers(0, 2)))
            start, end = tokens[words[first]][0], tokens[words[last]][1]
        if all(end <= s or e <= start for s, e, _ in out):
            out.append((start, end, label))
    for extra in random_spans(rng, text, tokens, labels)[:1]:
        if rng.random() < 0.3 and all(extra[1] <= s or e <= extra[0] for s, e, _ in out):
            out.append(extra)
    return sorted(out)


def random_annotations(rng, documents, annotators=("ann", "bob", "cat"), p_missing=0.2):
    """Accepted answers {annotator: {doc id: spans}}; each annotator skips some documents."""
    answers = {name: {} for name in annotators}
    for doc_id, text, tokens in documents:
        base = random_spans(rng, text, tokens)
        for name in annotators:
            if rng.random() >= p_missing:
                answers[name][doc_id] = perturb(rng, text, tokens, base)
    return answers


def io_tag_table(documents, answers, annotators):
    """(annotator x token) tags by scanning every span for every token; None = missing."""
    rows = {name: [] for name in annotators}
    for doc_id, text, tokens in documents:
        if sum(doc_id in answers[n] for n in annotators) < 2:
            continue
        for s, e in tokens:
            if not text[s:e].strip():
                continue
            for name in annotators:
                spans = answers[name].get(doc_id)
                if spans is None:
                    rows[name].append(None)
                else:
                    rows[name].append(next((label for a, b, label in spans if a < e and s < b), "O"))
    return rows


def dkpro_alpha_u(raters_units, length):
    """A line-by-line port of DKPro's KrippendorffAlphaUnitizingAgreement (observed
    disagreement by walking both segmentations; expected in exact fractions).
    ``raters_units``: per rater a sorted list of (offset, length, category). Returns
    ({category: (D_o, D_e)}, overall alpha)."""
    R, L, B = len(raters_units), length, 0
    categories = sorted({c for units in raters_units for _, _, c in units})

    def distance(o1, l1, c1, o2, l2, c2):
        begin_diff, length_diff = o1 - o2, l1 - l2
        if c1 is not None and c2 is not None and -l1 < begin_diff < l2:
            return begin_diff**2 + (begin_diff + length_diff) ** 2
        if c1 is not None and c2 is None and -length_diff >= begin_diff >= 0:
            return l1 * l1
        if c1 is None and c2 is not None and -length_diff <= begin_diff <= 0:
            return l2 * l2
        return 0

    def observed(cat):
        result = 0
        for r1 in range(R):
            for r2 in range(r1 + 1, R):
                u1 = iter([u for u in raters_units[r1] if u[2] == cat])
                u2 = iter([u for u in raters_units[r2] if u[2] == cat])
                n1, n2 = next(u1, None), next(u2, None)
                off1, len1, off2, len2, c1, c2, pos = B, 0, B, 0, None, None, B
                while pos < B + L and (n1 is not None or n2 is not None):
                    if pos == off1 + len1:
                        if n1 is not None and pos == n1[0]:
                            len1, c1, n1 = n1[1], n1[2], next(u1, None)
                        else:
                            len1, c1 = (n1[0] if n1 is not None else B + L) - pos, None
                        off1 = pos
                    if pos == off2 + len2:
                        if n2 is not None and pos == n2[0]:
                            len2, c2, n2 = n2[1], n2[2], next(u2, None)
                        else:
                            len2, c2 = (n2[0] if n2 is not None else B + L) - pos, None
                        off2 = pos
                    result += distance(off1, len1, c1, off2, len2, c2)
                    pos = min(off1 + len1, off2 + len2)
        return Fraction(2 * result, R * (R - 1) * L * L)

    def expected(cat):
        units = [u for rater in raters_units for u in rater if u[2] == cat]
        n_c = len(units)
        squared = sum(length * (length - 1) for _, length, _ in units)
        gaps = []
        for rater in raters_units:
            pos = 0
            for off, length, c in rater:
                if c == cat:
                    if off > pos:
                        gaps.append(off - pos)
                    pos = off + length
            if L > pos:
                gaps.append(L - pos)
        total = Fraction(0)
        for _, length, _ in units:
            total += Fraction((n_c - 1) * (2 * length**3 - 3 * length**2 + length), 3)
            total += length * length * sum(g - length + 1 for g in gaps if g >= length)
        return total * Fraction(2, L) / (R * L * (R * L - 1) - squared)

    result = {c: (observed(c), expected(c)) for c in categories}
    d_o = sum(v[0] for v in result.values())
    d_e = sum(v[1] for v in result.values())
    return result, (None if d_e == 0 else float(1 - d_o / d_e))

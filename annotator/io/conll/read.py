"""CoNLL / IOB files through spaCy's own converters: CoNLL-2003 style columns (the tag
last) or one sentence a line of ``word|TAG``; tags in IOB1, IOB2 or BILUO, decided per file.

A document per ``-DOCSTART-`` block (any form of the header), per sentence with
``--split sentence`` or in a file without headers. A bad line or tag sequence is a problem
of its sentence only (``--skip-invalid`` leaves out just that sentence).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import UserError
from annotator.io.conll.tags import BadTag, as_iob2, scheme_of
from annotator.io.records import Item, Problem, Record, text_lines
from annotator.io.spacy_docs import doc_record

# The last column of a CoNLL line is an IOB/BILUO tag.
TAG = re.compile(r"^(O|[BIELUS]-\S+)$")
DOC_DELIMITER = "-DOCSTART-"
# The one form spaCy's conll_ner_to_docs splits documents on; CoNLL-2003 itself writes
# "-DOCSTART- -X- -X- O" and Label Studio "-DOCSTART- -X- O", so every form is read as this.
SPACY_DOC_DELIMITER = "-DOCSTART- -X- O O"
# Sniffing is stricter: a label starts with a letter, so "the B-52" is never taken for a tag.
SNIFF_CUT = 2048  # a head this long may be a file's first bytes only
SNIFF_TAG = re.compile(r"^(O|[BIELUS]-[A-Za-z][\w.:-]*)$")


@dataclass
class _Sentence:
    numbers: list[int]  # the file's line of each of its lines
    lines: list[str]
    doc: int  # the -DOCSTART- block it is in (0 before the first, or in a file without)
    broken: bool = False  # holds a line that is not UTF-8 (reported as that line's problem)


def _sentences(path: Path) -> tuple[list[_Sentence], bool, bool, list[Problem]]:
    """The file's sentences (blocks between blank lines or headers; in IOB, each line),
    whether it is IOB, whether it has -DOCSTART- headers, and lines that are not UTF-8."""
    sentences, problems, doc, has_delimiter, current = [], [], 0, False, None
    numbered: list[tuple[int, str | None]] = []  # None: a line that is not UTF-8
    for number, read in text_lines(path):
        if isinstance(read, Problem):
            problems.append(read)
            numbered.append((number, None))
        else:
            numbered.append((number, read.strip()))
    content = [line for _, line in numbered if line and not line.startswith(DOC_DELIMITER)]
    iob = bool(content) and "|" in content[0].split()[0]
    for number, line in numbered:
        if line is None:  # its sentence is left out with it
            if current is None:
                current = _Sentence([number], [], doc)
                sentences.append(current)
            current.broken = True
        elif line.startswith(DOC_DELIMITER):
            has_delimiter, doc, current = True, doc + 1, None
        elif not line:
            current = None
        elif iob or current is None:
            current = _Sentence([number], [line], doc)
            sentences.append(current)
        else:
            current.numbers.append(number)
            current.lines.append(line)
    return sentences, iob, has_delimiter, problems


def _words_and_tags(line: str, iob: bool, width: int = 0) -> list[tuple[str, str]]:
    """(everything before the tag, the tag) for each word of a line; ValueError if it is not
    CoNLL/IOB, or has another number of columns than the file's ``width``."""
    words = line.split()
    split = [word.rsplit("|", 1) for word in words] if iob else [[" ".join(words[:-1]), words[-1]]]
    if (not iob and len(words) < 2) or not all(len(pair) == 2 and TAG.match(pair[1]) for pair in split):
        raise ValueError(f"not a CoNLL/IOB line (words with O, B-, I- tags): {line[:60]!r}")
    pairs = [(pair[0], pair[1]) for pair in split]
    if not iob and width and len(words) != width:
        raise ValueError(f"{len(words)} columns where the file's lines have {width}: {line[:60]!r}")
    return pairs


def _checked_sentence(sentence: _Sentence, iob: bool, scheme: str, width: int) -> list[str]:
    """The sentence's lines with IOB2 tags; ValueError (with the line) when a line or a tag is wrong."""
    pairs = []  # per line: its (words, tag) pairs
    for number, line in zip(sentence.numbers, sentence.lines, strict=True):
        try:
            pairs.append(_words_and_tags(line, iob, width))
        except ValueError as error:
            raise _BadSentence(number, str(error)) from None
    flat = [(number, w, t) for number, line in zip(sentence.numbers, pairs, strict=True) for w, t in line]
    try:
        tags = as_iob2([t for _, _, t in flat], scheme)
    except BadTag as bad:
        raise _BadSentence(flat[bad.at][0], str(bad)) from None
    if iob:
        return [" ".join(f"{w}|{t}" for (_, w, _), t in zip(flat, tags, strict=True))]
    return [f"{w} {t}" for (_, w, _), t in zip(flat, tags, strict=True)]


class _BadSentence(ValueError):
    def __init__(self, number: int, message: str):
        super().__init__(message)
        self.number = number


def _conll_documents(path: Path, split: str) -> tuple[list[tuple[int, str]], bool, list[Problem]]:
    """(first line, CoNLL text for spaCy's converter) per document, whether it is IOB, and
    the problems: each bad sentence is one, and only it is left out (``--skip-invalid``)."""
    sentences, iob, has_delimiter, problems = _sentences(path)
    if not sentences and has_delimiter and not problems:
        return [], iob, [Problem(f"{path}:1", f"no sentences, only document headers ({DOC_DELIMITER})")]
    widths = Counter(len(line.split()) for sentence in sentences for line in sentence.lines)
    width = widths.most_common(1)[0][0] if widths and not iob else 0
    sentences = [sentence for sentence in sentences if not sentence.broken]
    tags = []
    for sentence in sentences:
        try:
            tags.append([t for line in sentence.lines for _, t in _words_and_tags(line, iob, width)])
        except ValueError:
            pass  # reported below, with its line
    scheme = scheme_of(tags)
    good: list[tuple[_Sentence, list[str]]] = []
    for sentence in sentences:
        try:
            good.append((sentence, _checked_sentence(sentence, iob, scheme, width)))
        except _BadSentence as bad:
            problems.append(
                Problem(
                    f"{path}:{bad.number}",
                    f"{bad} (the sentence of lines {sentence.numbers[0]}-{sentence.numbers[-1]})",
                )
            )
    problems.sort(key=lambda problem: int(problem.where.rsplit(":", 1)[1]))
    # One document per -DOCSTART- block; per sentence with --split sentence or without headers.
    per_sentence = iob or split == "sentence" or not has_delimiter
    documents: list[tuple[int, list[str]]] = []
    for at, (sentence, lines) in enumerate(good):
        if per_sentence or not at or good[at - 1][0].doc != sentence.doc:
            documents.append((sentence.numbers[0], []))
        documents[-1][1].append("\n".join(lines))
    return [(first, "\n\n".join(block)) for first, block in documents], iob, problems


def read_conll(path: Path, split: str = "paragraph") -> Iterator[Item]:
    """CoNLL-2003 style columns (``conll_ner_to_docs``) or one-sentence-per-line IOB (``iob_to_docs``):
    a document per ``-DOCSTART-`` block (per sentence with ``split="sentence"`` or without headers)."""
    from spacy.training.converters import conll_ner_to_docs, iob_to_docs

    documents, iob, problems = _conll_documents(path, split)
    yield from problems
    if not documents:
        if not problems:
            yield Problem(f"{path}:1", "empty text (the file holds no words)")
        return
    try:
        if iob:
            docs = list(iob_to_docs("\n".join(text for _, text in documents), n_sents=1, no_print=True))
        else:  # each document after spaCy's own header line, the one form it splits on
            data = "\n".join(f"{SPACY_DOC_DELIMITER}\n\n{text}\n" for _, text in documents)
            docs = list(conll_ner_to_docs(data, n_sents=0, no_print=True))
    except Exception as error:  # the converters raise ValueError/KeyError on malformed tags
        raise UserError(f"{path}: not CoNLL/IOB ({type(error).__name__}: {error})") from None
    for index, (doc, (first, _)) in enumerate(zip(docs, documents, strict=False), start=1):
        record = doc_record(doc, path, f"{path}:{first}", index, "conll")
        if isinstance(record, Record):
            record.meta["line"] = first
        yield record


def looks_like_conll(head: str) -> bool:
    """Whether a file's first bytes are CoNLL/IOB, careful that ordinary text never is: a
    ``-DOCSTART-`` header, or at least two lines with the same number (2 to 12) of columns
    each ending in a tag and at least one tag an entity's, or lines of ``word|TAG`` only."""
    lines = head.splitlines()
    if len(head) >= SNIFF_CUT and len(lines) > 1:
        lines = lines[:-1]  # the head may end inside a line
    lines = [line.strip() for line in lines]
    lines = [line for line in lines if line][:50]
    if not lines:
        return False
    if lines[0].startswith(DOC_DELIMITER):
        return True
    if all(
        len(word.rsplit("|", 1)) == 2 and SNIFF_TAG.match(word.rsplit("|", 1)[1]) for word in " ".join(lines).split()
    ):
        return True
    widths = {len(line.split()) for line in lines}
    return (
        len(lines) >= 2
        and len(widths) == 1
        and 2 <= widths.pop() <= 12
        and all(SNIFF_TAG.match(line.split()[-1]) for line in lines)
        and any(line.split()[-1] != "O" for line in lines)
    )

"""spaCy inputs: `.spacy` DocBin files and CoNLL / IOB files through spaCy's converters.

Tokens are kept as the file gives them; entities become suggestions, or an accepted
answer when the importer is given an annotator with ``--as-answers``. A DocBin's
``doc.spans`` groups (spancat, SpanRuler) become suggestions of source ``spans:KEY``;
with ``--as-answers`` they join the entities in the one answer. Our spans never overlap,
so a group's spans that overlap each other (or, as answers, what is already taken) are
left out and counted in the import summary by group.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import Span, overlaps
from annotator.io.checks import MAX_DOCBIN_BYTES, empty_text
from annotator.io.iob_tags import BadTag, as_iob2, scheme_of
from annotator.io.records import NotImported, Problem, Record, text_lines

# The last column of a CoNLL line is an IOB/BILUO tag.
TAG = re.compile(r"^(O|[BIELUS]-\S+)$")
DOC_DELIMITER = "-DOCSTART-"
# The one form spaCy's conll_ner_to_docs splits documents on; CoNLL-2003 itself writes
# "-DOCSTART- -X- -X- O" and Label Studio "-DOCSTART- -X- O", so every form is read as this.
SPACY_DOC_DELIMITER = "-DOCSTART- -X- O O"
INFLATE_CHUNK = 1 << 20
# Sniffing is stricter: a label starts with a letter, so "the B-52" is never taken for a tag.
SNIFF_CUT = 2048  # a head this long may be a file's first bytes only
SNIFF_TAG = re.compile(r"^(O|[BIELUS]-[A-Za-z][\w.:-]*)$")


def _record(doc, path: Path, where: str, index: int, source: str) -> Record | Problem:
    text = doc.text.rstrip()  # converters leave a space after the last word
    empty = empty_text(text)
    if empty:
        return Problem(where, empty)
    return Record(
        text=text,
        where=where,
        meta={"file": str(path), "doc": index},
        tokens=[(t.idx, t.idx + len(t)) for t in doc if t.idx < len(text)],
        spans=tuple(Span(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents),
        answer_default="accept",
        source=source,
    )


def without_overlaps(spans: Iterable[Span], taken: Iterable[Span] = ()) -> tuple[tuple[Span, ...], int]:
    """The spans that overlap none of the others nor anything ``taken`` (a span equal to a
    taken one is the same span, not a conflict), and how many were left out."""
    spans, taken = sorted(set(spans)), tuple(taken)
    kept, left_out, reach = [], 0, 0  # reach: the furthest end of the spans before
    for at, span in enumerate(spans):
        follows = at + 1 < len(spans) and spans[at + 1].start < span.end  # sorted: the next start is the nearest
        if span in taken:
            pass
        elif span.start < reach or follows or any(overlaps(span, other) for other in taken):
            left_out += 1
        else:
            kept.append(span)
        reach = max(reach, span.end)
    return tuple(kept), left_out


def _docbin_records(docs: Iterable, path: Path, as_answers: bool) -> Iterator[Record | Problem | NotImported]:
    left_out: Counter = Counter()
    for index, doc in enumerate(docs, start=1):
        record = _record(doc, path, f"{path}: doc {index}", index, "spacy")
        groups = {key: [Span(s.start_char, s.end_char, s.label_) for s in group] for key, group in doc.spans.items()}
        if isinstance(record, Problem) or not groups:
            yield record
            continue
        if as_answers:  # one answer: the entities, then each group's spans that fit
            for key, spans in groups.items():
                kept, count = without_overlaps(spans, record.spans)
                left_out[key] += count
                record.spans = tuple(sorted(record.spans + kept))
            yield record
            continue
        yield record
        for key, spans in groups.items():
            kept, count = without_overlaps(spans)
            left_out[key] += count
            yield Record(text=record.text, where=f"{record.where} (spans group {key!r})", meta=record.meta,
                         tokens=record.tokens, spans=kept, source=f"spans:{key}", same_document=True)  # fmt: skip
    for key, count in left_out.items():
        if count:
            yield NotImported(str(path), f"overlapping spans in spans group {key!r}", count)


def _check_inflated_size(path: Path, data: bytes) -> None:
    """Refuse a DocBin whose zlib stream inflates past the limit, found while inflating a
    chunk at a time (a zlib bomb of gigabytes costs a megabyte of memory, not gigabytes)."""
    limit = f"decompresses to more than {MAX_DOCBIN_BYTES // 2**20} MB, the limit for one DocBin; split it into smaller DocBins"
    if len(data) > MAX_DOCBIN_BYTES:
        raise UserError(f"{path}: {limit}")
    inflater, pending, total = zlib.decompressobj(), data, 0
    try:
        while pending and not inflater.eof:
            total += len(inflater.decompress(pending, INFLATE_CHUNK))
            if total > MAX_DOCBIN_BYTES:
                raise UserError(f"{path}: {limit}")
            pending = inflater.unconsumed_tail
    except zlib.error:
        return  # not a zlib stream at all: DocBin.from_bytes says so


def _docs(doc_bin, path: Path) -> Iterator:
    """The DocBin's documents; a damaged one (its strings or arrays do not fit) is one line."""
    from spacy.vocab import Vocab

    docs, index = doc_bin.get_docs(Vocab()), 0
    while True:
        index += 1
        try:
            doc = next(docs)
        except StopIteration:
            return
        except KeyError:  # spaCy's E018: a token's hash is not in the string table
            raise UserError(
                f"{path}: doc {index}: a damaged DocBin: its string table does not hold the strings of its tokens"
            ) from None
        except Exception as error:
            raise UserError(f"{path}: doc {index}: a damaged DocBin ({type(error).__name__}: {error})") from None
        yield doc


def read_docbin(path: Path, as_answers: bool = False) -> Iterator[Record | Problem | NotImported]:
    from spacy.tokens import DocBin

    data = path.read_bytes()
    if not data:
        raise UserError(f"{path}: an empty file, not a spaCy DocBin")
    _check_inflated_size(path, data)
    try:
        doc_bin = DocBin(store_user_data=True).from_bytes(data)
    except Exception as error:  # msgpack/zlib raise many kinds; all mean "not a DocBin"
        raise UserError(f"{path}: not a spaCy DocBin ({type(error).__name__}: {error})") from None
    if len(doc_bin) == 0:
        raise UserError(f"{path}: the DocBin holds no documents")
    return _docbin_records(_docs(doc_bin, path), path, as_answers)


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
    for number, line in text_lines(path):
        if isinstance(line, Problem):
            problems.append(line)
            numbered.append((number, None))
        else:
            numbered.append((number, line.strip()))
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
    pairs = [tuple(word.rsplit("|", 1)) for word in words] if iob else [(" ".join(words[:-1]), words[-1])]
    if (not iob and len(words) < 2) or not all(len(pair) == 2 and TAG.match(pair[1]) for pair in pairs):
        raise ValueError(f"not a CoNLL/IOB line (words with O, B-, I- tags): {line[:60]!r}")
    if not iob and width and len(words) != width:
        raise ValueError(f"{len(words)} columns where the file's lines have {width}: {line[:60]!r}")
    return pairs


def _checked_sentence(sentence: _Sentence, iob: bool, scheme: str, width: int) -> list[str]:
    """The sentence's lines with IOB2 tags; ValueError (with the line) when a line or a tag is wrong."""
    pairs = []  # per line: its (words, tag) pairs
    for number, line in zip(sentence.numbers, sentence.lines):
        try:
            pairs.append(_words_and_tags(line, iob, width))
        except ValueError as error:
            raise _BadSentence(number, str(error)) from None
    flat = [(number, w, t) for number, line in zip(sentence.numbers, pairs) for w, t in line]
    try:
        tags = as_iob2([t for _, _, t in flat], scheme)
    except BadTag as bad:
        raise _BadSentence(flat[bad.at][0], str(bad)) from None
    if iob:
        return [" ".join(f"{w}|{t}" for (_, w, _), t in zip(flat, tags))]
    return [f"{w} {t}" for (_, w, _), t in zip(flat, tags)]


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


def read_conll(path: Path, split: str = "paragraph") -> Iterator[Record | Problem]:
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
    for index, (doc, (first, _)) in enumerate(zip(docs, documents), start=1):
        record = _record(doc, path, f"{path}:{first}", index, "conll")
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

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
from collections.abc import Iterable, Iterator
from pathlib import Path

from collections import Counter

from annotator.core.spans import Span, overlaps
from annotator.errors import UserError
from annotator.io.checks import MAX_DOCBIN_BYTES, empty_text
from annotator.io.records import NotImported, Problem, Record, text_lines

# The last column of a CoNLL line is an IOB/BILUO tag.
TAG = re.compile(r"^(O|[BIELU]-\S+)$")
DOC_DELIMITER = "-DOCSTART-"
# The one form spaCy's conll_ner_to_docs splits documents on; CoNLL-2003 itself writes
# "-DOCSTART- -X- -X- O" and Label Studio "-DOCSTART- -X- O", so every form is read as this.
SPACY_DOC_DELIMITER = "-DOCSTART- -X- O O"
INFLATE_CHUNK = 1 << 20


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


def _records(docs: Iterable, path: Path, source: str, first_line: list[int] | None = None) -> Iterator[Record | Problem]:
    for index, doc in enumerate(docs, start=1):
        where = f"{path}:{first_line[index - 1]}" if first_line else f"{path}: doc {index}"
        yield _record(doc, path, where, index, source)


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
            raise UserError(f"{path}: doc {index}: a damaged DocBin: its string table does not hold the strings of its tokens") from None
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


def _conll_lines(path: Path) -> tuple[str, list[int], list[Problem]]:
    """The file's text, the line each document starts on, and lines that are not CoNLL/IOB."""
    lines, problems = [], []
    for number, line in text_lines(path):
        if isinstance(line, Problem):
            problems.append(line)
        else:
            lines.append((number, line.strip()))
    content = [(n, line) for n, line in lines if line and not line.startswith(DOC_DELIMITER)]
    iob = bool(content) and "|" in content[0][1].split()[0]
    for number, line in content:
        words = line.split()
        tags = [word.rsplit("|", 1)[-1] for word in words] if iob else [words[-1]]
        if (not iob and len(words) < 2) or not all(TAG.match(tag) for tag in tags):
            problems.append(Problem(f"{path}:{number}", f"not a CoNLL/IOB line (words with O, B-, I- tags): {line[:60]!r}"))
    # Where each document starts: every line (IOB), each -DOCSTART- block, or each sentence.
    has_delimiter = any(line.startswith(DOC_DELIMITER) for _, line in lines)
    starts, previous = [], ""
    for number, line in lines:
        if line and not line.startswith(DOC_DELIMITER):
            if iob or previous.startswith(DOC_DELIMITER) or (not has_delimiter and not previous):
                starts.append(number)
        if line or not has_delimiter:
            previous = line
    if not content and has_delimiter:
        problems.append(Problem(f"{path}:1", f"no sentences, only document headers ({DOC_DELIMITER})"))
    # spaCy splits documents only on its exact header line: any other -DOCSTART- line (a header
    # all the same) would be read as words. IOB has no headers: they are left out.
    text = [SPACY_DOC_DELIMITER if line.startswith(DOC_DELIMITER) else line for _, line in lines if not (iob and line.startswith(DOC_DELIMITER))]
    return "\n".join(text), starts, problems


def read_conll(path: Path) -> Iterator[Record | Problem]:
    """CoNLL-2003 style columns (``conll_ner_to_docs``) or one-sentence-per-line IOB (``iob_to_docs``)."""
    from spacy.training.converters import conll_ner_to_docs, iob_to_docs

    data, starts, problems = _conll_lines(path)
    if problems:
        yield from problems
        return
    if not data.strip():
        yield Problem(f"{path}:1", "empty text (the file holds no words)")
        return
    is_iob = "|" in data.strip().split()[0]
    try:
        if is_iob:
            docs = list(iob_to_docs(data, n_sents=1, no_print=True))
        else:
            docs = list(conll_ner_to_docs(data, n_sents=0 if DOC_DELIMITER in data else 1, no_print=True))
    except Exception as error:  # the converters raise ValueError/KeyError on malformed tags
        raise UserError(f"{path}: not CoNLL/IOB ({type(error).__name__}: {error})") from None
    yield from _records(docs, path, "conll", starts if len(starts) == len(docs) else None)

"""Reading spaCy's `.spacy` DocBin files (the CoNLL / IOB reader, io/conll, makes its records here too).

Tokens are kept as the file gives them; entities become suggestions, or an accepted
answer when the importer is given an annotator with ``--as-answers``. A DocBin's
``doc.spans`` groups (spancat, SpanRuler) become suggestions of source ``spans:KEY``;
with ``--as-answers`` they join the entities in the one answer. Our spans never overlap,
so a group's spans that overlap each other (or, as answers, what is already taken) are
left out and counted in the import summary by group.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import Span, overlaps
from annotator.io.checks import MAX_DOCBIN_BYTES, empty_text
from annotator.io.records import NotImported, Problem, Record

INFLATE_CHUNK = 1 << 20


def doc_record(doc, path: Path, where: str, index: int, source: str) -> Record | Problem:
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
        record = doc_record(doc, path, f"{path}: doc {index}", index, "spacy")
        groups = {key: [Span(s.start_char, s.end_char, s.label_) for s in group] for key, group in doc.spans.items()}
        if isinstance(record, Problem) or not groups:
            yield record
            continue
        if as_answers:  # one answer: the entities, then each group's spans that fit
            for key, spans in groups.items():
                taken = record.spans or ()
                kept, count = without_overlaps(spans, taken)
                left_out[key] += count
                record.spans = tuple(sorted(taken + kept))
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
    limit = (
        f"decompresses to more than {MAX_DOCBIN_BYTES // 2**20} MB, the limit for one DocBin; "
        "split it into smaller DocBins"
    )
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

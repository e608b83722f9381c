"""spaCy's `.spacy` DocBin files: read into records (``read``) and written from stored
tokens and final spans (``write``)."""

from annotator.io.spacy_docs.read import doc_record, read_docbin, without_overlaps
from annotator.io.spacy_docs.write import DOC_ATTRS, doc_vocab, make_doc, new_doc_bin, words_and_spaces

__all__ = [
    "DOC_ATTRS",
    "doc_vocab",
    "doc_record",
    "make_doc",
    "new_doc_bin",
    "read_docbin",
    "without_overlaps",
    "words_and_spaces",
]

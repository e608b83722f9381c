"""CoNLL / IOB: read through spaCy's converters (``read``, tag schemes in ``tags``) and
written as CoNLL-2003 ``word TAG`` documents (``write``)."""

from annotator.io.conll.read import looks_like_conll, read_conll
from annotator.io.conll.write import CONLL_FILES, conll_document

__all__ = ["CONLL_FILES", "conll_document", "looks_like_conll", "read_conll"]

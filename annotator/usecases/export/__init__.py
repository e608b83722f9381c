"""Store -> training data: spaCy's DocBins and config (``docbin``), Prodigy JSONL (``jsonl``) or
CoNLL-2003 (``conll``). What to export is chosen in ``choose``, split into train and dev in
``sides``; every export writes through ``output`` (nothing half-written) and reports a ``summary``."""

from annotator.usecases.export.conll import export_conll
from annotator.usecases.export.docbin import SPACY_FILES, export_spacy
from annotator.usecases.export.jsonl import export_jsonl
from annotator.usecases.export.sides import check_eval_split
from annotator.usecases.export.summary import Summary

__all__ = ["SPACY_FILES", "Summary", "check_eval_split", "export_conll", "export_jsonl", "export_spacy"]

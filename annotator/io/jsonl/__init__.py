"""JSONL: plain lines (text/meta/id), Prodigy's and doccano's, read (``read``) and Prodigy's
written back (``write``)."""

from annotator.io.jsonl.read import DEFAULT_ANNOTATOR, FLAVOURS, read_jsonl
from annotator.io.jsonl.write import JSONL_FILE, prodigy_task, write_jsonl

__all__ = ["DEFAULT_ANNOTATOR", "FLAVOURS", "JSONL_FILE", "prodigy_task", "read_jsonl", "write_jsonl"]

"""Messages that background workers post to the screens (workers never touch widgets)."""

from __future__ import annotations

from textual.message import Message


class SuggestionsReady(Message):
    """Suggestions were stored for these documents."""

    def __init__(self, document_ids: list[int]):
        super().__init__()
        self.document_ids = document_ids


class PreannotateUnavailable(Message):
    """Pre-annotation cannot run (no model installed, no patterns...): say so once."""

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


class ModelNotice(Message):
    """A warning about the model or patterns (not installed, changed since the dataset was
    pre-highlighted) that the screen must show: the console is hidden behind it."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class ProgressCounted(Message):
    """This annotator's answered and total document counts."""

    def __init__(self, done: int, total: int):
        super().__init__()
        self.done, self.total = done, total

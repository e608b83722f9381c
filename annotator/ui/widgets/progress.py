"""Progress: answered / total for this annotator, the rate this session, time left, and
what is on screen (dataset, annotator, the document's source, and which learned model's
suggestions it opened with, with its held-out F1)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from annotator.core.visible import visible


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class ProgressLine(Widget):
    DEFAULT_CSS = """
    ProgressLine { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, dataset: str, annotator: str, **kwargs):
        super().__init__(**kwargs)
        self.dataset, self.annotator = dataset, annotator
        self.done: int | None = None
        self.total: int | None = None
        self.per_hour: float | None = None
        self.eta: float | None = None
        self.source = ""
        self.suggestions = ""  # "learned 3: F 0.81 on 40 held-out answers, trained on 160", or none

    def show(self, **values) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self.refresh()

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        counts = "…" if self.done is None else f"{self.done}/{self.total}"
        line.append(counts, style="bold")
        rate = "–" if self.per_hour is None else f"{self.per_hour:.0f}"
        line.append(f"  {rate}/h  left {_duration(self.eta)}", style="dim")
        line.append("  ")
        if self.suggestions:  # before the names: the ellipsis takes the end of a narrow line
            line.append(self.suggestions, style="bold")
            line.append(" · ")
        line.append(visible(self.dataset), style="bold")
        line.append(" · ")
        line.append(visible(self.annotator))
        if self.source:
            line.append(" · ")
            # The file name (and offset) says which document this is; its folders rarely fit.
            line.append(visible(self.source.rsplit("/", 1)[-1]), style="italic")
        return line

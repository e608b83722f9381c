"""The label palette: each label's key, its name on its colour, and its count in the document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget

from annotator.core.visible import visible
from annotator.io.labels import LabelsConfig


class LabelBar(Widget):
    DEFAULT_CSS = """
    LabelBar { height: auto; padding: 0 1; }
    """

    def __init__(self, config: LabelsConfig, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.counts: Counter = Counter()

    def count(self, labels: Iterable[str]) -> None:
        counts = Counter(labels)
        if counts != self.counts:
            self.counts = counts
            self.refresh()  # same labels, same lines: no layout pass needed

    def render(self) -> Text:
        # Rich Text, never markup: a label called "[bold]" shows as "[bold]".
        line = Text(no_wrap=False, overflow="fold")
        for label in self.config.labels:
            if line:
                line.append("  ")
            line.append(visible(label.key or "·"), style="bold")
            line.append(" ")
            line.append(visible(label.name), style=f"#101010 on {self.config.color(label.name)}")
            line.append(f" {self.counts.get(label.name, 0)}", style="bold" if self.counts.get(label.name) else "dim")
        return line

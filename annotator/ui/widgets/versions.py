"""The review screen's upper half: each annotator's version (read-only), stacked, and a
line that lists where they differ."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from annotator.core.tasks import ACCEPT
from annotator.core.visible import visible
from annotator.core.wording import counted
from annotator.io.labels import LabelsConfig
from annotator.ui.keys import key_display
from annotator.ui.widgets.version_text import VersionText
from annotator.usecases.review_session import Case


def compared(case: Case, spans) -> str:
    """How one accepted version differs from the others, in words."""
    own = sum(1 for span in spans if case.disputed(span))
    missing = len({span for other in case.accepted for span in other} - set(spans))
    if not own and not missing:
        if len(case.accepted) == len(case.versions):
            return " · as every version"
        # Others rejected or ignored: "as every version" would hide them.
        return " · as every accepted version" if len(case.accepted) > 1 else " · the only accepted version"
    parts = [f"{own} not in every version"] if own else []
    parts += [f"lacks {missing} of the others'"] if missing else []
    return " · " + ", ".join(parts)


class Versions(Vertical):
    DEFAULT_CSS = """
    Versions { height: auto; }
    Versions .who { height: 1; padding: 0 1; background: $boost; }
    Versions .version { height: auto; min-height: 1; }
    Versions #differences { height: auto; max-height: 3; padding: 0 1; }
    """

    def __init__(self, config: LabelsConfig, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.label_colors = {name: config.color(name) for name in config.names}

    def compose(self):
        yield Static(id="differences")

    @property
    def views(self) -> list[VersionText]:
        return list(self.query(".version").results(VersionText))

    def show(self, case: Case) -> None:
        views, headers = self.views, list(self.query(".who").results(Static))
        if len(views) != len(case.versions):  # mounting is rare: most documents have as many versions
            for widget in [*views, *headers]:
                widget.remove()
            headers = [Static(classes="who") for _ in case.versions]
            views = [VersionText(colors=self.label_colors, classes="version") for _ in case.versions]
            self.mount_all([w for pair in zip(headers, views, strict=True) for w in pair], before="#differences")
        keys = self.config.bindings()
        for number, (header, view, version) in enumerate(zip(headers, views, case.versions, strict=True), start=1):
            shown = version.spans if version.answer == ACCEPT else ()
            key = key_display(self.app, keys.get(f"take_version_{number}", ""))
            line = Text.assemble(
                (f"{key} ", "bold reverse"), " ", (visible(version.annotator), "bold"), f"  {version.answer}"
            )
            if version.answer == ACCEPT:
                line.append(f" · {counted(len(shown), 'span')}")
                line.append(compared(case, shown), style="dim")
            header.update(line)
            view.disputed = case.disputed
            view.show(case.document.text, case.tokens, shown, self.label_colors)
        self.query_one("#differences", Static).update(self._differences(case))

    def _differences(self, case: Case) -> Text:
        """One line listing where the versions differ, so nothing has to be spotted by eye."""
        differences = case.differences()
        done = {"reject": "rejected", "ignore": "ignored"}
        others = ", ".join(
            f"{done.get(answer, answer)} by {' and '.join(names)}" for answer, names in case.not_accepted().items()
        )
        if not differences:
            accepted = len(case.accepted)
            line = Text("the accepted versions agree" if accepted > 1 else f"{accepted} accepted version", style="dim")
            if others:
                line.append(f"; {others}", style="bold")
            return line
        # One entry per place (spans starting at the same character: "Kurdistan LOC in 1 or
        # Kurdistan Region GPE in 2,3"), as ] and [ walk them, so the count is what is listed.
        places = [list(group) for _, group in groupby(differences, key=lambda item: item[0].start)]
        keys = self.config.bindings()
        line = Text(no_wrap=False, overflow="fold")
        line.append(counted(len(places), "difference"), style="bold")  # never 0: differences were found
        walk = f"{key_display(self.app, keys['next_difference'])} {key_display(self.app, keys['previous_difference'])}"
        line.append(f" ({walk} go there): ", style="dim")
        for index, place in enumerate(places):
            if index:
                line.append("  ")
            for choice, (span, numbers) in enumerate(place):
                if choice:
                    line.append(" or ", style="italic")
                line.append(
                    visible(case.document.text[span.start : span.end]),
                    style=f"#101010 on {self.config.color(span.label)}",
                )
                line.append(f" {visible(span.label)} ", style="bold")
                line.append("in " + ",".join(map(str, numbers)), style="dim")
        return line

    def share(self, rows: int) -> None:
        """Short documents take the lines they need; long ones share ``rows`` between the
        versions (each scrolls with the gold version's cursor)."""
        views = self.views
        for view in views:
            view.styles.max_height = max(1, rows // len(views) - 1)

    def follow(self, char: int) -> None:
        for view in self.views:
            view.follow(char)

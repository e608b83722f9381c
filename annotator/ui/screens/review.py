"""The review screen: every annotator's version of a document, and the gold version below.

The versions are read-only; spans that not every accepted version has are underlined.
The gold version opens as the most common version and is edited with the annotate
screen's span keys (``ui.editing.SpanEditing`` drives the same ``SpanEditor``). Each
decision is committed before the next document shows, by a thread worker that retries
while the store is busy, full or read-only (``ui.screens.saving``, as on the annotate screen).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from annotator.core import actions
from annotator.core.editor import SpanEditor
from annotator.core.tasks import ACCEPT, REJECT
from annotator.core.visible import quoted, visible
from annotator.core.wording import counted
from annotator.ui.editing import SpanEditing
from annotator.ui.keys import add_label_bindings, bindings, describe, key_display
from annotator.ui.saver import open_store
from annotator.ui.screens.saving import Saver, Saving
from annotator.ui.widgets.keys_line import KeysLine
from annotator.ui.widgets.label_bar import LabelBar
from annotator.ui.widgets.progress import ProgressLine
from annotator.ui.widgets.status import StatusLine
from annotator.ui.widgets.version_text import VersionText
from annotator.ui.widgets.versions import Versions
from annotator.usecases.review_session import Case, ReviewSession

FIXED_ROWS = 11  # progress, differences, gold title and border, labels, status, keys
COMPACT_BELOW = 30  # terminal rows under which the gold's border and the labels' rule go
COMPACT_SAVES = 3  # ... which gives the versions these rows


class ReviewProgress(ProgressLine):
    """reviewed / to review, then dataset · reviewer · source."""

    def render(self) -> Text:
        return Text.assemble(("reviewed ", "dim"), super().render())


class ReviewScreen(Saving, SpanEditing, Screen):
    EDIT_VIEW = "#gold"
    BINDINGS = bindings(actions.REVIEW)
    DEFAULT_CSS = """
    ReviewScreen #gold-title { height: 1; padding: 0 1; background: $primary-darken-2; }
    ReviewScreen #gold { height: 1fr; min-height: 3; border: round $panel-lighten-2; }
    ReviewScreen.-compact #gold { border: none; }
    """

    def __init__(self, session: ReviewSession, back_when_done: bool = False, owns_store: bool = False, **kwargs):
        """``back_when_done``: pushed over another screen (the agreement screen's worst
        documents), go back to it after the last document instead of a summary.
        ``owns_store``: close the session's store when the screen goes."""
        super().__init__(**kwargs)
        self.session, self.back_when_done, self.owns_store = session, back_when_done, owns_store
        self.saver = Saver.on(session.store.path)
        self.config = session.config
        add_label_bindings(self, self.config)
        self.editor: SpanEditor | None = None
        self.case: Case | None = None

    @classmethod
    def for_documents(
        cls, store_path, config, dataset: str, documents: list[int], reviewer: str | None = None
    ) -> ReviewScreen:
        """A review of just these documents on its own store connection (closed when the
        screen goes), going back to the screen below when they are decided."""
        return cls(
            ReviewSession(open_store(store_path), config, dataset, reviewer, documents=documents),
            back_when_done=True,
            owns_store=True,
        )

    def on_unmount(self) -> None:
        self.saver.close()
        if self.owns_store:
            self.session.store.close()

    def compose(self) -> ComposeResult:
        yield ReviewProgress(self.session.dataset, self.session.reviewer, id="progress")
        yield Versions(self.config, id="versions")
        yield Static(id="gold-title")
        yield VersionText(id="gold", colors={name: self.config.color(name) for name in self.config.names})
        yield LabelBar(self.config, id="labels")
        yield StatusLine(id="status")
        yield KeysLine()

    def on_mount(self) -> None:
        self.show_next()

    # -- showing documents ----------------------------------------------------------------

    def show_next(self, message: str | None = None) -> None:
        case = self.session.next_case()
        if case is None:
            self.finish()
            return
        self.show(case, message)

    def show(self, case: Case, message: str | None = None) -> None:
        self.case = case
        self.editor = SpanEditor(case.document.text, case.tokens, case.gold)
        self.query_one(Versions).show(case)
        self.on_resize()
        gold = self.query_one("#gold", VersionText)
        gold.disputed = case.disputed
        gold.show(case.document.text, case.tokens, editor=self.editor)
        session = self.session
        self.query_one(ReviewProgress).show(done=session.reviewed, total=session.total, source=case.document.source)
        differences = case.differences()
        if differences:  # start where there is something to settle
            where = self._to_difference(differences[0][0].start)
            message = message or where
        if case.rejected_by_most and case.previous is None:
            rejected, answered = case.rejections()
            names = " and ".join(visible(v.annotator) for v in case.versions if v.answer == REJECT)
            message = f"{rejected} of {answered} rejected ({names}): most say reject · gold from {case.gold_source}"
        if message is None:
            message = f"gold from {case.gold_source}"
        if case.earlier is not None and case.previous is None:
            message = f"{message} · reviewed before: {case.earlier.answer} by {case.earlier.reviewer}"
        if case.previous is not None:
            message = f"you decided {case.previous.answer}; a new decision is added, the old one kept"
        self.refresh_view(message)

    def on_resize(self) -> None:
        # A small terminal (80x24) drops three rows of chrome so that each version shows
        # three lines around the gold's cursor rather than two.
        compact = self.size.height < COMPACT_BELOW
        self.set_class(compact, "-compact")
        fixed = FIXED_ROWS - (COMPACT_SAVES if compact else 0)
        self.query_one(Versions).share((self.size.height - fixed) * 3 // 4)

    def refresh_view(self, message: str | None = None) -> None:
        if self.editor is None:  # no case on screen (finished): nothing to redraw
            return
        gold = self.query_one("#gold", VersionText)
        gold.update()
        self.query_one(LabelBar).count(span.label for span in self.editor.spans)
        self._title_gold()
        if self.editor.tokens.offsets:
            char = self.editor.tokens.starts[self.editor.cursor]
            self.query_one(Versions).follow(char)
        if message is not None:
            self.query_one(StatusLine).say(message)

    def status(self, message: str) -> None:
        self.query_one(StatusLine).say(message)

    def _title_gold(self) -> None:
        if self.case is None or self.editor is None:
            return
        case, spans = self.case, set(self.editor.spans)
        same = [
            (n, v.annotator) for n, v in enumerate(case.versions, 1) if v.answer == ACCEPT and set(v.spans) == spans
        ]
        title = Text.assemble(("gold", "bold"), f" · {counted(len(spans), 'span')} · ")
        keys = self.config.bindings()
        accept = key_display(self.app, keys["accept"])
        if case.rejected_by_most:  # propose what most annotators said: reject
            rejected, answered = case.rejections()
            title.append(f"{rejected} of {answered} rejected: ", style="bold")
            title.append(
                f"{key_display(self.app, keys['reject'])} rejects, {accept} accepts {self._which(same, spans)}"
            )
        else:
            title.append(
                f"same as {', '.join(f'{n} {visible(name)}' for n, name in same)}"
                if same
                else "edited: like no version",
                style="italic",
            )
            title.append(f"   {accept} accepts it", style="dim")
        self.query_one("#gold-title", Static).update(title)

    @staticmethod
    def _which(same: list[tuple[int, str]], spans: set) -> str:
        """The gold in words: "ben's version" (2 ben), "the edited version", "no spans"."""
        if same:
            return " and ".join(visible(name) for _, name in same) + "'s version"
        return "the edited version" if spans else "no spans"

    def finish(self) -> None:
        self.case = self.editor = None
        if self.back_when_done:
            self.dismiss()
            return
        from annotator.ui.screens.review_done import ReviewDoneScreen

        self.app.push_screen(ReviewDoneScreen(self.session), self._after_done)

    def _after_done(self, go_back: bool | None) -> None:
        if go_back:
            self.action_undo()

    # -- decisions ------------------------------------------------------------------------

    async def action_decide(self, kind: str) -> None:
        if self.case is None or self.editor is None or self.saving:
            return
        session = self.session
        decision = session.decision(kind, self.editor.spans)
        done = "accepted the gold version of" if kind == ACCEPT else "rejected"

        def saved(_row: int) -> None:
            session.decided(decision)
            self.show_next(f"{done} document {decision.document}; saved")

        await self.save_soon("decision", lambda store: session.store_decision(decision, store), saved)

    def action_skip(self) -> None:
        if self.case is None:
            return
        self.session.skip()
        self.show_next(f"skipped document {self.case.document.id}; it stays to review")

    def action_take(self, number: int) -> None:
        if self.case is None or self.editor is None:
            return
        if number > len(self.case.versions):
            self.query_one(StatusLine).say(f"there is no version {number} ({len(self.case.versions)} versions)")
            return
        version = self.case.versions[number - 1]
        self.editor.replace_all(version.spans if version.answer == ACCEPT else ())
        message = f"took version {number} ({version.annotator}): {len(version.spans)} spans"
        if version.answer != ACCEPT:
            reject = key_display(self.app, self.config.bindings()["reject"])
            message = f"{version.annotator} answered {version.answer}: the gold is empty; {reject} rejects the document"
        self._edit(message)

    def action_difference(self, forward: bool) -> None:
        """The gold's cursor to the next (previous) span that not every version has."""
        if self.case is None or self.editor is None or not self.editor.tokens.offsets:
            return
        starts = sorted({span.start for span, _ in self.case.differences()})
        if not starts:
            self.query_one(StatusLine).say("the accepted versions agree: nothing to settle")
            return
        here = self.editor.tokens.starts[self.editor.cursor]
        after = [s for s in starts if s > here] if forward else [s for s in starts if s < here][::-1]
        self._edit(self._to_difference((after or (starts if forward else starts[::-1]))[0]))

    def _to_difference(self, start: int) -> str:
        """Put the gold's cursor on the difference at ``start``; says what differs there."""
        assert self.case is not None and self.editor is not None  # only called with a case on screen
        differences = self.case.differences()
        starts = sorted({span.start for span, _ in differences})
        self.editor.move_to(self.editor.tokens.index_at(start))
        here = [(span, numbers) for span, numbers in differences if span.start == start]
        words = self.case.document.text[start : max(span.end for span, _ in here)]
        said = " · ".join(f"{span.label} in {','.join(map(str, numbers))}" for span, numbers in here)
        return f"difference {starts.index(start) + 1} of {len(starts)}, {quoted(words)}: {said}"

    def action_undo(self) -> None:
        if self.editor is not None and self.editor.undo():
            self._edit("undone")
            return
        case = self.session.go_back()
        if case is None:
            self.query_one(StatusLine).say("nothing to undo")
            return
        if self.app.screen is not self:
            self.app.pop_screen()
        self.show(case)

    # -- other screens ---------------------------------------------------------------------

    def action_help(self) -> None:
        from annotator.ui.screens.help import HelpScreen

        rows: list[tuple[list[str], str, str]] = []
        takes: list[list[str]] = []
        for keys, binding_id, description in describe(self, actions.REVIEW):
            if binding_id.startswith("take_version_"):  # nine rows that say one thing: one row
                takes.append([self.app.get_key_display(Binding(key, "")) for key in keys])
                if len(takes) == 1:
                    rows.append(
                        (
                            [],
                            "take_version_1..9",
                            "take version 1..9 as the gold version (! @ #: shift+1 2 3 on a US keyboard)",
                        )
                    )
                rows[-1][0][:] = [f"{takes[0][i]}..{takes[-1][i]}" for i in range(min(map(len, takes)))]
                continue
            rows.append((keys, binding_id, description))
        self.app.push_screen(HelpScreen(rows))

    def action_quit(self) -> None:
        self.quit_or_ask()

    def leave(self) -> None:
        if self.back_when_done and self.app.screen is self:
            self.dismiss()
        else:
            self.exit_app()

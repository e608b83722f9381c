"""The annotate screen: one document at a time, accept or correct its spans by keyboard.

Keys drive ``core.editor.SpanEditor`` (span rules live there; the span keys are the
``ui.editing.SpanEditing`` mixin, shared with the review screen) and ``AnnotateSession``
(what is stored and which document comes next). Each answer is committed before the
next document is shown, by a thread worker that retries while the store is busy, full or
read-only (``ui.screens.saving``); the screen keeps the document and says why it waits.
Suggestions for documents ahead are made by a thread worker that only posts messages;
a key press never waits for spaCy or for the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import get_current_worker

from annotator.core import actions
from annotator.core.editor import SpanEditor
from annotator.core.errors import UserError
from annotator.core.visible import quoted, visible
from annotator.ui.editing import SpanEditing
from annotator.ui.keys import add_label_bindings, bindings, describe, key_display
from annotator.ui.messages import ModelNotice, PreannotateUnavailable, ProgressCounted, SuggestionsReady
from annotator.ui.saver import failure_kind, open_store
from annotator.ui.screens.saving import SAVE_WAIT, Saver, Saving
from annotator.ui.widgets.keys_line import KeysLine
from annotator.ui.widgets.label_bar import LabelBar
from annotator.ui.widgets.progress import ProgressLine
from annotator.ui.widgets.span_text import SpanText
from annotator.ui.widgets.status import StatusLine
from annotator.usecases.annotate_session import AnnotateSession, Task, eta_seconds

if TYPE_CHECKING:  # the type only: a screen importing this module loads no SQLite
    from annotator.store import Store


RUN_AHEAD = 32  # documents the pre-annotation worker prepares beyond the one on screen
BATCH = 8
DONE = {"accept": "accepted", "reject": "rejected", "ignore": "skipped (it comes back after the rest)"}
SKIPPED_AGAIN = "skipped again (it comes back next session)"
SECOND_ROUND = (
    "nothing new left: the documents you skipped come back now (skipped again, they wait for the next session)"
)


class AnnotateScreen(Saving, SpanEditing, Screen):
    BINDINGS = bindings(actions.ANNOTATE)

    def __init__(self, session: AnnotateSession, saver: Saver | None = None, **kwargs):
        super().__init__(**kwargs)
        self.session = session
        self.saver = saver or Saver.on(session.store.path)
        self.config = session.config
        add_label_bindings(self, self.config)
        self.editor: SpanEditor | None = None
        self.current: Task | None = None
        self._preannotate = self.config.model is not None or self.config.patterns is not None
        self._noticed = False  # the model's warnings are shown once, when the worker first runs

    def compose(self) -> ComposeResult:
        yield ProgressLine(self.session.dataset, self.session.annotator, id="progress")
        yield SpanText(id="document", colors={name: self.config.color(name) for name in self.config.names})
        yield LabelBar(self.config, id="labels")
        yield StatusLine(id="status")
        yield KeysLine()

    def on_mount(self) -> None:
        # Leasing the first document writes too: if the store cannot take it now, the
        # screen opens empty, says why, and the worker brings the document when it can.
        self.save_or_wait(None, self.session.next_task, self._first_shown)

    def _first_shown(self, task: Task | None) -> None:
        self.show_next(task)
        if self.current is not None and self.current.previous is None:
            self.status(f"{self._cursor_on()} · {self._first_hint()}")

    def _first_hint(self) -> str:
        """The keys to start with, as bound now (the keymap may have moved them)."""
        keys = {binding_id: keys.split(",")[0] for binding_id, keys in self.config.bindings().items()}
        select = (
            "shift+arrows"
            if (keys["extend_left"], keys["extend_right"]) == ("shift+left", "shift+right")
            else key_display(self.app, f"{keys['extend_left']},{keys['extend_right']}")
        )
        shown = {binding_id: key_display(self.app, key) for binding_id, key in keys.items()}
        return (
            f"{shown['next_span']}: spans in order · {select}: select · {shown['accept']}: accept"
            f" · {shown['help']}: all keys"
        )

    def on_unmount(self) -> None:
        self.saver.close()

    # -- showing documents ----------------------------------------------------------------

    def show_next(self, task: Task | None) -> None:
        """Show ``task`` (leased by the saver), or the finished screen when it is None."""
        if task is None:
            self.finish()
            return
        self.show(task)

    def show(self, task: Task, message: str = "") -> None:
        self.current = task
        self.editor = SpanEditor(task.document.text, task.tokens, task.spans, task.disputed)
        self.query_one(SpanText).show(task.document.text, task.tokens, editor=self.editor)
        self.query_one(ProgressLine).show(source=task.document.source, suggestions=self._suggestions_note(task))
        if task.previous is not None:
            message = message or f"you answered {task.previous.answer}; a new answer is added, the old one kept"
        # Say where the cursor is: a document that opens on a span is on it already.
        self.refresh_view(message or self._where())
        # Background work starts once the document is on screen, so it never delays it.
        self.call_after_refresh(self.count_progress)
        if self._preannotate:
            self.call_after_refresh(self.preannotate_ahead, task.document.id)

    def _suggestions_note(self, task: Task) -> str:
        """Which learned model's suggestions are on screen, and how good it was (read once a
        model); the order and, on a control document, that it has none (``--order``, ``--control``)."""
        learned = self.session.learned_note(task.learned) if task.learned and task.from_suggestions else ""
        return " · ".join(note for note in (self.session.order_note(), learned) if note)

    def refresh_view(self, message: str | None = None) -> None:
        self.query_one(SpanText).update()
        if self.editor is not None:
            self.query_one(LabelBar).count(span.label for span in self.editor.spans)
        if message is not None:
            self.status(message)

    def status(self, message: str) -> None:
        self.query_one(StatusLine).say(message)

    def finish(self) -> None:
        from annotator.ui.screens.finished import FinishedScreen

        self.current = None
        self.app.push_screen(FinishedScreen(self.session), self._after_finished)

    def _after_finished(self, go_back: bool | None) -> None:
        if go_back:
            self.action_undo()
        else:  # new work may have arrived (a lease ran out, an import)
            self.save(None, self.session.next_task, self.show_next)

    # -- answers -------------------------------------------------------------------------

    async def action_answer(self, kind: str) -> None:
        if self.current is None or self.editor is None or self.saving:
            return
        session = self.session
        second_round = session.second_round
        given = session.give(kind, self.editor.spans)
        title = self.current.document.text[:30].replace("\n", " ")

        def saved(task: Task | None) -> None:
            session.saved(given)
            self.show_next(task)
            if self.current is not None and self.current.previous is None:
                done = SKIPPED_AGAIN if kind == "ignore" and second_round else DONE[kind]
                said = SECOND_ROUND if session.second_round and not second_round else f"{done}: {quoted(title)}"
                self.status(f"{said} · now {self._cursor_on()}")

        def write(store: Store) -> Task | None:
            session.store_answer(given, store)
            if self.saver.pending is not None:  # stored: only the next document's lease is left
                self.saver.pending.what = None
            return session.next_task(store)

        await self.save_soon("answer", write, saved)

    def action_undo(self) -> None:
        if self.editor is not None and self.editor.undo():
            self.refresh_view("undone")
            return
        task = self.session.go_back()
        if task is None:
            self.status("nothing to undo")
            return
        if self.app.screen is not self:
            self.app.pop_screen()
        self.show(task)

    # -- other screens ---------------------------------------------------------------------

    def action_help(self) -> None:
        from annotator.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(describe(self, actions.ANNOTATE)))

    def action_agreement(self) -> None:
        try:
            from annotator.ui.screens.agreement import AgreementScreen
        except ImportError:
            self.notify("The agreement screen is not available yet; try `annotator agreement`.", markup=False)
            return
        self.app.push_screen(
            AgreementScreen(self.session.store.path, self.session.dataset, self.config, reviewer=self.session.annotator)
        )

    def action_quit(self) -> None:
        self.quit_or_ask()

    def leave(self) -> None:
        try:  # give back the documents held; if the store cannot take it now, leases run out
            self.session.close(self.saver.store)
        except Exception as error:
            if failure_kind(error) is None:
                raise
        self.exit_app()

    # -- background work: progress counts and suggestions ahead ------------------------

    @work(thread=True, exclusive=True, group="progress")
    def count_progress(self) -> None:
        session = self.session
        try:  # a short wait: a busy store only delays the count to the next document
            with open_store(session.store.path, busy_timeout=SAVE_WAIT) as store:
                done, total = store.progress(session.dataset, session.annotator, session.overlap)
        except Exception as error:
            if failure_kind(error) is None:
                raise
            return
        self.post_message(ProgressCounted(done, total))

    def on_progress_counted(self, message: ProgressCounted) -> None:
        per_hour = self.session.rate_per_hour()
        eta = eta_seconds(message.done, message.total, per_hour)
        self.query_one(ProgressLine).show(done=message.done, total=message.total, per_hour=per_hour, eta=eta)

    @work(thread=True, exclusive=True, group="preannotate")
    def preannotate_ahead(self, from_document: int) -> None:
        try:
            from annotator.usecases.preannotate import model_notices, suggest_documents
        except ImportError as error:
            self.post_message(PreannotateUnavailable(f"pre-annotation is not available ({error})"))
            return
        worker = get_current_worker()
        try:  # a busy, full or read-only store: no suggestions now, another try at the next document
            with open_store(self.session.store.path, busy_timeout=SAVE_WAIT) as store:
                if not self._noticed:  # the model's warnings on screen: the console is hidden behind it
                    self._noticed = True
                    try:
                        notices = model_notices(store, self.config, self.session.dataset)
                    except UserError as error:
                        if failure_kind(error) is not None:
                            raise
                        self.post_message(PreannotateUnavailable(str(error)))
                        return
                    for notice in notices:
                        self.post_message(ModelNotice(notice))
                ids = store.documents_without_suggestions(self.session.dataset, from_id=from_document, limit=RUN_AHEAD)
                for start in range(0, len(ids), BATCH):
                    if worker.is_cancelled:
                        return
                    batch = ids[start : start + BATCH]
                    try:
                        suggest_documents(store, self.config, batch)
                    except UserError as error:
                        if failure_kind(error) is not None:
                            raise
                        self.post_message(PreannotateUnavailable(str(error)))
                        return
                    self.post_message(SuggestionsReady(batch))
        except Exception as error:
            if failure_kind(error) is None:
                raise

    def on_suggestions_ready(self, message: SuggestionsReady) -> None:
        task = self.current
        # Only a document the annotator has not touched yet takes the new suggestions.
        if task is None or task.document.id not in message.document_ids or not task.from_suggestions:
            return
        if self.editor is None or self.editor.can_undo:
            return
        self.session.with_suggestions(task)  # a control document stays without
        self.query_one(ProgressLine).show(suggestions=self._suggestions_note(task))
        cursor, fresh = self.editor.cursor, self.editor.fresh
        self.editor = SpanEditor(task.document.text, task.tokens, task.spans, task.disputed)
        self.editor.cursor, self.editor.fresh = cursor, fresh
        self.query_one(SpanText).show(task.document.text, task.tokens, editor=self.editor)
        self.refresh_view("suggestions arrived" if task.spans else None)

    def on_model_notice(self, message: ModelNotice) -> None:
        self.notify(visible(message.text), severity="warning", markup=False, timeout=12)  # names files

    def on_preannotate_unavailable(self, message: PreannotateUnavailable) -> None:
        self._preannotate = False  # say it once, not for every document
        self.notify(visible(message.reason), severity="warning", markup=False, timeout=8)  # names files

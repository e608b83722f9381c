"""The agreement screen: the tables of `annotator agreement`, and the worst documents.

The report is computed in a thread worker that opens its own ``Store`` and posts the
result; the screen only shows what it is given. Choosing one of the worst documents
opens it in the review screen (every annotator's version, and the gold version to decide).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from annotator.agreement_report import (
    AgreementResult,
    annotators_table,
    compute,
    diagnosis_table,
    labels_table,
    overall_table,
    pairs_table,
)
from annotator.core.spans import Tokens
from annotator.errors import UserError
from annotator.labels import LabelsConfig
from annotator.store import Store
from annotator.ui.widgets.layout import visible
from annotator.ui.widgets.span_text import SpanText

# Binding ids, so that an app keymap can rebind them (labels.yaml knows only its DEFAULT_KEYMAP ids).
BACK = Binding("escape,q", "back", "back", id="agreement_back")
REFRESH = Binding("r", "refresh", "recompute", id="agreement_refresh")


class AgreementComputed(Message):
    def __init__(self, result: AgreementResult):
        super().__init__()
        self.result = result


class AgreementFailed(Message):
    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


class AgreementScreen(Screen[None]):
    BINDINGS = [BACK, REFRESH]
    DEFAULT_CSS = """
    AgreementScreen #tables { width: 1fr; }
    AgreementScreen #worst-side { width: 34; border-left: solid $primary; }
    AgreementScreen #worst-title { height: auto; padding: 0 1; }
    AgreementScreen DataTable { height: 1fr; }
    """

    def __init__(self, store_path: Path, dataset: str, config: LabelsConfig, reviewer: str | None = None, **kwargs):
        """``reviewer``: who a review opened from the worst documents is saved as (the
        annotator of the session this screen was opened from; None: the login name)."""
        super().__init__(**kwargs)
        self.store_path, self.dataset, self.config = Path(store_path), dataset, config
        self.reviewer = reviewer
        self.result: AgreementResult | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(id="tables"):
                yield Static(Text(f"Computing agreement on {visible(self.dataset)!r} ...", style="dim"), id="report")
            with Vertical(id="worst-side"):
                yield Static(Text("Worst documents\nenter: review it", style="bold"), id="worst-title")
                table = DataTable(id="worst", cursor_type="row", zebra_stripes=True)
                table.add_columns("document", "F1 exact", "source", "text")
                yield table
        yield Footer()

    def on_mount(self) -> None:
        self.compute_report()

    @work(thread=True, exclusive=True, group="agreement")
    def compute_report(self) -> None:
        try:
            with Store(self.store_path, create=False) as store:
                result = compute(store, self.dataset, self.config.names)
        except UserError as error:
            self.post_message(AgreementFailed(str(error)))
            return
        self.post_message(AgreementComputed(result))

    def on_agreement_computed(self, message: AgreementComputed) -> None:
        self.result = message.result
        tables = (overall_table, diagnosis_table, pairs_table, labels_table, annotators_table)
        self.query_one("#report", Static).update(Group(*(make(message.result) for make in tables)))
        worst = self.query_one("#worst", DataTable)
        worst.clear()
        for entry in message.result.report["worst_documents"]:
            worst.add_row(str(entry["id"]), f"{entry['f1_exact']:.3f}", Text(entry["source"]), Text(entry["text"]), key=str(entry["id"]))
        if not message.result.report["worst_documents"]:
            self.query_one("#worst-title", Static).update(Text("No document with disagreement", style="dim"))
        worst.focus()

    def on_agreement_failed(self, message: AgreementFailed) -> None:
        self.query_one("#report", Static).update(Text(message.reason, style="red"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.result is not None and event.row_key.value is not None:
            from annotator.ui.screens.review import ReviewScreen

            document = int(event.row_key.value)
            self.app.push_screen(ReviewScreen.for_documents(self.store_path, self.config, self.dataset, [document], self.reviewer))

    def action_refresh(self) -> None:
        self.query_one("#report", Static).update(Text("Recomputing ...", style="dim"))
        self.compute_report()

    def action_back(self) -> None:
        self.dismiss(None)


class DocumentLoaded(Message):
    def __init__(self, text: str, tokens: list, answers: list[tuple[str, str, tuple]]):
        super().__init__()
        self.text, self.tokens, self.answers = text, tokens, answers


class DisagreementScreen(Screen[None]):
    """One document, once per annotator with their own spans (read-only)."""

    BINDINGS = [BACK]
    DEFAULT_CSS = """
    DisagreementScreen .who { height: 1; padding: 0 1; background: $boost; }
    DisagreementScreen SpanText { height: 1fr; min-height: 3; }
    """

    def __init__(self, store_path: Path, document: int, annotators: list[str], config: LabelsConfig, **kwargs):
        super().__init__(**kwargs)
        self.store_path, self.document, self.annotators, self.config = store_path, document, annotators, config

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Document {self.document}", style="bold"), id="title")
        yield Vertical(id="versions")
        yield Footer()

    def on_mount(self) -> None:
        self.load_document()

    @work(thread=True, exclusive=True, group="disagreement")
    def load_document(self) -> None:
        with Store(self.store_path, create=False) as store:
            document = store.document(self.document)
            answers = []
            for name in self.annotators:
                answer = store.latest_answer(self.document, name)
                answers.append((name, answer.answer if answer else "no answer", answer.spans if answer else ()))
        self.post_message(DocumentLoaded(document.text, document.tokens, answers))

    def on_document_loaded(self, message: DocumentLoaded) -> None:
        versions = self.query_one("#versions", Vertical)
        tokens = Tokens(message.tokens, message.text)
        colors = {label.name: self.config.color(label.name) for label in self.config.labels}
        widgets = []
        for name, kind, spans in message.answers:
            shown = spans if kind == "accept" else ()
            header = Text.assemble((visible(name), "bold"), f"  {kind}", f", {len(shown)} spans" if kind == "accept" else "")
            widgets.append(Static(header, classes="who"))
            widgets.append(SpanText(message.text, tokens, shown, colors, classes="version"))
        versions.mount_all(widgets)

    def action_back(self) -> None:
        self.dismiss(None)

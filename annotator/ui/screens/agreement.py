"""The agreement screen: the tables of `annotator agreement`, and the worst documents.

The report is computed in a thread worker that opens its own ``Store`` and posts the
result; the screen only shows what it is given. Choosing one of the worst documents
opens it in the review screen (every annotator's version, and the gold version to decide).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from annotator.core import actions
from annotator.core.errors import UserError
from annotator.core.visible import visible
from annotator.io.labels import LabelsConfig
from annotator.ui.agreement_tables import annotators_table, diagnosis_table, labels_table, overall_table, pairs_table
from annotator.ui.keys import bindings
from annotator.ui.saver import open_store
from annotator.usecases.agreement_report import AgreementResult, compute

if TYPE_CHECKING:  # for the type only: the app imports the screens
    from annotator.ui.app import AnnotatorApp


class AgreementComputed(Message):
    def __init__(self, result: AgreementResult):
        super().__init__()
        self.result = result


class AgreementFailed(Message):
    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


class AgreementScreen(Screen[None]):
    BINDINGS = bindings(actions.AGREEMENT)
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
                yield Static(Text(f"Computing agreement on '{visible(self.dataset)}' ...", style="dim"), id="report")
            with Vertical(id="worst-side"):
                yield Static(Text("Worst documents\nenter: review it", style="bold"), id="worst-title")
                table: DataTable[str | Text] = DataTable(id="worst", cursor_type="row", zebra_stripes=True)
                table.add_columns("document", "F1 exact", "source", "text")
                yield table
        yield Footer()

    def on_mount(self) -> None:
        self.compute_report()

    @work(thread=True, exclusive=True, group="agreement")
    def compute_report(self) -> None:
        try:
            with open_store(self.store_path, create=False) as store:
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
            source, text = Text(visible(entry["source"] or "")), Text(visible(entry["text"]))
            worst.add_row(str(entry["id"]), f"{entry['f1_exact']:.3f}", source, text, key=str(entry["id"]))
        if not message.result.report["worst_documents"]:
            self.query_one("#worst-title", Static).update(Text("No document with disagreement", style="dim"))
        worst.focus()

    def on_agreement_failed(self, message: AgreementFailed) -> None:
        self.query_one("#report", Static).update(Text(visible(message.reason), style="red"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.result is not None and event.row_key.value is not None:
            app = cast("AnnotatorApp", self.app)
            app.review_documents(self.store_path, self.config, self.dataset, [int(event.row_key.value)], self.reviewer)

    def action_refresh(self) -> None:
        self.query_one("#report", Static).update(Text("Recomputing ...", style="dim"))
        self.compute_report()

    def action_back(self) -> None:
        self.dismiss(None)

"""The span-editing keys, shared by the annotate and the review screen.

``SpanEditing`` is a mixin for a Textual ``Screen`` that has ``self.editor`` (a
``core.editor.SpanEditor`` or None), ``self.config`` (labels.yaml) and
``refresh_view(message)``; ``EDIT_VIEW`` is the CSS selector of the ``SpanText``
that shows the editor. Each key is one ``SpanEditor`` call, then one repaint and a
line in the status bar that says what happened or where the cursor is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.visible import quoted
from annotator.ui.widgets.span_text import SpanText

if TYPE_CHECKING:  # what the mixin needs of the screen it is mixed into
    from textual.screen import Screen

    from annotator.core.editor import SpanEditor
    from annotator.io.labels import LabelsConfig

    _Screen = Screen
else:
    _Screen = object


class SpanEditing(_Screen):
    EDIT_VIEW = "#document"
    editor: SpanEditor | None
    config: LabelsConfig

    if TYPE_CHECKING:

        def refresh_view(self, message: str | None = None) -> None: ...

    def _edit(self, message: str | None = None) -> None:
        self.refresh_view(message if message is not None else self._where())

    def _where(self) -> str:
        editor = self.editor
        if editor is None:
            return ""
        if editor.selection is not None:
            first, last = editor.selection
            words = editor.text[editor.tokens.starts[first] : editor.tokens.ends[last]]
            return f"selected {quoted(words)}: press a label key"
        if not editor.tokens.offsets:
            return ""
        if editor.span_under_cursor is not None:
            return f"{self._cursor_on()}: a label key relabels, d removes, < > , . resize"
        return f"{self._cursor_on()}: shift+arrows select, a label key labels"

    def _cursor_on(self) -> str:
        """The span under the cursor ("on 'Iraq' (GPE)"), else its word ("at 'sent'")."""
        editor = self.editor
        if editor is None:
            return ""
        span = editor.span_under_cursor
        if span is not None:
            return f"on {quoted(editor.text[span.start : span.end])} ({span.label})"
        if not editor.tokens.offsets:
            return "in an empty document"
        start, end = editor.tokens.offsets[editor.cursor]
        return f"at {quoted(editor.text[start:end])}"

    def action_move(self, delta: int, extend: bool = False) -> None:
        if self.editor:
            self.editor.move(delta, extend)
            self._edit()

    def action_line(self, delta: int) -> None:
        """Cursor to the word at the same column one screen line up or down."""
        token = self.query_one(self.EDIT_VIEW, SpanText).token_on_next_line(delta) if self.editor else None
        if token is not None and self.editor is not None:
            self.editor.move_to(token)
            self._edit()

    def action_jump(self, forward: bool) -> None:
        if self.editor:
            span = self.editor.jump_span(forward)
            self._edit(None if span else "no spans in this document")

    def action_candidate(self, forward: bool) -> None:
        if self.editor:
            found = self.editor.jump_candidate(forward)
            self._edit(None if found else "no word outside the spans looks like a name or a number")

    def action_find(self) -> None:
        """/ then a letter: the next word starting with it (the letter is read by a small screen
        over this one, so it never reaches this screen's label or answer keys)."""
        from annotator.ui.find_key import FindKeyScreen

        if self.editor:
            self.app.push_screen(FindKeyScreen(), self._found)

    def _found(self, character: str | None) -> None:
        if self.editor is None or character is None:
            return
        found = self.editor.find(character)
        self._edit(None if found else f"no word starts with {quoted(character)}")

    def action_label(self, index: int) -> None:
        if self.editor:
            self._edit(self.editor.label(self.config.labels[index].name))

    def action_select_name(self) -> None:
        if self.editor:
            self.editor.select_name()
            self._edit()

    def action_label_others(self) -> None:
        if self.editor:
            self._edit(self.editor.label_others())

    def action_remove(self) -> None:
        if self.editor:
            self._edit(self.editor.remove())

    def action_resize(self, edge: str, delta: int) -> None:
        if self.editor:
            self._edit(self.editor.resize(edge, delta))

    def action_clear_selection(self) -> None:
        if self.editor:
            self.editor.clear_selection()
            self._edit()

    def on_span_text_selected(self, event: SpanText.Selected) -> None:
        self._edit()

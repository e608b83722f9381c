"""The keys at the bottom of the screen, as they are after the keymap (a light Footer:
one line of text rather than a widget per key, so the first document shows sooner)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from annotator.core.visible import visible


class KeysLine(Widget):
    DEFAULT_CSS = """
    KeysLine { height: 1; padding: 0 1; background: $footer-background; color: $footer-foreground; }
    """

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or (binding.id or binding.action) in seen:
                continue
            seen.add(binding.id or binding.action)
            if line:
                line.append("  ")
            line.append(visible(self.app.get_key_display(binding)), style="bold")
            line.append(" " + visible(binding.description))
        return line

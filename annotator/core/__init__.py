"""The pure domain: spans, tasks, agreement, routing. No Textual, no SQLite, no I/O."""

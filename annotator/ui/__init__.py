"""The Textual screens: annotate, review, agreement, and the widgets they share."""

import os

# Textual repaints at most TEXTUAL_FPS times a second (read once, when Textual is first imported),
# so a key waits up to one frame for its repaint. At Textual's default of 60 that wait was most of
# the key-to-repaint p95 on the 300-token document (16.5 ms, against 9.8 ms at 120: python -m bench
# ui). Textual only draws when something changed, so the higher cap costs nothing while idle.
# A TEXTUAL_FPS of the user's own wins.
os.environ.setdefault("TEXTUAL_FPS", "120")

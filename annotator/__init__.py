"""annotator: accept or correct pre-highlighted named-entity spans in the terminal."""

__version__ = "0.1.0"

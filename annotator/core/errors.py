"""Errors a user can act on: shown as one line, exit status 1, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a bad request. The message names the file (and line) where there is one."""


class ScreenCrashed(Exception):
    """A screen stopped on an unexpected error (``crash``: an ``annotator.usecases.crash.Crash``,
    already written to its report); the command says so in one line and exits 1."""

    def __init__(self, crash):
        super().__init__(str(crash.error))
        self.crash = crash

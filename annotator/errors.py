"""Errors a user can act on: shown as one line, exit status 1, never a traceback."""


class UserError(Exception):
    """Bad input or a bad request. The message names the file (and line) where there is one."""

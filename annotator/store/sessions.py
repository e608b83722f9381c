"""Who holds a lease: a session (one annotate screen) in a process on a host.

Two terminals of the same annotator are two sessions; a session whose process is gone (a
crash, a killed terminal) on this host left its leases behind, and the annotator's next
session takes them over, so a restart resumes the document it was on. A session on another
host cannot be looked at: its leases run out with their time."""

from __future__ import annotations

import os
import socket
import uuid


def new_session_id() -> str:
    """A new session's id: random, so two screens of one annotator never share one."""
    return uuid.uuid4().hex


def this_host() -> str:
    """The name a lease records for this machine."""
    return socket.gethostname()


def process_gone(host: str | None, pid: int | None) -> bool:
    """True when the process that took a lease is known to have ended (on this host)."""
    if host is None or pid is None:
        return True  # a lease from before sessions: nobody can still be using it as theirs
    if host != this_host():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's live process
        return False
    try:  # a killed process its parent has not reaped yet is a zombie: gone all the same
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return False

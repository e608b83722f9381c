"""How many app processes the server runs: at most so many per person and so many in all.

Each browser tab is one app process (about the memory the README gives per session), so the
limits keep a small machine answering instead of swapping when too many tabs are open.
"""

from __future__ import annotations

from collections import Counter

# A 2-core machine: 16 sessions answer within the load test's 500 ms; 3 tabs a person is
# enough for a person and keeps one person from taking every slot.
DEFAULT_MAX_SESSIONS = 16
DEFAULT_MAX_PER_PERSON = 3


class SessionLimits:
    def __init__(self, max_sessions: int = DEFAULT_MAX_SESSIONS, max_per_person: int = DEFAULT_MAX_PER_PERSON):
        self.max_sessions, self.max_per_person = max_sessions, max_per_person
        self.open: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.open.values())

    def refusal(self, name: str) -> str | None:
        """Why ``name`` cannot open another session now, or None."""
        if self.open[name] >= self.max_per_person:
            return (
                f"{name} already has {self.open[name]} sessions open, the most one person may have here; "
                "close one of those tabs and reload this one"
            )
        if self.total >= self.max_sessions:
            return f"the server is full: {self.total} sessions open, the most it takes; try again in a while"
        return None

    def take(self, name: str) -> str | None:
        """Count a session for ``name``; returns the refusal instead when there is no room."""
        reason = self.refusal(name)
        if reason is None:
            self.open[name] += 1
        return reason

    def give_back(self, name: str) -> None:
        self.open[name] -= 1
        if self.open[name] <= 0:
            del self.open[name]

"""Who a request is, decided by the server: a token (from the users file, or the owner's token
of a server started without one) in a cookie, or the name a trusted proxy puts in a header.

Nothing in the URL but the sign-in link's token is ever read: the name and role come from the
users file, so editing the address cannot make anyone someone else or a reviewer.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

from multidict import CIMultiDict

from annotator.web.users import ANNOTATOR, NAME, REVIEWER, User, UsersFile

COOKIE = "annotator_token"


class SignIn:
    def __init__(
        self, users: UsersFile | None = None, proxy_header: str | None = None, owner: str | None = None
    ) -> None:
        """``users``: the users file; ``proxy_header``: take the name from this header (a proxy
        in front signs people in); ``owner``: with neither, the one person (the server's
        login name, as a reviewer) who gets a token made for this run of the server."""
        self.users, self.proxy_header = users, proxy_header
        self.owner: User | None = None
        self.owner_token: str | None = None
        if users is None and proxy_header is None:
            self.owner = User(owner or "annotator", REVIEWER)
            self.owner_token = f"run.{secrets.token_urlsafe(32)}"

    @property
    def by_proxy(self) -> bool:
        return self.proxy_header is not None

    def with_token(self, token: str | None) -> User | None:
        if not token:
            return None
        if self.owner_token is not None and self.owner is not None:
            return self.owner if hmac.compare_digest(token.encode(), self.owner_token.encode()) else None
        if self.users is not None:
            return self.users.sign_in(token)
        return None

    def from_proxy(self, headers: Mapping[str, str]) -> User | None:
        """The proxy's name; a reviewer if the users file (if any) says so, else an annotator.
        With a users file, a name it does not list is refused. Header names are read without
        regard to case, as HTTP reads them; the header sent twice names nobody (a proxy that
        adds its own after the browser's would otherwise let the browser's one through)."""
        assert self.proxy_header is not None
        values = CIMultiDict(headers).getall(self.proxy_header, [])
        if len(values) != 1:
            return None
        name = values[0].strip()
        if not NAME.fullmatch(name):
            return None
        if self.users is None:
            return User(name, ANNOTATOR)
        role = self.users.role_of(name)
        return User(name, role) if role is not None else None

    def still_signed_in(self, user: User) -> bool:
        """Whether the person a tab was opened for may still have it: not revoked, the same
        role (the owner of a run without a users file always may)."""
        if self.users is None:
            return True
        return self.users.still_holds(user)

    def who(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> User | None:
        """The person making this request, or None: they see nothing but the sign-in page."""
        if self.by_proxy:
            return self.from_proxy(headers)
        return self.with_token(cookies.get(COOKIE))

"""The users file of `annotator serve`: who may sign in, under which name, in which role.

A token is ``<id>.<secret>``: the id finds the person's record, the secret is checked against
its scrypt hash with a constant-time compare. Only the hash is stored, so a token is shown
once, by `annotator users add`, and cannot be read back from the file. The file is written
whole and atomically (a temporary file beside it, fsynced, renamed over it) under a lock, so
two `users add` at once lose nothing and a server reading it never sees half of it.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import UserError

ANNOTATOR, REVIEWER = "annotator", "reviewer"
ROLES = (ANNOTATOR, REVIEWER)
FORMAT_VERSION = 1
# scrypt's cost: about 40 ms a check here. A token has 256 random bits, so the hash only has
# to keep a stolen file from being a list of working tokens; it is checked once per page and
# once per websocket, never per key.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    token_id: str | None = field(default=None, compare=False)  # the token signed in with, if one

    @property
    def reviewer(self) -> bool:
        return self.role == REVIEWER


def check_name(name: str) -> str:
    """A person's name: the annotator name their answers are stored under."""
    if not NAME.fullmatch(name):
        raise UserError(
            f"{name!r} is not a user name: 1 to 64 letters, digits or . _ @ -, starting with a letter or digit"
        )
    return name


def _hash(secret: str, salt: bytes, cost: dict) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=cost["n"], r=cost["r"], p=cost["p"], dklen=32)


def new_token() -> tuple[str, dict]:
    """A new token and the record that stores it (hashed)."""
    token_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_bytes(16)
    record = {"id": token_id, "salt": salt.hex(), "hash": _hash(secret, salt, SCRYPT).hex(), **SCRYPT}
    return f"{token_id}.{secret}", record


def token_matches(token: str, record: dict) -> bool:
    token_id, _, secret = token.partition(".")
    if not hmac.compare_digest(token_id.encode(), str(record.get("id", "")).encode()):
        return False
    try:
        expected = bytes.fromhex(record["hash"])
        computed = _hash(secret, bytes.fromhex(record["salt"]), record)
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, expected)


class UsersFile:
    """The users file at ``path``; read again at every sign-in (a small file), so that a
    `users revoke` takes effect on a running server at the next page or websocket."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._users: dict[str, dict] = {}
        self._seen: str | None = None

    # -- reading -------------------------------------------------------------------------

    def _text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"{self.path}: cannot read the users file ({error})") from None

    def _parse(self, text: str | None) -> dict[str, dict]:
        """The users in the file's text (None: no file yet, nobody)."""
        if text is None:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UserError(f"{self.path}:{error.lineno}: not a users file ({error.msg})") from None
        users = data.get("users") if isinstance(data, dict) else None
        if not isinstance(users, dict) or data.get("version") != FORMAT_VERSION:
            raise UserError(f"{self.path}: not a users file of `annotator users` (version {FORMAT_VERSION})")
        for name, record in users.items():
            if not isinstance(record, dict) or record.get("role") not in ROLES or not NAME.fullmatch(name):
                raise UserError(f"{self.path}: the entry {name!r} is not a user (a name, a role and a token hash)")
        return users

    def users(self) -> dict[str, dict]:
        # Compared by content, not by size and time: a revoke and an add within one tick of
        # the filesystem's clock leave both as they were, and the old token would still work.
        text = self._text()
        if text != self._seen:
            self._users, self._seen = self._parse(text), text
        return self._users

    def exists(self) -> bool:
        return self.path.exists()

    def listed(self) -> list[User]:
        return [User(name, record["role"]) for name, record in sorted(self.users().items())]

    def role_of(self, name: str) -> str | None:
        record = self.users().get(name)
        return record["role"] if record else None

    def sign_in(self, token: str) -> User | None:
        """The person whose token this is, or None (wrong, revoked, malformed)."""
        if not isinstance(token, str) or "." not in token or len(token) > 200:
            return None
        found = None
        for name, record in self.users().items():  # every record: the time says nothing of which one
            if token_matches(token, record) and found is None:
                found = User(name, record["role"], record["id"])
        return found

    def still_holds(self, user: User) -> bool:
        """Whether ``user`` is still in the file as signed in: same role, and the same token
        when they signed in with one (revoked and added again is a new token)."""
        record = self.users().get(user.name)
        if record is None or record["role"] != user.role:
            return False
        return user.token_id is None or hmac.compare_digest(str(record.get("id", "")), user.token_id)

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def _changing(self) -> Iterator[dict[str, dict]]:
        """The users to change under the lock, written back atomically when the block ends."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            users = dict(self._parse(self._text()))
            yield users
            self._write(users)

    def _write(self, users: dict[str, dict]) -> None:
        text = json.dumps({"version": FORMAT_VERSION, "users": users}, indent=2, sort_keys=True) + "\n"
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp: readable by the owner only
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def add(self, name: str, role: str = ANNOTATOR) -> str:
        """Add a person; returns their token (shown once: only its hash is kept)."""
        check_name(name)
        with self._changing() as users:
            if name in users:
                raise UserError(
                    f"{self.path}: {name} is already a user; `annotator users revoke {name}` first to give a new token"
                )
            token, record = new_token()
            users[name] = {"role": role, "added": round(time.time()), **record}
        return token

    def revoke(self, name: str) -> None:
        with self._changing() as users:
            if name not in users:
                raise UserError(f"{self.path}: no user {name!r} (`annotator users list` lists them)")
            del users[name]

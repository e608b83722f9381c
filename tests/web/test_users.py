"""The users file, its tokens and the roles, without a running server: what is stored (a
hash, never the token), which tokens sign in (not a wrong, malformed or revoked one), and
that nothing in a request but the server's own records decides the name and the role."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest

from annotator.core.errors import UserError
from annotator.web.signin import COOKIE, SignIn
from annotator.web.users import ANNOTATOR, REVIEWER, User, UsersFile


@pytest.fixture
def users(tmp_path) -> UsersFile:
    return UsersFile(tmp_path / "users.json")


def test_only_a_salted_scrypt_hash_of_the_token_is_stored(users):
    token = users.add("ana")
    token_id, secret = token.split(".")
    text = users.path.read_text(encoding="utf-8")
    assert secret not in text and token not in text
    record = json.loads(text)["users"]["ana"]
    assert record["id"] == token_id and record["role"] == ANNOTATOR
    salt = bytes.fromhex(record["salt"])
    expected = hashlib.scrypt(secret.encode(), salt=salt, n=record["n"], r=record["r"], p=record["p"], dklen=32)
    assert record["hash"] == expected.hex()
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600  # the hashes are nobody else's to read


def test_each_token_is_new_and_signs_in_its_own_person(users):
    tokens = {name: users.add(name, role) for name, role in (("ana", ANNOTATOR), ("ben", ANNOTATOR), ("rev", REVIEWER))}
    assert len(set(tokens.values())) == 3
    records = users.users()
    assert len({records[n]["salt"] for n in tokens}) == 3 and len({records[n]["hash"] for n in tokens}) == 3
    assert {n: users.sign_in(t) for n, t in tokens.items()} == {
        "ana": User("ana", ANNOTATOR),
        "ben": User("ben", ANNOTATOR),
        "rev": User("rev", REVIEWER),
    }
    assert users.sign_in(tokens["rev"]).reviewer and not users.sign_in(tokens["ana"]).reviewer


def test_a_wrong_or_malformed_token_signs_nobody_in(users):
    ana, ben = users.add("ana"), users.add("ben")
    ana_id, ana_secret = ana.split(".")
    ben_id, _ = ben.split(".")
    wrong = [
        f"{ana_id}.{ana_secret[:-1]}",  # one character short
        f"{ana_id}.{ana_secret}x",
        f"{ben_id}.{ana_secret}",  # ana's secret under ben's id
        f"{ana_id}.",
        f".{ana_secret}",
        ana_secret,
        ana.upper(),
        "",
        ana + "." * 200,  # too long to be one
        None,
    ]
    for token in wrong:
        assert users.sign_in(token) is None, token


def test_a_revoked_token_is_refused_by_a_server_already_reading_the_file(users):
    ana, ben = users.add("ana"), users.add("ben")
    server_copy = UsersFile(users.path)  # what a running server holds
    assert server_copy.sign_in(ana) == User("ana", ANNOTATOR)
    users.revoke("ana")
    assert server_copy.sign_in(ana) is None
    assert server_copy.sign_in(ben) == User("ben", ANNOTATOR)
    assert [u.name for u in server_copy.listed()] == ["ben"]


def test_a_revoked_token_stays_refused_when_the_file_keeps_its_size_and_time(users):
    """A filesystem's clock ticks in milliseconds: a revoke and a new token for the same name
    within one tick leave the same size and modification time; the old token must not work."""
    old = users.add("ana")
    server_copy = UsersFile(users.path)
    assert server_copy.sign_in(old) is not None
    before = users.path.stat()
    users.revoke("ana")
    new = users.add("ana")
    os.utime(users.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert users.path.stat().st_size == before.st_size
    assert server_copy.sign_in(old) is None
    assert server_copy.sign_in(new) == User("ana", ANNOTATOR)


def test_adding_a_name_twice_or_revoking_nobody_is_one_clear_mistake(users):
    users.add("ana")
    before = users.path.read_bytes()
    with pytest.raises(UserError, match="ana is already a user"):
        users.add("ana", REVIEWER)
    with pytest.raises(UserError, match="no user 'nobody'"):
        users.revoke("nobody")
    assert users.path.read_bytes() == before


@pytest.mark.parametrize("name", ["", "-ana", "ana ben", "ana/../rev", "a" * 65, "ana\x1b[31m", "anä"])
def test_a_name_that_cannot_be_an_annotator_name_is_refused(users, name):
    with pytest.raises(UserError, match="is not a user name"):
        users.add(name)
    assert not users.path.exists()


@pytest.mark.parametrize(
    "content, words",
    [
        ("{", "not a users file"),
        ('{"version": 2, "users": {}}', "version 1"),
        ('{"version": 1, "users": {"ana": {"role": "admin"}}}', "'ana' is not a user"),
        ('{"version": 1, "users": {"../x": {"role": "annotator"}}}', "is not a user"),
    ],
)
def test_a_broken_users_file_is_one_line_naming_it(users, content, words):
    users.path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=words) as error:
        users.sign_in("a.b")
    assert str(users.path) in str(error.value) and "\n" not in str(error.value)


# -- who a request is: cookies and the proxy's header, never the address ---------------


def test_the_cookie_decides_the_person_and_the_role(users):
    ana, rev = users.add("ana"), users.add("rev", REVIEWER)
    sign_in = SignIn(users)
    assert sign_in.who({}, {COOKIE: ana}) == User("ana", ANNOTATOR)
    assert sign_in.who({}, {COOKIE: rev}) == User("rev", REVIEWER)
    assert sign_in.who({}, {}) is None
    # Headers a browser could send name nobody when no proxy is trusted.
    assert sign_in.who({"X-Remote-User": "rev", "X-Annotator": "rev"}, {COOKIE: "rev"}) is None


def test_without_a_users_file_only_the_owner_signs_in_with_this_runs_token():
    sign_in, other_run = SignIn(owner="lee"), SignIn(owner="lee")
    assert sign_in.owner_token != other_run.owner_token
    assert sign_in.who({}, {COOKIE: sign_in.owner_token}) == User("lee", REVIEWER)
    assert sign_in.who({}, {COOKIE: other_run.owner_token}) is None
    assert sign_in.with_token(sign_in.owner_token + "x") is None


def test_a_trusted_proxys_name_is_a_listed_person_with_the_listed_role(users):
    users.add("ana"), users.add("rev", REVIEWER)
    sign_in = SignIn(users, proxy_header="X-Remote-User")
    assert sign_in.who({"X-Remote-User": "ana"}, {}) == User("ana", ANNOTATOR)
    assert sign_in.who({"X-Remote-User": "rev"}, {}) == User("rev", REVIEWER)
    for unknown in ("nobody", "", "ana ben", "../rev"):
        assert sign_in.who({"X-Remote-User": unknown}, {}) is None
    assert SignIn(None, proxy_header="X-Remote-User").who({"X-Remote-User": "zoe"}, {}) == User("zoe", ANNOTATOR)

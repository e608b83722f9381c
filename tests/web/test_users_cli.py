"""`annotator users add/list/revoke` and the refusals of `annotator serve`, through the real
entry point: one line naming the file for a mistake, non-zero exit, the files as they were."""

from __future__ import annotations

import re

import pytest

from annotator.web.users import ANNOTATOR, REVIEWER, User, UsersFile
from tests.helpers.cli import run_main
from tests.helpers.news import write_labels
from tests.helpers.stores import open_store

USERS = "annotator-users.json"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def add(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    return run_main(monkeypatch, capsys, "users", "add", *args)


def test_users_add_prints_a_link_and_a_token_that_sign_in_once_stored_hashed(folder, monkeypatch, capsys):
    code, out, err = add(monkeypatch, capsys, "ana", "--url", "https://annotate.example.org/")
    assert (code, err) == (0, "")
    (token,) = re.findall(r"token: (\S+)", out)
    assert f"link:  https://annotate.example.org/signin?token={token}" in out
    assert "ana (annotator) added to annotator-users.json" in out
    code, out, _ = add(monkeypatch, capsys, "rev", "--reviewer")
    (rev_token,) = re.findall(r"token: (\S+)", out)
    assert code == 0 and f"http://127.0.0.1:8000/signin?token={rev_token}" in out
    users = UsersFile(folder / USERS)
    assert users.sign_in(token) == User("ana", ANNOTATOR) and users.sign_in(rev_token) == User("rev", REVIEWER)
    text = (folder / USERS).read_text(encoding="utf-8")
    assert token.split(".")[1] not in text and rev_token.split(".")[1] not in text


def test_users_list_and_revoke(folder, monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "users", "list")
    assert code == 0 and "nobody in annotator-users.json yet" in out
    add(monkeypatch, capsys, "ben")
    _, out, _ = add(monkeypatch, capsys, "ana", "--reviewer")
    (ana_token,) = re.findall(r"token: (\S+)", out)
    assert run_main(monkeypatch, capsys, "users", "list")[:2] == (0, "ana\treviewer\nben\tannotator\n")
    code, out, _ = run_main(monkeypatch, capsys, "users", "revoke", "ana")
    assert code == 0 and "ana can no longer sign in" in out
    assert run_main(monkeypatch, capsys, "users", "list")[1] == "ben\tannotator\n"
    assert UsersFile(folder / USERS).sign_in(ana_token) is None


def test_users_mistakes_are_one_line_and_change_nothing(folder, monkeypatch, capsys):
    add(monkeypatch, capsys, "ana")
    before = (folder / USERS).read_bytes()
    for args, words in (
        (("users", "add", "ana"), "ana is already a user; `annotator users revoke ana` first"),
        (("users", "add", "ana\x1b[2J"), "is not a user name"),
        (("users", "revoke", "nobody"), "no user 'nobody' (`annotator users list` lists them)"),
    ):
        code, out, err = run_main(monkeypatch, capsys, *args)
        assert code == 1 and out == "" and words in err and err.count("\n") == 1, err
        assert "\x1b" not in err
    assert (folder / USERS).read_bytes() == before


def test_a_broken_users_file_is_named(folder, monkeypatch, capsys):
    (folder / USERS).write_text('{"version": 1, "users": [', encoding="utf-8")
    for args in (("users", "list"), ("users", "add", "ana"), ("serve", "--port", "1")):
        code, _out, err = run_main(monkeypatch, capsys, *args)
        assert code == 1 and err.startswith(f"annotator: {USERS}:1: not a users file") and err.count("\n") == 1
    assert (folder / USERS).read_text(encoding="utf-8") == '{"version": 1, "users": ['


def project(folder):
    write_labels(folder)
    store, _ids = open_store(folder / "annotations.db", ["One two three."], "news")
    store.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::", "example.invalid"])
def test_serve_beyond_loopback_without_users_is_refused(folder, monkeypatch, capsys, host):
    project(folder)
    code, out, err = run_main(monkeypatch, capsys, "serve", "--host", host)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{host} is not a loopback address" in err and "annotator users add NAME" in err
    assert "--trust-proxy-user HEADER" in err


def test_serve_refusals_name_what_is_missing(folder, monkeypatch, capsys):
    code, _out, err = run_main(monkeypatch, capsys, "serve", "--users", "team.json")
    assert code == 2 and "team.json does not exist (`annotator users add NAME` makes it)" in err
    for port in ("0", "70000"):
        assert run_main(monkeypatch, capsys, "serve", "--port", port)[0] == 2
    code, _out, err = run_main(monkeypatch, capsys, "serve")  # no project here
    assert code == 1 and "labels.yaml: no such file" in err and err.count("\n") == 1
    write_labels(folder)
    code, _out, err = run_main(monkeypatch, capsys, "serve")  # labels, but no store
    assert code == 1 and "annotations.db" in err and err.count("\n") == 1
    assert not (folder / "annotations.db").exists()

"""`annotator serve` (the screens in a browser) and `annotator users` (who may sign in)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.options import (
    DEFAULT_DB,
    DEFAULT_LABELS,
    ControlOption,
    DatasetOption,
    DbOption,
    LabelsOption,
    LearnOption,
    OrderOption,
    OverlapOption,
    SeedOption,
    app,
)
from annotator.core.visible import visible
from annotator.usecases.project import login_name

users_app = typer.Typer(help="Who may sign in to `annotator serve`: add, list, revoke.", no_args_is_help=True)
app.add_typer(users_app, name="users")

DEFAULT_USERS = Path("annotator-users.json")
UsersOption = Annotated[
    Path,
    typer.Option("--users", envvar="ANNOTATOR_USERS", help="The users file (default annotator-users.json)."),
]


def sign_in_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/signin?token={token}"


@app.command("serve")
def serve(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    host: Annotated[str, typer.Option("--host", help="The address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
    overlap: OverlapOption = 1,
    order: OrderOption = "file",
    seed: SeedOption = 0,
    control: ControlOption = 0.0,
    users: Annotated[
        Path | None,
        typer.Option(
            "--users",
            envvar="ANNOTATOR_USERS",
            help="The users file (default: annotator-users.json if there is one; without one, only you, by a link).",
        ),
    ] = None,
    trust_proxy_user: Annotated[
        str | None,
        typer.Option(
            "--trust-proxy-user",
            metavar="HEADER",
            help="Take each person's name from this header, set by your proxy (which signs them in).",
        ),
    ] = None,
    max_sessions: Annotated[
        int | None, typer.Option("--max-sessions", min=1, help="At most this many tabs (app processes) in all.")
    ] = None,
    max_per_person: Annotated[
        int | None, typer.Option("--max-per-person", min=1, help="At most this many tabs per person.")
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option("--public-url", help="The address people open, when a proxy puts the server elsewhere."),
    ] = None,
    learn: LearnOption = None,
) -> None:
    """Serve the annotate screen (and, for reviewers, the review screen) to browsers."""
    from annotator.cli.screens import import_demo_if_empty, learning_beside
    from annotator.core.task_order import HandOut
    from annotator.usecases.project import open_project, resolve_dataset, seeds_folder
    from annotator.web.browser_keys import browser_notes
    from annotator.web.limits import DEFAULT_MAX_PER_PERSON, DEFAULT_MAX_SESSIONS, SessionLimits
    from annotator.web.server import AnnotatorServer, loopback
    from annotator.web.signin import SignIn
    from annotator.web.users import UsersFile

    users_path = users if users is not None else (DEFAULT_USERS if DEFAULT_USERS.exists() else None)
    if users_path is not None and not users_path.exists():
        raise typer.BadParameter(
            f"{users_path} does not exist (`annotator users add NAME` makes it)", param_hint="--users"
        )
    users_file = UsersFile(users_path) if users_path is not None else None
    if users_file is None and trust_proxy_user is None and not loopback(host):
        raise typer.BadParameter(
            f"{host} is not a loopback address, and nobody is signed in without a users file: "
            "add people with `annotator users add NAME` (or sign them in at your proxy: --trust-proxy-user HEADER)",
            param_hint="--host",
        )
    if users_file is not None:
        users_file.users()  # a broken users file is said now, not at the first page
    # A new project (seeds/ beside labels.yaml) serves its demo, as `annotator` opens it; without
    # seeds, a missing store is the one-line mistake it was, and no file is made.
    store, config = open_project(db, labels, create=seeds_folder(labels).is_dir())
    with store:
        import_demo_if_empty(store, config, labels)
        name = resolve_dataset(store, dataset)
    notes = browser_notes(config)  # a binding with no key left in a browser is refused here
    sign_in = SignIn(users_file, trust_proxy_user, owner=login_name())
    limits = SessionLimits(max_sessions or DEFAULT_MAX_SESSIONS, max_per_person or DEFAULT_MAX_PER_PERSON)
    server = AnnotatorServer(
        db=db.resolve(),
        labels=labels.resolve(),
        dataset=name,
        overlap=overlap,
        hand_out=HandOut(order, seed, control),
        sign_in=sign_in,
        limits=limits,
        host=host,
        port=port,
        public_url=public_url,
    )
    address = server.public_url
    if trust_proxy_user is not None:
        how = f"your proxy signs people in and names them in the {trust_proxy_user} header"
    elif users_file is not None:
        how = (
            f"{len(users_file.listed())} people in {users_path} sign in with the link `annotator users add` "
            f"printed, or their token at {address}/signin"
        )
    else:
        assert sign_in.owner_token is not None and sign_in.owner is not None
        how = f"only {sign_in.owner.name}, with this link: {sign_in_url(address, sign_in.owner_token)}"
    limits_line = f"at most {limits.max_sessions} tabs, {limits.max_per_person} a person"
    typer.echo(visible(f"annotator: serving '{name}' on {address} ({limits_line}); {how}; Ctrl+C stops"))
    for note in notes:
        typer.echo(visible(f"annotator: {note}"))
    # One trainer for all the tabs (the store's lease would let only one train anyway), the
    # server's child: it ends when the server does, however that ends.
    with learning_beside(db.resolve(), config, name, learn):
        server.serve()


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Their name: the annotator name their answers are stored under.")],
    reviewer: Annotated[bool, typer.Option("--reviewer", help="May also review and see the agreement report.")] = False,
    users: UsersOption = DEFAULT_USERS,
    url: Annotated[
        str, typer.Option("--url", help="The server's address, for the sign-in link.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Add a person; prints their sign-in link and token (shown once: only a hash is kept)."""
    from annotator.web.users import ANNOTATOR, REVIEWER, UsersFile

    role = REVIEWER if reviewer else ANNOTATOR
    token = UsersFile(users).add(name, role)
    typer.echo(f"{name} ({role}) added to {users}; this is shown once, give it to {name} only:")
    typer.echo(f"  link:  {sign_in_url(url, token)}")
    typer.echo(f"  token: {token}")


@users_app.command("list")
def users_list(users: UsersOption = DEFAULT_USERS) -> None:
    """The people who may sign in, and their role."""
    from annotator.web.users import UsersFile

    listed = UsersFile(users).listed()
    if not listed:
        typer.echo(f"nobody in {users} yet; `annotator users add NAME` adds someone")
    for user in listed:
        typer.echo(f"{user.name}\t{user.role}")


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="Who may no longer sign in.")], users: UsersOption = DEFAULT_USERS
) -> None:
    """Take a person's token away: a running server refuses it from their next page or tab on
    (their answers stay in the store)."""
    from annotator.web.users import UsersFile

    UsersFile(users).revoke(name)
    typer.echo(f"{name} can no longer sign in ({users})")

"""`annotator learn`: the trainer of a dataset, as a command (the work is in usecases.learner)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from annotator.cli.options import DEFAULT_DB, DEFAULT_LABELS, DatasetOption, DbOption, LabelsOption, app
from annotator.core.errors import UserError
from annotator.core.visible import visible


def round_line(done) -> str:
    """What a round did, in one line."""
    from annotator.usecases.learner import Round

    assert isinstance(done, Round)
    was = f"{done.before}: {done.f1_before:.2f}"
    if done.kept is None:
        return (
            f"trained on {done.trained_on}: F {done.f1_after:.2f} on {done.held_out} held-out answers "
            f"does not beat {was}; suggestions unchanged"
        )
    return f"{done.kept.summary()} (was {was}); re-highlighted {done.highlighted} unanswered documents"


def parent_alive(pid: int | None) -> bool:
    """The process that started the trainer is still there (the annotate screen's), or none was named."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, but someone else's
        return True
    return os.getppid() == pid  # a reused pid is not our parent


@app.command("learn")
def learn(
    db: DbOption = DEFAULT_DB,
    labels: LabelsOption = DEFAULT_LABELS,
    dataset: DatasetOption = None,
    every: Annotated[
        int | None,
        typer.Option(
            "--every", min=1, help="Train after this many new accepted answers (default: labels.yaml's, or 25)."
        ),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Train once if it is due, then stop (else: watch until Ctrl-C).")
    ] = False,
    wait: Annotated[
        bool, typer.Option("--wait", help="If another trainer runs for this dataset, wait to take over when it ends.")
    ] = False,
    parent: Annotated[int | None, typer.Option("--parent", hidden=True, help="Stop when this process ends.")] = None,
) -> None:
    """Train a NER model on the accepted answers whenever N new ones are in; keep it only if it
    beats the current suggestions on held-out answers, then re-highlight the unanswered documents with it."""
    from annotator.io.labels import DEFAULT_LEARN_EVERY
    from annotator.usecases import learned
    from annotator.usecases.learner import Learner
    from annotator.usecases.project import open_project, resolve_dataset

    if parent is not None:
        from annotator.usecases.trainer_process import die_with_parent

        die_with_parent(parent)
    store, config = open_project(db, labels, create=False)
    with store:
        name = resolve_dataset(store, dataset)
        every = every or (config.learn.every if config.learn else DEFAULT_LEARN_EVERY)
        learner = Learner(store, config, name, every=every)
        try:
            with learned.trainer_lock(learner.folder, wait=wait):
                if once:
                    done = learner.learn_once()
                    typer.echo(visible(round_line(done) if done else _not_due(learner)))
                    return
                learner.watch(lambda done: typer.echo(visible(round_line(done))), lambda: parent_alive(parent))
        except learned.TrainerBusy:
            raise UserError(
                f"{store.path}: another `annotator learn` is training {name!r} already (or add --wait to take over)"
            ) from None


def _not_due(learner) -> str:
    from annotator.usecases import learned

    seen = learned.answers_seen(learner.folder)
    return f"{learner.answers() - seen} new accepted answers since the last round; training needs {learner.every}"

"""`annotator serve --learn`: one trainer beside the server for every tab, which ends with it."""

from __future__ import annotations

from pathlib import Path

from annotator.usecases.learned import learned_folder


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().rstrip("\0").split("\0")


def trainers_of(pid: int) -> list[int]:
    return [child for child in children(pid) if "learn" in command_line(child)]


def test_serve_with_learn_runs_one_trainer_that_ends_with_the_server(served):
    served.start("--learn")
    assert served.process is not None
    server = served.process.pid
    [trainer] = served.wait_until(lambda: trainers_of(server), what="the trainer's start")
    assert command_line(trainer)[-2:] == ["--parent", str(server)]  # it watches the server
    assert (learned_folder(served.db, served.dataset) / "trainer.log").exists()
    served.stop()
    served.wait_until(lambda: not Path(f"/proc/{trainer}").exists(), what="the trainer's end")


def test_serve_without_learn_runs_no_trainer(served):
    served.start()
    assert served.process is not None
    assert trainers_of(served.process.pid) == []
    served.stop()

"""Run the real `annotator` command many times fast: one process imports it (and spaCy)
once, then forks a child per run. Each child is a fresh process running `annotator.cli:main`
(the console script's entry point) with its own folder, argv, stdout, stderr and exit
status, as `python -m annotator.cli` would, without a second of imports each time.

Protocol: a JSON line [folder, [args...]] on stdin -> a JSON line [status, stdout, stderr].
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import traceback

from annotator.cli import main
from annotator.usecases.import_tokens import blank_tokenizer

CHILD_SECONDS = 120


def run_in_child(folder: str, args: list[str]) -> tuple[int, str, str]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: the command, then exit with its status
            os.chdir(folder)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            sys.argv = ["annotator", *args]
            signal.alarm(CHILD_SECONDS)  # a run that hangs (say, a screen waiting for keys) dies: status -14
            status = 0
            try:
                main()
            except SystemExit as exit_:
                status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            except BaseException:  # what `python -m annotator.cli` would print, and its status
                traceback.print_exc()
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        _, wait_status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return (
            os.waitstatus_to_exitcode(wait_status),
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


if __name__ == "__main__":
    blank_tokenizer("en")  # made once here, inherited by every child
    for line in sys.stdin:
        print(json.dumps(run_in_child(*json.loads(line))), flush=True)

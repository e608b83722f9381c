"""`annotator serve` in a new project serves its demo, as `annotator` opens it in a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess
import sys
import time

from annotator.store import Store
from annotator.usecases.project import DEMO_DATASET
from annotator.web.users import UsersFile
from tests.helpers.served import Tab, free_port


def test_serve_on_a_new_project_imports_the_demo_and_serves_it(project):
    users = UsersFile(project / "users.json")
    token = users.add("ana", "annotator")
    port = free_port()
    command = [sys.executable, "-m", "annotator.cli.__main__", "serve", f"--port={port}", "--users=users.json"]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        with Store(project / "annotations.db", create=False) as store:
            paragraphs = store.count_documents(DEMO_DATASET)
        assert paragraphs > 0  # the seeds, paragraph by paragraph

        class Site:  # what Tab needs of a served project
            url = f"http://127.0.0.1:{port}"
            tokens = {"ana": token}

        async def first_document() -> None:
            async with Tab(Site, "ana") as ana:  # type: ignore[arg-type]
                await ana.wait_for("Iraq")

        asyncio.run(first_document())
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    assert f"imported {paragraphs} paragraphs" in out and "seeds" in out

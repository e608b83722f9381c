"""The real `annotator annotate` in a tmux pane, a scripted key feed, and SIGKILL.

What was given is read off the screen, not off the store: each document carries a tag
(``doc-0007``, in its text and as its source on the progress line, the screen's first
row), and the screen shows one document at a time in id order, so a document the screen
has moved past was answered, and the i-th answer key of a session answered the i-th
document shown in it. ``check_sessions`` compares that with the store.
"""

from __future__ import annotations

import os
import random
import re
import shlex
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.spans import Span
from annotator.core.tasks import NewDocument
from annotator.store import Store

DATASET = "faults"
ANNOTATOR = "killed"
DOCUMENTS = 300
TEXT = "Alice Smith flew from Paris to Berlin on Monday with Bob Jones and 3 friends . doc-{n:04d}"
SUGGESTED = [Span(0, 11, "PERSON"), Span(22, 27, "GPE"), Span(31, 37, "GPE"), Span(41, 47, "DATE")]
TAG = re.compile(r"\bdoc-(\d{4})\b")
# tmux key names -> the answer they give; the other keys edit spans on the document shown.
ANSWER_KEYS = {"a": "accept", "Enter": "accept", "x": "reject", "Space": "ignore"}
EDIT_KEYS = ["Tab", "BTab", "Right", "Left", "S-Right", "S-Left", "d", "1", "2", "5", "8", "<", ">", ",", "."]


def make_project(folder: Path, labels_yaml: Path) -> None:
    """A store of DOCUMENTS tagged documents with suggested spans, and the demo labels."""
    text = labels_yaml.read_text(encoding="utf-8").replace("model: en_core_web_sm", "model: null")
    (folder / "labels.yaml").write_text(text.replace("patterns: patterns.jsonl", "patterns: null"), encoding="utf-8")
    docs = []
    for n in range(1, DOCUMENTS + 1):
        body = TEXT.format(n=n)
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
        docs.append(NewDocument(body, tokens, {"source": f"doc-{n:04d}"}))  # on the progress line too
    with Store(folder / "store.db") as store:
        store.ensure_dataset(DATASET, "en", ["PERSON", "GPE", "DATE"])
        ids = store.add_documents(DATASET, docs)
        store.add_suggestions([(doc_id, "fixture", SUGGESTED) for doc_id in ids.values()], replace=True)


@dataclass
class Session:
    """One run of the program until its kill: what was typed and what the screen showed."""

    answers_typed: list[str] = field(default_factory=list)
    shown: list[int] = field(default_factory=list)  # document tags in the order seen

    @property
    def first(self) -> int:
        return self.shown[0]

    @property
    def acknowledged(self) -> int:
        """Answers the screen has confirmed: it moved on from that many documents."""
        return self.shown[-1] - self.shown[0]


class Annotating:
    """`annotator annotate` exec'd in a tmux pane, so the pane's process is the program.
    Its own tmux server (-L): ending it cannot race another test's session starting."""

    def __init__(self, folder: Path, program: str = "annotator"):
        self.name = f"annotator-fault-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        command = (
            f"exec {program} annotate --db store.db --labels labels.yaml --dataset {DATASET} --annotator {ANNOTATOR}"
        )
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "110",
                "-y",
                "30",
                f"cd {shlex.quote(str(folder))} && {command}",
            ],
            check=True,
        )
        pane_pid = subprocess.run(
            [*self.tmux, "display", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True, text=True
        )
        self.pid = int(pane_pid.stdout)
        self.session = Session()

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def look(self) -> int | None:
        """The tag of the document on screen (recorded), or None while none is drawn."""
        tags = TAG.findall(self.screen())
        if not tags:
            return None
        shown = int(tags[0])
        if not self.session.shown or self.session.shown[-1] != shown:
            self.session.shown.append(shown)
        return shown

    def wait_for_document(self, other_than: int | None = None, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.look()
            if shown is not None and shown != other_than:
                return shown
            time.sleep(0.02)
        size = subprocess.run(
            [*self.tmux, "display", "-p", "-t", self.name, "#{pane_width}x#{pane_height}"],
            capture_output=True,
            text=True,
        )
        raise AssertionError(f"no new document on screen ({size.stdout.strip()}); it shows:\n{self.screen()}")

    def press(self, key: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
        if key in ANSWER_KEYS:
            self.session.answers_typed.append(ANSWER_KEYS[key])

    def resize(self, columns: int, rows: int) -> None:
        """Resize the terminal (the program redraws, with the document wrapped anew)."""
        subprocess.run([*self.tmux, "resize-window", "-t", self.name, "-x", str(columns), "-y", str(rows)], check=True)

    def kill(self) -> Session:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        return self.session


def feed(program: Annotating, rng: random.Random, keys: int) -> None:
    """Type ``keys`` keys as a hurried annotator: mostly answers, edits between, short
    random pauses, now and then a terminal resize; sometimes wait for the next document,
    sometimes type ahead."""
    current = program.wait_for_document()
    for _ in range(keys):
        if rng.random() < 0.05:
            program.resize(rng.randint(60, 140), rng.randint(12, 40))
        key = rng.choice(list(ANSWER_KEYS)) if rng.random() < 0.4 else rng.choice(EDIT_KEYS)
        program.press(key)
        if key in ANSWER_KEYS and rng.random() < 0.5:
            current = program.wait_for_document(other_than=current)
        else:
            time.sleep(rng.uniform(0.0, 0.03))
            current = program.look() or current


def check_sessions(store_path: Path, sessions: list[Session]) -> list[str]:
    """What the store lost, doubled or got wrong against what the screens showed."""
    with Store(store_path) as store:
        problems = store.check()
        rows = [(a.document, a.answer) for a in store.answer_history(dataset=DATASET, annotator=ANNOTATOR)]
        tag_of = {doc.id: int(TAG.search(doc.text).group(1)) for doc in store.documents(DATASET)}
    stored = [(tag_of[document], answer) for document, answer in rows]
    position = 0
    for number, session in enumerate(sessions, 1):
        if not session.shown:
            problems.append(f"session {number}: no document was ever shown")
            continue
        expected = [(session.first + i, kind) for i, kind in enumerate(session.answers_typed)]
        mine = []
        while position < len(stored) and stored[position][0] >= session.first and len(mine) < len(expected):
            mine.append(stored[position])
            position += 1
        if mine != expected[: len(mine)]:
            problems.append(f"session {number}: stored {mine}, typed {expected[: len(mine)]}")
        if len(mine) < session.acknowledged:
            problems.append(
                f"session {number}: the screen moved past {session.acknowledged} documents"
                f" (doc-{session.first:04d} to doc-{session.shown[-1]:04d}), the store has {len(mine)} answers"
            )
        following = sessions[number] if number < len(sessions) else None
        if following and following.shown and following.first != session.first + len(mine):  # the first unanswered
            problems.append(
                f"session {number + 1} resumed at doc-{following.first:04d}, not doc-{session.first + len(mine):04d}"
            )
    if position != len(stored):
        problems.append(f"{len(stored) - position} stored answers no key gave: {stored[position:]}")
    return problems

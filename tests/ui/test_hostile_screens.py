"""Every screen draws the data visibly: documents, sources, annotator, reviewer, label
and dataset names full of OSC, CSI, BEL, C1 and right-to-left controls (imported with the
real CLI) leave no raw control character in what any screen paints."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.core.visible import visible
from annotator.io.labels import load_labels
from annotator.store import Store
from annotator.ui import textual_private
from annotator.ui.app import annotate_app, review_app
from annotator.ui.screens.agreement import AgreementScreen
from annotator.ui.screens.annotate import AnnotateScreen
from annotator.ui.screens.finished import FinishedScreen
from annotator.ui.screens.help import HelpScreen
from annotator.ui.screens.review import ReviewScreen
from annotator.ui.screens.review_done import ReviewDoneScreen
from tests.helpers.hostile import ANNOTATORS, DATASET, EVIL, FILE, LABELS, raw_controls, write_project

pytestmark = pytest.mark.anyio
SIZE = (160, 50)


@pytest.fixture
def hostile(tmp_path):
    data = write_project(tmp_path)
    subprocess.run([sys.executable, "-m", "annotator.cli", "import", data.name, "--dataset", DATASET],
                   cwd=tmp_path, check=True, capture_output=True)  # fmt: skip
    return tmp_path, load_labels(tmp_path / "labels.yaml")


def painted(app) -> str:
    """Every character of every segment the screen (and the screens under a modal) paints."""
    return textual_private.screen_text(app.screen)


class Seen:
    """What each screen painted, checked at the end so one run names every leak."""

    def __init__(self, app):
        self.app, self.leaks, self.screens = app, {}, []

    async def look(self, pilot, kind) -> str:
        await self.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(self.app.screen, kind), (kind, self.app.screen)
        shown = painted(self.app)
        self.screens.append(kind.__name__)
        if raw_controls(shown):
            self.leaks[kind.__name__] = raw_controls(shown)
        return shown


@pytest.mark.slow
async def test_the_annotate_screens_paint_no_raw_control(hostile):
    folder, config = hostile
    with Store(folder / "annotations.db") as store:
        app = annotate_app(store, config, DATASET, "cy" + EVIL, overlap=3)
        seen = Seen(app)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            shown = await seen.look(pilot, AnnotateScreen)
            assert visible(EVIL) in shown and visible("cy" + EVIL) in shown and "[bold]b[/]" in shown
            assert visible(LABELS[0]) in shown
            await pilot.press("shift+right", "1")  # a span labelled: the status line names the label
            await seen.look(pilot, AnnotateScreen)
            await pilot.press("question_mark")
            await seen.look(pilot, HelpScreen)
            await pilot.press("escape", "g")
            shown = await seen.look(pilot, AgreementScreen)
            assert visible(ANNOTATORS[0]) in shown and visible(f"{FILE}.jsonl")[:12] in shown
            await pilot.press("escape", "a", "a", "a")
            shown = await seen.look(pilot, FinishedScreen)
            assert visible(DATASET) in shown
            await pilot.press("g")
            await seen.look(pilot, AgreementScreen)
    assert seen.leaks == {}
    assert seen.screens == ["AnnotateScreen"] * 2 + [
        "HelpScreen",
        "AgreementScreen",
        "FinishedScreen",
        "AgreementScreen",
    ]


@pytest.mark.slow
async def test_the_review_screens_paint_no_raw_control(hostile):
    folder, config = hostile
    with Store(folder / "annotations.db") as store:
        app, _ = review_app(store, config, DATASET, "rev" + EVIL)
        seen = Seen(app)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            shown = await seen.look(pilot, ReviewScreen)
            assert visible(ANNOTATORS[1]) in shown and visible(LABELS[1]) in shown
            await pilot.press("question_mark")
            await seen.look(pilot, HelpScreen)
            await pilot.press("escape", "space", "space", "space")
            shown = await seen.look(pilot, ReviewDoneScreen)
            assert visible("rev" + EVIL) in shown
            await pilot.press("g")
            await seen.look(pilot, AgreementScreen)
    assert seen.leaks == {}


@pytest.mark.slow
async def test_a_pre_highlighting_failure_naming_a_hostile_file_is_shown_visibly(hostile):
    from tests.helpers.hostile import labels_yaml

    folder, _ = hostile
    (folder / f"broken{FILE}.jsonl").write_text("{broken\n", encoding="utf-8")
    (folder / "broken.yaml").write_text(labels_yaml(patterns=f"broken{FILE}.jsonl"), encoding="utf-8")
    config = load_labels(folder / "broken.yaml")
    with Store(folder / "annotations.db") as store:
        app = annotate_app(store, config, DATASET, "cy" + EVIL, overlap=3)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)  # the notification's toast is mounted and painted
            toasts = textual_private.toast_texts(app.screen)
            shown = painted(app)
    assert len(toasts) == 1 and "brokenf␛]0;PWNED" in toasts[0]  # it says which file, visibly
    assert raw_controls(toasts[0]) == [] and raw_controls(shown) == []

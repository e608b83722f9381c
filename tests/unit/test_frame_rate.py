"""The screens ask Textual for up to 120 frames a second (annotator/ui/__init__.py), unless the
user set TEXTUAL_FPS themselves: a key's repaint waits at most one frame."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers.paths import ROOT

SHOW_FPS = "import annotator.ui.app, textual.constants; print(textual.constants.MAX_FPS)"


def max_fps(**environment: str) -> int:
    env = {name: value for name, value in os.environ.items() if name != "TEXTUAL_FPS"} | environment
    done = subprocess.run([sys.executable, "-c", SHOW_FPS], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.slow
def test_the_screens_run_at_up_to_120_frames_a_second():
    assert max_fps() == 120


@pytest.mark.slow
def test_a_frame_rate_of_the_users_own_wins():
    assert max_fps(TEXTUAL_FPS="30") == 30

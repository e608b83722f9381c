"""Fixtures of the screen tests: the news labels in the test's folder, a store path, asyncio."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.news import write_labels


@pytest.fixture
def config(tmp_path):
    return write_labels(tmp_path)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "annotations.db"


@pytest.fixture
def anyio_backend():
    return "asyncio"

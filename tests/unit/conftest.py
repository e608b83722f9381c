"""Fixtures of the importer tests: a project's labels (no model, no patterns) and an empty
store on disk. A test module that needs others defines its own of the same name."""

from __future__ import annotations

import pytest

from annotator.store import Store
from tests.helpers.importing import labels_config


@pytest.fixture
def config(tmp_path):
    return labels_config(tmp_path)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "a.db") as store:
        yield store

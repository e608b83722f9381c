"""Model warnings reach the annotate screen (the console is hidden behind it), and the
status line says "suggestions arrived" only when some did."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.ui import textual_private
from annotator.ui.app import annotate_app
from annotator.ui.widgets.status import StatusLine
from tests.helpers.news import NEWS, NEWS_LABELS, OTHER, news_store, write_labels

pytestmark = pytest.mark.anyio


def _notices(app) -> list[str]:
    return textual_private.notification_messages(app)


async def test_a_model_that_is_not_installed_is_said_on_the_screen(db, tmp_path):
    """Before: the worker loaded the model with its notes thrown away; nothing on screen."""
    (tmp_path / "patterns.jsonl").write_text('{"label": "GPE", "pattern": "Baghdad"}\n', encoding="utf-8")
    config = write_labels(
        tmp_path,
        labels=NEWS_LABELS.replace("model: null", "model: en_core_web_smm").replace(
            "patterns: null", "patterns: patterns.jsonl"
        ),
    )
    news_store(db, [NEWS, OTHER], suggest=True)  # all pre-highlighted already: the worker has nothing to fill
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            notices = _notices(app)
    assert any("en_core_web_smm" in n and "not a spaCy pipeline name" in n for n in notices), notices


async def test_suggestions_arrived_only_when_some_did(db, tmp_path):
    (tmp_path / "patterns.jsonl").write_text('{"label": "GPE", "pattern": "Nowhere"}\n', encoding="utf-8")
    config = write_labels(tmp_path, labels=NEWS_LABELS.replace("patterns: null", "patterns: patterns.jsonl"))
    news_store(db, [NEWS, OTHER], suggest=False)
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            said = str(app.screen.query_one(StatusLine).render())
    assert "suggestions arrived" not in said


async def test_a_model_added_since_pre_highlighting_is_said_on_the_screen_with_the_command(tmp_path, tiny_model):
    """The documents were pre-highlighted before labels.yaml named a model: the screen says
    how many lack it and offers the exact command (this store and labels.yaml named)."""
    db = tmp_path / "other.db"
    config = write_labels(tmp_path, labels=NEWS_LABELS.replace("model: null", f"model: {tiny_model}"))
    news_store(db, [NEWS, OTHER], suggest=True)  # suggestions from another source: the worker fills none
    with Store(db) as store:
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            notices = _notices(app)
    command = f"annotator preannotate --dataset news --db {db} --labels {tmp_path / 'labels.yaml'}"
    assert any(n.startswith("2 documents of 'news' have no suggestions from tiny_ner 0.0.1") and
               n.endswith(f"run `{command}`") for n in notices), notices  # fmt: skip

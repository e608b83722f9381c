"""Model warnings reach the annotate screen (the console is hidden behind it), and the
status line says "suggestions arrived" only when some did."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.widgets.status import StatusLine
from tests.helpers.news import NEWS, NEWS_LABELS, OTHER, news_store, write_labels

pytestmark = pytest.mark.anyio


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


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

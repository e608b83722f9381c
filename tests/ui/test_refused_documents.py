"""A document whose tokens leave part of its text out used to import and then crash the
annotate screen on shift+right (Prodigy `"tokens": []`). Now the import refuses it, and
what was imported beside it is annotated as usual: it never reaches a screen."""

from __future__ import annotations

import json

import pytest

from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.screens.finished import FinishedScreen
from tests.helpers.cli import run_main
from tests.helpers.news import NEWS, OTHER, write_labels

pytestmark = pytest.mark.anyio
NO_TOKENS = "Alice Smith met officials in Damascus on Thursday."
GAP = "Iraq sent troops to Syria."


async def test_a_document_its_tokens_do_not_cover_never_reaches_the_screen(tmp_path, monkeypatch, capsys):
    config = write_labels(tmp_path)
    lines = [
        {"text": NEWS},
        {"text": NO_TOKENS, "tokens": []},
        {"text": GAP, "tokens": [{"start": 0, "end": 4}, {"start": 10, "end": 16}]},
        {"text": OTHER},
    ]
    (tmp_path / "tasks.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = run_main(monkeypatch, capsys, "import", "tasks.jsonl", "--dataset", "news", "--skip-invalid")
    assert status == 0 and "2 new documents" in out and "2 skipped" in out, (out, err)
    assert err.splitlines() == [
        "skipped tasks.jsonl:2: the tokens do not cover the text: 'Alice' at 0-5 is in no token",
        "skipped tasks.jsonl:3: the tokens do not cover the text: 'sent' at 5-9 is in no token",
    ]

    shown = []
    with Store(tmp_path / "annotations.db") as store:
        assert sorted(d.text for d in store.documents("news")) == sorted([NEWS, OTHER])
        app = annotate_app(store, config, "news", "alice")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            while not isinstance(app.screen, FinishedScreen):
                shown.append(app.screen.current.document.text)
                for key in ("shift+right", "shift+right", "escape", "a"):  # the keys that crashed
                    await pilot.press(key)
                await pilot.pause()
        assert sorted(shown) == sorted([NEWS, OTHER])
        answered = {
            store.document(a.document).text: a.answer for a in store.answer_history(dataset="news", annotator="alice")
        }
    assert answered == {NEWS: "accept", OTHER: "accept"}

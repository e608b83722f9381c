"""The planner's keys pressed in the real annotate screen (Textual's Pilot), to hold the plans
to what the screen does: each replayed document's stored answer must equal its gold.

The screen is the one `annotator annotate` opens, on a store made as the effort walk makes
its own, in a 100x30 terminal; the plan for each document is made from what the screen shows
(its spans, its cursor, the document's width on screen) and pressed key by key.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from annotator.io.labels import load_labels
from annotator.store import Store
from annotator.ui.app import annotate_app
from annotator.ui.widgets.span_text import SpanText

SIZE = (100, 30)
REPLAYER = "replayed"


class PlanDrift(AssertionError):
    """The screen stored something other than the gold the plan was made for."""


def replay(gold_file: Path, labels: Path, count: int, folder: Path, steps: Counter | None = None) -> int:
    """Press the plans of the first ``count`` documents the screen hands out; the number
    replayed (``steps`` counts the binding ids pressed). Raises PlanDrift when a stored answer
    differs from its gold."""
    from bench.effort import DATASET, WIDTH, planner_for, prepared_store, read_gold

    config = load_labels(labels)
    gold = read_gold(gold_file)
    folder.mkdir(parents=True, exist_ok=True)
    store = prepared_store(folder, gold_file, config)
    store.close()
    expected: dict[int, tuple] = {}

    async def press_plans() -> None:
        with Store(folder / "effort.db") as store:
            app = annotate_app(store, config, DATASET, REPLAYER)
            async with app.run_test(size=SIZE) as pilot:
                for _ in range(count):
                    await pilot.pause()
                    screen = app.screen
                    task = getattr(screen, "current", None)
                    if task is None:
                        break
                    width = screen.query_one(SpanText).scrollable_content_region.width
                    if width != WIDTH:
                        raise PlanDrift(f"the document is {width} cells wide on screen; the walk plans for {WIDTH}")
                    wanted = gold[task.document.text]
                    editor = screen.editor
                    plan = planner_for(config, width).plan(
                        task.document.text, task.tokens, editor.spans, wanted.spans, wanted.answer, editor.disputed
                    )
                    expected[task.document.id] = (wanted.answer, tuple(sorted(wanted.spans)), plan.steps)
                    if steps is not None:
                        steps.update(step.split(":")[0] for step in plan.steps)
                    for key in plan.keys:
                        await pilot.press(key)
                    while getattr(app.screen, "saving", False):
                        await pilot.pause(0.01)
                await pilot.pause()

    asyncio.run(press_plans())
    with Store(folder / "effort.db") as store:
        stored = {a.document: a for a in store.latest_answers(DATASET, REPLAYER)}
    for document, (answer, spans, steps) in expected.items():
        got = stored.get(document)
        if got is None or got.answer != answer or (answer == "accept" and tuple(sorted(got.spans)) != spans):
            raise PlanDrift(f"document {document}: pressed {' '.join(steps)}; stored {got!r}, gold {answer} {spans!r}")
    return len(expected)

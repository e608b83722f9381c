"""Splitting train and dev: the seeded split of the training dataset (``core.split``), or a fixed
eval dataset whole as dev (a text in both is kept out of train); then the chosen documents
streamed from the store with their side."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.core.split import DEV, split
from annotator.store import Store
from annotator.usecases.export.choose import Plan, check_enough, plan_export, span_tuples

IN_BOTH = "in the eval dataset too (kept out of train)"


@dataclass
class SplitPlan:
    """What each exported dataset gives, and the side each of its documents goes to: the
    training dataset, then the eval dataset (all dev) if there is one."""

    plans: dict[str, Plan]
    sides: dict[str, dict[str, str]]  # dataset -> {input hash: train | dev}
    left_out: Counter
    wants_dev: bool  # a dev set is expected: an eval dataset, or an eval split above 0


def check_eval_split(eval_split: float) -> None:
    if not 0.0 <= eval_split < 1.0:
        raise UserError(f"--eval-split must be at least 0 and below 1 (not {eval_split})")


def plan_split(store: Store, dataset: str, *, eval_dataset: str | None = None, eval_split: float = 0.2,
               seed: int = 0, conflicts: str = "review") -> SplitPlan:  # fmt: skip
    """The training dataset split by ``eval_split`` (0: all train), plus the eval dataset as
    dev whole. A text in both goes to dev only: an eval set the model trained on measures nothing."""
    check_eval_split(eval_split)
    plan = plan_export(store, dataset, conflicts)
    left_out = plan.left_out
    if eval_dataset is None:
        check_enough(store, dataset, plan, needed=2 if eval_split > 0 else 1)
        sides = {dataset: split(plan.hashes.values(), eval_split, seed)}
        return SplitPlan({dataset: plan}, sides, left_out, wants_dev=eval_split > 0)
    held = plan_export(store, eval_dataset, conflicts)
    held_texts = {digest for _, digest in store.document_hashes(eval_dataset)}
    for document, digest in list(plan.hashes.items()):
        if digest in held_texts:
            del plan.finals[document], plan.hashes[document]
            left_out[IN_BOTH] += 1
    for reason, count in held.left_out.items():
        left_out[f"{reason} (eval dataset)"] += count
    check_enough(store, dataset, plan, needed=1)
    check_enough(store, eval_dataset, held, needed=1)
    sides = {
        dataset: split(plan.hashes.values(), eval_split, seed),
        eval_dataset: dict.fromkeys(held.hashes.values(), DEV),
    }
    return SplitPlan({dataset: plan, eval_dataset: held}, sides, left_out, wants_dev=True)


def planned_documents(store: Store, planned: SplitPlan, progress: Callable[[int], None] | None = None):
    """(side, text, token offsets as core.token_codec packs them, final spans) of each document
    to export, streamed dataset by dataset."""
    for name, plan in planned.plans.items():
        for document, digest, text, tokens in store.document_texts(name):
            if progress is not None:
                progress(1)
            final = plan.finals.get(document)
            if final is not None:
                yield planned.sides[name][digest], text, tokens, span_tuples(final)

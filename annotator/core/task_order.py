"""The order in which documents are handed out (``annotate --order``), and the anchoring control.

``file``: the order of the file (document ids). ``random``: a seeded shuffle of the dataset.
``uncertain``: the documents the current model is least sure of first (the confidence its
suggestion source stored per document), with a share of the documents taken from the seeded
shuffle instead, spread evenly (``RANDOM_SHARE``): a model's own doubts are a biased sample,
and the held-out answers it is scored on and the agreement figures come from the answers;
the random ones keep a uniform sample among them. Without stored confidences (patterns alone)
``uncertain`` is the file order.

The control (``annotate --control SHARE``): a stable share of the documents, chosen by a hash
of each document's text alone, so every annotator sees the same ones without suggestions.
Pure: no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from annotator.core.split import split_key

FILE, RANDOM, UNCERTAIN = "file", "random", "uncertain"
ORDERS = (FILE, RANDOM, UNCERTAIN)
RANDOM_SHARE = 0.15  # of the documents handed out in uncertain order: from the seeded shuffle


@dataclass(frozen=True)
class TaskOrder:
    """How ``Store.next_task`` walks the documents for one call."""

    kind: str = FILE
    seed: int = 0
    ranked_by: str | None = None  # uncertain: the suggestion source whose confidences rank
    random_turn: bool = False  # uncertain: this call takes the shuffle first

    def __post_init__(self) -> None:
        if self.kind not in ORDERS:
            raise ValueError(f"unknown order {self.kind!r} (one of {', '.join(ORDERS)})")

    @property
    def shuffle_name(self) -> str:
        """The name of the seeded shuffle this order walks (random, and uncertain's random turns)."""
        return f"{RANDOM} {self.seed}"


def random_turn(handed: int, share: float = RANDOM_SHARE) -> bool:
    """Whether the document after ``handed`` ones comes from the shuffle: ``share`` of them,
    evenly spread (with 0.15: 3 of every 20), the same every run."""
    return math.floor((handed + 1) * share) > math.floor(handed * share)


def is_control(input_hash: str, share: float) -> bool:
    """Whether this document is shown without suggestions under ``--control share``: by its
    text's hash alone (salted apart from the train/dev split's), the same for everyone."""
    return share > 0 and split_key(f"control:{input_hash}") < share


@dataclass(frozen=True)
class HandOut:
    """How an annotate session hands documents out: ``--order``, its ``--seed``, ``--control``."""

    order: str = FILE
    seed: int = 0
    control: float = 0.0  # the share of documents shown without suggestions

    def __post_init__(self) -> None:
        if self.order not in ORDERS:
            raise ValueError(f"unknown order {self.order!r} (one of {', '.join(ORDERS)})")
        if not 0.0 <= self.control < 1.0:
            raise ValueError(f"the control share is at least 0 and below 1, not {self.control}")

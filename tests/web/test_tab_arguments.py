"""A served tab's command line carries the server's --order, --seed and --control to the
annotate session it starts, and the defaults when the server has none."""

from __future__ import annotations

from pathlib import Path

from annotator.core.task_order import HandOut
from annotator.web.tab import tab_arguments, tab_parser


def _parsed(hand_out):
    line = tab_arguments(Path("a.db"), Path("labels.yaml"), "d", "ann", "annotator", "annotate", 2, hand_out)
    assert line[1:3] == ["-m", "annotator.web.tab"]
    args = tab_parser().parse_args(line[3:])
    return HandOut(args.order, args.seed, args.control), args.overlap


def test_the_order_and_the_control_reach_the_tab():
    assert _parsed(HandOut("uncertain", 7, 0.05)) == (HandOut("uncertain", 7, 0.05), 2)
    assert _parsed(None) == (HandOut(), 2)

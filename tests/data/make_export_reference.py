"""Writes export_reference/<case>/{train,dev}.spacy: the export of each case of
tests/helpers/export_reference.py by the code of the commit this is run at (kept from
before the export was made faster, so that the faster one is held to the same files).
Run from the repository root: PYTHONPATH=. python tests/data/make_export_reference.py"""

import shutil
import tempfile
from pathlib import Path

from tests.helpers.export_reference import CASES, REFERENCE, SIDES, export_case

with tempfile.TemporaryDirectory() as folder:
    for case in CASES:
        out = export_case(case, Path(folder))
        (REFERENCE / case).mkdir(parents=True, exist_ok=True)
        for side in SIDES:
            shutil.copyfile(out / side, REFERENCE / case / side)

"""Every store a test opens is closed (tests/helpers/open_stores.py): a test that leaves one
open fails, naming where it was opened; one closed by the test or its fixtures passes."""

from __future__ import annotations

import pytest

# A whole pytest session runs inside each of these tests (a second or more each), and the
# machinery of that inner session is not the test's own doing: on CI something in it started a
# process, which the outer guard blamed on the test. Slow, so only the inner guard judges.
pytestmark = pytest.mark.slow

PLUGIN = ("-p", "tests.helpers.open_stores", "-p", "no:cacheprovider", "-p", "no:textual-snapshot")

SUITE = """
import pytest
from annotator.store import Store

def open_one(path):
    return Store(path)

def test_leaves_one_open(tmp_path):
    store = open_one(tmp_path / "left.db")
    store.ensure_dataset("d", "en", ["PERSON"])

def test_closes_it(tmp_path):
    with Store(tmp_path / "closed.db") as store:
        store.ensure_dataset("d", "en", ["PERSON"])

@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "fixture.db")
    yield store
    store.close()

def test_its_fixture_closes_it(store):
    store.ensure_dataset("d", "en", ["PERSON"])

@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("shared") / "shared.db") as store:
        yield store

def test_uses_a_module_store(shared):
    shared.ensure_dataset("d", "en", ["PERSON"])

def test_uses_it_again(shared):
    assert shared.path.name == "shared.db"
"""


def test_a_store_left_open_fails_the_test_naming_where_it_was_opened(pytester):
    pytester.makepyfile(test_stores=SUITE)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaves_one_open*",
            "a store left open*",
            "left.db opened at * > test_stores.py:8 in test_leaves_one_open > test_stores.py:5 in open_one",
        ]
    )
    assert "closed.db" not in result.stdout.str() and "fixture.db" not in result.stdout.str()

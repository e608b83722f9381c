import pytest

from tests.helpers.served import serving


@pytest.fixture
def served(tmp_path):
    """`annotator serve` on a free loopback port, over a store of four documents."""
    with serving(tmp_path) as served:
        yield served

import pytest


@pytest.fixture(scope="module")
def demo_street(demo_once):
    """The demo street, loaded once for the module (``demo_once`` in tests/conftest.py)."""
    return demo_once

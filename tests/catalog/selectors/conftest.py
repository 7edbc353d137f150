import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The header category nav is cached; each test starts without another test's categories."""
    cache.clear()
    yield
    cache.clear()

import pytest

from tests.analytics.rollups.builders import TZ


@pytest.fixture(autouse=True)
def _platform_days(settings):
    """Days in London (GMT in winter, BST in summer); events kept for good, so the fixed dates of the
    tests never count as pruned."""
    settings.ANALYTICS_TIME_ZONE = TZ
    settings.ANALYTICS_EVENT_RETENTION_DAYS = 100_000
    settings.ALLOWED_HOSTS = ["shop.example", "testserver"]

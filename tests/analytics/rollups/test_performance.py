"""A busy day (about 14,000 events, 1,400 orders, 4,000 lines) rolls up in under 5 seconds on
PostgreSQL: every source is read by its time index and aggregated in SQL or in one pass."""

import time
from datetime import date

import pytest

from analytics.models import Grain, SalesFact, TrafficFact
from analytics.rollups.services import rollup_day, rollup_hourly
from tests.analytics.rollups.volume import day_seed

D = date(2026, 3, 10)


@pytest.mark.services
@pytest.mark.django_db
def test_a_busy_day_rolls_up_in_under_five_seconds():
    volume = day_seed(D)
    assert 13_000 <= volume.events <= 15_000
    assert (volume.orders, 3_800 <= volume.lines <= 4_200) == (1_400, True)

    started = time.monotonic()
    rollup_day(day=D)
    elapsed = time.monotonic() - started
    rollup_hourly(day=D)

    platform = SalesFact.objects.filter(grain=Grain.DAY, period=D, seller_id=0)
    assert sum(row.orders_placed for row in platform) == 1_400
    assert sum(row.orders_paid for row in platform) == 1_260
    assert (
        sum(row.sessions for row in TrafficFact.objects.filter(grain=Grain.DAY, period=D, seller_id=0))
        >= 2_900
    )
    assert elapsed < 5.0, f"the rollup of a busy day took {elapsed:.2f} s"

"""Platform days are local days: across a DST change a day has 23 or 25 hours, and an event belongs to
the local day it happened on (Europe/London: clocks go forward on 29 March 2026, back on 25 October)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from analytics.models import HourlyFact, SalesFact, VisitorSession
from analytics.rollups.calendar import day_span, local_day, local_hour
from analytics.rollups.services import rollup_day, rollup_hourly
from tests.analytics.rollups.builders import at, event, order_at, pay
from tests.orders.factories import purchasable_variant

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def test_the_spring_day_has_23_hours_and_the_autumn_day_25():
    spring = day_span(SPRING)
    autumn = day_span(AUTUMN)

    assert spring.start == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert spring.end == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)
    assert spring.end - spring.start == timedelta(hours=23)
    assert autumn.end - autumn.start == timedelta(hours=25)
    assert day_span(SPRING + timedelta(days=1)).start == spring.end


def test_the_two_local_1_am_hours_of_the_autumn_night_stay_apart():
    first = local_hour(datetime(2026, 10, 25, 0, 40, tzinfo=UTC))  # 01:40 BST
    second = local_hour(datetime(2026, 10, 25, 1, 40, tzinfo=UTC))  # 01:40 GMT
    assert (first, second) == (
        datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    )


@pytest.mark.django_db
def test_events_at_half_past_midnight_and_half_past_eleven_land_on_their_local_day():
    event("before", at(SPRING - timedelta(days=1), "23:30"))  # 23:30 GMT on the 28th
    event("early", at(SPRING, "00:30"))  # 00:30 GMT
    event("late", at(SPRING, "23:30"))  # 23:30 BST = 22:30 UTC
    event("after", datetime(2026, 3, 29, 23, 30, tzinfo=UTC))  # 00:30 BST on the 30th
    assert local_day(at(SPRING, "23:30")) == SPRING

    for day in (SPRING - timedelta(days=1), SPRING, SPRING + timedelta(days=1)):
        rollup_day(day=day)

    days = dict(VisitorSession.objects.values_list("visitor_key", "day"))
    assert days == {
        "before": date(2026, 3, 28),
        "early": SPRING,
        "late": SPRING,
        "after": date(2026, 3, 30),
    }


@pytest.mark.django_db
def test_an_order_placed_at_half_past_eleven_local_on_the_short_day_is_booked_on_it():
    variant = purchasable_variant(price=1000)
    order = order_at(at(SPRING, "23:30"), lines=[(variant, 1)])
    pay(order, at(SPRING, "23:40"))

    rollup_day(day=SPRING)
    rollup_day(day=SPRING + timedelta(days=1))

    booked = SalesFact.objects.filter(seller_id=0, grain="D").values_list("period", "gmv_amount")
    assert list(booked) == [(SPRING, 1000)]


@pytest.mark.django_db
def test_the_hourly_rows_of_the_long_day_keep_both_1_am_hours():
    event("first", datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 01:30 BST
    event("second", datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 01:30 GMT

    rollup_hourly(day=AUTUMN)

    hours = list(
        HourlyFact.objects.filter(seller_id=0).order_by("hour").values_list("hour", "sessions", "page_views")
    )
    assert hours == [
        (datetime(2026, 10, 25, 0, 0, tzinfo=UTC), 1, 1),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 1, 1),
    ]

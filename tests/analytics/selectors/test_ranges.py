"""Date ranges: presets, refusals, and the day/month split every range read goes through."""

import datetime as dt

import pytest

from analytics.models import SalesFact, TrafficFact
from analytics.selectors import (
    MAX_SPAN_DAYS,
    DateRange,
    RangeError,
    RangeSplit,
    date_range_resolve,
    range_split,
    sales_totals,
    traffic_totals,
)
from tests.analytics import facts
from tests.analytics.facts import D

TODAY = D(2026, 3, 15)


@pytest.mark.parametrize(
    ("preset", "start"),
    [
        ("7d", D(2026, 3, 9)),
        ("30d", D(2026, 2, 14)),
        ("90d", D(2025, 12, 16)),
        ("year", D(2026, 1, 1)),
        ("12m", D(2025, 3, 16)),
    ],
)
def test_a_preset_ends_today_and_starts_where_it_says(preset, start):
    assert date_range_resolve(preset=preset, start=None, end=None, today=TODAY) == DateRange(start, TODAY)


def test_twelve_months_from_a_leap_day_start_on_the_first_of_march():
    assert date_range_resolve(preset="12m", start=None, end=None, today=D(2028, 2, 29)).start == D(2027, 3, 1)


def test_a_preset_ignores_the_custom_dates():
    resolved = date_range_resolve(preset="7d", start=D(2020, 1, 1), end=D(2020, 1, 2), today=TODAY)

    assert resolved == DateRange(D(2026, 3, 9), TODAY)


def test_a_custom_range_is_taken_as_given():
    resolved = date_range_resolve(preset="custom", start=D(2025, 1, 1), end=D(2025, 1, 31), today=TODAY)

    assert (resolved, resolved.days) == (DateRange(D(2025, 1, 1), D(2025, 1, 31)), 31)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, D(2026, 1, 1), "start"),
        (D(2026, 1, 1), None, "end"),
        (D(2026, 2, 1), D(2026, 1, 1), "start"),
        (D(2026, 1, 1), D(2026, 3, 16), "end"),
        (D(1999, 12, 31), D(2000, 1, 31), "start"),
        (TODAY - dt.timedelta(days=MAX_SPAN_DAYS), TODAY, "start"),
    ],
)
def test_a_custom_range_that_is_incomplete_reversed_future_early_or_too_long_is_refused_naming_the_field(
    start, end, field
):
    with pytest.raises(RangeError) as refused:
        date_range_resolve(preset="custom", start=start, end=end, today=TODAY)

    assert list(refused.value.extra) == [field]


def test_the_longest_range_allowed_is_accepted():
    start = TODAY - dt.timedelta(days=MAX_SPAN_DAYS - 1)

    assert date_range_resolve(preset="custom", start=start, end=TODAY, today=TODAY).days == MAX_SPAN_DAYS


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert DateRange(D(2026, 3, 1), D(2026, 3, 10)).previous() == DateRange(D(2026, 2, 19), D(2026, 2, 28))


@pytest.mark.parametrize(
    ("start", "end", "split"),
    [
        # inside one month: days only
        (D(2026, 1, 5), D(2026, 1, 20), RangeSplit((D(2026, 1, 5), D(2026, 1, 20)), None, None)),
        # a whole month exactly
        (D(2026, 2, 1), D(2026, 2, 28), RangeSplit(None, (D(2026, 2, 1), D(2026, 2, 1)), None)),
        # partial, full, full, partial
        (
            D(2026, 1, 15),
            D(2026, 4, 10),
            RangeSplit(
                (D(2026, 1, 15), D(2026, 1, 31)),
                (D(2026, 2, 1), D(2026, 3, 1)),
                (D(2026, 4, 1), D(2026, 4, 10)),
            ),
        ),
        # across a year end, no full month
        (D(2025, 12, 20), D(2026, 1, 10), RangeSplit((D(2025, 12, 20), D(2026, 1, 10)), None, None)),
        # starts on a first, ends mid-month
        (
            D(2026, 1, 1),
            D(2026, 2, 3),
            RangeSplit(None, (D(2026, 1, 1), D(2026, 1, 1)), (D(2026, 2, 1), D(2026, 2, 3))),
        ),
        # two years: 24 month rows
        (D(2024, 1, 1), D(2025, 12, 31), RangeSplit(None, (D(2024, 1, 1), D(2025, 12, 1)), None)),
    ],
)
def test_a_range_reads_day_rows_for_partial_months_and_month_rows_for_full_ones(start, end, split):
    assert range_split(DateRange(start, end)) == split


@pytest.mark.django_db
def test_reading_month_rows_for_full_months_equals_summing_the_day_rows():
    # given day rows every day from mid-January to mid-April, and the month rows the rollup derives
    day = D(2026, 1, 10)
    expected_gmv = expected_sessions = 0
    while day <= D(2026, 4, 20):
        gmv, sessions = 100 + day.day, day.day % 7 + 1
        facts.sales(day, gmv_amount=gmv, orders_paid=1)
        facts.traffic(day, sessions=sessions, visitors=sessions)
        if D(2026, 1, 15) <= day <= D(2026, 4, 10):
            expected_gmv += gmv
            expected_sessions += sessions
        day += dt.timedelta(days=1)
    for month in (D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)):
        facts.month_rows(SalesFact, month)
        facts.month_rows(TrafficFact, month)
    date_range = DateRange(D(2026, 1, 15), D(2026, 4, 10))

    # when the range is read
    totals = sales_totals(seller_id=0, date_range=date_range)

    # then it equals the sum of the day rows (86 days, 86 orders)
    assert (totals[0].gmv_amount, totals[0].orders_paid) == (expected_gmv, 86)
    assert traffic_totals(seller_id=0, date_range=date_range).sessions == expected_sessions

    # and the full months really came from their month rows: without their day rows nothing changes
    SalesFact.objects.filter(grain="D", period__gte=D(2026, 2, 1), period__lte=D(2026, 3, 31)).delete()
    assert sales_totals(seller_id=0, date_range=date_range)[0].gmv_amount == expected_gmv

"""The headline figures with the previous period, the sales series of the chart, freshness."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.selectors import (
    OPERATOR_KPIS,
    SELLER_KPIS,
    DateRange,
    SeriesPoint,
    average,
    change_percent,
    overview_kpis,
    percent,
    rollup_updated_at,
    sales_series,
    series_bucket,
)
from tests.analytics import facts
from tests.analytics.facts import D

pytestmark = pytest.mark.django_db

MARCH = DateRange(D(2026, 3, 1), D(2026, 3, 10))  # previous: 19-28 February


def _by_key(kpis):
    return {(k.key, k.currency): k for k in kpis}


def test_percent_change_and_average_round_half_up_and_have_no_value_without_a_base():
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(5, 0) is None
    assert change_percent(150, 100) == Decimal("50.0")
    assert change_percent(Decimal("2.5"), Decimal("5.0")) == Decimal("-50.0")
    assert change_percent(10, 0) is None
    assert change_percent(-50, -100) == Decimal("50.0")
    assert average(1001, 2) == 501  # 500.5 rounds half up
    assert average(10, 0) is None


def test_operator_kpis_compare_with_the_previous_period_of_equal_length():
    # given this period: 2 days of platform sales and traffic
    facts.sales(
        D(2026, 3, 2),
        gmv_amount=30000,
        orders_paid=3,
        refund_amount=5000,
        refunded_orders=1,
        commission_amount=3000,
        new_customers=2,
    )
    facts.sales(D(2026, 3, 9), gmv_amount=10000, orders_paid=1, commission_amount=1000, new_customers=1)
    facts.traffic(D(2026, 3, 2), visitors=40, sessions=50, sessions_placed=3)
    facts.traffic(D(2026, 3, 9), channel="search", visitors=40, sessions=50, sessions_placed=1)
    # and the previous period (19-28 Feb), with rows just outside both periods that must not count
    facts.sales(D(2026, 2, 19), gmv_amount=20000, orders_paid=2, commission_amount=2000, new_customers=2)
    facts.traffic(D(2026, 2, 28), visitors=80, sessions=100, sessions_placed=2)
    facts.sales(D(2026, 2, 18), gmv_amount=999999, orders_paid=99)
    facts.sales(D(2026, 3, 11), gmv_amount=999999, orders_paid=99)
    # and a seller's own rows, which are not the platform's figures
    facts.sales(D(2026, 3, 2), seller_id=7, gmv_amount=777, orders_paid=7)

    kpis = _by_key(overview_kpis(seller_id=0, date_range=MARCH, keys=OPERATOR_KPIS))

    assert [k.key for k in overview_kpis(seller_id=0, date_range=MARCH, keys=OPERATOR_KPIS)] == list(
        OPERATOR_KPIS
    )
    gmv = kpis["gmv", "USD"]
    assert (gmv.value, gmv.previous, gmv.change) == (40000, 20000, Decimal("100.0"))
    assert (kpis["net_revenue", "USD"].value, kpis["net_revenue", "USD"].previous) == (35000, 20000)
    assert (kpis["orders", ""].value, kpis["orders", ""].previous, kpis["orders", ""].change) == (
        4,
        2,
        Decimal("100.0"),
    )
    assert (kpis["aov", "USD"].value, kpis["aov", "USD"].previous, kpis["aov", "USD"].change) == (
        10000,
        10000,
        Decimal("0.0"),
    )
    # 4 sessions with an order of 100 (4.0 %) against 2 of 100 (2.0 %)
    conversion = kpis["conversion_rate", ""]
    assert (conversion.value, conversion.previous, conversion.change) == (
        Decimal("4.0"),
        Decimal("2.0"),
        Decimal("100.0"),
    )
    assert (kpis["new_customers", ""].value, kpis["new_customers", ""].change) == (3, Decimal("50.0"))
    refund = kpis["refund_rate", ""]
    assert (refund.value, refund.previous, refund.change) == (Decimal("25.0"), Decimal("0.0"), None)
    assert (kpis["commission", "USD"].value, kpis["commission", "USD"].change) == (4000, Decimal("100.0"))
    assert (kpis["visitors", ""].value, kpis["sessions", ""].value) == (80, 100)


def test_money_figures_are_given_per_currency_with_the_default_currency_first(settings):
    settings.DEFAULT_CURRENCY = "USD"
    facts.sales(D(2026, 3, 2), currency="EUR", gmv_amount=500, orders_paid=1)
    facts.sales(D(2026, 3, 2), currency="USD", gmv_amount=1000, orders_paid=2)
    facts.sales(D(2026, 2, 20), currency="CNY", gmv_amount=300, orders_paid=1)

    kpis = overview_kpis(seller_id=0, date_range=MARCH, keys=("gmv", "orders"))

    assert [(k.key, k.currency, k.value, k.previous) for k in kpis] == [
        ("gmv", "USD", 1000, 0),
        ("gmv", "CNY", 0, 300),
        ("gmv", "EUR", 500, 0),
        ("orders", "", 3, 1),
    ]


def test_a_sellers_kpis_read_only_that_sellers_rows_with_the_repeat_customer_rate():
    facts.sales(D(2026, 3, 3), seller_id=5, customer_type="new", gmv_amount=6000, orders_paid=3)
    facts.sales(D(2026, 3, 3), seller_id=5, customer_type="returning", gmv_amount=2000, orders_paid=1)
    facts.traffic(D(2026, 3, 3), seller_id=5, visitors=18, sessions=20, product_views=55, sessions_placed=4)
    facts.sales(D(2026, 3, 3), seller_id=6, customer_type="returning", gmv_amount=9999, orders_paid=9)
    facts.traffic(D(2026, 3, 3), seller_id=6, visitors=999, sessions=999, product_views=999)
    facts.traffic(D(2026, 3, 3), visitors=5000, sessions=6000)

    kpis = _by_key(overview_kpis(seller_id=5, date_range=MARCH, keys=SELLER_KPIS))

    assert kpis["gmv", "USD"].value == 8000
    assert kpis["orders", ""].value == 4
    assert kpis["aov", "USD"].value == 2000
    assert kpis["repeat_customer_rate", ""].value == Decimal("25.0")
    assert (kpis["visitors", ""].value, kpis["product_views", ""].value) == (18, 55)
    assert kpis["conversion_rate", ""].value == Decimal("20.0")


def test_with_no_data_every_figure_is_zero_or_none_and_money_is_in_the_default_currency(settings):
    settings.DEFAULT_CURRENCY = "CNY"

    kpis = overview_kpis(seller_id=0, date_range=MARCH, keys=("gmv", "aov", "orders", "conversion_rate"))

    assert [(k.key, k.currency, k.value, k.change) for k in kpis] == [
        ("gmv", "CNY", 0, None),
        ("aov", "CNY", None, None),
        ("orders", "", 0, None),
        ("conversion_rate", "", None, None),
    ]


@pytest.mark.parametrize(
    ("days", "bucket"), [(1, "day"), (62, "day"), (63, "week"), (366, "week"), (367, "month")]
)
def test_the_chart_has_daily_points_up_to_two_months_weekly_up_to_a_year_then_monthly(days, bucket):
    assert series_bucket(DateRange(D(2026, 1, 1), D(2026, 1, 1) + dt.timedelta(days=days - 1))) == bucket


def test_a_daily_series_has_every_day_with_zeros_where_nothing_sold():
    facts.sales(D(2026, 3, 2), gmv_amount=300, orders_paid=1)
    facts.sales(D(2026, 3, 2), channel="search", gmv_amount=200, orders_paid=1)
    facts.sales(D(2026, 3, 4), gmv_amount=100, orders_paid=1, currency="EUR")

    series = sales_series(seller_id=0, date_range=DateRange(D(2026, 3, 1), D(2026, 3, 4)), currency="USD")

    assert series == [
        SeriesPoint(D(2026, 3, 1), D(2026, 3, 1), 0, 0),
        SeriesPoint(D(2026, 3, 2), D(2026, 3, 2), 500, 2),
        SeriesPoint(D(2026, 3, 3), D(2026, 3, 3), 0, 0),
        SeriesPoint(D(2026, 3, 4), D(2026, 3, 4), 0, 0),
    ]


def test_a_weekly_series_runs_monday_to_sunday_cut_to_the_range():
    # 2026-01-01 is a Thursday; the range has 63 days, ending on Wednesday 4 March
    date_range = DateRange(D(2026, 1, 1), D(2026, 3, 4))
    facts.sales(D(2026, 1, 1), gmv_amount=10, orders_paid=1)
    facts.sales(D(2026, 1, 4), gmv_amount=20, orders_paid=1)  # Sunday: same week
    facts.sales(D(2026, 1, 5), gmv_amount=40, orders_paid=1)  # Monday: next week
    facts.sales(D(2026, 3, 4), gmv_amount=80, orders_paid=1)

    series = sales_series(seller_id=0, date_range=date_range, currency="USD")

    assert series[0] == SeriesPoint(D(2026, 1, 1), D(2026, 1, 4), 30, 2)
    assert series[1] == SeriesPoint(D(2026, 1, 5), D(2026, 1, 11), 40, 1)
    assert series[-1] == SeriesPoint(D(2026, 3, 2), D(2026, 3, 4), 80, 1)
    assert len(series) == 10


def test_a_monthly_series_reads_month_rows_of_full_months_and_day_rows_of_partial_ones():
    from analytics.models import SalesFact

    date_range = DateRange(D(2025, 1, 15), D(2026, 2, 10))
    facts.sales(D(2025, 1, 20), gmv_amount=5, orders_paid=1)
    facts.sales(D(2025, 6, 1), grain="M", gmv_amount=600, orders_paid=6)
    facts.sales(D(2025, 6, 3), gmv_amount=999999, orders_paid=99)  # a day row of a month read whole
    facts.sales(D(2026, 2, 10), gmv_amount=7, orders_paid=1)

    series = sales_series(seller_id=0, date_range=date_range, currency="USD")

    assert len(series) == 14
    assert series[0] == SeriesPoint(D(2025, 1, 15), D(2025, 1, 31), 5, 1)
    assert series[5] == SeriesPoint(D(2025, 6, 1), D(2025, 6, 30), 600, 6)
    assert series[-1] == SeriesPoint(D(2026, 2, 1), D(2026, 2, 10), 7, 1)
    assert SalesFact.objects.count() == 4


def test_freshness_is_the_latest_rollup(settings):
    assert rollup_updated_at() is None
    at = timezone.now() - dt.timedelta(minutes=5)
    facts.rolled(D(2026, 3, 1), at - dt.timedelta(days=1))
    facts.rolled(D(2026, 3, 2), at)

    assert rollup_updated_at() == at

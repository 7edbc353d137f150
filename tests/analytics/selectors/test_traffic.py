"""Sources, channels, the funnel with its drop-offs, landing pages and search."""

from decimal import Decimal

import pytest

from analytics.selectors import DateRange
from analytics.selectors_traffic import (
    FUNNEL_STEPS,
    funnel,
    funnel_steps,
    landing_pages,
    search_queries,
    search_totals,
    traffic_by,
)
from tests.analytics import facts
from tests.analytics.facts import D

pytestmark = pytest.mark.django_db

MARCH = DateRange(D(2026, 3, 1), D(2026, 3, 30))  # not the whole month: read from day rows


def test_funnel_drop_off_is_the_share_lost_since_the_step_before():
    steps = funnel_steps([200, 50, 20, 10, 8])

    assert [s.key for s in steps] == list(FUNNEL_STEPS)
    assert [s.drop_off for s in steps] == [
        None,
        Decimal("75.0"),
        Decimal("60.0"),
        Decimal("50.0"),
        Decimal("20.0"),
    ]
    assert [s.of_first for s in steps] == [
        Decimal("100.0"),
        Decimal("25.0"),
        Decimal("10.0"),
        Decimal("5.0"),
        Decimal("4.0"),
    ]


def test_a_funnel_with_an_empty_step_has_no_drop_off_after_it():
    steps = funnel_steps([0, 0, 0, 0, 0])

    assert [s.drop_off for s in steps] == [None, None, None, None, None]
    assert steps[0].of_first is None


def _funnel_rows():
    common = {"sessions_checkout": 0, "sessions_placed": 0, "sessions_paid": 0}
    facts.traffic(
        D(2026, 3, 1),
        device="mobile",
        channel="search",
        sessions=120,
        sessions_product_view=100,
        sessions_add_to_cart=30,
        sessions_checkout=15,
        sessions_placed=12,
        sessions_paid=12,
    )
    facts.traffic(
        D(2026, 3, 2),
        device="desktop",
        channel="search",
        sessions=60,
        sessions_product_view=50,
        sessions_add_to_cart=25,
        sessions_checkout=20,
        sessions_placed=10,
        sessions_paid=9,
    )
    facts.traffic(
        D(2026, 3, 2),
        device="desktop",
        channel="direct",
        sessions=50,
        sessions_product_view=50,
        sessions_add_to_cart=5,
        **common,
    )
    facts.traffic(D(2026, 3, 2), seller_id=3, device="desktop", sessions=999, sessions_product_view=999)


def test_the_funnel_of_all_sessions_sums_every_row_of_the_platform():
    _funnel_rows()

    (whole,) = funnel(seller_id=0, date_range=MARCH)

    assert (whole.label, whole.sessions) == ("", 230)
    assert [s.sessions for s in whole.steps] == [200, 60, 35, 22, 21]
    assert [s.drop_off for s in whole.steps] == [
        None,
        Decimal("70.0"),
        Decimal("41.7"),
        Decimal("37.1"),
        Decimal("4.5"),
    ]


def test_the_funnel_split_by_device_and_by_channel():
    _funnel_rows()

    by_device = funnel(seller_id=0, date_range=MARCH, split_by="device")
    by_channel = funnel(seller_id=0, date_range=MARCH, split_by="channel")

    assert [(f.label, [s.sessions for s in f.steps]) for f in by_device] == [
        ("mobile", [100, 30, 15, 12, 12]),
        ("desktop", [100, 30, 20, 10, 9]),
    ]
    assert by_device[1].sessions == 110
    assert [(f.label, f.sessions, f.steps[1].drop_off) for f in by_channel] == [
        ("search", 180, Decimal("63.3")),  # 150 viewed, 55 added
        ("direct", 50, Decimal("90.0")),
    ]


def test_sources_are_grouped_by_source_medium_and_campaign_with_conversion_and_revenue():
    kw = {"channel": "campaign", "source": "news", "medium": "email", "campaign": "spring"}
    facts.traffic(D(2026, 3, 1), **kw, visitors=9, sessions=10, sessions_placed=1, revenue_amount=5000)
    facts.traffic(
        D(2026, 3, 2), **kw, device="mobile", visitors=28, sessions=30, sessions_placed=2, revenue_amount=7000
    )
    facts.traffic(D(2026, 3, 2), visitors=50, sessions=60)
    facts.traffic(D(2026, 4, 1), **kw, visitors=1000, sessions=1000)

    rows = traffic_by(seller_id=0, date_range=MARCH, dimensions=("source", "medium", "campaign"))

    assert [(r.labels, r.visitors, r.sessions, r.conversion_rate, r.revenue_amount) for r in rows] == [
        (("", "", ""), 50, 60, Decimal("0.0"), 0),
        (("news", "email", "spring"), 37, 40, Decimal("7.5"), 12000),
    ]


def test_an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="not traffic dimensions"):
        traffic_by(seller_id=0, date_range=MARCH, dimensions=("seller_id",))


def test_landing_pages_by_sessions_with_bounce_and_conversion_rates():
    facts.landing(D(2026, 3, 1), "/", sessions=100, bounces=40, sessions_with_order=5, revenue_amount=900)
    facts.landing(D(2026, 3, 1), "/", channel="search", sessions=100, bounces=60, sessions_with_order=5)
    facts.landing(
        D(2026, 3, 3), "/p/kettle/", sessions=50, bounces=10, sessions_with_order=10, revenue_amount=100
    )
    facts.landing(D(2026, 3, 3), "/p/kettle/", seller_id=4, sessions=50)

    rows = landing_pages(seller_id=0, date_range=MARCH)

    assert [(r.path, r.sessions, r.bounce_rate, r.conversion_rate, r.revenue_amount) for r in rows] == [
        ("/", 200, Decimal("50.0"), Decimal("5.0"), 900),
        ("/p/kettle/", 50, Decimal("20.0"), Decimal("20.0"), 100),
    ]


def test_search_top_queries_zero_result_queries_and_search_to_purchase_rate():
    facts.search(D(2026, 3, 1), "kettle", searches=30, sessions=20, sessions_with_order=4)
    facts.search(D(2026, 3, 2), "kettle", searches=10, sessions=5, sessions_with_order=1)
    facts.search(D(2026, 3, 2), "unicorn lamp", searches=8, zero_results=8, sessions=8)
    facts.search(D(2026, 3, 2), "teapot", searches=12, zero_results=2, sessions=10, sessions_with_order=3)

    top = search_queries(date_range=MARCH, order="searches")
    zero = search_queries(date_range=MARCH, order="zero_results")
    totals = search_totals(date_range=MARCH)

    assert [(r.query, r.searches, r.purchase_rate) for r in top] == [
        ("kettle", 40, Decimal("20.0")),
        ("teapot", 12, Decimal("30.0")),
        ("unicorn lamp", 8, Decimal("0.0")),
    ]
    assert [(r.query, r.zero_results) for r in zero] == [("unicorn lamp", 8), ("teapot", 2)]
    assert (totals.searches, totals.sessions, totals.sessions_with_order, totals.purchase_rate) == (
        60,
        43,
        8,
        Decimal("18.6"),
    )

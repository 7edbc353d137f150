"""Rolling days up as they happen, with late changes marking the days they touch, gives exactly the rows
one ``analytics_rebuild`` of the span gives; and rolling a day up twice changes nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from analytics.models import RollupDay
from analytics.rollups.calendar import today
from analytics.rollups.services import rollup_day, rollup_dirty
from analytics.services import events_flush
from common.tracking import track
from tests.analytics.rollups.builders import (
    GOOGLE,
    at,
    cancel_part,
    dump,
    event,
    order_at,
    pay,
    placed_event,
    refund,
)
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import purchasable_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def days():
    """The three days before today (the late changes below happen now, today)."""
    now_day = today()
    return [now_day - timedelta(days=n) for n in (3, 2, 1)] + [now_day]


def _day_one(day, variant):
    event("a", at(day, "10:00"), product=variant.product, referrer=GOOGLE, user_agent_class="mobile")
    order = order_at(at(day, "10:05"), lines=[(variant, 2)], email="ann@example.com")
    placed_event("a", order)
    return order, pay(order, at(day, "10:06"))


def _day_two(day, variant, user):
    event(
        "b", at(day, "23:50"), product=variant.product, user_id=user.pk, utm_source="mail", utm_campaign="x"
    )
    order = order_at(at(day, "23:55"), lines=[(variant, 1)], user=user)
    placed_event("b", order, user_id=user.pk)
    return order


def _day_three(day, variant):
    event("c", at(day, "08:00"), product=variant.product)
    event("c", at(day, "08:01"), "search", properties={"q": "Boots", "results": 2})
    order = order_at(at(day, "08:10"), lines=[(variant, 1)], email="cy@example.com")
    placed_event("c", order)
    pay(order, at(day, "08:11"))
    return order


def test_incremental_rollups_with_late_changes_equal_one_rebuild_of_the_span(
    days, django_capture_on_commit_callbacks
):
    d1, d2, d3, now_day = days
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1200, stock=100)
    user = UserFactory()

    order1, payment1 = _day_one(d1, variant)
    rollup_day(day=d1)
    order2 = _day_two(d2, variant, user)
    rollup_day(day=d2)
    order3 = _day_three(d3, variant)
    rollup_day(day=d3)

    # Late, today: an event of the first day arrives; the second day's order is paid; the first day's
    # order gets a unit refunded; the seller cancels the third day's order (refunded in full).
    track(
        event_type="page_view",
        session_key="a",
        occurred_at=at(d1, "10:20"),
        user_agent="Mozilla/5.0 (iPhone) Mobile",
    )
    events_flush()
    with django_capture_on_commit_callbacks(execute=True):
        pay(order2)
    with django_capture_on_commit_callbacks(execute=True):
        refund(payment1, [(order1.seller_orders.get().lines.get(), 1)], key="late-refund")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_part(order3)
    assert set(RollupDay.objects.filter(dirty=True).values_list("day", flat=True)) == {d1, d2, d3, now_day}

    rolled = rollup_dirty()
    incremental = dump()

    assert sorted(rolled) == [d1, d2, d3, now_day]
    assert not RollupDay.objects.filter(dirty=True).exists()
    call_command("analytics_rebuild", "--from", d1.isoformat(), "--to", now_day.isoformat(), "--no-progress")
    assert dump() == incremental
    # The late changes are in: the late page view, the paid order, the refund and the cancellation.
    assert sum(r["page_views"] for r in incremental["VisitorSession"] if r["visitor_key"] == "a") == 2
    sales_today = [r for r in incremental["SalesFact"] if r["period"] == now_day and r["seller_id"] == 0]
    assert sum(r["refund_amount"] for r in sales_today) == 1200 + 1200
    assert sum(r["orders_cancelled"] for r in sales_today) == 1
    assert (
        sum(r["orders_paid"] for r in incremental["SalesFact"] if r["period"] == d2 and r["seller_id"] == 0)
        == 1
    )


def test_rolling_a_day_up_twice_writes_the_same_rows(days):
    d1 = days[0]
    variant = purchasable_variant(price=1200, stock=100)
    _day_one(d1, variant)
    _day_two(d1, variant, UserFactory())

    rollup_day(day=d1)
    first = dump()
    rollup_day(day=d1)

    assert dump() == first
    assert first["TrafficFact"]
    assert first["SalesFact"]
    assert first["VisitorSession"]

"""The periodic jobs and their housekeeping: hourly rows, stock snapshots, pruning raw events (a day
whose events are gone keeps its visit rows when its sales are rebuilt), and the rebuild command."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from analytics.models import (
    Event,
    Grain,
    HourlyFact,
    ProductFact,
    RollupDay,
    SalesFact,
    StockSnapshot,
    TrafficFact,
    VisitorSession,
)
from analytics.rollups.calendar import day_span
from analytics.rollups.services import (
    events_prune,
    rollup_day,
    rollup_hourly,
    rollup_nightly,
    rollup_recent,
    stock_snapshot_take,
)
from tests.analytics.rollups.builders import at, event, order_at, pay, placed_event, refund, rows
from tests.factories import SellerProfileFactory
from tests.orders.factories import purchasable_variant

pytestmark = pytest.mark.django_db

D = date(2026, 3, 10)


def test_hourly_rows_count_visits_pages_and_orders_by_local_hour_for_the_platform_and_the_seller():
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1000)
    event("v", at(D, "09:50"), product=variant.product)
    event("v", at(D, "10:05"), product=variant.product)  # the same visit, in the next hour
    order = order_at(at(D, "10:20"), lines=[(variant, 3)])
    placed_event("v", order)
    pay(order, at(D, "10:21"))

    rollup_hourly(day=D)

    hours = {
        (r.hour.hour, r.seller_id): (
            r.sessions,
            r.visitors,
            r.page_views,
            r.product_views,
            r.orders_paid,
            r.gmv_amount,
        )
        for r in HourlyFact.objects.all()
    }
    assert hours == {
        (9, 0): (1, 1, 1, 1, 0, 0),
        (9, seller.pk): (1, 1, 1, 1, 0, 0),
        (10, 0): (0, 0, 1, 1, 1, 3000),
        (10, seller.pk): (0, 0, 1, 1, 1, 3000),
    }


def test_a_stock_snapshot_holds_every_sku_and_replaces_an_earlier_one_of_the_same_day():
    kept = purchasable_variant(price=1500, stock=7)
    empty = purchasable_variant(price=900, stock=0)

    assert stock_snapshot_take(day=D) == 2
    kept.stock = 3
    kept.save()
    stock_snapshot_take(day=D)

    snapshot = {
        r.variant_id: (r.on_hand, r.unit_cost_amount, r.product_id, r.seller_id)
        for r in StockSnapshot.objects.all()
    }
    assert snapshot == {
        kept.pk: (3, 1500, kept.product_id, kept.product.seller_id),
        empty.pk: (0, 900, empty.product_id, empty.product.seller_id),
    }


def test_events_are_pruned_before_the_cutoff_in_batches():
    for minute in range(5):
        event(f"v{minute}", at(D, f"09:0{minute}"))
    event("kept", at(D, "10:00"))

    assert events_prune(before=at(D, "09:30"), batch_size=2, max_batches=2) == 4
    assert events_prune(before=at(D, "09:30"), batch_size=2) == 1
    assert list(Event.objects.values_list("session_key", flat=True)) == ["kept"]


def test_a_day_whose_events_were_pruned_keeps_its_visit_rows_when_its_sales_are_rebuilt(settings):
    variant = purchasable_variant(price=1000)
    event("v", at(D, "09:00"), product=variant.product)
    order = order_at(at(D, "09:05"), lines=[(variant, 1)])
    placed_event("v", order)
    payment = pay(order, at(D, "09:06"))
    rollup_day(day=D)
    visits = (rows(VisitorSession), rows(TrafficFact))
    views = ProductFact.objects.get(period=D, grain=Grain.DAY).product_views

    settings.ANALYTICS_EVENT_RETENTION_DAYS = 30
    events_prune(before=timezone.now() - timedelta(days=30))
    refund(payment, [(order.seller_orders.get().lines.get(), 1)], key="r", when=at(D, "18:00"))
    rollup_day(day=D)

    assert not Event.objects.exists()
    assert (rows(VisitorSession), rows(TrafficFact)) == visits
    assert ProductFact.objects.get(period=D, grain=Grain.DAY).product_views == views == 1
    platform = SalesFact.objects.get(grain=Grain.DAY, period=D, seller_id=0)
    assert (platform.channel, platform.gmv_amount, platform.refund_amount) == ("direct", 1000, 1000)


def test_the_nightly_job_closes_yesterday_once_snapshots_its_stock_and_drops_old_hours():
    purchasable_variant(stock=4)
    HourlyFact.objects.create(hour=day_span(D - timedelta(days=1)).start, sessions=1)
    HourlyFact.objects.create(hour=day_span(D).start, sessions=1)
    night = at(D + timedelta(days=1), "01:30")

    rollup_nightly(now=night)
    rolled = RollupDay.objects.get(day=D).rolled_at
    rollup_nightly(now=night)

    assert RollupDay.objects.get(day=D).rolled_at == rolled
    assert StockSnapshot.objects.filter(day=D).count() == 1
    assert list(HourlyFact.objects.values_list("hour", flat=True)) == [day_span(D).start]


def test_just_after_midnight_the_ten_minute_job_rolls_yesterday_and_today_then_the_dirty_days():
    RollupDay.objects.create(day=date(2026, 1, 5), dirty=True)

    rolled = rollup_recent(now=at(D, "00:20"))

    assert rolled == [D - timedelta(days=1), D, date(2026, 1, 5)]


def test_the_rebuild_command_refuses_a_span_that_ends_before_it_starts():
    with pytest.raises(CommandError, match="before"):
        call_command("analytics_rebuild", "--from", "2026-03-10", "--to", "2026-03-09")
    with pytest.raises(CommandError):
        call_command("analytics_rebuild", "--from", "2026-02-30", "--to", "2026-03-09")


def test_the_rebuild_command_rolls_each_day_and_its_months(capsys):
    variant = purchasable_variant(price=1000)
    pay(
        order_at(datetime(2026, 2, 28, 12, tzinfo=UTC), lines=[(variant, 1)]),
        datetime(2026, 2, 28, 12, 5, tzinfo=UTC),
    )
    pay(
        order_at(datetime(2026, 3, 1, 12, tzinfo=UTC), lines=[(variant, 2)]),
        datetime(2026, 3, 1, 12, 5, tzinfo=UTC),
    )

    # As manage.py import_transactions calls it.
    call_command("analytics_rebuild", **{"from": "2026-02-27", "to": "2026-03-02"})

    assert "4 day(s)" in capsys.readouterr().out
    months = dict(
        SalesFact.objects.filter(grain=Grain.MONTH, seller_id=0).values_list("period", "gmv_amount")
    )
    assert months == {date(2026, 2, 1): 1000, date(2026, 3, 1): 2000}

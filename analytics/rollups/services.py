"""The rollup services: every write to the fact tables goes through here.

Each day is rebuilt whole, in one transaction: its day rows are deleted and inserted again from the
sources (idempotent: the same sources give the same rows, so incremental runs and a rebuild agree), then
its month's rows are rebuilt from the month's day rows. Days are platform days (``calendar``), and every
source is read by its time column within the day's UTC span (plus the visits' look-back and look-ahead),
never in full.

``RollupDay`` keeps the bookkeeping: a day is marked dirty when something that belongs to it changes
after it was rolled up (``rollup_days_dirty_mark``: a late event, a payment, a refund, a cancellation),
and the periodic job rebuilds dirty days. Raw events older than ``ANALYTICS_EVENT_RETENTION_DAYS`` are
pruned; a day whose events are gone keeps its visit-based rows when it is rebuilt for its sales.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from tqdm import tqdm

from analytics.models import (
    CategoryFact,
    Event,
    Grain,
    HourlyFact,
    LandingPageFact,
    OrderAttribution,
    ProductFact,
    RollupDay,
    SalesFact,
    SearchFact,
    StockSnapshot,
    TrafficFact,
    VisitorSession,
)
from analytics.rollups import facts_traffic as traffic
from analytics.rollups.calendar import day_span, days, events_cutoff, local_day, month_start, today
from analytics.rollups.facts_catalog import CatalogSales, catalog_rows, catalog_sales_read
from analytics.rollups.facts_sales import sales_rows
from analytics.rollups.hourly import hourly_rows
from analytics.rollups.months import month_rebuild
from analytics.rollups.sales import (
    Attribution,
    MoneyEvents,
    OrderRow,
    attributions_build,
    attributions_changed,
    attributions_lookup,
    attributions_stored,
    later_activity_days,
    money_events_read,
    orders_read,
)
from analytics.rollups.visits import EXTEND, DayVisit, DayVisits, chunks, day_visits_read, visits_link
from analytics.sessionize import GAP
from catalog.selectors_paths import product_placements, variant_product_ids
from catalog.selectors_stock import variant_stock_iter

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock namespaces: one rollup of a day (of a month's rows, of a day's hours) at a time.
_LOCK_DAY, _LOCK_MONTH, _LOCK_HOURS = 0x616E0001, 0x616E0002, 0x616E0003
# The ten-minute job starts no dirty day after this many seconds (its soft time limit is 240 s).
DIRTY_BUDGET_SECONDS = 120.0
# After local midnight, yesterday is rolled again with today for this long (its visits' look-ahead
# and the events still in the buffer), then closed once by the nightly job.
YESTERDAY_OPEN_FOR = timedelta(hours=2)
CLOSE_AFTER = timedelta(hours=1)
PRUNE_BATCH = 5000
PRUNE_BATCHES_PER_RUN = 20  # 100,000 events an hour: a busy day's are gone in minutes


def _lock(namespace: int, day: date) -> None:
    """Serialise rebuilds of the same rows (PostgreSQL; SQLite runs one writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, day.toordinal()])


# --- one day --------------------------------------------------------------------------------------------


@dataclass
class _Day:
    day: date
    visits: DayVisits | None  # None: the day's events are pruned, its visit rows are kept as they are
    orders: list[OrderRow]  # placed on the day
    money: MoneyEvents
    attributions: dict[int, Attribution]  # the day's orders
    booked: dict[int, Attribution]  # the day's orders and those of its money events
    sales: CatalogSales
    catalog: traffic.CatalogMap


def catalog_map(visits: Iterable[DayVisit], product_ids: Iterable[int] = ()) -> traffic.CatalogMap:
    """Where the products seen in ``visits`` (and ``product_ids``) sit: seller, category, currency."""
    visits = list(visits)
    variant_ids = {variant_id for v in visits for variant_id in v.measures.cart_adds}
    variants: dict[int, int] = {}
    for batch in chunks(sorted(variant_ids)):
        variants.update(variant_product_ids(variant_ids=batch))
    wanted = {product_id for v in visits for product_id in v.measures.product_views}
    wanted |= set(variants.values()) | set(product_ids)
    placements = {}
    for batch in chunks(sorted(wanted)):
        placements.update(product_placements(product_ids=batch))
    return traffic.CatalogMap(products=placements, variants=variants)


def _day_read(day: date, *, now: datetime) -> _Day:
    span = day_span(day)
    pruned = span.start - GAP < events_cutoff(now)
    visits = None if pruned else day_visits_read(span)
    orders = orders_read(start=span.start, end=span.end + (EXTEND if visits else timedelta(0)))
    links = visits_link(visits.known, orders) if visits else {}
    day_orders = [order for order in orders if order.placed_at < span.end]
    attributions = attributions_build(day_orders, links, span=span)
    if pruned:  # no visits to join: keep what the day's rollup found while it had them
        attributions.update(attributions_stored(attributions.keys()))
    money = money_events_read(span)
    sales = catalog_sales_read(span, money.refunds)
    return _Day(
        day=day,
        visits=visits,
        orders=day_orders,
        money=money,
        attributions=attributions,
        booked=attributions_lookup(money.order_ids() | attributions.keys(), attributions),
        sales=sales,
        catalog=catalog_map(visits.today if visits else [], sales.product_ids()),
    )


def _replace(
    model: type[SalesFact | TrafficFact | LandingPageFact | SearchFact], day: date, rows: list[Any]
) -> None:
    model.objects.filter(grain=Grain.DAY, period=day).delete()
    model.objects.bulk_create(rows, batch_size=2000)


def _visit_rows_write(data: _Day) -> None:
    assert data.visits is not None  # noqa: S101 - the caller checked
    day, visits = data.day, data.visits.today
    VisitorSession.objects.filter(day=day).delete()
    VisitorSession.objects.bulk_create(traffic.visitor_session_rows(day, visits), batch_size=2000)
    _replace(TrafficFact, day, traffic.traffic_rows(day, visits, data.catalog))
    _replace(LandingPageFact, day, traffic.landing_rows(day, visits, data.catalog))
    _replace(SearchFact, day, traffic.search_rows(day, visits))


def _attributions_write(data: _Day) -> None:
    """Store the day's order attributions; where one changed, the later days that booked a refund,
    cancellation or commission of that order under the old one are marked dirty."""
    old = attributions_stored(
        OrderAttribution.objects.filter(day=data.day).values_list("order_id", flat=True)
    )
    changed = attributions_changed(old, data.attributions)
    OrderAttribution.objects.filter(day=data.day).delete()
    OrderAttribution.objects.bulk_create(
        [
            OrderAttribution(order_id=order_id, day=data.day, **vars(attribution))
            for order_id, attribution in sorted(data.attributions.items())
        ],
        batch_size=2000,
    )
    if changed:
        later = later_activity_days(changed, after=data.day)
        if later:
            rollup_days_dirty_mark(days=later)


def _day_rebuild(day: date, *, now: datetime) -> None:
    data = _day_read(day, now=now)
    if data.visits is not None:
        _visit_rows_write(data)
    visits = data.visits.today if data.visits is not None else None
    products, categories = catalog_rows(day=day, visits=visits, sales=data.sales, catalog=data.catalog)
    ProductFact.objects.filter(grain=Grain.DAY, period=day).delete()
    ProductFact.objects.bulk_create(products, batch_size=2000)
    CategoryFact.objects.filter(grain=Grain.DAY, period=day).delete()
    CategoryFact.objects.bulk_create(categories, batch_size=2000)
    _replace(
        SalesFact, day, sales_rows(day=day, orders=data.orders, money=data.money, attributions=data.booked)
    )
    _attributions_write(data)


def _bookkeeping_start(day: date) -> None:
    RollupDay.objects.bulk_create([RollupDay(day=day, dirty=False)], ignore_conflicts=True)


def _bookkeeping_done(day: date, *, since: datetime, started: float) -> int:
    """Record the rollup; a mark made after it began keeps the day dirty (it may not have seen it)."""
    ms = int((time.monotonic() - started) * 1000)
    RollupDay.objects.filter(day=day).update(
        dirty=Case(When(marked_at__gt=since, then=Value(True)), default=Value(False)),
        rolled_at=timezone.now(),
        duration_ms=ms,
    )
    return ms


def _day_rollup(day: date, *, months: bool) -> int:
    since, started = timezone.now(), time.monotonic()
    with transaction.atomic():
        _lock(_LOCK_DAY, day)
        _bookkeeping_start(day)
        _day_rebuild(day, now=since)
        if months:
            _lock(_LOCK_MONTH, month_start(day))
            month_rebuild(day)
        return _bookkeeping_done(day, since=since, started=started)


def rollup_day(*, day: date) -> int:
    """Rebuild one platform day's rows and its month's rows, in one transaction. Returns milliseconds."""
    return _day_rollup(day, months=True)


def rollup_span(*, start: date, end: date, progress: bool = False) -> int:
    """Rebuild every day from ``start`` to ``end`` (included), each in its own transaction, then each
    month touched once. Returns the number of days."""
    span_days = list(days(start, end))
    for day in tqdm(span_days, disable=not progress, unit="day", desc="analytics rollups"):
        _day_rollup(day, months=False)
    for first in sorted({month_start(day) for day in span_days}):
        with transaction.atomic():
            _lock(_LOCK_MONTH, first)
            month_rebuild(first)
    return len(span_days)


def rollup_hourly(*, day: date) -> int:
    """Rebuild one day's hourly rows (meant for today and yesterday). Returns the number of rows."""
    span = day_span(day)
    visits = day_visits_read(span)
    orders = orders_read(start=span.start, end=span.end)
    rows = hourly_rows(span=span, visits=visits, orders=orders, catalog=catalog_map(visits.known))
    with transaction.atomic():
        _lock(_LOCK_HOURS, day)
        HourlyFact.objects.filter(hour__gte=span.start, hour__lt=span.end).delete()
        HourlyFact.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- incremental ----------------------------------------------------------------------------------------


def rollup_days_dirty_mark(*, days: Iterable[date]) -> None:
    """Mark days for a rebuild by the periodic job (one upsert)."""
    now = timezone.now()
    marks = [RollupDay(day=day, dirty=True, marked_at=now) for day in sorted(set(days))]
    if marks:
        RollupDay.objects.bulk_create(
            marks, update_conflicts=True, unique_fields=["day"], update_fields=["dirty", "marked_at"]
        )


def rollup_dirty(*, budget_seconds: float = DIRTY_BUDGET_SECONDS) -> list[date]:
    """Rebuild dirty days, oldest first, until ``budget_seconds`` have passed. Returns the days rebuilt."""
    started = time.monotonic()
    done: list[date] = []
    for day in RollupDay.objects.filter(dirty=True).order_by("day").values_list("day", flat=True)[:500]:
        if time.monotonic() - started > budget_seconds:
            break
        try:
            rollup_day(day=day)
        except Exception:  # one broken day must not hold up the others; it stays dirty and is logged
            logger.exception("analytics: the rollup of %s failed", day)
            continue
        done.append(day)
    return done


def rollup_recent(*, now: datetime | None = None) -> list[date]:
    """The ten-minute job: today's rows and hours (and yesterday's, just after midnight), then the
    dirty days. Returns the days rebuilt."""
    now = now or timezone.now()
    current = today(now)
    recent = [current]
    if now - day_span(current).start < YESTERDAY_OPEN_FOR:
        recent.insert(0, current - timedelta(days=1))
    for day in recent:
        rollup_day(day=day)
        rollup_hourly(day=day)
    return recent + rollup_dirty()


def rollup_nightly(*, now: datetime | None = None) -> None:
    """The daily job (beat runs it hourly; each step is done once a day): close yesterday an hour after
    local midnight, snapshot its stock, drop hours older than yesterday and prune old events."""
    now = now or timezone.now()
    current = today(now)
    yesterday = current - timedelta(days=1)
    closing = day_span(current).start + CLOSE_AFTER
    if now >= closing:
        rolled = RollupDay.objects.filter(day=yesterday).values_list("rolled_at", flat=True).first()
        if rolled is None or rolled < closing:
            rollup_day(day=yesterday)
    if not StockSnapshot.objects.filter(day=yesterday).exists():
        stock_snapshot_take(day=yesterday)
    HourlyFact.objects.filter(hour__lt=day_span(yesterday).start).delete()
    events_prune(before=events_cutoff(now), max_batches=PRUNE_BATCHES_PER_RUN)


# --- housekeeping ---------------------------------------------------------------------------------------


@transaction.atomic
def stock_snapshot_take(*, day: date) -> int:
    """Store every SKU's stock on hand as the day's snapshot (again: replaced). Returns the rows."""
    StockSnapshot.objects.filter(day=day).delete()
    written = 0
    for batch in chunks(variant_stock_iter(), 2000):
        StockSnapshot.objects.bulk_create(
            [
                StockSnapshot(
                    day=day,
                    seller_id=row.seller_id,
                    product_id=row.product_id,
                    variant_id=row.variant_id,
                    category_id=row.category_id,
                    on_hand=row.on_hand,
                    unit_cost_amount=row.price_amount,
                    currency=row.currency,
                )
                for row in batch
            ]
        )
        written += len(batch)
    return written


def events_prune(*, before: datetime, batch_size: int = PRUNE_BATCH, max_batches: int | None = None) -> int:
    """Delete raw events that happened before ``before``, oldest first, ``batch_size`` rows per
    statement (short transactions, no long lock). Returns the number deleted."""
    deleted, batches = 0, 0
    while max_batches is None or batches < max_batches:
        ids = list(
            Event.objects.filter(occurred_at__lt=before)
            .order_by("occurred_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        deleted += Event.objects.filter(pk__in=ids).delete()[0]
        batches += 1
    if deleted:
        logger.info("analytics: pruned %s events before %s", deleted, before.isoformat())
    return deleted


def late_events_mark(moments: Iterable[datetime], *, now: datetime | None = None) -> set[date]:
    """Mark the past days of events stored only now (late events); today is rolled up anyway."""
    start_of_today = day_span(today(now)).start
    late = {local_day(moment) for moment in moments if moment < start_of_today}
    rollup_days_dirty_mark(days=late)
    return late

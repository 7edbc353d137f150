"""Reads of the analytics rollups for the dashboards and the analytics API: date ranges, the headline
figures (KPIs) with the previous period, the sales series of the chart, the sellers' table and the data's
freshness. Traffic, funnel and search reads are in ``selectors_traffic``; products, stock and categories in
``selectors_products``.

Only the fact tables are read (never ``Event`` or the orders): see ``analytics.models``. A date range is
read as the day rows of its leading and trailing partial months plus the month rows of the full months in
between (``range_q``), so a two-year range reads about 24 rows per cell. Distinct counts (visitors) are
the sums of the periods' distinct counts: a visitor who came on two days counts twice.

Scope: ``seller_id`` 0 reads the platform's rows, a seller's id that seller's rows only; a seller's page
passes its own ``request.seller.id`` and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Case, F, FloatField, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _

from accounts.selectors import seller_map_by_ids
from analytics.models import FactBase, Grain, RollupDay, SalesFact, TrafficFact, VisitorType
from analytics.rollups import calendar
from common.exceptions import ApplicationError

# The widest range a page or the API reads, and the earliest day one may start (with its previous period
# still a real date).
MAX_SPAN_DAYS = 5 * 366
EARLIEST_DAY = dt.date(2000, 1, 1)
# Points of the chart: days up to this many days, weeks up to a year, months beyond.
DAILY_MAX_DAYS = 62
WEEKLY_MAX_DAYS = 366

FactT = TypeVar("FactT", bound=FactBase)


class RangeError(ApplicationError):
    """A date range the dashboards do not read (reversed, too long, in the future, too early)."""


class Preset:
    LAST_7 = "7d"
    LAST_30 = "30d"
    LAST_90 = "90d"
    THIS_YEAR = "year"
    LAST_12_MONTHS = "12m"
    CUSTOM = "custom"

    CHOICES = (
        (LAST_7, _("Last 7 days")),
        (LAST_30, _("Last 30 days")),
        (LAST_90, _("Last 90 days")),
        (THIS_YEAR, _("This year")),
        (LAST_12_MONTHS, _("Last 12 months")),
        (CUSTOM, _("Custom dates")),
    )
    VALUES = frozenset(value for value, _label in CHOICES)
    DEFAULT = LAST_30


@dataclass(frozen=True, slots=True)
class DateRange:
    """Platform days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> DateRange:
        """The period of equal length that ends the day before this one starts."""
        return DateRange(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class RangeSplit:
    """Which rows a range reads: day rows ``head`` and ``tail`` (first and last day, or None) and month rows
    ``months`` (first days of the first and the last full month, or None)."""

    head: tuple[dt.date, dt.date] | None
    months: tuple[dt.date, dt.date] | None
    tail: tuple[dt.date, dt.date] | None


def platform_today() -> dt.date:
    """Today as a platform day (``settings.ANALYTICS_TIME_ZONE``), the rollups' own calendar."""
    return calendar.today()


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def range_split(date_range: DateRange) -> RangeSplit:
    """Full calendar months inside the range are read from their month rows, the rest from day rows."""
    start, end = date_range.start, date_range.end
    first_full = start if start.day == 1 else _next_month(start)
    after_last_full = (
        _month_start(end) if _next_month(end) - dt.timedelta(days=1) != end else _next_month(end)
    )
    if first_full >= after_last_full:
        return RangeSplit(head=(start, end), months=None, tail=None)
    last_full = _month_start(after_last_full - dt.timedelta(days=1))
    head = (start, first_full - dt.timedelta(days=1)) if start < first_full else None
    tail = (after_last_full, end) if after_last_full <= end else None
    return RangeSplit(head=head, months=(first_full, last_full), tail=tail)


def range_q(date_range: DateRange) -> Q:
    """The filter of a fact table's rows that together cover ``date_range`` exactly once."""
    split = range_split(date_range)
    condition = Q(pk__in=[])
    for days in (split.head, split.tail):
        if days is not None:
            condition |= Q(grain=Grain.DAY, period__range=days)
    if split.months is not None:
        condition |= Q(grain=Grain.MONTH, period__range=split.months)
    return condition


def facts_in_range(model: type[FactT], date_range: DateRange) -> QuerySet[FactT]:
    """The one way the dashboards read a fact table over a range (see ``range_q``)."""
    return model._default_manager.filter(range_q(date_range))


def date_range_resolve(
    *, preset: str, start: dt.date | None, end: dt.date | None, today: dt.date
) -> DateRange:
    """The range a preset means on ``today``, or the custom ``start``-``end``; refuses (with the field
    at fault in ``extra``) a reversed range, one longer than ``MAX_SPAN_DAYS``, one ending after today or
    starting before ``EARLIEST_DAY``."""
    if preset != Preset.CUSTOM:
        return _preset_range(preset, today)
    if start is None or end is None:
        missing = {name: [_("Give a date.")] for name, value in (("start", start), ("end", end)) if not value}
        raise RangeError(_("Give a start and an end date for a custom range."), extra=missing)
    if start > end:
        raise RangeError(_("The start date is after the end date."), extra={"start": [_("After the end.")]})
    if end > today:
        raise RangeError(_("The end date is in the future."), extra={"end": [_("In the future.")]})
    if start < EARLIEST_DAY:
        message = _("Start on %(day)s or later.") % {"day": EARLIEST_DAY.isoformat()}
        raise RangeError(message, extra={"start": [message]})
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        message = _("A range can span at most %(days)d days.") % {"days": MAX_SPAN_DAYS}
        raise RangeError(message, extra={"start": [message]})
    return DateRange(start, end)


def _preset_range(preset: str, today: dt.date) -> DateRange:
    if preset == Preset.THIS_YEAR:
        return DateRange(today.replace(month=1, day=1), today)
    if preset == Preset.LAST_12_MONTHS:
        leap_day = (today.month, today.day) == (2, 29)
        year_ago = (
            today.replace(year=today.year - 1, day=28) if leap_day else today.replace(year=today.year - 1)
        )
        return DateRange(year_ago + dt.timedelta(days=1), today)
    days = {Preset.LAST_7: 7, Preset.LAST_30: 30, Preset.LAST_90: 90}.get(preset)
    if days is None:
        raise RangeError(_("Unknown range."), extra={"preset": [_("Choose one of the ranges offered.")]})
    return DateRange(today - dt.timedelta(days=days - 1), today)


# --- arithmetic ---------------------------------------------------------------------------------------


def percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator`` as a percentage of ``denominator``, one decimal; None when there is nothing to
    divide by (shown as a dash, never as 0 %)."""
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def change_percent(current: int | Decimal | None, previous: int | Decimal | None) -> Decimal | None:
    """The relative change from ``previous`` to ``current`` in %, one decimal; None without a base."""
    if current is None or previous is None or previous == 0:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / abs(Decimal(previous))
    return change.quantize(Decimal("0.1"), ROUND_HALF_UP)


def average(total: int, count: int) -> int | None:
    """``total`` / ``count`` rounded half up to a whole minor unit (an average order value)."""
    if count == 0:
        return None
    return (2 * total + count) // (2 * count)


def currency_order(currencies: Iterable[str]) -> list[str]:
    """The platform's default currency first, the others alphabetically."""
    default = settings.DEFAULT_CURRENCY
    return sorted(set(currencies), key=lambda code: (code != default, code))


def sums(*fields: str) -> dict[str, Sum]:
    """``Sum`` annotations of ``fields`` under the aliases ``total_<field>`` (an annotation may not take a
    field's own name); ``ints`` reads them back."""
    return {f"total_{name}": Sum(name) for name in fields}


def as_int(value: object) -> int:
    """A database sum as an int (None, where nothing was summed, is 0)."""
    if isinstance(value, int | Decimal | float):
        return int(value)
    if value is None:
        return 0
    raise TypeError(f"not a number: {value!r}")


def ints(row: Mapping[str, object], fields: Iterable[str]) -> dict[str, int]:
    """The ``sums`` of ``fields`` in a result row as ints by field name (0 where there were no rows)."""
    return {name: as_int(row.get(f"total_{name}")) for name in fields}


# --- sales ---------------------------------------------------------------------------------------------

SALES_FIELDS = (
    "orders_placed",
    "orders_paid",
    "orders_cancelled",
    "orders_shipped_late",
    "units",
    "gmv_amount",
    "refund_amount",
    "refunded_orders",
    "net_revenue_amount",
    "commission_amount",
    "new_customers",
)


@dataclass(frozen=True, slots=True)
class SalesTotals:
    currency: str
    orders_placed: int = 0
    orders_paid: int = 0
    orders_cancelled: int = 0
    orders_shipped_late: int = 0
    units: int = 0
    gmv_amount: int = 0
    refund_amount: int = 0
    refunded_orders: int = 0
    net_revenue_amount: int = 0
    commission_amount: int = 0
    new_customers: int = 0
    returning_orders: int = 0

    @property
    def aov_amount(self) -> int | None:
        return average(self.gmv_amount, self.orders_paid)


def sales_totals(*, seller_id: int, date_range: DateRange) -> list[SalesTotals]:
    """The seller's (0: the platform's) sales in the range, one entry per currency, default first."""
    rows = (
        facts_in_range(SalesFact, date_range)
        .filter(seller_id=seller_id)
        .values("currency")
        .annotate(
            **sums(*SALES_FIELDS),
            total_returning_orders=Sum("orders_paid", filter=Q(customer_type=VisitorType.RETURNING)),
        )
        .order_by()
    )
    by_currency = {
        row["currency"]: SalesTotals(row["currency"], **ints(row, (*SALES_FIELDS, "returning_orders")))
        for row in rows
    }
    return [by_currency[code] for code in currency_order(by_currency)]


# --- traffic totals ------------------------------------------------------------------------------------

TRAFFIC_FIELDS = (
    "visitors",
    "sessions",
    "bounces",
    "page_views",
    "product_views",
    "searches",
    "zero_result_searches",
    "add_to_carts",
    "sessions_product_view",
    "sessions_add_to_cart",
    "sessions_checkout",
    "sessions_placed",
    "sessions_paid",
    "orders_placed",
    "orders_paid",
    "revenue_amount",
)


@dataclass(frozen=True, slots=True)
class TrafficTotals:
    visitors: int = 0
    sessions: int = 0
    bounces: int = 0
    page_views: int = 0
    product_views: int = 0
    searches: int = 0
    zero_result_searches: int = 0
    add_to_carts: int = 0
    sessions_product_view: int = 0
    sessions_add_to_cart: int = 0
    sessions_checkout: int = 0
    sessions_placed: int = 0
    sessions_paid: int = 0
    orders_placed: int = 0
    orders_paid: int = 0
    revenue_amount: int = 0

    @property
    def conversion_rate(self) -> Decimal | None:
        """Sessions with an order placed, per 100 sessions."""
        return percent(self.sessions_placed, self.sessions)


def traffic_totals(*, seller_id: int, date_range: DateRange) -> TrafficTotals:
    totals = (
        facts_in_range(TrafficFact, date_range).filter(seller_id=seller_id).aggregate(**sums(*TRAFFIC_FIELDS))
    )
    return TrafficTotals(**ints(totals, TRAFFIC_FIELDS))


# --- KPIs ----------------------------------------------------------------------------------------------


class KpiKind:
    MONEY = "money"
    COUNT = "count"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Kpi:
    """One headline figure in the range and in the previous period of equal length. ``currency`` is set
    on money figures (one KPI per currency); ``value`` is None where it cannot be computed (a rate of
    nothing)."""

    key: str
    kind: str
    value: int | Decimal | None
    previous: int | Decimal | None
    currency: str = ""

    @property
    def change(self) -> Decimal | None:
        return change_percent(self.value, self.previous)


# Which figures each audience sees, in the order of the cards.
OPERATOR_KPIS = (
    "gmv",
    "net_revenue",
    "orders",
    "aov",
    "conversion_rate",
    "new_customers",
    "refund_rate",
    "commission",
    "visitors",
    "sessions",
)
SELLER_KPIS = (
    "visitors",
    "product_views",
    "conversion_rate",
    "orders",
    "gmv",
    "net_revenue",
    "aov",
    "repeat_customer_rate",
    "refund_rate",
    "commission",
)
_MONEY_KPIS = {
    "gmv": "gmv_amount",
    "net_revenue": "net_revenue_amount",
    "aov": "aov_amount",
    "commission": "commission_amount",
}


def _count_kpis(sales: list[SalesTotals], traffic: TrafficTotals) -> dict[str, int | Decimal | None]:
    orders = sum(total.orders_paid for total in sales)
    return {
        "orders": orders,
        "new_customers": sum(total.new_customers for total in sales),
        "refund_rate": percent(sum(total.refunded_orders for total in sales), orders),
        "repeat_customer_rate": percent(sum(total.returning_orders for total in sales), orders),
        "conversion_rate": traffic.conversion_rate,
        "visitors": traffic.visitors,
        "sessions": traffic.sessions,
        "product_views": traffic.product_views,
    }


_RATE_KPIS = frozenset({"refund_rate", "repeat_customer_rate", "conversion_rate"})


def overview_kpis(*, seller_id: int, date_range: DateRange, keys: Iterable[str]) -> list[Kpi]:
    """The figures named by ``keys`` (``OPERATOR_KPIS``, ``SELLER_KPIS``) for the seller (0: platform):
    money ones once per currency of the two periods (default currency first), in the order of ``keys``.
    Four queries: sales and traffic, this period and the previous one."""
    previous_range = date_range.previous()
    sales = {t.currency: t for t in sales_totals(seller_id=seller_id, date_range=date_range)}
    sales_before = {t.currency: t for t in sales_totals(seller_id=seller_id, date_range=previous_range)}
    counts = _count_kpis(list(sales.values()), traffic_totals(seller_id=seller_id, date_range=date_range))
    counts_before = _count_kpis(
        list(sales_before.values()), traffic_totals(seller_id=seller_id, date_range=previous_range)
    )
    currencies = currency_order([*sales, *sales_before]) or [settings.DEFAULT_CURRENCY]
    kpis: list[Kpi] = []
    for key in keys:
        if key in _MONEY_KPIS:
            attribute = _MONEY_KPIS[key]
            for code in currencies:
                now, before = sales.get(code, SalesTotals(code)), sales_before.get(code, SalesTotals(code))
                value, previous = getattr(now, attribute), getattr(before, attribute)
                kpis.append(Kpi(key, KpiKind.MONEY, value, previous, currency=code))
        else:
            kind = KpiKind.PERCENT if key in _RATE_KPIS else KpiKind.COUNT
            kpis.append(Kpi(key, kind, counts[key], counts_before[key]))
    return kpis


# --- the sales series (chart) ----------------------------------------------------------------------------


class Bucket:
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    start: dt.date
    end: dt.date
    gmv_amount: int = 0
    orders_paid: int = 0


def series_bucket(date_range: DateRange) -> str:
    """Days for ranges up to two months, weeks (from Monday) up to a year, calendar months beyond."""
    if date_range.days <= DAILY_MAX_DAYS:
        return Bucket.DAY
    if date_range.days <= WEEKLY_MAX_DAYS:
        return Bucket.WEEK
    return Bucket.MONTH


def _bucket_start(day: dt.date, bucket: str) -> dt.date:
    if bucket == Bucket.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if bucket == Bucket.MONTH:
        return _month_start(day)
    return day


def _bucket_end(start: dt.date, bucket: str) -> dt.date:
    if bucket == Bucket.WEEK:
        return start + dt.timedelta(days=6)
    if bucket == Bucket.MONTH:
        return _next_month(start) - dt.timedelta(days=1)
    return start


def _bucket_starts(date_range: DateRange, bucket: str) -> list[dt.date]:
    starts = [_bucket_start(date_range.start, bucket)]
    while (following := _bucket_end(starts[-1], bucket) + dt.timedelta(days=1)) <= date_range.end:
        starts.append(following)
    return starts


def sales_series(*, seller_id: int, date_range: DateRange, currency: str) -> list[SeriesPoint]:
    """GMV and paid orders per day, week or month (``series_bucket``) in one currency, every bucket of the
    range present (zero when nothing sold); the first and last bucket are cut to the range. Days and
    weeks read day rows (at most ``WEEKLY_MAX_DAYS`` of them); months read the range's rows."""
    bucket = series_bucket(date_range)
    if bucket == Bucket.MONTH:
        facts = facts_in_range(SalesFact, date_range)
    else:
        facts = SalesFact.objects.filter(grain=Grain.DAY, period__range=(date_range.start, date_range.end))
    rows = (
        facts.filter(seller_id=seller_id, currency=currency)
        .values("period")
        .annotate(**sums("gmv_amount", "orders_paid"))
        .order_by()
    )
    totals: dict[dt.date, tuple[int, int]] = {}
    for row in rows:
        start = _bucket_start(row["period"], bucket)
        gmv, orders = totals.get(start, (0, 0))
        row_sums = ints(row, ("gmv_amount", "orders_paid"))
        totals[start] = (gmv + row_sums["gmv_amount"], orders + row_sums["orders_paid"])
    return [
        SeriesPoint(
            max(start, date_range.start),
            min(_bucket_end(start, bucket), date_range.end),
            *totals.get(start, (0, 0)),
        )
        for start in _bucket_starts(date_range, bucket)
    ]


# --- sellers -------------------------------------------------------------------------------------------

SELLER_SORTS = {
    "gmv": "total_gmv_amount",
    "orders": "total_orders_paid",
    "cancellation_rate": "cancellation_rate",
    "late_shipments": "total_orders_shipped_late",
    "refund_rate": "refund_rate",
    "commission": "total_commission_amount",
}
SELLER_SORT_DEFAULT = "-gmv"


def seller_sort_parse(value: str) -> str:
    """A ``sort`` parameter from the whitelist (``SELLER_SORTS``, "-" for descending), else the default."""
    return value if value.lstrip("-") in SELLER_SORTS and value.count("-") <= 1 else SELLER_SORT_DEFAULT


@dataclass(frozen=True, slots=True)
class SellerRow:
    seller_id: int
    shop_name: str
    slug: str
    rating_avg: Decimal | None
    rating_count: int
    currency: str
    gmv_amount: int
    orders_paid: int
    orders_cancelled: int
    orders_shipped_late: int
    refunded_orders: int
    refund_amount: int
    commission_amount: int

    @property
    def cancellation_rate(self) -> Decimal | None:
        """Cancellations after payment per 100 paid orders (each counted on its own day)."""
        return percent(self.orders_cancelled, self.orders_paid)

    @property
    def late_shipment_rate(self) -> Decimal | None:
        return percent(self.orders_shipped_late, self.orders_paid)

    @property
    def refund_rate(self) -> Decimal | None:
        return percent(self.refunded_orders, self.orders_paid)


_SELLER_FIELDS = (
    "gmv_amount",
    "orders_paid",
    "orders_cancelled",
    "orders_shipped_late",
    "refunded_orders",
    "refund_amount",
    "commission_amount",
)


def seller_performance_qs(*, date_range: DateRange, sort: str) -> QuerySet[Any, Any]:
    """Every seller's sales in the range, one row per seller and currency, sorted by ``sort`` (see
    ``seller_sort_parse``) within each currency, the default currency's rows first. A queryset of
    dicts, for a paginator; ``seller_rows`` names a page of it."""
    sort = seller_sort_parse(sort)
    descending, key = sort.startswith("-"), SELLER_SORTS[sort.lstrip("-")]
    rows = (
        facts_in_range(SalesFact, date_range)
        .exclude(seller_id=0)
        .values("seller_id", "currency")
        .annotate(**sums(*_SELLER_FIELDS))
        .annotate(
            cancellation_rate=Cast("total_orders_cancelled", FloatField())
            / NullIf(F("total_orders_paid"), 0),
            refund_rate=Cast("total_refunded_orders", FloatField()) / NullIf(F("total_orders_paid"), 0),
            default_first=Case(
                When(currency=settings.DEFAULT_CURRENCY, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
    )
    order = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
    return rows.order_by("default_first", "currency", order, "seller_id")


def seller_rows(rows: Iterable[dict[str, Any]]) -> list[SellerRow]:
    """Rows of ``seller_performance_qs`` with each shop's current name and rating (one query)."""
    rows = list(rows)
    shops = seller_map_by_ids(seller_ids={int(row["seller_id"]) for row in rows})
    result = []
    for row in rows:
        shop = shops.get(int(row["seller_id"]))
        result.append(
            SellerRow(
                seller_id=int(row["seller_id"]),
                shop_name=shop.shop_name if shop else "",
                slug=shop.slug if shop else "",
                rating_avg=shop.rating_avg if shop else None,
                rating_count=shop.rating_count if shop else 0,
                currency=str(row["currency"]),
                **ints(row, _SELLER_FIELDS),
            )
        )
    return result


# --- freshness ------------------------------------------------------------------------------------------


def rollup_updated_at() -> dt.datetime | None:
    """When the rollups last finished a day (the dashboards' "updated … ago")."""
    updated: dt.datetime | None = RollupDay.objects.aggregate(latest=Max("rolled_at"))["latest"]
    return updated

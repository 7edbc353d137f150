"""Reads of the traffic rollups: sources and channels, the funnel (by device or channel), landing pages
and on-site search. Same rules as ``analytics.selectors``: fact tables only, a range read through
``facts_in_range``, ``seller_id`` 0 the platform's rows.

Revenue here is the paid order totals of the sessions (``TrafficFact.revenue_amount``), which carry no
currency column: they are in the platform's one order currency (``settings.DEFAULT_CURRENCY``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q

from analytics.models import LandingPageFact, SearchFact, TrafficFact
from analytics.selectors import DateRange, facts_in_range, ints, percent, sums

# The dimensions a traffic table may be grouped by.
TRAFFIC_DIMENSIONS = frozenset({"channel", "source", "medium", "campaign", "device", "visitor_type"})
# The funnel's steps: sessions that reached each one.
FUNNEL_STEPS = (
    "sessions_product_view",
    "sessions_add_to_cart",
    "sessions_checkout",
    "sessions_placed",
    "sessions_paid",
)
FUNNEL_SPLITS = frozenset({"device", "channel"})


@dataclass(frozen=True, slots=True)
class TrafficRow:
    """One group of sessions: ``labels`` are its dimension values in the order asked for."""

    labels: tuple[str, ...]
    visitors: int
    sessions: int
    bounces: int
    product_views: int
    sessions_placed: int
    orders_paid: int
    revenue_amount: int

    @property
    def conversion_rate(self) -> Decimal | None:
        return percent(self.sessions_placed, self.sessions)

    @property
    def bounce_rate(self) -> Decimal | None:
        return percent(self.bounces, self.sessions)


_TRAFFIC_ROW_FIELDS = (
    "visitors",
    "sessions",
    "bounces",
    "product_views",
    "sessions_placed",
    "orders_paid",
    "revenue_amount",
)


def traffic_by(
    *, seller_id: int, date_range: DateRange, dimensions: Sequence[str], limit: int | None = None
) -> list[TrafficRow]:
    """Sessions grouped by ``dimensions`` (from ``TRAFFIC_DIMENSIONS``), most sessions first."""
    unknown = set(dimensions) - TRAFFIC_DIMENSIONS
    if unknown or not dimensions:
        raise ValueError(f"not traffic dimensions: {sorted(unknown) or dimensions}")
    rows = (
        facts_in_range(TrafficFact, date_range)
        .filter(seller_id=seller_id)
        .values(*dimensions)
        .annotate(**sums(*_TRAFFIC_ROW_FIELDS))
        .order_by(F("total_sessions").desc(), *dimensions)
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        TrafficRow(
            labels=tuple(str(row[name]) for name in dimensions),
            **ints(row, _TRAFFIC_ROW_FIELDS),
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class FunnelStep:
    key: str
    sessions: int
    # Of the sessions at the step before, the share that did not reach this one (None on the first step
    # or when the step before had none).
    drop_off: Decimal | None
    # Of the sessions at the first step, the share that reached this one.
    of_first: Decimal | None


@dataclass(frozen=True, slots=True)
class Funnel:
    label: str
    sessions: int
    steps: tuple[FunnelStep, ...]


def funnel_steps(counts: Sequence[int]) -> tuple[FunnelStep, ...]:
    """The steps of ``FUNNEL_STEPS`` from their session counts, with the drop-off at each step."""
    steps = []
    for index, (key, count) in enumerate(zip(FUNNEL_STEPS, counts, strict=True)):
        before = counts[index - 1] if index else None
        drop_off = percent(before - count, before) if before is not None else None
        steps.append(FunnelStep(key, count, drop_off, percent(count, counts[0])))
    return tuple(steps)


def funnel(*, seller_id: int, date_range: DateRange, split_by: str = "") -> list[Funnel]:
    """The funnel of all sessions (``split_by`` "") or one per device or channel (``FUNNEL_SPLITS``),
    most sessions first. One query."""
    if split_by and split_by not in FUNNEL_SPLITS:
        raise ValueError(f"funnel split by {split_by!r}")
    facts = facts_in_range(TrafficFact, date_range).filter(seller_id=seller_id)
    totals = sums("sessions", *FUNNEL_STEPS)
    rows = (
        list(facts.values(split_by).annotate(**totals).order_by(F("total_sessions").desc(), split_by))
        if split_by
        else [facts.aggregate(**totals)]
    )
    funnels = []
    for row in rows:
        counts = ints(row, ("sessions", *FUNNEL_STEPS))
        steps = funnel_steps([counts[name] for name in FUNNEL_STEPS])
        funnels.append(Funnel(str(row[split_by]) if split_by else "", counts["sessions"], steps))
    return funnels


@dataclass(frozen=True, slots=True)
class LandingPageRow:
    path: str
    sessions: int
    bounces: int
    sessions_with_order: int
    revenue_amount: int

    @property
    def bounce_rate(self) -> Decimal | None:
        return percent(self.bounces, self.sessions)

    @property
    def conversion_rate(self) -> Decimal | None:
        return percent(self.sessions_with_order, self.sessions)


def landing_pages(*, seller_id: int, date_range: DateRange, limit: int | None = None) -> list[LandingPageRow]:
    """The pages sessions started on (all channels together), most sessions first."""
    fields = ("sessions", "bounces", "sessions_with_order", "revenue_amount")
    rows = (
        facts_in_range(LandingPageFact, date_range)
        .filter(seller_id=seller_id)
        .values("path")
        .annotate(**sums(*fields))
        .order_by(F("total_sessions").desc(), "path")
    )
    if limit is not None:
        rows = rows[:limit]
    return [LandingPageRow(str(row["path"]), **ints(row, fields)) for row in rows]


@dataclass(frozen=True, slots=True)
class SearchRow:
    query: str
    searches: int
    zero_results: int
    sessions: int
    sessions_with_order: int

    @property
    def purchase_rate(self) -> Decimal | None:
        """Sessions that searched this and ordered, per 100 sessions that searched it."""
        return percent(self.sessions_with_order, self.sessions)


SEARCH_ORDERS = frozenset({"searches", "zero_results"})
_SEARCH_FIELDS = ("searches", "zero_results", "sessions", "sessions_with_order")


def search_queries(
    *, date_range: DateRange, order: str = "searches", limit: int | None = None
) -> list[SearchRow]:
    """Queries of the platform's search with their counts, most searched first (``order`` "searches") or
    most often without results (``order`` "zero_results", only queries that had none)."""
    if order not in SEARCH_ORDERS:
        raise ValueError(f"search queries ordered by {order!r}")
    rows = facts_in_range(SearchFact, date_range).values("query").annotate(**sums(*_SEARCH_FIELDS))
    if order == "zero_results":
        rows = rows.filter(Q(total_zero_results__gt=0))
    rows = rows.order_by(F(f"total_{order}").desc(), "query")
    if limit is not None:
        rows = rows[:limit]
    return [SearchRow(str(row["query"]), **ints(row, _SEARCH_FIELDS)) for row in rows]


def search_totals(*, date_range: DateRange) -> SearchRow:
    """All searches of the range together (``query`` is ""): the search-to-purchase rate of the page."""
    totals = facts_in_range(SearchFact, date_range).aggregate(**sums(*_SEARCH_FIELDS))
    return SearchRow("", **ints(totals, _SEARCH_FIELDS))

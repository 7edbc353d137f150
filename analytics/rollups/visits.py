"""One day's visits, read from the event stream and joined to the orders placed in them.

The day's hits (bots and operators left out) are read with a 30-minute look-back, so a visit that began
before midnight is recognised as the previous day's and not counted again; hits of the visitors still
active at either edge are read ``EXTEND`` further, so a visit crossing midnight is whole on the day it
started (the look-ahead) and an order placed just after midnight gets that visit's real source (the
look-back). Each query is bounded by time, so a rollup reads the day, not the table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet

from analytics.channels import Source, classify
from analytics.models import Event, VisitorSession, VisitorType
from analytics.rollups.calendar import Span
from analytics.sessionize import GAP, Hit, Visit, VisitMeasures, sessionize, visit_measures

if TYPE_CHECKING:
    from analytics.rollups.sales import OrderRow

# How far past a day's edges the visits active at midnight are followed.
EXTEND = timedelta(hours=3)
CHUNK = 500
HIT_FIELDS = (
    "session_key",
    "occurred_at",
    "type",
    "user_id",
    "object_type",
    "object_id",
    "path",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "user_agent_class",
    "properties",
)

T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (IN lists stay within every backend's parameter limit)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class DayVisit:
    visit: Visit
    measures: VisitMeasures
    source: Source
    visitor_type: str = VisitorType.NEW
    orders: list[OrderRow] = field(default_factory=list)  # placed in this visit (``visits_link``)

    @property
    def paid_orders(self) -> list[OrderRow]:
        return [order for order in self.orders if order.paid]


@dataclass
class DayVisits:
    """``today``: the visits that started on the day. ``known``: every visit read, the previous day's
    (look-back) and the next day's (look-ahead) too, for joining orders to them."""

    today: list[DayVisit] = field(default_factory=list)
    known: list[DayVisit] = field(default_factory=list)


def own_hosts() -> frozenset[str]:
    """The platform's own host names: a referrer from one of them is internal traffic."""
    hosts = {host.strip("[]").lstrip(".").lower() for host in settings.ALLOWED_HOSTS if "*" not in host}
    site = urlsplit(settings.SITE_URL).hostname
    if site:
        hosts.add(site.lower())
    hosts.discard("")
    return frozenset(hosts)


def _hits() -> QuerySet[Event]:
    return Event.objects.filter(is_bot=False, is_operator=False).exclude(session_key="")


def _hits_read(queryset: QuerySet[Event]) -> dict[str, list[Hit]]:
    rows = queryset.order_by("session_key", "occurred_at", "id").values_list(*HIT_FIELDS)
    by_visitor: dict[str, list[Hit]] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        hit = Hit._make(row)
        by_visitor[hit.visitor_key].append(hit)
    return by_visitor


def _hits_of(keys: Collection[str], start: datetime, end: datetime) -> dict[str, list[Hit]]:
    found: dict[str, list[Hit]] = {}
    for batch in chunks(sorted(keys)):
        found.update(
            _hits_read(_hits().filter(session_key__in=batch, occurred_at__gte=start, occurred_at__lt=end))
        )
    return found


def hits_read(span: Span) -> dict[str, list[Hit]]:
    """The day's hits by visitor, in time order, with the look-back and look-ahead described above."""
    hits = _hits_read(_hits().filter(occurred_at__gte=span.start - GAP, occurred_at__lt=span.end))
    before = [key for key, visitor_hits in hits.items() if visitor_hits[0].occurred_at < span.start]
    after = [key for key, visitor_hits in hits.items() if visitor_hits[-1].occurred_at >= span.end - GAP]
    for key, earlier in _hits_of(before, span.start - EXTEND, span.start - GAP).items():
        hits[key] = earlier + hits[key]
    for key, later in _hits_of(after, span.end, span.end + EXTEND).items():
        hits[key] = hits[key] + later
    return hits


def _visitors_seen_before(keys: Collection[str], start: datetime) -> set[str]:
    seen: set[str] = set()
    for batch in chunks(sorted(keys)):
        seen.update(
            VisitorSession.objects.filter(visitor_key__in=batch, started_at__lt=start)
            .values_list("visitor_key", flat=True)
            .distinct()
        )
    return seen


def _visitor_types_set(visits: DayVisits, span: Span) -> None:
    """New: the visitor's first visit ever (no stored earlier session, none in the look-back, none
    earlier that day); every later one is returning."""
    keys = {day_visit.visit.visitor_key for day_visit in visits.today}
    seen = _visitors_seen_before(keys, span.start)
    seen.update(v.visit.visitor_key for v in visits.known if v.visit.started_at < span.start)
    for day_visit in sorted(visits.today, key=lambda v: v.visit.started_at):
        key = day_visit.visit.visitor_key
        day_visit.visitor_type = VisitorType.RETURNING if key in seen else VisitorType.NEW
        seen.add(key)


def day_visits_read(span: Span) -> DayVisits:
    """The day's visits with their measures, source and visitor type (orders are joined later)."""
    hosts = own_hosts()
    visits = DayVisits()
    for visit in sessionize(chain.from_iterable(hits_read(span).values())):
        first = visit.first
        source = classify(
            referrer=first.referrer,
            utm_source=first.utm_source,
            utm_medium=first.utm_medium,
            utm_campaign=first.utm_campaign,
            own_hosts=hosts,
        )
        day_visit = DayVisit(visit=visit, measures=visit_measures(visit), source=source)
        visits.known.append(day_visit)
        if span.start <= visit.started_at < span.end:
            visits.today.append(day_visit)
    _visitor_types_set(visits, span)
    return visits


def visits_link(visits: Iterable[DayVisit], orders: Iterable[OrderRow]) -> dict[int, DayVisit]:
    """Join each order to the visit it was placed in: the visit holding its ``order_placed`` event (which
    carries the visitor id), else the signed-in buyer's visit that was going on when it was placed (the
    latest to start, if several). Orders of neither kind (an API client, a lost event) have no visit."""
    visits = list(visits)
    by_order = {order_id: v for v in visits for order_id in v.measures.order_ids}
    by_user: dict[int, list[DayVisit]] = defaultdict(list)
    for day_visit in visits:
        if day_visit.visit.user_id is not None:
            by_user[day_visit.visit.user_id].append(day_visit)
    links: dict[int, DayVisit] = {}
    for order in orders:
        linked = by_order.get(order.id)
        if linked is None and order.buyer_id is not None:
            during = [
                v
                for v in by_user.get(order.buyer_id, [])
                if v.visit.started_at <= order.placed_at <= v.visit.ended_at + GAP
            ]
            linked = max(during, key=lambda v: v.visit.started_at, default=None)
        if linked is not None:
            links[order.id] = linked
            linked.orders.append(order)
    return links

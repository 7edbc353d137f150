"""Visits from the event stream (pure: no ORM, no settings), pinned by ``tests/analytics/test_sessionize.py``.

A **visit** (a session) is one visitor's hits (``Event.session_key`` is the anonymous visitor id) in time
order, cut where

* more than 30 minutes (``GAP``) pass without a hit (exactly 30 minutes still continues it), or
* a hit arrives from a different campaign: it carries ``utm_source`` or ``utm_campaign`` and they differ
  from the campaign the visit is in (that of its first hit, or of the latest hit that carried one). A
  hit without UTM parameters never cuts a visit: the campaign's landing link is followed by plain pages.

``analytics.rollups`` reads one day's hits (plus a look-back and a look-ahead, so a visit crossing
midnight is whole and counted once, on the day it started), classifies each visit's source
(``analytics.channels``) and stores the day's visits as ``VisitorSession`` rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

GAP = timedelta(minutes=30)
QUERY_MAX_LENGTH = 200

PRODUCT = "catalog.product"
SELLER = "accounts.sellerprofile"
ORDER = "orders.order"


class Hit(NamedTuple):
    """One event as the sessionizer reads it (the columns of ``HIT_FIELDS`` in the rollups, in order)."""

    visitor_key: str
    occurred_at: datetime
    type: str
    user_id: int | None
    object_type: str
    object_id: str
    path: str
    referrer: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    device: str
    properties: Mapping[str, Any]


def _campaign(hit: Hit) -> tuple[str, str] | None:
    source, campaign = hit.utm_source.strip().lower(), hit.utm_campaign.strip().lower()
    return (source, campaign) if source or campaign else None


@dataclass
class Visit:
    hits: list[Hit]

    @property
    def visitor_key(self) -> str:
        return self.hits[0].visitor_key

    @property
    def started_at(self) -> datetime:
        return self.hits[0].occurred_at

    @property
    def ended_at(self) -> datetime:
        return self.hits[-1].occurred_at

    @property
    def first(self) -> Hit:
        return self.hits[0]

    @property
    def user_id(self) -> int | None:
        """The signed-in user of the visit's latest hit that had one (a visitor may sign in midway)."""
        return next((h.user_id for h in reversed(self.hits) if h.user_id is not None), None)


def sessionize(hits: Iterable[Hit], *, gap: timedelta = GAP) -> Iterator[Visit]:
    """Cut ``hits``, sorted by (visitor_key, occurred_at), into visits (rules in the module docstring)."""
    current: list[Hit] = []
    campaign: tuple[str, str] | None = None
    for hit in hits:
        hit_campaign = _campaign(hit)
        if current and (
            hit.visitor_key != current[-1].visitor_key
            or hit.occurred_at - current[-1].occurred_at > gap
            or (hit_campaign is not None and hit_campaign != campaign)
        ):
            yield Visit(current)
            current = []
        if not current:
            campaign = hit_campaign or ("", "")
        elif hit_campaign is not None:
            campaign = hit_campaign
        current.append(hit)
    if current:
        yield Visit(current)


def query_normalise(query: object) -> str:
    """A search query as ``SearchFact`` keys it: trimmed, lower case, inner spaces collapsed."""
    return " ".join(str(query or "").split()).lower()[:QUERY_MAX_LENGTH]


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass
class VisitMeasures:
    """What one visit did. Product, seller-page and variant counters are keyed by id."""

    page_views: int = 0
    product_views: Counter[int] = field(default_factory=Counter)
    seller_page_views: Counter[int] = field(default_factory=Counter)
    searches: list[tuple[str, bool]] = field(default_factory=list)  # (normalised query, zero results)
    cart_adds: Counter[int] = field(default_factory=Counter)  # variant id -> add-to-cart events
    checkout_steps: Counter[str] = field(default_factory=Counter)
    order_ids: list[int] = field(default_factory=list)
    landing: Hit | None = None  # the first page view (else the first hit)
    device: str = "other"

    @property
    def checkouts_started(self) -> int:
        """Times the checkout page was shown; 1 for a visit that reached a later step without it."""
        shown = self.checkout_steps.get("checkout", 0)
        return shown or (1 if self.checkout_steps else 0)

    @property
    def bounced(self) -> bool:
        """One page view and nothing else done: no add to cart, checkout or order."""
        return self.page_views == 1 and not (self.cart_adds or self.checkout_steps or self.order_ids)


def _count(measures: VisitMeasures, hit: Hit) -> None:
    if hit.type == "page_view":
        measures.page_views += 1
        if measures.landing is None:
            measures.landing = hit
        object_id = _int(hit.object_id)
        if object_id is not None and hit.object_type == PRODUCT:
            measures.product_views[object_id] += 1
        elif object_id is not None and hit.object_type == SELLER:
            measures.seller_page_views[object_id] += 1
    elif hit.type in ("search", "search_zero_results"):
        query = query_normalise(hit.properties.get("q"))
        if query:
            measures.searches.append((query, hit.type == "search_zero_results"))
    elif hit.type == "add_to_cart":
        variant_id = _int(hit.properties.get("variant"))
        if variant_id is not None:
            measures.cart_adds[variant_id] += 1
    elif hit.type == "checkout_step":
        measures.checkout_steps[str(hit.properties.get("step") or "")] += 1
    elif hit.type == "order_placed" and hit.object_type == ORDER:
        order_id = _int(hit.object_id)
        if order_id is not None and order_id not in measures.order_ids:
            measures.order_ids.append(order_id)


def visit_measures(visit: Visit) -> VisitMeasures:
    """Count a visit's page views, product and shop views, searches, add-to-carts, checkout steps and
    orders placed. The device is that of the first hit that has one (server-side hits have none)."""
    measures = VisitMeasures()
    for hit in visit.hits:
        _count(measures, hit)
    measures.landing = measures.landing or visit.first
    measures.device = next((h.device for h in visit.hits if h.device not in ("", "other")), "other")
    return measures

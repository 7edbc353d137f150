"""``HourlyFact`` rows of one day, by platform-local hour (kept for today and yesterday only).

Visits and visitors count in the hour their visit started; page views, product views and add-to-carts
in the hour they happened; orders placed, orders paid and GMV in the hour the order was placed (paid ones
only for the last two). A seller's rows count the seller's pages, SKUs and parts, and the visits that
viewed the seller's products or shop page. Event measures go in the rows of ``DEFAULT_CURRENCY``, order
measures in the order's currency.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings

from analytics.models import HourlyFact
from analytics.rollups.calendar import Span, local_hour
from analytics.rollups.facts_traffic import CatalogMap, visit_sellers
from analytics.rollups.sales import OrderRow
from analytics.rollups.visits import DayVisits
from analytics.sessionize import PRODUCT, SELLER, Hit

HourKey = tuple[datetime, int, str]  # hour, seller id, currency


def _hit_sellers(hit: Hit, catalog: CatalogMap) -> tuple[int | None, bool]:
    """(seller of the page or SKU, whether it is a product view) for a page view or add-to-cart."""
    object_id = int(hit.object_id) if hit.object_id.isdigit() else 0
    if hit.type == "page_view" and hit.object_type == PRODUCT:
        placement = catalog.products.get(object_id)
        return (placement.seller_id if placement else None), True
    if hit.type == "page_view" and hit.object_type == SELLER:
        return object_id, False
    if hit.type == "add_to_cart":
        variant = str(hit.properties.get("variant") or "")
        return catalog.seller_of_variant(int(variant) if variant.isdigit() else 0), False
    return None, False


def _hits_count(
    cells: dict[HourKey, Counter[str]], hits: Iterable[Hit], catalog: CatalogMap, currency: str
) -> None:
    for hit in hits:
        if hit.type not in ("page_view", "add_to_cart"):
            continue
        hour = local_hour(hit.occurred_at)
        seller_id, product_view = _hit_sellers(hit, catalog)
        measure = "page_views" if hit.type == "page_view" else "add_to_carts"
        for scope in (0, seller_id) if seller_id is not None else (0,):
            cells[(hour, scope, currency)][measure] += 1
            cells[(hour, scope, currency)]["product_views"] += product_view


def hourly_rows(
    *, span: Span, visits: DayVisits, orders: list[OrderRow], catalog: CatalogMap
) -> list[HourlyFact]:
    currency = settings.DEFAULT_CURRENCY
    cells: dict[HourKey, Counter[str]] = defaultdict(Counter)
    visitors: dict[HourKey, set[str]] = defaultdict(set)
    for v in visits.today:
        hour = local_hour(v.visit.started_at)
        sellers = [s for s, sl in visit_sellers(v, catalog).items() if sl.page_views]
        for scope in (0, *sellers):
            cells[(hour, scope, currency)]["sessions"] += 1
            visitors[(hour, scope, currency)].add(v.visit.visitor_key)
    for v in visits.known:
        in_day = (h for h in v.visit.hits if span.start <= h.occurred_at < span.end)
        _hits_count(cells, in_day, catalog, currency)
    for order in orders:
        hour = local_hour(order.placed_at)
        placed = cells[(hour, 0, order.currency)]
        placed["orders_placed"] += 1
        placed["orders_paid"] += order.paid
        placed["gmv_amount"] += order.total if order.paid else 0
        for part in order.parts:
            seller = cells[(hour, part.seller_id, order.currency)]
            seller["orders_placed"] += 1
            seller["orders_paid"] += order.paid
            seller["gmv_amount"] += part.total if order.paid else 0
    return [
        HourlyFact(hour=hour, seller_id=seller_id, currency=cur, visitors=len(visitors[key]), **counter)
        for key, counter in sorted(cells.items())
        for hour, seller_id, cur in [key]
    ]

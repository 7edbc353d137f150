"""The event-side rows of a day, from the visits that started on it: ``VisitorSession``, ``TrafficFact``,
``LandingPageFact`` and ``SearchFact``.

Platform rows (``seller_id`` 0) count every visit. A seller's rows count the visits that viewed that
seller's products or shop page; in them page and product views and add-to-carts are those of the
seller's pages and SKUs, orders and revenue those of the seller's parts of the visit's orders, and
searches are not counted (they are nobody's). ``sessions_with_order``, ``sessions_paid`` and revenue
count paid orders only (the booking rule of the sales facts); ``sessions_placed`` and ``orders_placed``
count every order placed in the visit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from analytics.models import Grain, LandingPageFact, SearchFact, TrafficFact, VisitorSession
from analytics.rollups.sales import OrderRow
from analytics.rollups.visits import DayVisit
from analytics.sessionize import PRODUCT, SELLER
from catalog.selectors_paths import ProductPlacement

TrafficKey = tuple[int, str, str, str, str, str, str]


@dataclass
class CatalogMap:
    """Products (and SKUs' products) seen in the day's visits and orders."""

    products: dict[int, ProductPlacement] = field(default_factory=dict)
    variants: dict[int, int] = field(default_factory=dict)

    def seller_of_variant(self, variant_id: int) -> int | None:
        placement = self.products.get(self.variants.get(variant_id, 0))
        return placement.seller_id if placement else None


@dataclass
class SellerSlice:
    product_views: int = 0
    page_views: int = 0
    cart_adds: int = 0


def visit_sellers(day_visit: DayVisit, catalog: CatalogMap) -> dict[int, SellerSlice]:
    """What a visit did with each seller whose products or shop page it viewed."""
    slices: dict[int, SellerSlice] = defaultdict(SellerSlice)
    measures = day_visit.measures
    for product_id, views in measures.product_views.items():
        placement = catalog.products.get(product_id)
        if placement is not None:
            slices[placement.seller_id].product_views += views
            slices[placement.seller_id].page_views += views
    for seller_id, views in measures.seller_page_views.items():
        slices[seller_id].page_views += views
    for variant_id, adds in measures.cart_adds.items():
        variant_seller = catalog.seller_of_variant(variant_id)
        if variant_seller is not None and variant_seller in slices:
            slices[variant_seller].cart_adds += adds
    return dict(slices)


def visitor_session_rows(day: date, visits: Iterable[DayVisit]) -> list[VisitorSession]:
    rows = []
    for v in visits:
        measures, source, landing = v.measures, v.source, v.measures.landing
        paid = v.paid_orders
        rows.append(
            VisitorSession(
                visitor_key=v.visit.visitor_key,
                user_id=v.visit.user_id,
                day=day,
                started_at=v.visit.started_at,
                ended_at=v.visit.ended_at,
                channel=source.channel,
                source=source.source,
                medium=source.medium,
                campaign=source.campaign,
                referrer_host=source.referrer_host,
                landing_path=landing.path if landing else "",
                device=measures.device,
                visitor_type=v.visitor_type,
                page_views=measures.page_views,
                product_views=sum(measures.product_views.values()),
                searches=len(measures.searches),
                add_to_carts=sum(measures.cart_adds.values()),
                checkouts_started=measures.checkouts_started,
                orders_placed=len(v.orders),
                orders_paid=len(paid),
                revenue_amount=sum(order.total for order in paid),
            )
        )
    return rows


def _seller_parts(orders: list[OrderRow], seller_id: int) -> tuple[int, int, int]:
    """(parts placed, parts paid, paid parts' total) of one seller in ``orders``."""
    placed = paid = revenue = 0
    for order in orders:
        for part in order.parts:
            if part.seller_id == seller_id:
                placed += 1
                paid += order.paid
                revenue += part.total if order.paid else 0
    return placed, paid, revenue


def _traffic_platform(counter: Counter[str], v: DayVisit) -> None:
    measures, paid = v.measures, v.paid_orders
    counter["page_views"] += measures.page_views
    counter["product_views"] += sum(measures.product_views.values())
    counter["searches"] += len(measures.searches)
    counter["zero_result_searches"] += sum(zero for _query, zero in measures.searches)
    counter["add_to_carts"] += sum(measures.cart_adds.values())
    counter["sessions_product_view"] += bool(measures.product_views)
    counter["sessions_add_to_cart"] += bool(measures.cart_adds)
    counter["sessions_placed"] += bool(v.orders)
    counter["sessions_paid"] += bool(paid)
    counter["orders_placed"] += len(v.orders)
    counter["orders_paid"] += len(paid)
    counter["revenue_amount"] += sum(order.total for order in paid)


def _traffic_seller(counter: Counter[str], v: DayVisit, seller_id: int, slice_: SellerSlice) -> None:
    placed, paid, revenue = _seller_parts(v.orders, seller_id)
    counter["page_views"] += slice_.page_views
    counter["product_views"] += slice_.product_views
    counter["add_to_carts"] += slice_.cart_adds
    counter["sessions_product_view"] += bool(slice_.product_views)
    counter["sessions_add_to_cart"] += bool(slice_.cart_adds)
    counter["sessions_placed"] += bool(placed)
    counter["sessions_paid"] += bool(paid)
    counter["orders_placed"] += placed
    counter["orders_paid"] += paid
    counter["revenue_amount"] += revenue


def traffic_rows(day: date, visits: Iterable[DayVisit], catalog: CatalogMap) -> list[TrafficFact]:
    cells: dict[TrafficKey, Counter[str]] = defaultdict(Counter)
    visitors: dict[TrafficKey, set[str]] = defaultdict(set)
    for v in visits:
        s = v.source
        dims = (s.channel, s.source, s.medium, s.campaign, v.measures.device, v.visitor_type)
        scopes: list[tuple[int, SellerSlice | None]] = [(0, None)]
        scopes += [(seller_id, sl) for seller_id, sl in visit_sellers(v, catalog).items() if sl.page_views]
        for seller_id, slice_ in scopes:
            key: TrafficKey = (seller_id, *dims)
            counter = cells[key]
            visitors[key].add(v.visit.visitor_key)
            counter["sessions"] += 1
            counter["bounces"] += v.measures.bounced
            counter["sessions_checkout"] += bool(v.measures.checkout_steps)
            if slice_ is None:
                _traffic_platform(counter, v)
            else:
                _traffic_seller(counter, v, seller_id, slice_)
    return [
        TrafficFact(
            grain=Grain.DAY,
            period=day,
            seller_id=key[0],
            channel=key[1],
            source=key[2],
            medium=key[3],
            campaign=key[4],
            device=key[5],
            visitor_type=key[6],
            visitors=len(visitors[key]),
            **counter,
        )
        for key, counter in sorted(cells.items())
    ]


def _landing_seller(v: DayVisit, catalog: CatalogMap) -> int | None:
    """The seller whose product or shop page the visit landed on."""
    landing = v.measures.landing
    if landing is None or landing.type != "page_view" or not landing.object_id.isdigit():
        return None
    if landing.object_type == SELLER:
        return int(landing.object_id)
    placement = catalog.products.get(int(landing.object_id)) if landing.object_type == PRODUCT else None
    return placement.seller_id if placement else None


def landing_rows(day: date, visits: Iterable[DayVisit], catalog: CatalogMap) -> list[LandingPageFact]:
    cells: dict[tuple[int, str, str], Counter[str]] = defaultdict(Counter)
    for v in visits:
        landing = v.measures.landing
        path = (landing.path if landing else "")[:300]
        paid = v.paid_orders
        seller_id = _landing_seller(v, catalog)
        scopes = [(0, len(paid), sum(order.total for order in paid))]
        if seller_id is not None:
            scopes.append((seller_id, *_seller_parts(paid, seller_id)[1:]))
        for scope, orders_paid, revenue in scopes:
            counter = cells[(scope, path, v.source.channel)]
            counter["sessions"] += 1
            counter["bounces"] += v.measures.bounced
            counter["sessions_with_order"] += bool(orders_paid)
            counter["revenue_amount"] += revenue
    return [
        LandingPageFact(
            grain=Grain.DAY, period=day, seller_id=seller_id, path=path, channel=channel, **counter
        )
        for (seller_id, path, channel), counter in sorted(cells.items())
    ]


def search_rows(day: date, visits: Iterable[DayVisit]) -> list[SearchFact]:
    cells: dict[str, Counter[str]] = defaultdict(Counter)
    for v in visits:
        for query, zero in v.measures.searches:
            cells[query]["searches"] += 1
            cells[query]["zero_results"] += zero
        for query in {query for query, _zero in v.measures.searches}:
            cells[query]["sessions"] += 1
            cells[query]["sessions_with_order"] += bool(v.paid_orders)
    return [
        SearchFact(grain=Grain.DAY, period=day, query=query, **counter)
        for query, counter in sorted(cells.items())
    ]

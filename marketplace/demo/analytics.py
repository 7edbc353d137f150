"""Demo events: 12 months of behaviour that matches the demo orders. Every order's funnel (landing page,
product page, add to cart, checkout steps, order placed), the sign-ups of the year, then browsing visits
(searches, abandoned carts) and a few crawlers until the event budget is spent."""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings

from analytics.models import Event, UserAgentClass
from marketplace.demo.base import BATCH_SIZE, HISTORY_DAYS, VISITOR_PREFIX, Clock, DemoRun, chunks, rng_for
from marketplace.demo.catalog import CatalogItem, Picker
from marketplace.demo.orders import PlacedOrder, Shopper

_SITE_ORIGIN = "https://marketplace.localhost"

# fmt: off
_CAMPAIGNS_BY_MONTH = {
    1: "new-year-sale", 2: "valentines-gifts", 3: "spring-refresh", 4: "spring-refresh", 5: "mothers-day",
    6: "summer-kickoff", 7: "summer-sale", 8: "back-to-school", 9: "back-to-school", 10: "fall-favourites",
    11: "black-friday", 12: "holiday-gifts",
}
# fmt: on
# (weight, utm_source, utm_medium, referrer, campaign kind)
_CHANNELS = (
    (34, "google", "organic", "https://www.google.com/", ""),
    (24, "", "", "", ""),  # direct
    (9, "google", "cpc", "https://www.google.com/", "search"),
    (10, "facebook", "social", "https://l.facebook.com/", "seasonal"),
    (5, "instagram", "social", "https://l.instagram.com/", "seasonal"),
    (10, "newsletter", "email", "", "newsletter"),
    (5, "bing", "organic", "https://www.bing.com/", ""),
    (3, "pinterest", "social", "https://www.pinterest.com/", ""),
)
_CHANNEL_WEIGHTS = [channel[0] for channel in _CHANNELS]
_SEARCH_CAMPAIGNS = ("brand-search", "shopping-always-on", "generic-gifts")
_UA_CLASSES = (UserAgentClass.DESKTOP, UserAgentClass.MOBILE, UserAgentClass.TABLET, UserAgentClass.OTHER)
_UA_WEIGHTS = (44, 46, 8, 2)


class _EventRow(NamedTuple):
    occurred_at: datetime
    type: str
    session_key: str
    user_id: int | None
    ua_class: str
    object_type: str = ""
    object_id: str = ""
    properties: dict[str, Any] | None = None
    path: str = ""
    referrer: str = ""
    utm: tuple[str, str, str] = ("", "", "")
    is_bot: bool = False


class _Visitor(NamedTuple):
    session_key: str
    user_id: int | None
    ua_class: str


def _visitor_id(seed: int, key: object) -> str:
    return f"{VISITOR_PREFIX}{rng_for(seed, 'visitor', key).getrandbits(112):028x}"


# --- the whole year ---------------------------------------------------------------------------------
def events_create(
    run: DemoRun,
    *,
    count: int,
    placed: list[PlacedOrder],
    catalog: list[CatalogItem],
    shoppers: list[Shopper],
    clock: Clock,
) -> None:
    """Exactly ``max(count, orders)`` events: every order's funnel (shortened when the budget is small),
    the sign-ups of the year, then browsing visits (and a few bots) until the budget is spent."""
    # One stream for the whole year, drawn from in this order: visitors, funnels, sign-ups, browsing.
    rng = rng_for(run.seed, "events")
    budget = max(count, len(placed))
    visitors = {
        user_id: _Visitor(_visitor_id(run.seed, email), user_id, _ua_class(rng))
        for user_id, email, _ in shoppers
    }
    rows = _order_funnels(run.seed, rng, placed, visitors, budget=budget)
    rows += _signup_visits(
        rng, shoppers, visitors, since=run.now - timedelta(days=HISTORY_DAYS - 1), room=budget - len(rows)
    )
    rows += _browsing_visits(
        run.seed, rng, shoppers, visitors, Picker(catalog), clock, budget=budget, room=budget - len(rows)
    )
    rows.sort(key=lambda row: row.occurred_at)
    _events_insert(run, rows)


def _order_funnels(
    seed: int, rng: random.Random, placed: list[PlacedOrder], visitors: dict[int, _Visitor], *, budget: int
) -> list[_EventRow]:
    """The visit that ended in each order; only its last steps when the budget is small (about 45% of
    the events go to funnels, at most the six steps each)."""
    per_order = min(6, max(1, budget * 45 // 100 // len(placed))) if placed else 0
    rows: list[_EventRow] = []
    for order in placed:
        if order.buyer_id is not None:
            visitor = visitors[order.buyer_id]
        else:
            visitor = _Visitor(_visitor_id(seed, order.number), None, _ua_class(rng))
        rows.extend(_order_visit(rng, order, visitor)[-per_order:])
    return rows


def _signup_visits(
    rng: random.Random,
    shoppers: list[Shopper],
    visitors: dict[int, _Visitor],
    *,
    since: datetime,
    room: int,
) -> list[_EventRow]:
    """Each sign-up since ``since`` (a landing page, then the sign-up), or only the sign-up, or nothing,
    whatever ``room`` events allow."""
    signups = [(user_id, joined) for user_id, _, joined in shoppers if joined >= since]
    per_signup = 2 if room >= 4 * len(signups) else 1 if room >= 2 * len(signups) else 0
    rows: list[_EventRow] = []
    if per_signup:
        for user_id, joined in signups:
            rows.extend(_signup_visit(rng, visitors[user_id], joined)[-per_signup:])
    return rows


def _browsing_visits(
    seed: int,
    rng: random.Random,
    shoppers: list[Shopper],
    visitors: dict[int, _Visitor],
    picker: Picker,
    clock: Clock,
    *,
    budget: int,
    room: int,
) -> list[_EventRow]:
    """Exactly ``room`` events of visits that bought nothing: signed-in shoppers now and then, cookie
    visitors (a pool sized by the whole ``budget``) mostly, a crawler in about 3% of visits."""
    anonymous = [
        _Visitor(_visitor_id(seed, f"anon-{n}"), None, _ua_class(rng)) for n in range(max(50, budget // 12))
    ]
    joined = [row[2] for row in shoppers]
    rows: list[_EventRow] = []
    while len(rows) < room:
        start = clock.moment(rng)
        if rng.random() < 0.03:
            visit = _bot_visit(seed, rng, start, picker)
        else:
            signed_up = bisect.bisect_right(joined, start)
            if signed_up and rng.random() < 0.25:
                visitor = visitors[shoppers[rng.randrange(signed_up)][0]]
            else:
                visitor = rng.choice(anonymous)._replace(user_id=None)
            visit = _browse_visit(rng, start, visitor, picker)
        rows.extend(visit[: room - len(rows)])
    return rows


def _events_insert(run: DemoRun, rows: list[_EventRow]) -> None:
    with run.progress("Events", len(rows)) as bar:
        for chunk in chunks(rows, BATCH_SIZE):
            Event.objects.bulk_create(
                [
                    Event(
                        type=row.type,
                        user_id=row.user_id,
                        session_key=row.session_key,
                        object_type=row.object_type,
                        object_id=row.object_id,
                        properties=row.properties or {},
                        path=row.path,
                        referrer=row.referrer,
                        utm_source=row.utm[0],
                        utm_medium=row.utm[1],
                        utm_campaign=row.utm[2],
                        user_agent_class=row.ua_class,
                        is_bot=row.is_bot,
                        occurred_at=min(row.occurred_at, run.now),
                    )
                    for row in chunk
                ],
                batch_size=BATCH_SIZE,
            )
            bar.update(len(chunk))
    run.result.events = len(rows)


# --- one visit --------------------------------------------------------------------------------------
def _ua_class(rng: random.Random) -> str:
    return rng.choices(_UA_CLASSES, weights=_UA_WEIGHTS)[0]


def _channel(rng: random.Random, moment: datetime) -> tuple[str, tuple[str, str, str]]:
    """Where a visit came from: (referrer, (utm_source, utm_medium, utm_campaign))."""
    _, source, medium, referrer, campaign_kind = rng.choices(_CHANNELS, weights=_CHANNEL_WEIGHTS)[0]
    campaign = ""
    if campaign_kind == "seasonal":
        campaign = _CAMPAIGNS_BY_MONTH[moment.month]
    elif campaign_kind == "search":
        campaign = rng.choice(_SEARCH_CAMPAIGNS)
    elif campaign_kind == "newsletter":
        year, week, _ = moment.isocalendar()
        campaign = f"weekly-digest-{year}-w{week:02d}"
    return referrer, (source, medium, campaign)


def _page_view(
    moment: datetime, visitor: _Visitor, kind: str, item: CatalogItem | None, referrer: str, **extra: Any
) -> _EventRow:
    if kind == "product" and item is not None:
        path, view = f"/p/{item.slug}/", "catalog:product-detail"
        object_type, object_id = "catalog.product", str(item.product_id)
    elif kind == "category" and item is not None:
        path, view = f"/c/{item.category_slug}/", "catalog:category-detail"
        object_type, object_id = "catalog.category", str(item.category_id)
    elif kind == "search":
        path, view, object_type, object_id = "/search/", "catalog:search", "", ""
    else:
        path, view, object_type, object_id = "/", "catalog:home", "", ""
    properties = {"view": view, **({"q": extra.pop("q")} if "q" in extra else {})}
    return _EventRow(
        moment,
        "page_view",
        visitor.session_key,
        visitor.user_id,
        visitor.ua_class,
        object_type,
        object_id,
        properties,
        path,
        referrer,
        **extra,
    )


def _order_visit(rng: random.Random, order: PlacedOrder, visitor: _Visitor) -> list[_EventRow]:
    """landing page -> product page -> add to cart -> two checkout steps -> order placed."""
    gaps = [rng.randint(20, 240) for _ in range(5)]
    moments = [order.placed_at - timedelta(seconds=sum(gaps[i:])) for i in range(5)] + [order.placed_at]
    item, variant = order.first_product, order.first_variant
    referrer, utm = _channel(rng, moments[0])
    landing = _page_view(moments[0], visitor, rng.choice(("home", "category")), item, referrer, utm=utm)
    product_path = f"{_SITE_ORIGIN}/p/{item.slug}/"
    base = (visitor.session_key, visitor.user_id, visitor.ua_class)
    return [
        landing,
        _page_view(moments[1], visitor, "product", item, f"{_SITE_ORIGIN}{landing.path}"),
        _EventRow(
            moments[2],
            "add_to_cart",
            *base,
            "catalog.product",
            str(item.product_id),
            {
                "sku": variant.sku,
                "variant_id": variant.variant_id,
                "quantity": 1,
                "price_amount": variant.price_amount,
            },
            f"/p/{item.slug}/",
            product_path,
        ),
        _EventRow(moments[3], "checkout_step", *base, properties={"step": "address"}, path="/checkout/"),
        _EventRow(moments[4], "checkout_step", *base, properties={"step": "payment"}, path="/checkout/"),
        _EventRow(
            moments[5],
            "order_placed",
            *base,
            "orders.order",
            str(order.order_id),
            {
                "number": order.number,
                "total_amount": order.total_amount,
                "currency": settings.DEFAULT_CURRENCY,
                "items": order.item_count,
                "sellers": order.seller_count,
            },
            "/checkout/",
        ),
    ]


def _signup_visit(rng: random.Random, visitor: _Visitor, joined: datetime) -> list[_EventRow]:
    referrer, utm = _channel(rng, joined)
    anonymous = visitor._replace(user_id=None)
    landing = _page_view(
        joined - timedelta(seconds=rng.randint(30, 900)), anonymous, "home", None, referrer, utm=utm
    )
    signup = _EventRow(
        joined,
        "signup",
        *visitor,
        properties={"method": "email"},
        path="/accounts/signup/",
        referrer=f"{_SITE_ORIGIN}/",
    )
    return [landing, signup]


def _bot_visit(seed: int, rng: random.Random, start: datetime, picker: Picker) -> list[_EventRow]:
    rows = []
    for n in range(rng.randint(1, 6)):
        # Crawlers keep no cookies: every request is a new "visitor".
        crawler = _Visitor(_visitor_id(seed, f"bot-{start.isoformat()}-{n}"), None, UserAgentClass.BOT)
        item = picker.pick(rng, start)
        rows.append(_page_view(start + timedelta(seconds=n * 2), crawler, "product", item, "", is_bot=True))
    return rows


def _browse_visit(rng: random.Random, start: datetime, visitor: _Visitor, picker: Picker) -> list[_EventRow]:
    referrer, utm = _channel(rng, start)
    pages = 1 if rng.random() < 0.38 else min(12, 2 + int(rng.expovariate(1 / 3)))
    rows: list[_EventRow] = []
    moment, last_product = start, None
    for page in range(pages):
        if page == 0:
            kind = rng.choices(("product", "category", "home", "search"), weights=(45, 25, 22, 8))[0]
        else:
            kind = rng.choices(("product", "category", "search", "home"), weights=(65, 15, 15, 5))[0]
        item = picker.pick(rng, moment)
        extra: dict[str, Any] = {"utm": utm} if page == 0 else {}
        if kind == "search":
            query, search = _search_draw(rng, moment, visitor, item)
            rows.append(search)
            extra["q"] = query
        row = _page_view(moment, visitor, kind, item, referrer, **extra)
        rows.append(row)
        referrer = f"{_SITE_ORIGIN}{row.path}"
        if kind == "product":
            last_product = item
        moment += timedelta(seconds=rng.randint(8, 180))
    if last_product is not None and pages > 1 and rng.random() < 0.12:
        rows.extend(_abandoned_cart_draw(rng, moment, visitor, last_product))
    return rows


def _search_draw(
    rng: random.Random, moment: datetime, visitor: _Visitor, item: CatalogItem
) -> tuple[str, _EventRow]:
    """A search for the last words of ``item``'s title, now and then with a typo nothing matches."""
    title_words = item.title.lower().split()
    query = " ".join(title_words[-2:]) if len(title_words) > 1 else title_words[0]
    if rng.random() < 0.07:  # a typo nobody's catalog matches
        cut = rng.randrange(len(query))
        query = query[:cut] + query[cut + 1 :] + rng.choice("xqz")
        properties: dict[str, Any] = {"q": query, "results_count": 0}
        return query, _EventRow(
            moment, "search_zero_results", *visitor, properties=properties, path="/search/"
        )
    properties = {"q": query, "results_count": rng.randint(3, 240)}
    return query, _EventRow(moment, "search", *visitor, properties=properties, path="/search/")


def _abandoned_cart_draw(
    rng: random.Random, moment: datetime, visitor: _Visitor, product: CatalogItem
) -> list[_EventRow]:
    variant_path = f"/p/{product.slug}/"
    rows = [
        _EventRow(
            moment,
            "add_to_cart",
            *visitor,
            "catalog.product",
            str(product.product_id),
            {"quantity": 1},
            variant_path,
            f"{_SITE_ORIGIN}{variant_path}",
        )
    ]
    if rng.random() < 0.3:  # reached checkout, then left
        moment += timedelta(seconds=rng.randint(20, 200))
        rows.append(
            _EventRow(moment, "checkout_step", *visitor, properties={"step": "address"}, path="/checkout/")
        )
    return rows

"""Build analytics fact rows directly (the dashboards' tests need no rollup run): each helper writes one row
with zeros and the platform's defaults for what the test does not name. ``month_rows`` writes the month
rows of a table as the sums of its day rows, as the rollup does."""

import datetime as dt

from django.db.models import Sum

from analytics.models import (
    CategoryFact,
    Grain,
    LandingPageFact,
    ProductFact,
    RollupDay,
    SalesFact,
    SearchFact,
    StockSnapshot,
    TrafficFact,
)

D = dt.date


def sales(day: dt.date, *, seller_id: int = 0, currency: str = "USD", grain: str = Grain.DAY, **figures):
    figures.setdefault("net_revenue_amount", figures.get("gmv_amount", 0) - figures.get("refund_amount", 0))
    return SalesFact.objects.create(
        grain=grain, period=day, seller_id=seller_id, currency=currency, **figures
    )


def traffic(
    day: dt.date,
    *,
    seller_id: int = 0,
    channel: str = "direct",
    device: str = "desktop",
    visitor_type: str = "new",
    grain: str = Grain.DAY,
    **figures,
):
    return TrafficFact.objects.create(
        grain=grain,
        period=day,
        seller_id=seller_id,
        channel=channel,
        device=device,
        visitor_type=visitor_type,
        **figures,
    )


def product(day: dt.date, *, product_id: int, seller_id: int, currency: str = "USD", **figures):
    return ProductFact.objects.create(
        grain=Grain.DAY, period=day, product_id=product_id, seller_id=seller_id, currency=currency, **figures
    )


def category(
    day: dt.date, *, category_id: int, top_category_id: int, seller_id: int, currency="USD", **figures
):
    return CategoryFact.objects.create(
        grain=Grain.DAY,
        period=day,
        category_id=category_id,
        top_category_id=top_category_id,
        seller_id=seller_id,
        currency=currency,
        **figures,
    )


def search(day: dt.date, query: str, **figures):
    return SearchFact.objects.create(grain=Grain.DAY, period=day, query=query, **figures)


def landing(day: dt.date, path: str, *, seller_id: int = 0, channel: str = "direct", **figures):
    return LandingPageFact.objects.create(
        grain=Grain.DAY, period=day, path=path, seller_id=seller_id, channel=channel, **figures
    )


def stock(
    day: dt.date, *, variant_id: int, product_id: int, seller_id: int, on_hand: int, category_id: int = 0
):
    return StockSnapshot.objects.create(
        day=day,
        variant_id=variant_id,
        product_id=product_id,
        seller_id=seller_id,
        category_id=category_id,
        on_hand=on_hand,
        currency="USD",
    )


def rolled(day: dt.date, at: dt.datetime):
    return RollupDay.objects.create(day=day, dirty=False, rolled_at=at)


_DIMENSIONS = {
    SalesFact: ("seller_id", "channel", "device", "customer_type", "currency"),
    TrafficFact: ("seller_id", "channel", "source", "medium", "campaign", "device", "visitor_type"),
    ProductFact: ("seller_id", "product_id", "category_id", "currency"),
    CategoryFact: ("seller_id", "category_id", "top_category_id", "currency"),
    LandingPageFact: ("seller_id", "path", "channel"),
    SearchFact: ("query",),
}
_MEASURES = {
    SalesFact: (
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
    ),
    TrafficFact: (
        "visitors",
        "sessions",
        "bounces",
        "product_views",
        "sessions_product_view",
        "sessions_add_to_cart",
        "sessions_checkout",
        "sessions_placed",
        "sessions_paid",
        "orders_paid",
        "revenue_amount",
    ),
    ProductFact: ("product_views", "orders", "units", "gmv_amount"),
    CategoryFact: ("product_views", "orders", "units", "gmv_amount"),
    LandingPageFact: ("sessions", "bounces", "sessions_with_order", "revenue_amount"),
    SearchFact: ("searches", "zero_results", "sessions", "sessions_with_order"),
}


def all_month_rows(start: dt.date, end: dt.date):
    """The month rows of every fact table for each month from ``start``'s to ``end``'s."""
    month = start.replace(day=1)
    while month <= end:
        for model in _DIMENSIONS:
            model.objects.filter(grain=Grain.MONTH, period=month).delete()
            month_rows(model, month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_rows(model, month: dt.date):
    """The month rows of ``model`` for ``month`` (its first day): the sums of that month's day rows."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days = model.objects.filter(grain=Grain.DAY, period__gte=month, period__lt=following)
    for row in days.values(*_DIMENSIONS[model]).annotate(**{f"s_{m}": Sum(m) for m in _MEASURES[model]}):
        keys = {name: row[name] for name in _DIMENSIONS[model]}
        measures = {m: row[f"s_{m}"] for m in _MEASURES[model]}
        model.objects.create(grain=Grain.MONTH, period=month, **keys, **measures)

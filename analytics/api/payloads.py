"""The analytics API's answers, read through the selectors for one scope: ``seller_id`` 0 (the platform,
operators) or a seller's own id; product, stock and category reads take None for every seller."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from analytics.api.base import channel_rows, range_data, source_rows
from analytics.selectors import (
    DateRange,
    overview_kpis,
    rollup_updated_at,
    sales_series,
    series_bucket,
)
from analytics.selectors_products import ProductFacts, best_sellers, category_performance, stock_tables
from analytics.selectors_traffic import funnel, landing_pages, search_queries, search_totals, traffic_by

LIST_LIMIT = 50


def overview(*, seller_id: int, date_range: DateRange, keys: tuple[str, ...]) -> dict[str, Any]:
    currency = settings.DEFAULT_CURRENCY
    return {
        "range": range_data(date_range),
        "previous_range": range_data(date_range.previous()),
        "updated_at": rollup_updated_at(),
        "kpis": overview_kpis(seller_id=seller_id, date_range=date_range, keys=keys),
        "series": {
            "bucket": series_bucket(date_range),
            "currency": currency,
            "points": sales_series(seller_id=seller_id, date_range=date_range, currency=currency),
        },
        "categories": category_performance(
            date_range=date_range, seller_id=seller_id or None, limit=LIST_LIMIT
        ),
    }


def traffic(*, seller_id: int, date_range: DateRange) -> dict[str, Any]:
    return {
        "range": range_data(date_range),
        "updated_at": rollup_updated_at(),
        "revenue_currency": settings.DEFAULT_CURRENCY,
        "sources": source_rows(
            traffic_by(
                seller_id=seller_id,
                date_range=date_range,
                dimensions=("source", "medium", "campaign"),
                limit=LIST_LIMIT,
            )
        ),
        "channels": channel_rows(
            traffic_by(seller_id=seller_id, date_range=date_range, dimensions=("channel",), limit=LIST_LIMIT)
        ),
        "funnel": funnel(seller_id=seller_id, date_range=date_range)[0],
        "funnel_by_device": funnel(seller_id=seller_id, date_range=date_range, split_by="device"),
        "funnel_by_channel": funnel(seller_id=seller_id, date_range=date_range, split_by="channel"),
        "landing_pages": landing_pages(seller_id=seller_id, date_range=date_range, limit=LIST_LIMIT),
    }


def search(*, date_range: DateRange) -> dict[str, Any]:
    return {
        "totals": search_totals(date_range=date_range),
        "top_queries": search_queries(date_range=date_range, order="searches", limit=LIST_LIMIT),
        "zero_result_queries": search_queries(date_range=date_range, order="zero_results", limit=LIST_LIMIT),
    }


def products(*, seller_id: int | None, date_range: DateRange, params: dict[str, Any]) -> dict[str, Any]:
    facts = ProductFacts()
    stock = stock_tables(
        date_range=date_range,
        seller_id=seller_id,
        group=params["group"],
        limit=LIST_LIMIT,
        lead_days=params["lead_days"],
        slow_days=params["slow_days"],
        facts=facts,
    )
    return {
        "range": range_data(date_range),
        "updated_at": rollup_updated_at(),
        "snapshot_day": stock.snapshot_day,
        "best_sellers": best_sellers(
            date_range=date_range, seller_id=seller_id, limit=LIST_LIMIT, facts=facts
        ),
        "stock": stock.stock,
        "at_risk": stock.at_risk,
        "slow_movers": stock.slow,
        "categories": category_performance(
            date_range=date_range,
            seller_id=seller_id,
            top_category_id=params.get("category"),
            limit=LIST_LIMIT,
        ),
    }

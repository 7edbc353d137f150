"""Month rows (``grain`` "M"): the sums of the month's day rows, rebuilt whole whenever a day of the
month is rebuilt.

Everything adds up across days except distinct visitors: a platform traffic cell's month ``visitors``
counts distinct visitor ids over the month's stored visits (``VisitorSession``); a seller's cell, whose
visits are not stored per seller, sums its days (visitor-days: a visitor seen on three days counts 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count

from analytics.models import (
    CategoryFact,
    FactBase,
    Grain,
    LandingPageFact,
    ProductFact,
    SalesFact,
    SearchFact,
    TrafficFact,
    VisitorSession,
)
from analytics.rollups.calendar import month_start, next_month

_TRAFFIC_DIMS = ("channel", "source", "medium", "campaign", "device", "visitor_type")


@dataclass(frozen=True)
class MonthSpec:
    model: type[FactBase]
    dims: tuple[str, ...]  # the cell
    attrs: tuple[str, ...] = ()  # one value per cell (the latest day's wins: Max)

    def measures(self) -> list[str]:
        skip = {"id", "grain", "period", *self.dims, *self.attrs}
        return [f.name for f in self.model._meta.concrete_fields if f.name not in skip]


SPECS = (
    MonthSpec(TrafficFact, ("seller_id", *_TRAFFIC_DIMS)),
    MonthSpec(SalesFact, ("seller_id", "channel", "device", "customer_type", "currency")),
    MonthSpec(CategoryFact, ("seller_id", "category_id", "currency"), ("top_category_id",)),
    MonthSpec(ProductFact, ("product_id", "currency"), ("seller_id", "category_id")),
    MonthSpec(SearchFact, ("query",)),
    MonthSpec(LandingPageFact, ("seller_id", "path", "channel")),
)


def _platform_visitors(first: date, end: date) -> dict[tuple[str, ...], int]:
    rows = (
        VisitorSession.objects.filter(day__gte=first, day__lt=end)
        .values(*_TRAFFIC_DIMS)
        .annotate(n=Count("visitor_key", distinct=True))
        .order_by()
    )
    return {tuple(row[dim] for dim in _TRAFFIC_DIMS): row["n"] for row in rows}


def _month_insert(spec: MonthSpec, first: date, end: date) -> None:
    """One INSERT ... SELECT ... GROUP BY of the month's day rows into its month rows (no row leaves the
    database)."""
    quote = connection.ops.quote_name
    dims = ", ".join(quote(name) for name in spec.dims)
    attrs, measures = list(spec.attrs), spec.measures()
    columns = ", ".join(quote(name) for name in ("grain", "period", *spec.dims, *attrs, *measures))
    values = ", ".join(
        [
            dims,
            *(f"MAX({quote(name)})" for name in attrs),
            *(f"COALESCE(SUM({quote(name)}), 0)" for name in measures),
        ]
    )
    table = quote(spec.model._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, {values} FROM {table} "  # noqa: S608 - names from the models
            f"WHERE {quote('grain')} = %s AND {quote('period')} >= %s AND {quote('period')} < %s GROUP BY {dims}",
            [Grain.MONTH, adapt(first), Grain.DAY, adapt(first), adapt(end)],
        )


def _platform_visitors_set(first: date) -> None:
    """Distinct visitors of the platform's month cells, from the month's stored visits."""
    end = next_month(first)
    for key, visitors in _platform_visitors(first, end).items():
        TrafficFact.objects.filter(
            grain=Grain.MONTH, period=first, seller_id=0, **dict(zip(_TRAFFIC_DIMS, key, strict=True))
        ).update(visitors=visitors)


def month_rebuild(day: date) -> None:
    """Rebuild the month rows of the month of ``day`` from its day rows (run in the caller's transaction)."""
    first, end = month_start(day), next_month(day)
    for spec in SPECS:
        spec.model._default_manager.filter(grain=Grain.MONTH, period=first).delete()
        _month_insert(spec, first, end)
    _platform_visitors_set(first)

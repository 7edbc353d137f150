"""Month rows (``grain`` "M"): the sums of the month's day rows, rebuilt whole whenever a day of the
month is rebuilt.

Everything adds up across days except distinct visitors: a platform traffic cell's month ``visitors``
counts distinct visitor ids over the month's stored visits (``VisitorSession``); a seller's cell, whose
visits are not stored per seller, sums its days (visitor-days: a visitor seen on three days counts 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Aggregate, Count, Max, Sum

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


def _month_rows(spec: MonthSpec, first: date, end: date) -> list[FactBase]:
    measures = spec.measures()
    aggregates: dict[str, Aggregate] = {f"m_{name}": Sum(name) for name in measures}
    aggregates.update({f"a_{name}": Max(name) for name in spec.attrs})
    rows = (
        spec.model._default_manager.filter(grain=Grain.DAY, period__gte=first, period__lt=end)
        .values(*spec.dims)
        .annotate(**aggregates)
        .order_by(*spec.dims)
    )
    return [
        spec.model(
            grain=Grain.MONTH,
            period=first,
            **{dim: row[dim] for dim in spec.dims},
            **{name: row[f"m_{name}"] or 0 for name in measures},
            **{name: row[f"a_{name}"] for name in spec.attrs},
        )
        for row in rows
    ]


def month_rebuild(day: date) -> None:
    """Rebuild the month rows of the month of ``day`` from its day rows (run in the caller's transaction)."""
    first, end = month_start(day), next_month(day)
    for spec in SPECS:
        rows = _month_rows(spec, first, end)
        if spec.model is TrafficFact:
            visitors = _platform_visitors(first, end)
            for row in rows:
                assert isinstance(row, TrafficFact)  # noqa: S101 - narrowed for the type checker
                if row.seller_id == 0:
                    row.visitors = visitors.get(
                        tuple(getattr(row, dim) for dim in _TRAFFIC_DIMS), row.visitors
                    )
        spec.model._default_manager.filter(grain=Grain.MONTH, period=first).delete()
        spec.model._default_manager.bulk_create(rows, batch_size=2000)

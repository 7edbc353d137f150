"""Reads of the product, stock and category rollups: best sellers, stock (sell-through, turnover, days of
cover, stock-out risk, slow movers) per product, seller or category, and category performance with its
drill-down. Same rules as ``analytics.selectors``: fact tables only, ranges through ``facts_in_range``,
names of products, shops and categories from their apps' selectors in one query per table.

Scope: ``seller_id`` None reads every seller's rows (operators), a seller's id only that seller's.

A products page shows best sellers and stock per product, shop and category over the same range: they
share one ``ProductFacts``, which reads the range's product facts once (summed per product, shop, category
and currency) and each stock snapshot day once, and derives every table's figures from those rows.

Definitions (also on the pages):

* stock on hand: the latest ``StockSnapshot`` on or before the range's last day;
* sell-through: units sold in the range / (units sold + stock on hand at the end), in %;
* inventory turnover: units sold in the range / average stock on hand, the average of the first snapshot
  in the range and the last (the last alone when the range starts before the first snapshot);
* daily sales rate: units sold in the 28 days ending on the range's last day / 28;
* days of cover: stock on hand / daily sales rate (none without recent sales);
* stock-out risk: days of cover below the lead time (``lead_days``, 7 by default);
* slow mover: stock on hand and no unit sold in the ``slow_days`` days ending on the range's last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BigIntegerField, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Cast

from accounts.selectors import seller_map_by_ids
from analytics.models import CategoryFact, Grain, ProductFact, StockSnapshot
from analytics.selectors import DateRange, currency_order, facts_in_range, ints, percent, sums
from catalog.selectors import category_map_by_ids, product_map_by_ids

RATE_DAYS = 28
LEAD_DAYS_DEFAULT = 7
SLOW_DAYS_DEFAULT = 30
STOCK_GROUPS = {"product": "product_id", "seller": "seller_id", "category": "category_id"}


def _scoped(queryset: QuerySet[Any], seller_id: int | None) -> QuerySet[Any]:
    return queryset if seller_id is None else queryset.filter(seller_id=seller_id)


def _names(group: str, ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """(name, slug) per id of a product, shop or category, one query."""
    if group == "product":
        return {pk: (p.title, p.slug) for pk, p in product_map_by_ids(product_ids=ids).items()}
    if group == "seller":
        return {pk: (s.shop_name, s.slug) for pk, s in seller_map_by_ids(seller_ids=ids).items()}
    return {pk: (c.localized_name, c.slug) for pk, c in category_map_by_ids(category_ids=ids).items()}


# --- best sellers ----------------------------------------------------------------------------------------

_PRODUCT_FIELDS = (
    "product_views",
    "add_to_carts",
    "orders",
    "units",
    "gmv_amount",
    "refunded_units",
    "refund_amount",
)
_UNITS, _GMV = _PRODUCT_FIELDS.index("units"), _PRODUCT_FIELDS.index("gmv_amount")


@dataclass(frozen=True, slots=True)
class ProductRow:
    product_id: int
    title: str
    slug: str
    seller_id: int
    shop_name: str
    currency: str
    product_views: int
    add_to_carts: int
    orders: int
    units: int
    gmv_amount: int
    refunded_units: int
    refund_amount: int

    @property
    def conversion_rate(self) -> Decimal | None:
        """Paid orders with the product per 100 views of it."""
        return percent(self.orders, self.product_views)


def best_sellers(
    *, date_range: DateRange, seller_id: int | None, limit: int, facts: ProductFacts | None = None
) -> list[ProductRow]:
    """Products by units sold in the range (then revenue), one row per product and currency, with their
    title and shop. Three queries (two when ``facts`` has read the range)."""
    facts = facts or ProductFacts()
    totals: dict[tuple[int, int, str], list[int]] = {}
    for cell in facts.cells(date_range, seller_id):
        sums_of = totals.setdefault(
            (cell.product_id, cell.seller_id, cell.currency), [0] * len(_PRODUCT_FIELDS)
        )
        for index, value in enumerate(cell.sums):
            sums_of[index] += value
    ranked = sorted(
        (item for item in totals.items() if item[1][_UNITS] > 0),
        key=lambda item: (-item[1][_UNITS], -item[1][_GMV], item[0]),
    )[:limit]
    products = _names("product", {product_id for (product_id, _seller, _currency), _sums in ranked})
    shops = _names("seller", {seller for (_product, seller, _currency), _sums in ranked})
    return [
        ProductRow(
            product_id=product_id,
            title=products.get(product_id, ("", ""))[0],
            slug=products.get(product_id, ("", ""))[1],
            seller_id=seller,
            shop_name=shops.get(seller, ("", ""))[0],
            currency=currency,
            **dict(zip(_PRODUCT_FIELDS, values, strict=True)),
        )
        for (product_id, seller, currency), values in ranked
    ]


# --- one request's reads -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductCell:
    """The sums of ``_PRODUCT_FIELDS`` (in that order) of one product, shop, category and currency."""

    product_id: int
    seller_id: int
    category_id: int
    currency: str
    sums: tuple[int, ...]

    @property
    def units(self) -> int:
        return self.sums[_UNITS]


@dataclass(frozen=True, slots=True)
class StockCell:
    product_id: int
    seller_id: int
    category_id: int
    on_hand: int


@dataclass(slots=True)
class ProductFacts:
    """Product-fact and stock-snapshot reads shared by the tables of one page (or one API payload):
    each range, snapshot day and the snapshot days of a scope are read once, whichever tables ask."""

    _cells: dict[tuple[DateRange, int | None], list[ProductCell]] = field(default_factory=dict)
    _stock: dict[tuple[dt.date, int | None], list[StockCell]] = field(default_factory=dict)
    _days: dict[tuple[DateRange, int | None], tuple[dt.date | None, dt.date | None]] = field(
        default_factory=dict
    )

    def cells(self, date_range: DateRange, seller_id: int | None) -> list[ProductCell]:
        """The range's product facts summed per product, shop, category and currency (one query)."""
        key = (date_range, seller_id)
        if key not in self._cells:
            # Sums cast back to bigint: thousands of rows come back, and PostgreSQL's numeric sums of
            # bigint would each go through Decimal.
            totals = {f"total_{name}": Cast(Sum(name), BigIntegerField()) for name in _PRODUCT_FIELDS}
            rows = (
                _scoped(facts_in_range(ProductFact, date_range), seller_id)
                .values("product_id", "seller_id", "category_id", "currency")
                .annotate(**totals)
                .order_by()
                .values_list("product_id", "seller_id", "category_id", "currency", *totals)
            )
            self._cells[key] = [
                ProductCell(
                    product_id=int(row[0]),
                    seller_id=int(row[1]),
                    category_id=int(row[2]),
                    currency=str(row[3]),
                    sums=tuple(int(value or 0) for value in row[4:]),
                )
                for row in rows
            ]
        return self._cells[key]

    def stock(self, day: dt.date, seller_id: int | None) -> list[StockCell]:
        """Stock on hand on a snapshot day per product, shop and category (one query)."""
        key = (day, seller_id)
        if key not in self._stock:
            rows = (
                _scoped(StockSnapshot.objects.filter(day=day), seller_id)
                .values("product_id", "seller_id", "category_id")
                .annotate(stock=Sum("on_hand"))
                .order_by()
            )
            self._stock[key] = [
                StockCell(
                    product_id=int(row["product_id"]),
                    seller_id=int(row["seller_id"]),
                    category_id=int(row["category_id"]),
                    on_hand=int(row["stock"] or 0),
                )
                for row in rows
            ]
        return self._stock[key]

    def snapshot_days(
        self, date_range: DateRange, seller_id: int | None
    ) -> tuple[dt.date | None, dt.date | None]:
        """The first snapshot day in the range and the latest on or before its end (one query)."""
        key = (date_range, seller_id)
        if key not in self._days:
            days = _scoped(StockSnapshot.objects.filter(day__lte=date_range.end), seller_id).aggregate(
                opening=Min("day", filter=Q(day__gte=date_range.start)), closing=Max("day")
            )
            self._days[key] = (days["opening"], days["closing"])
        return self._days[key]


# --- stock ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StockRow:
    """One product, shop or category (``key``): what sold and what is on hand. See the module's
    definitions."""

    key: int
    name: str = ""
    slug: str = ""
    units_sold: int = 0
    units_recent: int = 0  # in the RATE_DAYS days ending on the range's last day
    units_slow_window: int = 0  # in the slow_days days ending on the range's last day
    on_hand: int = 0
    opening_on_hand: int | None = None
    last_sale: dt.date | None = None

    @property
    def sell_through(self) -> Decimal | None:
        return percent(self.units_sold, self.units_sold + self.on_hand)

    @property
    def turnover(self) -> Decimal | None:
        """Units sold / average units on hand, two decimals."""
        opening = self.on_hand if self.opening_on_hand is None else self.opening_on_hand
        if opening + self.on_hand <= 0:
            return None
        return (Decimal(2 * self.units_sold) / Decimal(opening + self.on_hand)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )

    @property
    def daily_rate(self) -> Decimal:
        return (Decimal(self.units_recent) / RATE_DAYS).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def days_of_cover(self) -> Decimal | None:
        if self.units_recent <= 0:
            return None
        return (Decimal(self.on_hand) * RATE_DAYS / Decimal(self.units_recent)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    def at_risk(self, lead_days: int) -> bool:
        cover = self.days_of_cover
        return cover is not None and cover < lead_days


@dataclass(frozen=True, slots=True)
class StockReport:
    snapshot_day: dt.date | None
    rows: list[StockRow]


def _window(end: dt.date, days: int) -> DateRange:
    return DateRange(end - dt.timedelta(days=days - 1), end)


def _units_by(
    column: str, date_range: DateRange, seller_id: int | None, facts: ProductFacts
) -> dict[int, int]:
    units: dict[int, int] = {}
    for cell in facts.cells(date_range, seller_id):
        key = int(getattr(cell, column))
        units[key] = units.get(key, 0) + cell.units
    return {key: sold for key, sold in units.items() if sold > 0}


def _on_hand_by(
    column: str, day: dt.date | None, seller_id: int | None, facts: ProductFacts
) -> dict[int, int]:
    if day is None:
        return {}
    stock: dict[int, int] = {}
    for cell in facts.stock(day, seller_id):
        key = int(getattr(cell, column))
        stock[key] = stock.get(key, 0) + cell.on_hand
    return stock


def _last_sales(keys: Collection[int], end: dt.date, seller_id: int | None) -> dict[int, dt.date]:
    rows = (
        _scoped(ProductFact.objects.filter(grain=Grain.DAY, period__lte=end, units__gt=0), seller_id)
        .filter(product_id__in=list(keys))
        .values("product_id")
        .annotate(last=Max("period"))
        .order_by()
    )
    return {int(row["product_id"]): row["last"] for row in rows}


def stock_report(
    *,
    date_range: DateRange,
    seller_id: int | None,
    group: str,
    slow_days: int = SLOW_DAYS_DEFAULT,
    facts: ProductFacts | None = None,
) -> StockReport:
    """Stock figures per product, shop or category (``group``, see ``STOCK_GROUPS``), unnamed and
    unsorted: every key that sold in the range or the last ``RATE_DAYS``/``slow_days`` days or has stock
    on hand. At most six queries whatever the number of rows, none for what ``facts`` has already read
    (``stock_tables`` sorts, cuts and names)."""
    facts = facts or ProductFacts()
    column = STOCK_GROUPS[group]
    opening_day, closing_day = facts.snapshot_days(date_range, seller_id)
    sold = _units_by(column, date_range, seller_id, facts)
    recent = _units_by(column, _window(date_range.end, RATE_DAYS), seller_id, facts)
    slow_window = _units_by(column, _window(date_range.end, slow_days), seller_id, facts)
    closing = _on_hand_by(column, closing_day, seller_id, facts)
    opening = (
        _on_hand_by(column, opening_day, seller_id, facts) if opening_day != closing_day else dict(closing)
    )
    keys = set(sold) | set(recent) | set(slow_window) | set(closing)
    rows = [
        StockRow(
            key=key,
            units_sold=sold.get(key, 0),
            units_recent=recent.get(key, 0),
            units_slow_window=slow_window.get(key, 0),
            on_hand=closing.get(key, 0),
            opening_on_hand=opening.get(key, 0) if opening_day is not None else None,
        )
        for key in keys
    ]
    return StockReport(snapshot_day=closing_day, rows=rows)


@dataclass(frozen=True, slots=True)
class StockTables:
    """The stock tables of a products page: ``stock`` (by units sold), ``at_risk`` (by days of cover)
    and ``slow`` (slow movers, by stock on hand), each cut to its limit and named."""

    snapshot_day: dt.date | None
    stock: list[StockRow]
    at_risk: list[StockRow]
    slow: list[StockRow]


def stock_tables(
    *,
    date_range: DateRange,
    seller_id: int | None,
    group: str,
    limit: int,
    lead_days: int = LEAD_DAYS_DEFAULT,
    slow_days: int = SLOW_DAYS_DEFAULT,
    facts: ProductFacts | None = None,
) -> StockTables:
    report = stock_report(
        date_range=date_range, seller_id=seller_id, group=group, slow_days=slow_days, facts=facts
    )
    by_sales = sorted(
        (row for row in report.rows if row.units_sold > 0), key=lambda r: (-r.units_sold, r.key)
    )[:limit]
    at_risk = sorted(
        (row for row in report.rows if row.at_risk(lead_days)),
        key=lambda r: (r.days_of_cover or Decimal(0), r.key),
    )[:limit]
    slow = sorted(
        (row for row in report.rows if row.on_hand > 0 and row.units_slow_window == 0),
        key=lambda r: (-r.on_hand, r.key),
    )[:limit]
    keys = {row.key for row in (*by_sales, *at_risk, *slow)}
    names = _names(group, keys)
    last_sales = (
        _last_sales({row.key for row in slow}, date_range.end, seller_id) if group == "product" else {}
    )

    def named(rows: Iterable[StockRow]) -> list[StockRow]:
        return [
            replace(
                row,
                name=names.get(row.key, ("", ""))[0],
                slug=names.get(row.key, ("", ""))[1],
                last_sale=last_sales.get(row.key),
            )
            for row in rows
        ]

    return StockTables(report.snapshot_day, named(by_sales), named(at_risk), named(slow))


# --- categories -------------------------------------------------------------------------------------------

_CATEGORY_FIELDS = ("product_views", "add_to_carts", "orders", "units", "gmv_amount", "refund_amount")


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category_id: int
    name: str
    slug: str
    currency: str
    product_views: int
    add_to_carts: int
    orders: int
    units: int
    gmv_amount: int
    refund_amount: int

    @property
    def conversion_rate(self) -> Decimal | None:
        """Paid seller orders with a line in the category per 100 product views in it."""
        return percent(self.orders, self.product_views)


def category_performance(
    *,
    date_range: DateRange,
    seller_id: int | None,
    top_category_id: int | None = None,
    limit: int | None = None,
) -> list[CategoryRow]:
    """Top-level categories (``top_category_id`` None) or the leaf categories under one top-level
    category, one row per category and currency, by revenue (default currency first). Two queries."""
    facts = _scoped(facts_in_range(CategoryFact, date_range), seller_id)
    column = "top_category_id"
    if top_category_id is not None:
        facts, column = facts.filter(top_category_id=top_category_id), "category_id"
    rows = list(facts.values(column, "currency").annotate(**sums(*_CATEGORY_FIELDS)).order_by())
    order = {code: index for index, code in enumerate(currency_order(row["currency"] for row in rows))}
    rows.sort(key=lambda row: (order[row["currency"]], -int(row["total_gmv_amount"] or 0), int(row[column])))
    if limit is not None:
        rows = rows[:limit]
    names = _names("category", {int(row[column]) for row in rows})
    return [
        CategoryRow(
            category_id=int(row[column]),
            name=names.get(int(row[column]), ("", ""))[0],
            slug=names.get(int(row[column]), ("", ""))[1],
            currency=str(row["currency"]),
            **ints(row, _CATEGORY_FIELDS),
        )
        for row in rows
    ]

"""``ProductFact`` and ``CategoryFact`` day rows: views and add-to-carts of the visits that started on
the day, units, GMV (line totals, no shipping) and orders of the paid orders placed on it, refunded units
and amounts of the refunds that succeeded on it (a refund's shipping part is no product's).

A product's seller and category are those it has now (a line of a product deleted since keeps its
seller, under category 0); lines without a product id are left out here (the sales facts count them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from analytics.models import CategoryFact, Grain, ProductFact
from analytics.rollups.calendar import Span
from analytics.rollups.facts_traffic import CatalogMap
from analytics.rollups.sales import RefundRow
from analytics.rollups.visits import DayVisit, chunks
from orders.models import OrderLine

ProductKey = tuple[int, str]  # product id, currency
CategoryKey = tuple[int, int, str]  # seller id, category id, currency


@dataclass
class LineSale:
    product_id: int
    seller_id: int
    currency: str
    units: int = 0
    gmv: int = 0
    orders: int = 0
    refunded_units: int = 0
    refund_amount: int = 0
    seller_orders: set[int] = field(default_factory=set)


@dataclass
class CatalogSales:
    """Per (product, seller, currency): the day's paid lines and refunded lines."""

    lines: dict[tuple[int, int, str], LineSale] = field(default_factory=dict)

    def product_ids(self) -> set[int]:
        return {product_id for product_id, _seller, _currency in self.lines}

    def at(self, product_id: int, seller_id: int, currency: str) -> LineSale:
        key = (product_id, seller_id, currency)
        if key not in self.lines:
            self.lines[key] = LineSale(product_id, seller_id, currency)
        return self.lines[key]


def catalog_sales_read(span: Span, refunds: Iterable[RefundRow]) -> CatalogSales:
    sales = CatalogSales()
    paid_lines = OrderLine.objects.filter(
        Q(seller_order__order__placed_at__gte=span.start, seller_order__order__placed_at__lt=span.end),
        seller_order__order__paid_at__isnull=False,
        product_id_snapshot__isnull=False,
    )
    dims = ("product_id_snapshot", "seller_order__seller_id", "seller_order__order__currency")
    for row in paid_lines.values(*dims).annotate(
        n_units=Sum("quantity"), n_gmv=Sum("total_amount"), n_orders=Count("seller_order_id", distinct=True)
    ):
        sale = sales.at(*(row[dim] for dim in dims))
        sale.units, sale.gmv, sale.orders = int(row["n_units"]), int(row["n_gmv"]), int(row["n_orders"])
    for product_id, seller_id, currency, seller_order_id in paid_lines.values_list(*dims, "seller_order_id"):
        sales.at(product_id, seller_id, currency).seller_orders.add(seller_order_id)
    _refunds_add(sales, list(refunds))
    return sales


def _refunds_add(sales: CatalogSales, refunds: list[RefundRow]) -> None:
    line_ids = {int(item["order_line"]) for refund in refunds for item in refund.lines}
    products: dict[int, int | None] = {}
    for batch in chunks(sorted(line_ids)):
        products.update(OrderLine.objects.filter(pk__in=batch).values_list("pk", "product_id_snapshot"))
    for refund in refunds:
        for item in refund.lines:
            product_id = products.get(int(item["order_line"]))
            if product_id is not None:
                sale = sales.at(product_id, refund.seller_id, refund.currency)
                sale.refunded_units += int(item.get("quantity") or 0)
                sale.refund_amount += int(item.get("amount") or 0)


@dataclass
class _Views:
    """Views and add-to-carts per (product, currency), with the product's seller and category."""

    counts: dict[ProductKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def _views(visits: Iterable[DayVisit], catalog: CatalogMap) -> _Views:
    views = _Views()
    for v in visits:
        for product_id, n in v.measures.product_views.items():
            placement = catalog.products.get(product_id)
            if placement is not None:
                views.counts[(product_id, placement.currency)]["product_views"] += n
        for variant_id, n in v.measures.cart_adds.items():
            added = catalog.variants.get(variant_id)
            placement = catalog.products.get(added) if added is not None else None
            if added is not None and placement is not None:
                views.counts[(added, placement.currency)]["add_to_carts"] += n
    return views


def _kept_views(day: date) -> _Views:
    """The views already stored for a day whose events are pruned: a rebuild keeps them."""
    views = _Views()
    for product_id, currency, product_views, add_to_carts in ProductFact.objects.filter(
        grain=Grain.DAY, period=day
    ).values_list("product_id", "currency", "product_views", "add_to_carts"):
        views.counts[(product_id, currency)].update(product_views=product_views, add_to_carts=add_to_carts)
    return views


def catalog_rows(
    *, day: date, visits: Iterable[DayVisit] | None, sales: CatalogSales, catalog: CatalogMap
) -> tuple[list[ProductFact], list[CategoryFact]]:
    """The day's product and category rows; ``visits`` None keeps the views stored (pruned events)."""
    views = _kept_views(day) if visits is None else _views(visits, catalog)
    products: dict[ProductKey, ProductFact] = {}
    for (product_id, currency), counter in views.counts.items():
        placement = catalog.products.get(product_id)
        products[(product_id, currency)] = ProductFact(
            grain=Grain.DAY,
            period=day,
            product_id=product_id,
            currency=currency,
            seller_id=placement.seller_id if placement else 0,
            category_id=placement.category_id if placement else 0,
            **counter,
        )
    for sale in sales.lines.values():
        placement = catalog.products.get(sale.product_id)
        row = products.setdefault(
            (sale.product_id, sale.currency),
            ProductFact(
                grain=Grain.DAY,
                period=day,
                product_id=sale.product_id,
                currency=sale.currency,
                seller_id=sale.seller_id,
                category_id=placement.category_id if placement else 0,
            ),
        )
        row.orders += sale.orders
        row.units += sale.units
        row.gmv_amount += sale.gmv
        row.refunded_units += sale.refunded_units
        row.refund_amount += sale.refund_amount
    ordered = [products[key] for key in sorted(products)]
    return ordered, _category_rows(day, ordered, sales, catalog)


def _category_rows(
    day: date, products: list[ProductFact], sales: CatalogSales, catalog: CatalogMap
) -> list[CategoryFact]:
    cells: dict[CategoryKey, CategoryFact] = {}
    orders: dict[CategoryKey, set[int]] = defaultdict(set)
    for product in products:
        placement = catalog.products.get(product.product_id)
        key = (product.seller_id, product.category_id, product.currency)
        row = cells.setdefault(
            key,
            CategoryFact(
                grain=Grain.DAY,
                period=day,
                seller_id=product.seller_id,
                category_id=product.category_id,
                top_category_id=placement.top_category_id if placement else product.category_id,
                currency=product.currency,
            ),
        )
        row.product_views += product.product_views
        row.add_to_carts += product.add_to_carts
        row.units += product.units
        row.gmv_amount += product.gmv_amount
        row.refund_amount += product.refund_amount
    for sale in sales.lines.values():
        category_id = (
            catalog.products[sale.product_id].category_id if sale.product_id in catalog.products else 0
        )
        orders[(sale.seller_id, category_id, sale.currency)] |= sale.seller_orders
    for key, row in cells.items():
        row.orders = len(orders[key])
    return [cells[key] for key in sorted(cells)]

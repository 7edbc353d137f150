"""Row locks on listings and their SKUs, and the one order every catalog write takes them in.

Every transaction that locks more than one of these rows takes them in this order, so two of them can
never wait for each other in a cycle:

1. the ``Product`` rows, by id;
2. their ``ProductVariant`` (SKU) rows, by id;

and a SKU only while holding its product. Stock changes follow it too: ``stock_adjust`` and ``stock_take``
lock the products of the SKUs they change before the SKUs' conditional UPDATEs, because a SKU crossing
zero keeps ``Product.in_stock`` in step in the same transaction. A path holding a SKU and then asking for
its product (as the stock services did when the flag came) waits in a cycle with the seller's edit,
which holds the product and asks for the SKU: the seller saving a listing at the moment its last unit
sells deadlocked. A transaction that changes several SKUs (a checkout, a cancellation giving units back,
a returned-goods restock, a stock sheet) locks all their products first (``variants_lock``), not product
and SKU pair by pair, which would take the products out of id order.

The products of a checkout are locked in one statement that finds them through its SKUs (the hot path's
one extra query); a stock change holds them until it commits, so two checkouts of different SKUs of one
product queue on the product as two checkouts of one SKU queue on the SKU. Under READ COMMITTED, each
statement after the product lock sees what a stock change it waited for committed, so a SKU crossing
zero reads the product's other SKUs as they are.

Both are locked FOR NO KEY UPDATE, the lock PostgreSQL's own UPDATE takes: it keeps out every other
writer of the row, but not the FOR KEY SHARE lock that checks a foreign key pointing at it (a new SKU,
image, movement or order line). Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so that check
runs at COMMIT, after all the locks above; FOR UPDATE would make it wait there, outside any order.

In the orders' order (``orders.lifecycle.locks``) these rows come after the order, its parts and its
payment.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce

from django.db.models import Q, QuerySet

from catalog.models import Product, ProductVariant


def product_qs_select_for_update() -> QuerySet[Product]:
    """Products locked alone (not a joined seller or category), in id order."""
    return Product.objects.select_for_update(no_key=True, of=("self",)).order_by("pk")


def variant_qs_select_for_update() -> QuerySet[ProductVariant]:
    """SKUs locked alone, in id order; only while their products are held (``variants_lock``)."""
    return ProductVariant.objects.select_for_update(no_key=True, of=("self",)).order_by("pk")


def products_lock(*, product_ids: Iterable[int]) -> dict[int, bool]:
    """Lock these products in id order; their ``in_stock`` flags as read under the lock."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    return dict(product_qs_select_for_update().filter(pk__in=ids).values_list("pk", "in_stock"))


def variants_products_lock(
    *, variant_ids: Iterable[int], product_ids: Iterable[int] = (), seller_id: int | None = None
) -> dict[int, bool]:
    """Lock the products of these SKUs and ``product_ids`` (of ``seller_id`` only, when given), in id
    order, in one statement that finds them through the SKUs (read, not locked); their ``in_stock`` flags
    as read under the lock."""
    ids, extra = sorted(set(variant_ids)), sorted(set(product_ids))
    if not ids and not extra:
        return {}
    wanted = [Q(pk__in=extra)] if extra else []
    if ids:
        wanted.append(Q(pk__in=ProductVariant.objects.filter(pk__in=ids).values("product_id")))
    products = product_qs_select_for_update().filter(reduce(operator.or_, wanted))
    if seller_id is not None:
        products = products.filter(seller_id=seller_id)
    return dict(products.values_list("pk", "in_stock"))


def variants_lock(
    *, variant_ids: Iterable[int], product_ids: Iterable[int] = (), seller_id: int | None = None
) -> dict[int, int]:
    """Lock the products of these SKUs and ``product_ids``, then the SKUs, each by id; the stock of each
    SKU (of ``seller_id`` only, when given) as read under the lock."""
    ids = sorted(set(variant_ids))
    variants_products_lock(variant_ids=ids, product_ids=product_ids, seller_id=seller_id)
    if not ids:
        return {}
    variants = variant_qs_select_for_update().filter(pk__in=ids)
    if seller_id is not None:
        variants = variants.filter(product__seller_id=seller_id)
    return dict(variants.values_list("pk", "stock"))

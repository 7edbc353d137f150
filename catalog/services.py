"""Every write to the catalog that other code may ask for: stock changes, price sync, scheduled lifecycle.

Listing creation/editing for the seller portal grows here with the catalog issue.
"""

import functools
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import NoReturn, cast

from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef
from django.utils.translation import gettext as _

from catalog.domain_events import ListingChanged
from catalog.listing_cache import listing_cache_invalidate, product_cache_invalidate
from catalog.locks import products_lock, variants_products_lock
from catalog.models import Product, ProductVariant, StockMovement
from catalog.services_moderation import product_publish_screened
from catalog.transitions import IllegalTransition, product_transition
from common.domain_events import publish
from common.exceptions import ApplicationError

__all__ = [
    "OutOfStock",
    "listing_cache_invalidate",
    "product_in_stock_refresh",
    "product_price_sync",
    "products_schedule_run",
    "stock_adjust",
    "stock_take",
]

logger = logging.getLogger(__name__)

# The most units one SKU may hold, and one stock change may move (the column is a 32-bit integer).
STOCK_MAX = 1_000_000


class OutOfStock(ApplicationError):
    pass


def _stock_update(*, variant_id: int, delta: int) -> tuple[int, int] | None:
    """The one statement that moves a SKU's stock: a conditional UPDATE that never takes it below zero.
    Returns the stock left and the SKU's product id, or None when refused (or there is no such SKU). The
    row stays locked until the transaction ends, so what it returns is what this change left."""
    if connection.features.can_return_columns_from_insert:
        # PostgreSQL and SQLite >= 3.35 return the new row from the UPDATE itself: one round trip.
        with connection.cursor() as cursor:
            cursor.execute(_stock_update_sql(), [delta, variant_id, delta])
            row = cursor.fetchone()
        return (row[0], row[1]) if row is not None else None
    rows = ProductVariant.objects.filter(pk=variant_id)
    if delta < 0:
        rows = rows.filter(stock__gte=-delta)
    if rows.update(stock=F("stock") + delta) != 1:
        return None
    return ProductVariant.objects.values_list("stock", "product_id").get(pk=variant_id)


@functools.cache
def _stock_update_sql() -> str:
    meta = ProductVariant._meta
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(cast(str, meta.pk.column))
    stock = qn(cast(str, meta.get_field("stock").column))
    product = qn(meta.get_field("product").column)
    # Only quoted names from the model's metadata are formatted in; every value is a query parameter.
    return (
        f"UPDATE {table} SET {stock} = {stock} + %s WHERE {pk} = %s AND {stock} + %s >= 0 "  # noqa: S608
        f"RETURNING {stock}, {product}"
    )


@transaction.atomic
def stock_adjust(
    *,
    variant_id: int,
    delta: int,
    reason: str,
    actor_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> StockMovement:
    """Change a SKU's stock by ``delta`` and record why. A decrease larger than the stock on hand is
    refused as a whole: one conditional UPDATE, so concurrent callers can never drive stock below zero."""
    if delta == 0:
        raise ApplicationError(
            _("A stock change of zero changes nothing."), extra={"delta": ["must not be 0"]}
        )
    if abs(delta) > STOCK_MAX:
        raise ApplicationError(
            _("A stock change cannot exceed %(max)s units.") % {"max": f"{STOCK_MAX:,}"},
            extra={"delta": [f"must be between -{STOCK_MAX} and {STOCK_MAX}"]},
        )
    if reason not in StockMovement.Reason.values:
        raise ApplicationError(_("Unknown stock change reason."), extra={"reason": [f"unknown: {reason}"]})
    # The product before its SKU (``catalog.locks``): a SKU crossing zero writes the product's flag.
    in_stock = variants_products_lock(variant_ids=[variant_id])
    changed = _stock_update(variant_id=variant_id, delta=delta)
    if changed is None:
        _stock_update_refused(variant_id)
    quantity_after, product_id = changed
    if quantity_after == 0:
        _products_in_stock_follow(in_stock=in_stock, emptied=[product_id])
    elif quantity_after == delta:  # it had none before
        _products_in_stock_follow(in_stock=in_stock, stocked=[product_id])
    product_cache_invalidate(product_id)
    publish(ListingChanged(product_id=product_id, change="stock"))
    return StockMovement.objects.create(
        variant_id=variant_id,
        delta=delta,
        quantity_after=quantity_after,
        reason=reason,
        actor_id=actor_id,
        reference=reference[:64],
        note=note[:300],
    )


def stock_take(
    *, quantities: Iterable[tuple[int, int]], reason: str, actor_id: int | None = None, reference: str = ""
) -> list[StockMovement]:
    """Take ``(variant_id, quantity)`` units off the shelf as one change: the SKUs' products locked first
    (one statement, in product-id order), then each SKU by the same conditional UPDATE as
    ``stock_adjust`` in SKU-id order (``catalog.locks``: two callers sharing products or SKUs lock them in
    the same order, so they cannot deadlock), then one INSERT of all the movement rows.

    Refused as a whole: ``OutOfStock`` for the first SKU short of stock. It takes no savepoint of its own,
    so inside a transaction the refusal rolls back the caller's whole transaction (the checkout's order
    with it); outside one it runs in its own."""
    if reason not in StockMovement.Reason.values:
        raise ApplicationError(_("Unknown stock change reason."), extra={"reason": [f"unknown: {reason}"]})
    wanted: dict[int, int] = {}
    for variant_id, quantity in quantities:
        if quantity <= 0:
            raise ApplicationError(
                _("Choose a quantity of at least 1."), extra={"quantity": ["must be at least 1"]}
            )
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    if not wanted:
        return []
    with transaction.atomic(savepoint=False):
        in_stock = variants_products_lock(variant_ids=wanted)
        left: dict[int, tuple[int, int]] = {}
        for variant_id in sorted(wanted):
            changed = _stock_update(variant_id=variant_id, delta=-wanted[variant_id])
            if changed is None:
                _stock_update_refused(variant_id)
            left[variant_id] = changed
        _products_in_stock_follow(
            in_stock=in_stock, emptied=[product_id for stock, product_id in left.values() if stock == 0]
        )
        for product_id in sorted({product_id for _stock, product_id in left.values()}):
            product_cache_invalidate(product_id)
            publish(ListingChanged(product_id=product_id, change="stock"))
        return StockMovement.objects.bulk_create(
            [
                StockMovement(
                    variant_id=variant_id,
                    delta=-wanted[variant_id],
                    quantity_after=left[variant_id][0],
                    reason=reason,
                    actor_id=actor_id,
                    reference=reference[:64],
                )
                for variant_id in sorted(wanted)
            ]
        )


def _products_in_stock_follow(
    *, in_stock: Mapping[int, bool], emptied: Iterable[int] = (), stocked: Iterable[int] = ()
) -> None:
    """Keep ``Product.in_stock`` in step with a stock change that crossed zero, in the transaction that
    made it: ``stocked`` products had a SKU come back (so they are in stock, whatever the others hold),
    ``emptied`` ones had a SKU run out (so they are in stock only if another SKU still is). A product
    that flips appears in or leaves the listings: a new listing generation once this commits.

    ``in_stock`` holds the flags as read when the caller locked these products, before their SKUs
    (``catalog.locks``): every stock change holds the product while it changes a SKU, so two orders
    taking the last unit of two SKUs of one product, or a restock of one SKU while the last unit of
    another sells, follow one another and each reads the other's committed stock (READ COMMITTED: each
    statement after the lock sees it), and nobody else changes the flag meanwhile."""
    stocked_ids, emptied_ids = set(stocked), set(emptied)
    if not stocked_ids and not emptied_ids:
        return
    flipped = 0
    now_stocked = sorted(pk for pk in stocked_ids if in_stock.get(pk) is False)
    if now_stocked:
        flipped += Product.objects.filter(pk__in=now_stocked).update(in_stock=True)
    maybe_emptied = sorted(pk for pk in emptied_ids - stocked_ids if in_stock.get(pk))
    if maybe_emptied:
        flipped += Product.objects.filter(pk__in=maybe_emptied).exclude(_has_stock()).update(in_stock=False)
    if flipped:
        listing_cache_invalidate()


def _has_stock() -> Exists:
    return Exists(ProductVariant.objects.filter(product_id=OuterRef("pk"), stock__gt=0))


@transaction.atomic
def product_in_stock_refresh(*, product_ids: Iterable[int]) -> list[int]:
    """Recompute ``Product.in_stock`` of these products from their SKUs, for writers that add or remove
    SKUs with stock other than through ``stock_adjust`` (bulk loads, a deleted SKU). Returns the ids of
    those that flipped; their pages and the listings follow once this commits."""
    ids = set(product_ids)
    if not ids:
        return []
    products_lock(product_ids=ids)
    # Read after the lock, in a statement of its own (so it sees what a writer we waited for committed).
    rows = list(
        Product.objects.filter(pk__in=ids)
        .annotate(has_stock=_has_stock())
        .values_list("pk", "in_stock", "has_stock")
    )
    stocked = [pk for pk, in_stock, has_stock in rows if has_stock and not in_stock]
    emptied = [pk for pk, in_stock, has_stock in rows if in_stock and not has_stock]
    if stocked:
        Product.objects.filter(pk__in=stocked).update(in_stock=True)
    if emptied:
        Product.objects.filter(pk__in=emptied).update(in_stock=False)
    flipped = sorted(stocked + emptied)
    for product_id in flipped:
        product_cache_invalidate(product_id)
    if flipped:
        listing_cache_invalidate()
    return flipped


def _stock_update_refused(variant_id: int) -> NoReturn:
    if not ProductVariant.objects.filter(pk=variant_id).exists():
        raise ApplicationError(_("This SKU does not exist."), extra={"variant": ["not found"]})
    raise OutOfStock(_("Not enough stock."), extra={"stock": ["insufficient stock"]})


@transaction.atomic
def product_price_sync(*, product_id: int) -> int:
    """Keep the listing's "from" price equal to its cheapest variant (listings sort on it without a join)."""
    cheapest = ProductVariant.objects.filter(product_id=product_id).aggregate(m=Min("price_amount"))["m"] or 0
    if Product.objects.filter(pk=product_id).exclude(price_amount=cheapest).update(price_amount=cheapest):
        listing_cache_invalidate()
    return cheapest


def products_schedule_run(*, now: datetime) -> dict[str, int]:
    """Publish listings whose ``publish_at`` has come and delist those whose ``delist_at`` has. Each product
    moves in its own transaction, so one refused transition does not hold back the rest. A scheduled
    publish is screened like a seller's: a listing screening holds back waits in review instead."""
    counts = {"published": 0, "held_for_review": 0, "delisted": 0, "skipped": 0}
    due_publish = Product.objects.filter(publish_at__lte=now, status=Product.Status.DRAFT).values_list(
        "pk", flat=True
    )
    for pk in list(due_publish):
        try:
            product = product_publish_screened(product_id=pk, actor_id=None, source="scheduled")
            counts["published" if product.status == Product.Status.ACTIVE else "held_for_review"] += 1
        except IllegalTransition:
            counts["skipped"] += 1
    due_delist = Product.objects.filter(delist_at__lte=now, status=Product.Status.ACTIVE).values_list(
        "pk", flat=True
    )
    for pk in list(due_delist):
        try:
            product_transition(
                product_id=pk, to_status=Product.Status.DELISTED, actor_id=None, reason="scheduled"
            )
            counts["delisted"] += 1
        except IllegalTransition:
            counts["skipped"] += 1
    if counts["published"] or counts["held_for_review"] or counts["delisted"]:
        logger.info("scheduled listings: %s", counts)
    return counts


# --- ratings (maintained by orders.reviews.services) ------------------------------------------------------


@transaction.atomic
def product_rating_set(*, product_id: int, rating_avg: Decimal | None, rating_count: int) -> bool:
    """Store a product's review aggregates, as the reviews service computed them from its review rows
    (the caller holds the product's row lock). The product page is re-rendered in any case (the review
    that led here is on it); listings only when the figures changed. Returns whether they changed."""
    if rating_count < 0 or (rating_count == 0) != (rating_avg is None):
        raise ApplicationError(_("A rating average needs at least one rating."))
    if rating_avg is not None and not Decimal(1) <= rating_avg <= Decimal(5):
        raise ApplicationError(_("A rating average lies between 1 and 5."))
    current = Product.objects.filter(pk=product_id).values_list("rating_avg", "rating_count").first()
    if current is None:
        raise ApplicationError(_("This product does not exist."), extra={"product": ["not found"]})
    changed = current != (rating_avg, rating_count)
    if changed:
        Product.objects.filter(pk=product_id).update(rating_avg=rating_avg, rating_count=rating_count)
        listing_cache_invalidate()
    product_cache_invalidate(product_id)
    publish(ListingChanged(product_id=product_id, change="rating"))
    return changed

"""The stock an order holds: reserved at placement, committed on payment, given back on cancellation.

Stock itself belongs to the catalog: every change goes through ``catalog.services.stock_adjust`` or, for
several SKUs at once, ``stock_take`` (a conditional UPDATE per SKU, never below zero, with a movement row).
Here we only keep each line's ``stock_state`` so that a reservation is given back exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.locks import variants_lock
from catalog.models import StockMovement
from catalog.services import stock_adjust, stock_take
from orders.models import OrderLine


class StockState:
    RESERVED = "reserved"
    COMMITTED = "committed"
    RELEASED = "released"


def stock_reserve(*, quantities: Iterable[tuple[int, int]], order_number: str, actor_id: int | None) -> None:
    """Take ``(variant_id, quantity)`` pairs off the shelf (``catalog.services.stock_take``: in variant-id
    order, so two checkouts sharing SKUs always lock them in the same order and cannot deadlock). Raises
    ``OutOfStock`` for the first SKU short of stock; the caller's transaction then rolls back every
    reservation made before it."""
    stock_take(
        quantities=quantities,
        reason=StockMovement.Reason.RESERVATION,
        actor_id=actor_id,
        reference=order_number,
    )


def seller_orders_stock_lock(*, seller_order_ids: Iterable[int]) -> None:
    """Lock the SKUs that these parts would give back, with their products first (``catalog.locks``: the
    order ``stock_reserve`` takes them in), before any part or line is released. Parts and lines are
    released one after the other, so without this an order whose first part (or line) holds the higher
    SKU or product id locks them in the opposite order to a concurrent checkout, and one of the two dies
    of a deadlock."""
    variant_ids = (
        OrderLine.objects.filter(
            seller_order_id__in=list(seller_order_ids),
            stock_state__in=[StockState.RESERVED, StockState.COMMITTED],
            variant_id__isnull=False,
        )
        .values_list("variant_id", flat=True)
        .distinct()
    )
    variants_lock(variant_ids=list(variant_ids))


def seller_order_stock_commit(*, seller_order_id: int) -> int:
    """Payment confirmed: the reserved units are sold (nothing moves on the shelf)."""
    return OrderLine.objects.filter(seller_order_id=seller_order_id, stock_state=StockState.RESERVED).update(
        stock_state=StockState.COMMITTED
    )


def seller_order_stock_return(*, seller_order_id: int, order_number: str) -> int:
    """A cancelled part puts its unshipped units back on the shelf and its flash-sale units back in the
    sale, once: lines already released are skipped."""
    from orders.promotions.services import flash_sale_release

    seller_orders_stock_lock(seller_order_ids=[seller_order_id])
    lines = list(
        OrderLine.objects.select_for_update()
        .filter(seller_order_id=seller_order_id, stock_state__in=[StockState.RESERVED, StockState.COMMITTED])
        .order_by("variant_id", "pk")
    )
    for line in lines:
        if line.variant_id is not None:
            stock_adjust(
                variant_id=line.variant_id,
                delta=line.quantity,
                reason=StockMovement.Reason.RELEASE,
                reference=order_number,
            )
        if line.flash_sale_item_id is not None:
            flash_sale_release(flash_item_id=line.flash_sale_item_id, quantity=line.quantity)
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(stock_state=StockState.RELEASED)
    return len(lines)

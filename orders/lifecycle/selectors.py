"""Reads of placed orders: the shopper's (their orders, one order with its parts and timeline, the guest
look-up) and the seller portal's, always scoped to one seller, so a view that reads through here cannot
show (or hand a service) another seller's order. Shipping methods and shipments are read in
``orders.shipping.selectors``."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    SellerOrder,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
)

TO_SHIP = (OrderStatus.PAID, OrderStatus.PROCESSING)


# --- the shopper's orders -------------------------------------------------------------------------------


def order_list_for_buyer(*, user_id: int) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer_id=user_id)
        .prefetch_related(
            Prefetch("seller_orders", queryset=SellerOrder.objects.select_related("seller").order_by("pk"))
        )
        .order_by("-placed_at", "-pk")
    )


def order_get_for_viewer(*, number: str, user_id: int | None, guest_numbers: list[str]) -> Order | None:
    """The order if this viewer may see it: its signed-in buyer, or a guest who looked it up by e-mail
    and number in this session. Anyone else gets None (a 404: nobody learns the order exists)."""
    queryset = Order.objects.filter(number=number)
    order = queryset.select_related("buyer").first()
    if order is None:
        return None
    if user_id is not None and order.buyer_id == user_id:
        return order
    if order.number in guest_numbers and (order.buyer_id is None or user_id is None):
        return order
    return None


def order_detail_parts(*, order_id: int) -> list[SellerOrder]:
    """The order's seller parts with lines, shipments (with tracking events) and the timeline."""
    return list(
        SellerOrder.objects.filter(order_id=order_id)
        .select_related("seller")
        .prefetch_related(
            "lines",
            Prefetch(
                "shipments",
                queryset=Shipment.objects.prefetch_related("events", "lines").order_by("shipped_at", "pk"),
            ),
        )
        .order_by("pk")
    )


def order_timeline(*, order_id: int) -> list[OrderEvent]:
    return list(
        OrderEvent.objects.filter(order_id=order_id)
        .select_related("seller_order__seller")
        .order_by("created_at", "pk")
    )


def order_lookup_guest(*, number: str, email: str) -> Order | None:
    return Order.objects.filter(number=number.strip().upper(), email__iexact=email.strip()).first()


# --- the seller's parts of orders ---------------------------------------------------------------------


def seller_order_list(*, seller_id: int, status: str = "") -> QuerySet[SellerOrder]:
    """The seller's parts of orders, newest first, with the order (number, shopper, address) joined and
    the number of items counted: a fixed number of queries per page."""
    parts = SellerOrder.objects.filter(seller_id=seller_id)
    if status in OrderStatus.values:
        parts = parts.filter(status=status)
    return (
        parts.select_related("order")
        .annotate(item_count=Coalesce(Sum("lines__quantity"), 0), line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def seller_order_counts(*, seller_id: int) -> dict[str, int]:
    """{status: number of the seller's parts in it} for every status (0 when none), plus ``to_ship``:
    the parts paid or being processed, i.e. waiting for the seller."""
    counts = dict.fromkeys(OrderStatus.values, 0)
    rows = SellerOrder.objects.filter(seller_id=seller_id).values("status").annotate(n=Count("id"))
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["to_ship"] = sum(counts[status] for status in TO_SHIP)
    return counts


def _lines_with_shipped() -> QuerySet[OrderLine]:
    return OrderLine.objects.annotate(shipped_quantity=Coalesce(Sum("shipment_lines__quantity"), 0)).order_by(
        "pk"
    )


def seller_order_get(*, seller_id: int, seller_order_id: int) -> SellerOrder | None:
    """One part with everything its detail page shows, or ``None`` when it is not this seller's. Each
    line carries ``shipped_quantity`` and ``remaining_quantity``; each shipment its lines and events."""
    part = (
        SellerOrder.objects.filter(pk=seller_order_id, seller_id=seller_id)
        .select_related("order", "order__buyer", "seller")
        .prefetch_related(
            Prefetch("lines", queryset=_lines_with_shipped()),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("shipped_at", "id").prefetch_related(
                    Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line")),
                    Prefetch("events", queryset=ShipmentEvent.objects.order_by("occurred_at", "id")),
                ),
            ),
        )
        .first()
    )
    if part is not None:
        for line in part.lines.all():
            line.remaining_quantity = max(line.quantity - line.shipped_quantity, 0)
    return part


def seller_order_remaining(*, seller_order_id: int) -> dict[int, int]:
    """{order line id: units not yet in a shipment}, lines fully shipped included (as 0)."""
    lines = _lines_with_shipped().filter(seller_order_id=seller_order_id)
    return {line.pk: max(line.quantity - line.shipped_quantity, 0) for line in lines}


def seller_order_timeline(*, seller_order: SellerOrder) -> QuerySet[OrderEvent]:
    """The events the seller may see: this part's own, and the order-level ones (no part named) — never
    another seller's part."""
    return OrderEvent.objects.filter(
        Q(seller_order_id=seller_order.pk) | Q(order_id=seller_order.order_id, seller_order__isnull=True)
    ).order_by("created_at", "id")

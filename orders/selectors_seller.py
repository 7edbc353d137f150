"""Seller-portal reads of the seller's parts of orders: always scoped to one seller, so a view that reads
through here cannot show (or hand a service) another seller's order. Shipping methods and shipments are
read in ``orders.shipping.selectors``."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from orders.models import (
    OrderEvent,
    OrderLine,
    OrderStatus,
    SellerOrder,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
)

TO_SHIP = (OrderStatus.PAID, OrderStatus.PROCESSING)


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

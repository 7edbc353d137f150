"""Reads of shipping: the one read checkout makes of the sellers' shipping rules
(``shipping_methods_for_sellers``), and the seller portal's reads of its shipping methods and shipments,
always scoped to one seller so a view cannot show (or hand a service) another seller's shipment."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from orders.models import Shipment, ShipmentEvent, ShipmentLine, ShippingMethod


def shipping_methods_for_sellers(*, seller_ids: Iterable[int]) -> dict[int, list[ShippingMethod]]:
    """{seller id: the seller's active methods by position} for checkout; a seller without any active
    method is left out (one query whatever the number of sellers)."""
    ids = list(seller_ids)
    result: dict[int, list[ShippingMethod]] = {}
    if not ids:
        return result
    methods = ShippingMethod.objects.filter(seller_id__in=ids, is_active=True).order_by(
        "seller_id", "position", "id"
    )
    for method in methods:
        result.setdefault(method.seller_id, []).append(method)
    return result


def seller_shipping_method_list(*, seller_id: int) -> QuerySet[ShippingMethod]:
    """All of the seller's methods, active ones first, then by position."""
    return ShippingMethod.objects.filter(seller_id=seller_id).order_by("-is_active", "position", "id")


def seller_shipping_method_get(*, seller_id: int, shipping_method_id: int) -> ShippingMethod | None:
    return ShippingMethod.objects.filter(pk=shipping_method_id, seller_id=seller_id).first()


def seller_shipment_get(*, seller_id: int, shipment_id: int) -> Shipment | None:
    """A shipment of one of the seller's parts, with its lines and tracking history, or ``None``."""
    return (
        Shipment.objects.filter(pk=shipment_id, seller_order__seller_id=seller_id)
        .select_related("seller_order")
        .prefetch_related(
            Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line").order_by("pk")),
            Prefetch("events", queryset=ShipmentEvent.objects.order_by("occurred_at", "id")),
        )
        .first()
    )

"""E-mails about orders: who is told what, with which values. Each function runs after the change has
committed, reads what the mail shows and schedules one message per recipient (``common.tasks``); a worker
renders it in the recipient's language and sends it, retrying a mail server that is down. A mail failure
never undoes the change, and a slow mail server never slows the request that made it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from common.tasks import email_send_enqueue
from orders.models import Order, OrderStatus, SellerOrder

TEMPLATE = "emails/orders/order"

# Which status of a seller's part is worth a mail, and to whom.
SHOPPER_KINDS = {
    OrderStatus.SHIPPED: "shipped",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.CANCELLED: "cancelled",
}
SELLER_KINDS = {OrderStatus.PAID: "seller_paid", OrderStatus.CANCELLED: "seller_cancelled"}

# What the order mails show of the order (and nothing else is read for them).
_ORDER_FIELDS = ("number", "email", "language", "total_amount", "currency", "buyer__preferred_language")


def _send(*, to: str, language: str, kind: str, context: dict[str, Any]) -> None:
    email_send_enqueue(to=to, language=language, template=TEMPLATE, context={**context, "kind": kind})


def _order_values(order: Order) -> dict[str, Any]:
    return {"number": order.number, "total_amount": order.total_amount, "currency": order.currency}


def _order_get(order_id: int, *extra_fields: str) -> Order:
    return Order.objects.select_related("buyer").only(*_ORDER_FIELDS, *extra_fields).get(pk=order_id)


def _shopper_language(order: Order) -> str:
    if order.buyer_id and order.buyer.preferred_language:
        return order.buyer.preferred_language
    return order.language


def _shopper_path(order: Order) -> str:
    return reverse("orders:order-detail", args=[order.number])


def order_placed_notify(*, order_id: int) -> None:
    # Sent after every checkout: read only what the mail shows (not the address and pricing documents).
    order = _order_get(order_id)
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="placed",
        context={"order": _order_values(order), "path": _shopper_path(order)},
    )


def order_paid_notify(*, order_id: int) -> None:
    order = _order_get(order_id)
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="paid",
        context={"order": _order_values(order), "path": _shopper_path(order)},
    )


def order_unpaid_cancelled_notify(*, order_id: int) -> None:
    """The payment window passed (or an operator cancelled it): one mail for the whole order."""
    order = _order_get(order_id, "cancel_reason")
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="unpaid_cancelled",
        context={"order": _order_values(order), "reason": order.cancel_reason, "path": _shopper_path(order)},
    )


def order_late_payment_refunded_notify(*, order_id: int, amount: int, currency: str, refunded: bool) -> None:
    """A payment arrived for an order that was cancelled (or had expired, or was paid already) meanwhile:
    the shopper is told it has been (or is being) refunded."""
    order = _order_get(order_id, "status")
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="late_payment_refunded",
        context={
            "order": _order_values(order),
            "amount": amount,
            "currency": currency,
            "refunded": refunded,
            "order_cancelled": order.status == OrderStatus.CANCELLED,
            "path": _shopper_path(order),
        },
    )


def seller_order_status_notify(*, seller_order_id: int, status: str) -> None:
    part = (
        SellerOrder.objects.select_related("order__buyer", "seller__user")
        .prefetch_related("shipments")
        .get(pk=seller_order_id)
    )
    order = part.order
    context = {
        "order": _order_values(order),
        "part": {"cancelled_by": part.cancelled_by},
        "shop": part.seller.shop_name,
        "reason": part.cancel_reason,
        "shipments": [
            {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number}
            for shipment in part.shipments.all()
        ],
    }
    if status in SHOPPER_KINDS and not (status == OrderStatus.CANCELLED and part.cancelled_by == "shopper"):
        _send(
            to=order.email,
            language=_shopper_language(order),
            kind=SHOPPER_KINDS[status],
            context={**context, "path": _shopper_path(order)},
        )
    if status in SELLER_KINDS and not (status == OrderStatus.CANCELLED and part.cancelled_by == "seller"):
        seller_user = part.seller.user
        _send(
            to=seller_user.email,
            language=seller_user.preferred_language,
            kind=SELLER_KINDS[status],
            context={**context, "path": reverse("seller:order-detail", args=[part.pk])},
        )

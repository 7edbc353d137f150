"""E-mails about orders, sent after the change has committed, in the recipient's language. A mail failure
is logged and never undoes the change."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from orders.models import Order, OrderStatus, SellerOrder

logger = logging.getLogger(__name__)

# Which status of a seller's part is worth a mail, and to whom.
SHOPPER_KINDS = {
    OrderStatus.SHIPPED: "shipped",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.CANCELLED: "cancelled",
}
SELLER_KINDS = {OrderStatus.PAID: "seller_paid", OrderStatus.CANCELLED: "seller_cancelled"}


def _send(*, to: str, language: str, kind: str, context: dict) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "kind": kind, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string("emails/orders/order_subject.txt", context).split())
        body = render_to_string("emails/orders/order_body.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        logger.exception("order e-mail %s to %s failed", kind, to)


def _shopper_language(order: Order) -> str:
    if order.buyer_id and order.buyer.preferred_language:
        return order.buyer.preferred_language
    return order.language


def order_placed_notify(*, order_id: int) -> None:
    # Sent after every checkout: read only what the mail shows (not the address and pricing documents).
    order = (
        Order.objects.select_related("buyer")
        .only("number", "email", "language", "total_amount", "currency", "buyer__preferred_language")
        .get(pk=order_id)
    )
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="placed",
        context={"order": order, "path": reverse("orders:order-detail", args=[order.number])},
    )


def order_paid_notify(*, order_id: int) -> None:
    order = Order.objects.select_related("buyer").get(pk=order_id)
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="paid",
        context={"order": order, "path": reverse("orders:order-detail", args=[order.number])},
    )


def order_unpaid_cancelled_notify(*, order_id: int) -> None:
    """The payment window passed (or an operator cancelled it): one mail for the whole order."""
    order = Order.objects.select_related("buyer").get(pk=order_id)
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="unpaid_cancelled",
        context={
            "order": order,
            "reason": order.cancel_reason,
            "path": reverse("orders:order-detail", args=[order.number]),
        },
    )


def order_late_payment_refunded_notify(*, order_id: int, amount: int, currency: str, refunded: bool) -> None:
    """A payment arrived for an order that was cancelled (or had expired, or was paid already) meanwhile:
    the shopper is told it has been (or is being) refunded."""
    order = Order.objects.select_related("buyer").get(pk=order_id)
    _send(
        to=order.email,
        language=_shopper_language(order),
        kind="late_payment_refunded",
        context={
            "order": order,
            "amount": amount,
            "currency": currency,
            "refunded": refunded,
            "order_cancelled": order.status == OrderStatus.CANCELLED,
            "path": reverse("orders:order-detail", args=[order.number]),
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
        "order": order,
        "part": part,
        "shop": part.seller.shop_name,
        "reason": part.cancel_reason,
        "shipments": list(part.shipments.all()),
    }
    if status in SHOPPER_KINDS and not (status == OrderStatus.CANCELLED and part.cancelled_by == "shopper"):
        _send(
            to=order.email,
            language=_shopper_language(order),
            kind=SHOPPER_KINDS[status],
            context={**context, "path": reverse("orders:order-detail", args=[order.number])},
        )
    if status in SELLER_KINDS and not (status == OrderStatus.CANCELLED and part.cancelled_by == "seller"):
        seller_user = part.seller.user
        _send(
            to=seller_user.email,
            language=seller_user.preferred_language,
            kind=SELLER_KINDS[status],
            context={**context, "path": reverse("seller:order-detail", args=[part.pk])},
        )

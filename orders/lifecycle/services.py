"""Every write to an order after checkout placed it, except the seller's shipping: payment confirmation,
the shopper's cancellation and receipt confirmation, and the periodic expiry of unpaid orders and
auto-completion of delivered ones. Statuses move only through ``orders.lifecycle.transitions``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import ApplicationError
from orders.lifecycle import notifications
from orders.lifecycle.locks import order_lock
from orders.lifecycle.reasons import ReasonCode, reason_stored_text
from orders.lifecycle.transitions import IllegalTransition, order_transition, seller_order_transition
from orders.models import Order, OrderEvent, OrderStatus, SellerOrder

logger = logging.getLogger(__name__)

Actor = OrderEvent.Actor


class PaymentMismatch(ApplicationError):
    pass


@transaction.atomic
def order_payment_confirmed(*, order_id: int, amount: int, currency: str, reference: str = "") -> bool:
    """The payment provider confirmed the money for this order. Moves it to paid (stock committed) and
    returns True; returns False — changing nothing — when the order is no longer waiting for payment
    (cancelled or expired meanwhile: the payments side must refund it) or was already paid."""
    # Locked before the status is read: an expiry committing between the read and the move would
    # otherwise turn "refund due" into an IllegalTransition error.
    order = order_lock(order_id=order_id)
    if currency != order.currency or amount != order.total_amount:
        raise PaymentMismatch(
            _("The payment does not match the order total."),
            extra={"amount": [f"expected {order.total_amount} {order.currency}, got {amount} {currency}"]},
        )
    if order.status != OrderStatus.PENDING_PAYMENT:
        if order.status == OrderStatus.CANCELLED:
            OrderEvent.objects.create(
                order=order,
                kind=OrderEvent.Kind.NOTE,
                actor_kind=Actor.SYSTEM,
                reason=reason_stored_text(code=ReasonCode.PAID_AFTER_CANCELLATION),
                reason_code=ReasonCode.PAID_AFTER_CANCELLATION,
                data={"refund_due": True, "reference": reference[:100]},
            )
        return False
    # The provider's id stays in ``reason`` for operators; the timeline shows the code's text without it.
    order_transition(
        order_id=order_id,
        to_status=OrderStatus.PAID,
        actor_kind=Actor.SYSTEM,
        reason=reference[:100],
        reason_code=ReasonCode.PAYMENT_RECEIVED,
    )
    transaction.on_commit(lambda: notifications.order_paid_notify(order_id=order_id))
    return True


def order_cancel_by_shopper(*, order_id: int, user_id: int | None, reason: str = "") -> Order:
    """The shopper cancels every part of the order not yet shipped (refused if any part has shipped)."""
    return order_transition(
        order_id=order_id,
        to_status=OrderStatus.CANCELLED,
        actor_kind=Actor.SHOPPER,
        actor_id=user_id,
        reason=reason,
        reason_code="" if reason else ReasonCode.CANCELLED_BY_SHOPPER,
    )


def seller_order_receipt_confirm(*, seller_order_id: int, user_id: int | None) -> SellerOrder:
    """The shopper says the parcel arrived (the carrier may not have told us)."""
    return seller_order_transition(
        seller_order_id=seller_order_id,
        to_status=OrderStatus.DELIVERED,
        actor_kind=Actor.SHOPPER,
        actor_id=user_id,
        reason_code=ReasonCode.RECEIPT_CONFIRMED,
    )


def seller_order_refunded_close(*, seller_order_id: int, stock_restocked: bool) -> SellerOrder | None:
    """A part refunded in full before it was shipped leaves the shipping flow: it is cancelled by the
    system with the refund as its reason, so the seller is no longer asked to ship it and the shopper
    can no longer cancel it (both see it on the timeline). Its units go back on the shelf unless the
    refund already restocked them. A part already shipped, delivered or cancelled is left as it is
    (returns of shipped goods are the after-sales flow). Called by the payments app once the refund
    that completed it has settled."""
    status = SellerOrder.objects.filter(pk=seller_order_id).values_list("status", flat=True).first()
    if status not in (OrderStatus.PAID, OrderStatus.PROCESSING):
        return None
    # Not in a transaction of its own: the transition's is the one a deadlock victim is retried in.
    try:
        return seller_order_transition(
            seller_order_id=seller_order_id,
            to_status=OrderStatus.CANCELLED,
            actor_kind=Actor.SYSTEM,
            reason_code=ReasonCode.REFUNDED_IN_FULL,
            return_stock=not stock_restocked,
        )
    except IllegalTransition:
        # Cancelled or shipped after the status above was read (the transition reads it again under
        # the lock): left as it is, like a part found that way.
        return None


def orders_expire_unpaid(*, now: datetime) -> int:
    """Cancel orders whose payment window has passed; their stock, flash-sale units and coupon use go back.
    Each order in its own transaction, so one failure does not hold back the rest."""
    due = Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, payment_due_at__lt=now).values_list(
        "pk", flat=True
    )
    expired = 0
    for order_id in list(due[:500]):
        try:
            order_transition(
                order_id=order_id,
                to_status=OrderStatus.CANCELLED,
                actor_kind=Actor.SYSTEM,
                reason_code=ReasonCode.PAYMENT_EXPIRED,
            )
            expired += 1
        except ApplicationError:
            continue  # paid or cancelled meanwhile
    if expired:
        logger.info("expired %d unpaid orders", expired)
    return expired


def seller_orders_autocomplete(*, now: datetime) -> int:
    cutoff = now - timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS)
    due = SellerOrder.objects.filter(status=OrderStatus.DELIVERED, delivered_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    completed = 0
    for part_id in list(due[:1000]):
        try:
            seller_order_transition(
                seller_order_id=part_id,
                to_status=OrderStatus.COMPLETED,
                actor_kind=Actor.SYSTEM,
                reason_code=ReasonCode.AUTOCOMPLETED,
            )
            completed += 1
        except ApplicationError:
            continue
    return completed

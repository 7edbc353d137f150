"""The order lifecycle as tables, and the one service that moves a seller's part of an order through it.

Each seller fulfils their own part (``SellerOrder``): pending payment -> paid -> processing -> shipped ->
delivered -> completed, or cancelled before shipment. The shopper's ``Order`` status is derived from its
parts (the least advanced part that is not cancelled; cancelled when all are) and is written here too, so
status is assigned nowhere else. Every move writes an ``OrderEvent`` (the timeline) with actor and reason;
side effects (stock, e-mails) happen in the same transaction or after commit, and other apps react to
the domain events published here (``orders.domain_events``: a cancelled paid part is refunded by payments).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.domain_events import publish
from common.exceptions import ApplicationError
from common.retry import retry_on_deadlock
from orders.domain_events import (
    OrderCancelled,
    OrderCompleted,
    OrderDelivered,
    OrderPaid,
    SellerOrderCancelled,
    SellerOrderStatusChanged,
)
from orders.lifecycle.locks import order_parts_lock
from orders.lifecycle.reasons import REASONS, reason_stored_text
from orders.models import Order, OrderEvent, OrderStatus, SellerOrder

Status = OrderStatus
Actor = OrderEvent.Actor

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING_PAYMENT: {Status.PAID, Status.CANCELLED},
    Status.PAID: {Status.PROCESSING, Status.SHIPPED, Status.CANCELLED},
    Status.PROCESSING: {Status.SHIPPED, Status.CANCELLED},
    Status.SHIPPED: {Status.DELIVERED},
    Status.DELIVERED: {Status.COMPLETED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}

# Who may ask for which move (the system — payment confirmation, expiry, auto-completion — may do all).
ACTOR_TRANSITIONS: dict[str, set[tuple[str, str]]] = {
    Actor.SHOPPER: {
        (Status.PENDING_PAYMENT, Status.CANCELLED),
        (Status.PAID, Status.CANCELLED),
        (Status.PROCESSING, Status.CANCELLED),
        (Status.SHIPPED, Status.DELIVERED),  # "I have received it"
    },
    Actor.SELLER: {
        (Status.PAID, Status.PROCESSING),
        (Status.PAID, Status.SHIPPED),
        (Status.PROCESSING, Status.SHIPPED),
        (Status.PAID, Status.CANCELLED),
        (Status.PROCESSING, Status.CANCELLED),
        (Status.SHIPPED, Status.DELIVERED),
    },
    Actor.CARRIER: {(Status.SHIPPED, Status.DELIVERED)},
}

# How far along each status is; the order shows its least advanced live part.
PROGRESS = [
    Status.PENDING_PAYMENT,
    Status.PAID,
    Status.PROCESSING,
    Status.SHIPPED,
    Status.DELIVERED,
    Status.COMPLETED,
]

CANCELLABLE_BY_SHOPPER = {Status.PENDING_PAYMENT, Status.PAID, Status.PROCESSING}
SHIPPED_OR_LATER = {Status.SHIPPED, Status.DELIVERED, Status.COMPLETED}


def order_cancellable_by_shopper(part_statuses: list[str]) -> bool:
    """Whether the shopper may cancel the order whose parts are in these statuses: some part is still
    cancellable and none has left the seller (a partly shipped order is cancelled part by part)."""
    return any(s in CANCELLABLE_BY_SHOPPER for s in part_statuses) and not any(
        s in SHIPPED_OR_LATER for s in part_statuses
    )


class IllegalTransition(ApplicationError):
    pass


@dataclass(frozen=True, slots=True)
class _Why:
    """An event's reason: typed text, or a system code with its parameters (and its English text)."""

    reason: str
    code: str
    params: dict

    @classmethod
    def of(cls, *, reason: str, code: str, params: dict | None) -> _Why:
        if code and code not in REASONS:
            raise ValueError(f"unknown reason code {code!r}")
        params = dict(params or {})
        if code and not reason:
            reason = reason_stored_text(code=code, params=params)
        return cls(reason=reason[:500], code=code, params=params)


def _refuse(from_status: str, to_status: str, why: str = "") -> IllegalTransition:
    message = _("An order cannot go from “%(from)s” to “%(to)s”.") % {
        "from": Status(from_status).label,
        "to": Status(to_status).label,
    }
    return IllegalTransition(
        f"{message} {why}".strip(), extra={"status": [f"{from_status} -> {to_status} is not allowed"]}
    )


def order_status_derived(part_statuses: list[str]) -> str:
    live = [s for s in part_statuses if s != Status.CANCELLED]
    if not live:
        return Status.CANCELLED
    return min(live, key=PROGRESS.index)


@retry_on_deadlock
@transaction.atomic
def seller_order_transition(
    *,
    seller_order_id: int,
    to_status: str,
    actor_kind: str,
    actor_id: int | None = None,
    reason: str = "",
    data: dict | None = None,
    reason_code: str = "",
    reason_params: dict | None = None,
    return_stock: bool = True,
) -> SellerOrder:
    """Lock the order then the part (``orders.lifecycle.locks``: the one lock order, so two moves of one
    order cannot deadlock), check both tables, save, record the event, keep the order's status in step
    and schedule e-mails.
    ``reason`` is what a person typed; a system move gives ``reason_code`` (``orders.lifecycle.reasons``) instead.
    ``return_stock=False``: a cancellation whose units are already back on the shelf (a refund restocked
    them) does not put them back a second time."""
    why = _Why.of(reason=reason, code=reason_code, params=reason_params)
    order_id = SellerOrder.objects.values_list("order_id", flat=True).get(pk=seller_order_id)
    order, (part,) = order_parts_lock(order_id=order_id, seller_order_ids=[seller_order_id])
    _check(part.status, to_status, actor_kind)
    if to_status == Status.CANCELLED and actor_kind in (Actor.SELLER, Actor.OPERATOR) and not reason.strip():
        raise ApplicationError(_("Say why the order is cancelled."), extra={"reason": ["required"]})
    _apply(
        order=order,
        part=part,
        to_status=to_status,
        actor_kind=actor_kind,
        actor_id=actor_id,
        why=why,
        data=data,
        return_stock=return_stock,
    )
    _order_status_sync(order=order, actor_kind=actor_kind, actor_id=actor_id, why=why)
    return part


@retry_on_deadlock
@transaction.atomic
def order_transition(
    *,
    order_id: int,
    to_status: str,
    actor_kind: str,
    actor_id: int | None = None,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
) -> Order:
    """Move every part of the order that can make the move (payment confirmed: all parts to paid; the
    shopper cancels: every part not yet shipped). Refused as a whole when no part can move."""
    why = _Why.of(reason=reason, code=reason_code, params=reason_params)
    order, parts = order_parts_lock(order_id=order_id)
    movable = [p for p in parts if to_status in ALLOWED_TRANSITIONS[p.status]]
    if (
        to_status == Status.CANCELLED
        and actor_kind == Actor.SHOPPER
        and any(p.status in SHIPPED_OR_LATER for p in parts)
    ):
        raise _refuse(
            order.status,
            to_status,
            _("Part of this order has already been shipped; cancel the other parts one by one."),
        )
    if not movable:
        raise _refuse(order.status, to_status)
    for part in movable:
        _check(part.status, to_status, actor_kind)
    if to_status == Status.CANCELLED:
        from orders.services_stock import seller_orders_stock_lock

        seller_orders_stock_lock(seller_order_ids=[part.pk for part in movable])
    for part in movable:
        _apply(
            order=order,
            part=part,
            to_status=to_status,
            actor_kind=actor_kind,
            actor_id=actor_id,
            why=why,
            data=None,
        )
    _order_status_sync(order=order, actor_kind=actor_kind, actor_id=actor_id, why=why)
    return order


def _check(from_status: str, to_status: str, actor_kind: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, set()):
        raise _refuse(from_status, to_status)
    if actor_kind in ACTOR_TRANSITIONS and (from_status, to_status) not in ACTOR_TRANSITIONS[actor_kind]:
        raise _refuse(from_status, to_status, _("You may not make this change."))


def _apply(
    *,
    order: Order,
    part: SellerOrder,
    to_status: str,
    actor_kind: str,
    actor_id: int | None,
    why: _Why,
    data: dict | None,
    return_stock: bool = True,
) -> None:
    from orders import (
        services_stock,
    )  # the stock bookkeeping of lines; imported late to keep this table-first

    if to_status == Status.CANCELLED and part.shipments.exists():
        raise _refuse(part.status, to_status, _("Some of it has already been shipped."))
    now = timezone.now()
    from_status = part.status
    part.status = to_status
    part.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if to_status == Status.SHIPPED:
        part.shipped_at = now
        fields.append("shipped_at")
    elif to_status == Status.DELIVERED:
        part.delivered_at = now
        fields.append("delivered_at")
    elif to_status == Status.COMPLETED:
        part.completed_at = now
        fields.append("completed_at")
    elif to_status == Status.CANCELLED:
        part.cancelled_at = now
        part.cancel_reason = why.reason
        part.cancelled_by = actor_kind
        fields += ["cancelled_at", "cancel_reason", "cancelled_by"]
    part.save(update_fields=fields)
    if to_status == Status.PAID:
        services_stock.seller_order_stock_commit(seller_order_id=part.pk)
    elif to_status == Status.CANCELLED and return_stock:
        services_stock.seller_order_stock_return(seller_order_id=part.pk, order_number=order.number)
    OrderEvent.objects.create(
        order=order,
        seller_order=part,
        kind=OrderEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        actor_kind=actor_kind,
        actor_id=actor_id,
        reason=why.reason,
        reason_code=why.code,
        reason_params=why.params,
        data={"refund_due": True}
        if to_status == Status.CANCELLED and from_status != Status.PENDING_PAYMENT
        else (data or {}),
    )
    if not (to_status == Status.CANCELLED and from_status == Status.PENDING_PAYMENT):
        # An unpaid order cancelled as a whole gets one order-level mail (below), and its sellers were
        # never told about it, so nothing per part.
        transaction.on_commit(lambda: _notify(part.pk, to_status))
    publish(
        SellerOrderStatusChanged(
            seller_order_id=part.pk,
            order_id=order.pk,
            seller_id=part.seller_id,
            from_status=from_status,
            to_status=to_status,
            actor_kind=actor_kind,
        )
    )
    if to_status == Status.CANCELLED:
        # A paid part is refunded in full by the payments app (its subscriber), once this has committed.
        publish(
            SellerOrderCancelled(
                seller_order_id=part.pk,
                order_id=order.pk,
                was_paid=from_status != Status.PENDING_PAYMENT,
                actor_kind=actor_kind,
            )
        )


def _order_status_sync(*, order: Order, actor_kind: str, actor_id: int | None, why: _Why) -> None:
    statuses = list(SellerOrder.objects.filter(order_id=order.pk).values_list("status", flat=True))
    derived = order_status_derived(statuses)
    if derived == order.status:
        return
    from_status = order.status
    now = timezone.now()
    order.status = derived
    fields = ["status", "updated_at"]
    if derived == Status.PAID and order.paid_at is None:
        order.paid_at = now
        fields.append("paid_at")
    if derived == Status.CANCELLED:
        order.cancelled_at = now
        order.cancel_reason = why.reason
        fields += ["cancelled_at", "cancel_reason"]
    order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.STATUS,
        from_status=from_status,
        to_status=derived,
        actor_kind=actor_kind,
        actor_id=actor_id,
        reason=why.reason,
        reason_code=why.code,
        reason_params=why.params,
    )
    _order_status_publish(order_id=order.pk, from_status=from_status, to_status=derived)
    if derived == Status.CANCELLED and from_status == Status.PENDING_PAYMENT:
        from orders.promotions.services import coupon_release

        coupon_release(order_id=order.pk)
        if actor_kind != Actor.SHOPPER:
            order_id = order.pk
            transaction.on_commit(lambda: _notify_unpaid_cancelled(order_id))


def _notify_unpaid_cancelled(order_id: int) -> None:
    from orders.lifecycle.notifications import order_unpaid_cancelled_notify

    order_unpaid_cancelled_notify(order_id=order_id)


def _order_status_publish(*, order_id: int, from_status: str, to_status: str) -> None:
    if to_status == Status.PAID:
        publish(OrderPaid(order_id=order_id))
    elif to_status == Status.CANCELLED:
        publish(OrderCancelled(order_id=order_id, was_paid=from_status != Status.PENDING_PAYMENT))
    elif to_status == Status.DELIVERED:
        publish(OrderDelivered(order_id=order_id))
    elif to_status == Status.COMPLETED:
        publish(OrderCompleted(order_id=order_id))


def order_note_record(
    *,
    order_id: int,
    data: dict,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
    seller_order_id: int | None = None,
    actor_kind: str = Actor.SYSTEM,
    actor_id: int | None = None,
) -> OrderEvent:
    """A note on the order's timeline (no status change), e.g. a refund made by the payments app: a system
    note gives ``reason_code`` and its parameters (``orders.lifecycle.reasons``), shown in the reader's language."""
    why = _Why.of(reason=reason, code=reason_code, params=reason_params)
    return OrderEvent.objects.create(
        order_id=order_id,
        seller_order_id=seller_order_id,
        kind=OrderEvent.Kind.NOTE,
        actor_kind=actor_kind,
        actor_id=actor_id,
        reason=why.reason,
        reason_code=why.code,
        reason_params=why.params,
        data=data,
    )


def _notify(seller_order_id: int, to_status: str) -> None:
    from orders.lifecycle.notifications import seller_order_status_notify

    seller_order_status_notify(seller_order_id=seller_order_id, status=to_status)


__all__ = [
    "ALLOWED_TRANSITIONS",
    "CANCELLABLE_BY_SHOPPER",
    "IllegalTransition",
    "order_cancellable_by_shopper",
    "order_note_record",
    "order_status_derived",
    "order_transition",
    "seller_order_transition",
]

"""Small worlds for the rollup tests: events at given local times, orders placed, paid, refunded and
cancelled through the real services and then moved to the moment the test says (the services stamp
"now"), and a readable dump of the fact tables."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Model
from django.utils import timezone

from analytics.models import (
    CategoryFact,
    Event,
    LandingPageFact,
    OrderAttribution,
    ProductFact,
    SalesFact,
    SearchFact,
    TrafficFact,
    VisitorSession,
)
from orders.models import Order, OrderEvent, OrderStatus
from orders.shipping.services import seller_order_cancel
from payments.models import JournalEntry, Payment, Refund
from payments.services import payment_start, payment_test_complete, refund_create
from tests.orders.factories import cart_with_lines, order_place

TZ = "Europe/London"
GOOGLE = "https://www.google.com/search?q=shoes"

FACT_MODELS = (
    VisitorSession,
    TrafficFact,
    SalesFact,
    CategoryFact,
    ProductFact,
    SearchFact,
    LandingPageFact,
    OrderAttribution,
)


def at(day: date, hhmm: str, *, fold: int = 0) -> datetime:
    """An aware instant at local time ``hhmm`` on ``day`` in the platform's timezone of the tests."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute, fold=fold), tzinfo=ZoneInfo(TZ))


def event(visitor: str, when: datetime, type: str = "page_view", **fields) -> Event:
    fields.setdefault("user_agent_class", "desktop")
    if "product" in fields:
        product = fields.pop("product")
        fields.update(object_type="catalog.product", object_id=str(product.pk))
    return Event.objects.create(type=type, session_key=visitor, occurred_at=when, **fields)


def placed_event(visitor: str, order: Order, *, user_id: int | None = None) -> Event:
    """The ``order_placed`` event the checkout tracks, at the order's placed time."""
    return Event.objects.create(
        type="order_placed",
        session_key=visitor,
        user_id=user_id,
        object_type="orders.order",
        object_id=str(order.pk),
        occurred_at=order.placed_at,
        user_agent_class="other",
    )


def order_at(when: datetime, *, lines, user=None, email=None, coupon_code: str = "", shipping=None) -> Order:
    """An order placed at ``when`` (through checkout_place) by ``user``, or by a guest, waiting for payment."""
    cart = cart_with_lines(user=user, lines=lines)
    return order_place(
        cart=cart,
        user=user,
        email=email or (user.email if user else "guest@example.com"),
        coupon_code=coupon_code,
        shipping_choice=shipping,
        now=when,
    )


def pay(order: Order, when: datetime | None = None) -> Payment:
    """Pay through the test provider (captured, commission split and posted); then, with ``when``, move
    the payment, the order's paid time and its ledger entries to that moment."""
    payment = payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    assert payment.status == Payment.Status.CAPTURED
    if when is not None:
        Order.objects.filter(pk=order.pk).update(paid_at=when)
        Payment.objects.filter(pk=payment.pk).update(captured_at=when)
        JournalEntry.objects.filter(payment=payment).update(created_at=when)
    order.refresh_from_db()
    return payment


def refund(payment: Payment, line_quantities, *, key: str, when: datetime | None = None) -> Refund:
    """Refund ``[(order line, quantity)]`` of one seller order; with ``when``, settled at that moment."""
    line = line_quantities[0][0]
    made = refund_create(
        payment_id=payment.pk,
        idempotency_key=key,
        reason=Refund.Reason.RETURN,
        seller_order_id=line.seller_order_id,
        lines=[(line.pk, quantity) for line, quantity in line_quantities],
    )
    assert made.status == Refund.Status.SUCCEEDED
    if when is not None:
        Refund.objects.filter(pk=made.pk).update(succeeded_at=when)
        JournalEntry.objects.filter(key=f"refund:{made.pk}").update(created_at=when)
    made.refresh_from_db()
    return made


def cancel_part(order: Order, *, when: datetime | None = None) -> None:
    """The seller cancels their (only) part of a paid order; with ``when``, at that moment."""
    part = order.seller_orders.get()
    seller_order_cancel(
        seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None, reason="out of stock"
    )
    if when is not None:
        OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED).update(created_at=when)
        Order.objects.filter(pk=order.pk, cancelled_at__isnull=False).update(cancelled_at=when)


def rows(model: type[Model], **filters) -> list[dict]:
    """The rows of a fact table without their ids, in a stable order."""
    fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
    return list(model.objects.filter(**filters).order_by(*fields).values(*fields))


def dump() -> dict[str, list[dict]]:
    return {model.__name__: rows(model) for model in FACT_MODELS}


def now() -> datetime:
    return timezone.now()

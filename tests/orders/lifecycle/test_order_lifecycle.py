"""After the checkout: payment confirmation, the shopper confirming receipt, auto-completion."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from common.exceptions import ApplicationError
from orders.lifecycle import services as lifecycle_services
from orders.lifecycle.services import (
    PaymentMismatch,
    order_cancel_by_shopper,
    order_payment_confirmed,
    orders_expire_unpaid,
    seller_order_receipt_confirm,
    seller_order_refunded_close,
    seller_orders_autocomplete,
)
from orders.lifecycle.transitions import IllegalTransition, seller_order_transition
from orders.models import OrderEvent, OrderStatus, SellerOrder
from tests.factories import UserFactory
from tests.orders.factories import order_place, part_status_force, purchasable_variant

pytestmark = pytest.mark.django_db

Actor = OrderEvent.Actor


def test_a_confirmed_payment_moves_every_part_to_paid(mailoutbox, django_capture_on_commit_callbacks):
    shopper = UserFactory(email="bea@example.com")
    order = order_place(user=shopper, lines=[(purchasable_variant(), 1), (purchasable_variant(), 1)])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        paid = order_payment_confirmed(
            order_id=order.pk, amount=order.total_amount, currency=order.currency, reference="pi_123"
        )

    assert paid is True
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    assert set(order.seller_orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert set(
        OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).values_list("reason", flat=True)
    ) == {"pi_123"}
    # The shopper is told once, each seller once.
    assert sorted(m.to[0] for m in mailoutbox).count("bea@example.com") == 1
    assert len(mailoutbox) == 3


@pytest.mark.parametrize(("amount_delta", "currency"), [(-1, "USD"), (1, "USD"), (0, "EUR")])
def test_a_payment_that_does_not_match_the_order_is_refused(amount_delta, currency):
    order = order_place(lines=[(purchasable_variant(), 1)])

    with pytest.raises(PaymentMismatch):
        order_payment_confirmed(
            order_id=order.pk, amount=order.total_amount + amount_delta, currency=currency
        )

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_a_second_confirmation_of_a_paid_order_changes_nothing():
    order = order_place(lines=[(purchasable_variant(), 1)])
    order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    events = OrderEvent.objects.filter(order=order).count()

    assert (
        order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
        is False
    )
    assert OrderEvent.objects.filter(order=order).count() == events


def test_money_arriving_after_the_order_expired_does_not_pay_it_and_records_a_refund_due():
    placed_at = timezone.now()
    order = order_place(lines=[(purchasable_variant(), 1)], now=placed_at)
    orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))

    paid = order_payment_confirmed(
        order_id=order.pk, amount=order.total_amount, currency=order.currency, reference="pi_late"
    )

    assert paid is False
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    note = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE)
    assert (note.actor_kind, note.data) == (Actor.SYSTEM, {"refund_due": True, "reference": "pi_late"})


def test_the_shopper_confirms_receipt_of_a_shipped_part():
    shopper = UserFactory()
    order = order_place(user=shopper, lines=[(purchasable_variant(), 1)])
    part = part_status_force(order.seller_orders.get(), OrderStatus.SHIPPED)

    seller_order_receipt_confirm(seller_order_id=part.pk, user_id=shopper.pk)

    part.refresh_from_db()
    assert part.status == OrderStatus.DELIVERED
    assert part.delivered_at is not None
    event = OrderEvent.objects.get(seller_order=part, to_status=OrderStatus.DELIVERED)
    assert (event.actor_kind, event.actor_id) == (Actor.SHOPPER, shopper.pk)


def test_receipt_cannot_be_confirmed_before_shipment():
    order = order_place(lines=[(purchasable_variant(), 1)])
    part = part_status_force(order.seller_orders.get(), OrderStatus.PAID)

    with pytest.raises(IllegalTransition):
        seller_order_receipt_confirm(seller_order_id=part.pk, user_id=None)


def test_delivered_parts_complete_automatically_after_the_waiting_period():
    order = order_place(lines=[(purchasable_variant(), 1), (purchasable_variant(), 1)])
    early, late = order.seller_orders.order_by("pk")
    now = timezone.now()
    days = timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS)
    for part, delivered_at in (
        (early, now - days - timedelta(hours=1)),
        (late, now - days + timedelta(hours=1)),
    ):
        part_status_force(part, OrderStatus.DELIVERED)
        SellerOrder.objects.filter(pk=part.pk).update(delivered_at=delivered_at)

    assert seller_orders_autocomplete(now=now) == 1
    assert seller_orders_autocomplete(now=now) == 0

    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, late.status) == (OrderStatus.COMPLETED, OrderStatus.DELIVERED)
    assert early.completed_at is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED  # the least advanced part
    assert seller_orders_autocomplete(now=now + timedelta(hours=2)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_the_shopper_cannot_cancel_a_delivered_order():
    shopper = UserFactory()
    order = order_place(user=shopper, lines=[(purchasable_variant(), 1)])
    part_status_force(order.seller_orders.get(), OrderStatus.DELIVERED)

    with pytest.raises(ApplicationError):
        order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_the_shopper_cancels_the_parts_not_yet_shipped_after_a_seller_cancelled_one():
    shopper = UserFactory()
    order = order_place(user=shopper, lines=[(purchasable_variant(), 1), (purchasable_variant(), 1)])
    order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    first, second = order.seller_orders.order_by("pk")
    seller_order_transition(
        seller_order_id=first.pk, to_status=OrderStatus.CANCELLED, actor_kind=Actor.SELLER, reason="Gone"
    )

    order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.cancelled_by, second.cancelled_by) == ("seller", "shopper")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_a_refunded_part_the_shopper_cancelled_meanwhile_is_left_cancelled(monkeypatch):
    shopper = UserFactory()
    order = order_place(user=shopper, lines=[(purchasable_variant(), 1)])
    order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    part = order.seller_orders.get()
    transition = lifecycle_services.seller_order_transition

    def shopper_cancels_first(**kwargs):
        # The shopper's cancellation commits after the close read "paid", before it takes the lock.
        order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk)
        return transition(**kwargs)

    monkeypatch.setattr(lifecycle_services, "seller_order_transition", shopper_cancels_first)

    closed = seller_order_refunded_close(seller_order_id=part.pk, stock_restocked=False)

    assert closed is None
    part.refresh_from_db()
    assert (part.status, part.cancelled_by) == (OrderStatus.CANCELLED, Actor.SHOPPER)
    assert OrderEvent.objects.filter(seller_order=part, to_status=OrderStatus.CANCELLED).count() == 1

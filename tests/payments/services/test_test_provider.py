"""The test payment provider: start a payment for the order's own total, then pay or decline it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from catalog.models import ProductVariant
from orders.lifecycle.services import orders_expire_unpaid
from orders.models import OrderEvent, OrderStatus
from payments.models import JournalEntry, Payment, Refund
from payments.services import PaymentError, payment_start, payment_test_complete
from tests.orders.factories import order_place, purchasable_variant

pytestmark = pytest.mark.django_db


def test_a_payment_is_started_once_for_the_orders_total_and_reused_on_reload():
    order = order_place(lines=[(purchasable_variant(price=1234), 2)])

    payment = payment_start(order_id=order.pk)
    again = payment_start(order_id=order.pk)

    assert again.pk == payment.pk
    assert (payment.provider, payment.status, payment.amount, payment.currency) == (
        "test",
        Payment.Status.CREATED,
        2468,
        "USD",
    )
    assert payment.reference.startswith(f"test_{order.number}_")


def test_paying_moves_the_order_to_paid_and_commits_its_stock():
    variant = purchasable_variant(stock=5)
    order = order_place(lines=[(variant, 2)])
    payment = payment_start(order_id=order.pk)

    payment = payment_test_complete(payment_id=payment.pk, succeed=True)

    assert payment.status == Payment.Status.CAPTURED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert ProductVariant.objects.get(pk=variant.pk).stock == 3
    assert OrderEvent.objects.filter(
        order=order, seller_order=None, to_status=OrderStatus.PAID
    ).get().reason == (payment.reference)


def test_a_declined_payment_leaves_the_order_waiting_and_can_be_retried():
    order = order_place(lines=[(purchasable_variant(), 1)])
    first = payment_start(order_id=order.pk)

    declined = payment_test_complete(payment_id=first.pk, succeed=False)

    assert declined.status == Payment.Status.FAILED
    assert declined.failure_message
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    retry = payment_start(order_id=order.pk)
    assert retry.pk != first.pk
    payment_test_complete(payment_id=retry.pk, succeed=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_second_answer_to_the_same_payment_changes_nothing():
    order = order_place(lines=[(purchasable_variant(), 1)])
    payment = payment_start(order_id=order.pk)
    payment_test_complete(payment_id=payment.pk, succeed=False)

    again = payment_test_complete(payment_id=payment.pk, succeed=True)

    assert again.status == Payment.Status.FAILED
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_paying_an_order_that_expired_meanwhile_does_not_pay_it_and_records_a_refund_due():
    placed_at = timezone.now()
    order = order_place(lines=[(purchasable_variant(), 1)], now=placed_at)
    payment = payment_start(order_id=order.pk)
    orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))

    payment_test_complete(payment_id=payment.pk, succeed=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    note = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE)
    assert note.data == {"refund_due": True, "reference": payment.reference}


def test_no_payment_starts_for_an_order_not_waiting_for_payment():
    order = order_place(lines=[(purchasable_variant(), 1)])
    payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)

    with pytest.raises(PaymentError):
        payment_start(order_id=order.pk)


def test_a_payment_of_another_provider_cannot_be_completed_on_the_test_page():
    order = order_place(lines=[(purchasable_variant(), 1)])
    payment = Payment.objects.create(
        order=order, provider="stripe", amount=order.total_amount, currency=order.currency
    )

    with pytest.raises(PaymentError):
        payment_test_complete(payment_id=payment.pk, succeed=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_a_test_payment_keeps_the_ledger_like_a_real_one():
    order = order_place(lines=[(purchasable_variant(price=2000), 1)])
    payment = payment_start(order_id=order.pk)

    payment = payment_test_complete(payment_id=payment.pk, succeed=True)

    assert (payment.captured_amount, payment.payment_method_summary) == (2000, "Test payment")
    assert payment.captured_at is not None
    capture = JournalEntry.objects.get(key=f"capture:{payment.pk}")
    assert {(line.account.kind, line.amount) for line in capture.lines.select_related("account")} == {
        ("provider_cash", 2000),
        ("seller_pending", -1800),
        ("commission_revenue", -200),
    }


def test_a_test_payment_for_an_expired_order_is_refunded_automatically(
    mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    placed_at = timezone.now()
    order = order_place(lines=[(purchasable_variant(price=700), 1)], now=placed_at)
    payment = payment_start(order_id=order.pk)
    orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        payment_test_complete(payment_id=payment.pk, succeed=True)

    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 700)
    assert Refund.objects.get(payment=payment).reason == Refund.Reason.LATE_PAYMENT
    assert [mail.subject for mail in mailoutbox] == [f"Order {order.number}: refund of your payment"]

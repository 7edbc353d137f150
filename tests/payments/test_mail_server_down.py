"""A mail server that hangs up on every message: a late payment is still refunded in full, and the
shopper's mail about it is attempted after commit without failing the refund."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from orders.lifecycle.services import orders_expire_unpaid
from payments.models import Payment, Refund
from payments.services import payment_start, payment_test_complete
from tests.orders.factories import order_place, purchasable_variant

pytestmark = pytest.mark.django_db


def test_a_late_payment_is_refunded_while_the_mail_server_is_down(
    smtp_down, email_retries, django_capture_on_commit_callbacks, celery_eager
):
    placed_at = timezone.now()
    order = order_place(lines=[(purchasable_variant(price=700), 1)], email="late@example.com", now=placed_at)
    payment = payment_start(order_id=order.pk)
    orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))
    smtp_down.attempts.clear()

    with django_capture_on_commit_callbacks(execute=True):
        payment_test_complete(payment_id=payment.pk, succeed=True)

    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 700)
    assert Refund.objects.get(payment=payment).status == Refund.Status.SUCCEEDED
    assert smtp_down.attempts == [("late@example.com", f"Order {order.number}: refund of your payment")]
    assert email_retries == [5]

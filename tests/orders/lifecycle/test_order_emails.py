"""Who is told what when an order ends before it was paid."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from orders.lifecycle.services import order_cancel_by_shopper, orders_expire_unpaid
from tests.factories import SellerProfileFactory
from tests.orders.factories import order_place, purchasable_variant

pytestmark = pytest.mark.django_db


def test_an_expired_two_shop_order_sends_the_shopper_one_mail_and_the_sellers_none(
    django_capture_on_commit_callbacks,
):
    first = purchasable_variant(seller=SellerProfileFactory(user__email="one@example.com"))
    second = purchasable_variant(seller=SellerProfileFactory(user__email="two@example.com"))
    placed_at = timezone.now()
    order = order_place(lines=[(first, 1), (second, 1)], email="late@example.com", now=placed_at)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["late@example.com"], f"Order {order.number} was cancelled: payment not received")
    ]


def test_a_shopper_cancelling_an_unpaid_order_gets_no_mail_and_its_sellers_none(
    django_capture_on_commit_callbacks,
):
    variant = purchasable_variant(seller=SellerProfileFactory(user__email="one@example.com"))
    order = order_place(lines=[(variant, 1)], email="changed-mind@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel_by_shopper(order_id=order.pk, user_id=None)

    assert mail.outbox == []

"""The order pages show system reasons in the reader's language whoever triggered them, reasons people
typed as typed, and never the payment provider's id on the shopper's timeline."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from orders.lifecycle.services import order_cancel_by_shopper, order_payment_confirmed, orders_expire_unpaid
from tests.orders.factories import order_place, part_status_force, purchasable_variant

pytestmark = pytest.mark.django_db

EXPIRED_EN = "Payment was not received in time"
EXPIRED_ZH = "未在规定时间内付款"  # locale/zh_Hans


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_shoppers_timeline_says_the_payment_was_received_without_the_providers_id():
    order = order_place(lines=[(purchasable_variant(), 1)])
    order_payment_confirmed(
        order_id=order.pk, amount=order.total_amount, currency=order.currency, reference="pi_3NxYzAbC"
    )

    html = _signed_in(order.buyer).get(reverse("orders:order-detail", args=[order.number])).content.decode()

    assert "Payment received" in html
    assert "pi_" not in html


def test_an_order_expired_during_a_chinese_request_reads_in_each_shoppers_language():
    placed_at = timezone.now()
    order = order_place(lines=[(purchasable_variant(), 1)], now=placed_at)
    with translation.override("zh-hans"):
        orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))
    client = _signed_in(order.buyer)
    url = reverse("orders:order-detail", args=[order.number])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert EXPIRED_EN in english
    assert EXPIRED_ZH not in english
    assert EXPIRED_ZH in chinese
    assert EXPIRED_EN not in chinese


def test_the_seller_reads_a_cancellation_by_a_chinese_shopper_in_english():
    order = order_place(lines=[(purchasable_variant(), 1)])
    part = part_status_force(order.seller_orders.get(), "paid")
    with translation.override("zh-hans"):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    html = (
        _signed_in(part.seller.user)
        .get(reverse("seller:order-detail", args=[part.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert "Cancelled by the shopper" in html
    assert "买家已取消" not in html


def test_a_reason_the_shopper_typed_is_shown_as_typed_to_the_seller():
    order = order_place(lines=[(purchasable_variant(), 1)])
    part = part_status_force(order.seller_orders.get(), "paid")
    with translation.override("zh-hans"):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id, reason="买错了")

    html = (
        _signed_in(part.seller.user)
        .get(reverse("seller:order-detail", args=[part.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert "买错了" in html
    assert "Cancelled by the shopper" not in html

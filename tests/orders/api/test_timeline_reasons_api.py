"""The orders API gives each timeline event a stable ``reason_code`` next to ``reason`` in the request's
language; a cancel reason the system wrote is translated too, one a person typed is returned as typed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from orders.lifecycle.services import order_cancel_by_shopper, orders_expire_unpaid
from orders.models import OrderStatus
from tests.orders.api.conftest import place_order

pytestmark = pytest.mark.django_db

LIST_URL = "/api/orders/"


def _cancelled_event(body):
    [event] = [e for e in body["timeline"] if e["to_status"] == OrderStatus.CANCELLED and e["seller_order"]]
    return event


def test_the_payment_event_has_its_code_and_no_provider_id(api, shopper, variant):
    order = place_order(shopper, [(variant, 1)])

    body = api.get(f"{LIST_URL}{order.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    paid = body["timeline"][-1]
    assert (paid["to_status"], paid["reason_code"], paid["reason"]) == (
        OrderStatus.PAID,
        "payment_received",
        "已收到付款",
    )
    assert body["timeline"][0]["reason_code"] == "order_placed"


def test_an_expiry_triggered_in_chinese_reads_in_the_language_of_each_request(api, shopper, variant):
    order = place_order(shopper, [(variant, 1)], paid=False)
    with translation.override("zh-hans"):
        orders_expire_unpaid(
            now=timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1)
        )
    url = f"{LIST_URL}{order.number}/"

    english = api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert (_cancelled_event(english)["reason_code"], _cancelled_event(english)["reason"]) == (
        "payment_expired",
        "Payment was not received in time",
    )
    assert (_cancelled_event(chinese)["reason_code"], _cancelled_event(chinese)["reason"]) == (
        "payment_expired",
        "未在规定时间内付款",
    )
    assert (
        english["cancel_reason"] == english["parts"][0]["cancel_reason"] == "Payment was not received in time"
    )
    assert chinese["cancel_reason"] == chinese["parts"][0]["cancel_reason"] == "未在规定时间内付款"


def test_a_typed_reason_comes_back_as_typed_with_no_code(api, shopper, variant):
    order = place_order(shopper, [(variant, 1)])
    order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk, reason="Ordered twice")

    body = api.get(f"{LIST_URL}{order.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert (_cancelled_event(body)["reason_code"], _cancelled_event(body)["reason"]) == ("", "Ordered twice")
    assert body["cancel_reason"] == "Ordered twice"

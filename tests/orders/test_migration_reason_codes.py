"""The backfill of ``orders.0004``: existing system events (written in English or in Chinese) get their
reason code; reasons people typed are left alone."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from orders.models import Order, OrderEvent, OrderStatus
from tests.orders.factories import order_place, purchasable_variant

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("orders.migrations.0004_orderevent_reason_code_backfill").backfill


def _event(order, **fields) -> OrderEvent:
    return OrderEvent.objects.create(order=order, actor_kind="system", **fields)


def test_system_rows_get_their_code_and_typed_reasons_are_left_alone():
    order = order_place(lines=[(purchasable_variant(), 1)])
    OrderEvent.objects.update(reason_code="")  # as before the migration
    Order.objects.filter(pk=order.pk).update(cancel_reason="未在规定时间内付款")
    expired_zh = _event(order, to_status=OrderStatus.CANCELLED, reason="未在规定时间内付款")
    paid = _event(order, from_status=OrderStatus.PENDING_PAYMENT, to_status=OrderStatus.PAID, reason="pi_9")
    refund = _event(
        order,
        kind="note",
        reason="退款 US$10.00（退货已接受）",  # noqa: RUF001 - Chinese punctuation
        data={"refund_id": 1, "amount": 1000, "currency": "USD", "status": "succeeded", "reason": "return"},
    )
    dispute = _event(order, kind="note", reason="…", data={"dispute": "dp_7", "amount": 500, "payment_id": 1})
    typed = _event(order, to_status=OrderStatus.CANCELLED, reason="Found it cheaper")

    backfill(apps, None)

    for event in (expired_zh, paid, refund, dispute, typed):
        event.refresh_from_db()
    placed = OrderEvent.objects.get(order=order, reason="placed")
    assert placed.reason_code == "order_placed"
    assert (expired_zh.reason_code, expired_zh.reason) == (
        "payment_expired",
        "Payment was not received in time",
    )
    assert (paid.reason_code, paid.reason) == ("payment_received", "pi_9")
    assert refund.reason_code == "refund_succeeded"
    assert dispute.reason_code == "payment_disputed"
    assert (typed.reason_code, typed.reason) == ("", "Found it cheaper")
    assert Order.objects.get(pk=order.pk).cancel_reason == "Payment was not received in time"
    with translation.override("en"):
        assert refund.reason_display == "Refund of $10.00 (Return accepted)"
        assert dispute.reason_display == "The payment of $5.00 was disputed by the card holder (dp_7)."

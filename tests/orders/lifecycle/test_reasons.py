"""Reasons the system writes on the timeline are stored as codes and shown in the reader's language, not in
the language of whoever triggered them; reasons people type are shown as typed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from orders.lifecycle.reasons import ReasonCode, reason_text, stored_reason_display
from orders.lifecycle.services import (
    order_cancel_by_shopper,
    order_payment_confirmed,
    orders_expire_unpaid,
    seller_orders_autocomplete,
)
from orders.lifecycle.transitions import order_note_record
from orders.models import OrderEvent, OrderStatus, SellerOrder
from orders.shipping.services import seller_order_cancel
from tests.factories import SellerProfileFactory
from tests.orders.factories import order_place, part_status_force, purchasable_variant

pytestmark = pytest.mark.django_db

# From locale/zh_Hans/LC_MESSAGES/django.po.
EXPIRED_ZH = "未在规定时间内付款"
AUTOCOMPLETED_ZH = "送达后自动完成"


def _read(event: OrderEvent, language: str) -> str:
    with translation.override(language):
        return event.reason_display


def test_an_order_expired_during_a_chinese_request_reads_in_english_and_in_chinese():
    placed_at = timezone.now()
    order = order_place(lines=[(purchasable_variant(), 1)], now=placed_at)

    with translation.override("zh-hans"):
        orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))

    events = list(OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED))
    assert len(events) == 2  # the part's and the order's
    for event in events:
        assert (event.reason_code, event.reason) == (
            ReasonCode.PAYMENT_EXPIRED,
            "Payment was not received in time",
        )
        assert _read(event, "en") == "Payment was not received in time"
        assert _read(event, "zh-hans") == EXPIRED_ZH
    order.refresh_from_db()
    assert order.cancel_reason == "Payment was not received in time"
    with translation.override("zh-hans"):
        assert stored_reason_display(order.cancel_reason) == EXPIRED_ZH


def test_an_autocompletion_run_in_chinese_reads_in_each_readers_language():
    order = order_place(lines=[(purchasable_variant(), 1)])
    part = part_status_force(order.seller_orders.get(), OrderStatus.DELIVERED)
    SellerOrder.objects.filter(pk=part.pk).update(delivered_at=timezone.now() - timedelta(days=60))

    with translation.override("zh-hans"):
        assert seller_orders_autocomplete(now=timezone.now()) == 1

    event = OrderEvent.objects.get(seller_order=part, to_status=OrderStatus.COMPLETED)
    assert event.reason_code == ReasonCode.AUTOCOMPLETED
    assert _read(event, "en") == "Completed automatically after delivery"
    assert _read(event, "zh-hans") == AUTOCOMPLETED_ZH


def test_a_shopper_cancelling_without_a_reason_gets_the_system_reason_in_each_language():
    order = order_place(lines=[(purchasable_variant(), 1)])

    with translation.override("zh-hans"):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    event = OrderEvent.objects.filter(order=order, seller_order=None, to_status=OrderStatus.CANCELLED).get()
    assert event.reason_code == ReasonCode.CANCELLED_BY_SHOPPER
    assert _read(event, "en") == "Cancelled by the shopper"
    assert _read(event, "zh-hans") == "买家已取消"


def test_a_reason_the_shopper_typed_is_shown_as_typed_in_both_languages():
    order = order_place(lines=[(purchasable_variant(), 1)])

    with translation.override("zh-hans"):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id, reason="买错了")

    event = OrderEvent.objects.filter(order=order, seller_order=None, to_status=OrderStatus.CANCELLED).get()
    assert (event.reason_code, event.reason) == ("", "买错了")
    assert _read(event, "en") == _read(event, "zh-hans") == "买错了"


def test_a_reason_the_seller_typed_is_shown_as_typed_in_both_languages():
    order = order_place(lines=[(purchasable_variant(), 1)])
    part = part_status_force(order.seller_orders.get(), OrderStatus.PAID)

    with translation.override("zh-hans"):
        seller_order_cancel(
            seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None, reason="Out of stock"
        )

    event = OrderEvent.objects.get(seller_order=part, to_status=OrderStatus.CANCELLED)
    assert event.reason_code == ""
    assert _read(event, "en") == _read(event, "zh-hans") == "Out of stock"


def test_the_payment_event_keeps_the_provider_id_for_operators_but_does_not_show_it():
    order = order_place(lines=[(purchasable_variant(), 1)])

    with translation.override("zh-hans"):
        order_payment_confirmed(
            order_id=order.pk, amount=order.total_amount, currency=order.currency, reference="pi_3Nabc"
        )

    events = list(OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID))
    assert {(e.reason_code, e.reason) for e in events} == {(ReasonCode.PAYMENT_RECEIVED, "pi_3Nabc")}
    assert {_read(e, "en") for e in events} == {"Payment received"}
    assert {_read(e, "zh-hans") for e in events} == {"已收到付款"}


def test_a_note_with_money_formats_the_amount_for_the_reader():
    order = order_place(lines=[(purchasable_variant(), 1)])

    with translation.override("zh-hans"):
        note = order_note_record(
            order_id=order.pk,
            reason_code=ReasonCode.REFUND_SUCCEEDED,
            reason_params={
                "amount": {"amount": 1050, "currency": "USD"},
                "why": {"choice": "payments.Refund.reason", "value": "return"},
            },
            data={},
        )

    note.refresh_from_db()
    assert note.reason == "Refund of $10.50 (Return accepted)"
    assert _read(note, "en") == "Refund of $10.50 (Return accepted)"
    assert _read(note, "zh-hans") == "退款 US$10.50（退货已接受）"  # noqa: RUF001 - Chinese punctuation


def test_an_unknown_code_is_refused_when_written_and_falls_back_to_the_stored_text_when_read():
    order = order_place(lines=[(purchasable_variant(), 1)])

    with pytest.raises(ValueError, match="unknown reason code"):
        order_note_record(order_id=order.pk, reason_code="no_such_code", data={})

    assert reason_text(code="gone_code", params={}, fallback="kept text") == "kept text"


def test_a_shipment_events_tracking_status_is_shown_as_its_label_in_the_readers_language():
    event = OrderEvent(kind=OrderEvent.Kind.SHIPMENT, data={"status": "in_transit"})

    assert _read_status(event, "en") == "In transit"
    assert _read_status(event, "zh-hans") == "运输中"


def _read_status(event: OrderEvent, language: str) -> str:
    with translation.override(language):
        return event.shipment_status_display


@pytest.mark.parametrize(
    ("seller_language", "shopper_language", "expected"),
    [("en", "zh-hans", "Reason: Cancelled by the shopper"), ("zh-hans", "en", "原因：买家已取消")],  # noqa: RUF001
)
def test_the_sellers_mail_about_a_cancellation_gives_the_reason_in_the_sellers_language(
    seller_language, shopper_language, expected, mailoutbox, django_capture_on_commit_callbacks
):
    seller = SellerProfileFactory(user__email="seller@example.com", user__preferred_language=seller_language)
    order = order_place(lines=[(purchasable_variant(seller=seller), 1)])
    part_status_force(order.seller_orders.get(), OrderStatus.PAID)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), translation.override(shopper_language):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    [mail] = [m for m in mailoutbox if m.to == ["seller@example.com"]]
    assert expected in mail.body

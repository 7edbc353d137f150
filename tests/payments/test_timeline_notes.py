"""The notes payments write on the order's timeline (refunds, disputes) are codes with parameters, shown in
the reader's language with the amount formatted for them — not in the language of the request that
triggered them."""

import pytest
from django.utils import translation

from orders.lifecycle.reasons import ReasonCode
from orders.models import OrderEvent
from payments.models import Refund
from payments.services import payment_dispute_record, payment_start, payment_test_complete, refund_create
from tests.orders.factories import order_place, purchasable_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def _paid(price=3000):
    order = order_place(lines=[(purchasable_variant(price=price), 1)])
    payment = payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    return order, payment


def _note(order) -> OrderEvent:
    return OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE)


def _read(event: OrderEvent, language: str) -> str:
    with translation.override(language):
        return event.reason_display


def test_a_dispute_noted_during_a_chinese_request_reads_in_english_and_in_chinese():
    order, payment = _paid(price=3000)

    with translation.override("zh-hans"):
        payment_dispute_record(payment_id=payment.pk, dispute_reference="dp_1", amount=3000, currency="USD")

    note = _note(order)
    assert (note.reason_code, note.reason_params) == (
        ReasonCode.PAYMENT_DISPUTED,
        {"amount": {"amount": 3000, "currency": "USD"}, "reference": "dp_1"},
    )
    assert _read(note, "en") == "The payment of $30.00 was disputed by the card holder (dp_1)."
    assert _read(note, "zh-hans") == "持卡人对 US$30.00 的付款提出了争议（dp_1）。"  # noqa: RUF001 - Chinese punctuation


def test_a_refund_made_during_a_chinese_request_reads_in_english_and_in_chinese():
    order, payment = _paid(price=3000)
    part = order.seller_orders.get()

    with translation.override("zh-hans"):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="goodwill:1",
            reason=Refund.Reason.GOODWILL,
            seller_order_id=part.pk,
            whole=True,
        )

    note = _note(order)
    assert note.reason_code == ReasonCode.REFUND_SUCCEEDED
    assert note.reason == "Refund of $30.00 (Goodwill)"
    assert _read(note, "en") == "Refund of $30.00 (Goodwill)"
    assert _read(note, "zh-hans") == "退款 US$30.00（善意补偿）"  # noqa: RUF001 - Chinese punctuation

"""A refund whose settling transaction died after the provider had refunded (a deadlock victim, a killed
worker) is retried without a second provider refund, even though localstripe — like a provider that
ignores idempotency keys — would refund again: the provider's refunds are looked up first."""

import pytest
from django.db import OperationalError

from payments import services
from payments.models import Payment, Refund
from payments.services import payment_confirm, payment_start, refund_create, refund_submit
from tests.orders.factories import order_place, purchasable_variant
from tests.payments import localstripe_cards as cards

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "celery_eager")]


def test_a_retried_submission_settles_the_provider_refund_already_made(monkeypatch):
    order = order_place(lines=[(purchasable_variant(price=2000), 2)])
    payment = payment_confirm(
        payment_id=payment_start(order_id=order.pk).pk, payment_method=cards.card_payment_method()
    )
    assert payment.status == Payment.Status.CAPTURED
    part = order.seller_orders.get()
    real_settle = services.refund_settle
    calls = {"n": 0}

    def settle_dies_once(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("deadlock detected")
        return real_settle(**kwargs)

    monkeypatch.setattr(services, "refund_settle", settle_dies_once)

    with pytest.raises(OperationalError):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="test:retry",
            reason=Refund.Reason.RETURN,
            seller_order_id=part.pk,
            lines=[(part.lines.get().pk, 1)],
        )
    refund = Refund.objects.get(payment=payment)
    assert refund.status == Refund.Status.PENDING
    assert len(cards.refunds(payment.reference)) == 1  # the provider did refund

    refund = refund_submit(refund_id=refund.pk)  # the task's retry

    assert refund.status == Refund.Status.SUCCEEDED
    assert len(cards.refunds(payment.reference)) == 1  # and not a second time
    payment.refresh_from_db()
    assert payment.refunded_amount == 2000

"""Webhook processing through the real broker and a real ``celery worker`` process (PostgreSQL + Redis):
the request only stores the event and enqueues it; the worker re-reads the PaymentIntent from localstripe
(the worker finds it through the STRIPE_* environment the localstripe plugin sets at session start) and
pays the order."""

import time

import pytest
from django.urls import reverse

from orders.models import OrderStatus
from payments.models import JournalEntry, Payment, WebhookEvent
from payments.providers import payment_provider_get
from payments.services import payment_start
from tests.orders.factories import order_place, purchasable_variant
from tests.payments import localstripe_cards as cards

pytestmark = [
    pytest.mark.services,
    pytest.mark.usefixtures("stripe_settings", "celery_worker_process", "transactional_db"),
]


def test_a_stored_event_is_processed_by_the_worker_and_pays_the_order(client):
    order = order_place(lines=[(purchasable_variant(price=4100), 1)])
    payment = payment_start(order_id=order.pk)
    facts = payment_provider_get("stripe").confirm(
        payment_id=payment.pk,
        amount=payment.amount,
        currency=payment.currency,
        order_number=order.number,
        email=order.email,
        payment_method=cards.card_payment_method(),
        idempotency_key=f"{order.number}:payment:{payment.pk}",
    )
    body, signature = cards.signed_event(
        cards.event("payment_intent.succeeded", cards.intent(facts.reference), event_id="evt_worker")
    )

    response = client.post(
        reverse("payments:stripe-webhook"),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )

    assert response.status_code == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        event = WebhookEvent.objects.get(event_id="evt_worker")
        if event.status != WebhookEvent.Status.PENDING:
            break
        time.sleep(0.2)
    assert (event.status, event.attempts, event.last_error) == (WebhookEvent.Status.PROCESSED, 1, "")
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.reference, payment.captured_amount) == (
        Payment.Status.CAPTURED,
        facts.reference,
        4100,
    )
    assert order.status == OrderStatus.PAID
    assert JournalEntry.objects.filter(key=f"capture:{payment.pk}").exists()

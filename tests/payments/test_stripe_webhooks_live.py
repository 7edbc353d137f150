"""Webhooks delivered by a real localstripe process to a live server: localstripe signs and POSTs its
events (about a second after the fact) to ``/payments/webhooks/stripe/``, where they are stored once and
processed (in-process here; ``test_webhook_worker.py`` runs them through a real Celery worker). The tests
wait on localstripe's delivery log, not on the database the live server thread is using."""

import time

import pytest

from orders.models import OrderStatus
from payments.models import JournalEntry, Payment, WebhookEvent
from payments.providers import payment_provider_get
from payments.services import payment_confirm, payment_start
from tests.orders.factories import order_place, purchasable_variant
from tests.payments import localstripe_cards as cards
from tests.plugins.localstripe import DELIVERY_DELAY_SECONDS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]

Status = Payment.Status


def test_checkout_card_payment_then_localstripes_webhook_changes_nothing_more(localstripe_webhook):
    delivered = localstripe_webhook.deliveries("payment_intent.succeeded")
    order = order_place(lines=[(purchasable_variant(price=1999), 1)])
    payment = payment_start(order_id=order.pk)

    payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_payment_method())
    assert payment.status == Status.CAPTURED
    localstripe_webhook.wait_delivered("payment_intent.succeeded", count=delivered + 1)

    event = WebhookEvent.objects.get(type="payment_intent.succeeded")
    assert (event.provider, event.status, event.attempts, event.last_error) == (
        "stripe",
        WebhookEvent.Status.PROCESSED,
        1,
        "",
    )
    assert event.payload["data"]["object"]["id"] == payment.reference
    payment.refresh_from_db()
    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 1999)
    assert JournalEntry.objects.filter(payment=payment, kind=JournalEntry.Kind.CAPTURE).count() == 1


def test_the_webhook_alone_pays_the_order_when_the_confirmation_answer_was_lost(localstripe_webhook):
    delivered = localstripe_webhook.deliveries("payment_intent.succeeded")
    order = order_place(lines=[(purchasable_variant(price=1250), 2)])
    payment = payment_start(order_id=order.pk)

    # The PaymentIntent is created and succeeds, but our server never hears the answer.
    payment_provider_get("stripe").confirm(
        payment_id=payment.pk,
        amount=payment.amount,
        currency=payment.currency,
        order_number=order.number,
        email=order.email,
        payment_method=cards.card_payment_method(),
        idempotency_key=f"{order.number}:payment:{payment.pk}",
    )
    assert Payment.objects.get(pk=payment.pk).reference == ""
    localstripe_webhook.wait_delivered("payment_intent.succeeded", count=delivered + 1)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.reference.startswith("pi_")
    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 2500)
    assert order.status == OrderStatus.PAID
    capture = JournalEntry.objects.get(key=f"capture:{payment.pk}")
    assert sum(line.amount for line in capture.lines.all()) == 0
    assert capture.lines.get(account__kind="provider_cash").amount == 2500


def test_localstripes_failure_event_for_a_card_declined_at_charge_is_matched_by_its_metadata(
    localstripe_webhook,
):
    delivered = localstripe_webhook.deliveries("payment_intent.payment_failed")
    order = order_place(lines=[(purchasable_variant(price=800), 1)])
    payment = payment_start(order_id=order.pk)

    payment = payment_confirm(
        payment_id=payment.pk, payment_method=cards.card_payment_method(cards.DECLINED_AT_CHARGE)
    )
    assert (payment.status, payment.reference) == (Status.FAILED, "")
    localstripe_webhook.wait_delivered("payment_intent.payment_failed", count=delivered + 1)

    event = WebhookEvent.objects.get(type="payment_intent.payment_failed")
    assert event.status == WebhookEvent.Status.PROCESSED
    payment.refresh_from_db()
    assert payment.status == Status.FAILED
    assert payment.reference == event.payload["data"]["object"]["id"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_stripe_dev_setup_points_localstripe_at_the_site(stripe_settings, live_server, settings):
    from django.core.management import call_command

    settings.SITE_URL = live_server.url
    time.sleep(DELIVERY_DELAY_SECONDS)  # earlier tests' events, sent a second late, go nowhere
    delivered = stripe_settings.deliveries("payment_intent.succeeded")
    call_command("stripe_dev_setup", wait=5)
    order = order_place(lines=[(purchasable_variant(price=600), 1)])

    payment_confirm(
        payment_id=payment_start(order_id=order.pk).pk, payment_method=cards.card_payment_method()
    )

    stripe_settings.wait_delivered("payment_intent.succeeded", count=delivered + 1)
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED

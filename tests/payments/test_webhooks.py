"""``POST /payments/webhooks/stripe/`` at the HTTP level: signature checks (nothing stored on a bad one),
store-once by event id, rate limit and body cap, and processing that is idempotent and order-independent.

localstripe sends no refund or dispute events, and cannot be made to send a duplicate or a stale event,
so these tests sign their own events with the webhook secret, as Stripe does; the payments they refer to
are real PaymentIntents at localstripe."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from orders.models import OrderEvent, OrderStatus
from payments.models import JournalEntry, Payment, Refund, WebhookEvent
from payments.services import payment_confirm, payment_start, refund_create
from tests.orders.factories import order_place, purchasable_variant
from tests.payments import localstripe_cards as cards

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "celery_eager")]

URL = "/payments/webhooks/stripe/"
Status = Payment.Status


def _post(client, body: bytes, signature: str | None, **extra):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, data=body, content_type="application/json", **headers, **extra)


def _paid(price=3000, quantity=1):
    order = order_place(lines=[(purchasable_variant(price=price), quantity)])
    payment = payment_start(order_id=order.pk)
    payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_payment_method())
    assert payment.status == Status.CAPTURED
    return order, payment


def _send(client, event, callbacks, **kwargs):
    body, signature = cards.signed_event(event, **kwargs)
    with callbacks(execute=True):
        return _post(client, body, signature)


def test_the_url_is_the_one_stripe_is_given():
    assert reverse("payments:stripe-webhook") == URL


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "t=1,v1=00",
        "garbage",
    ],
    ids=["missing", "empty", "wrong", "malformed"],
)
def test_a_missing_or_wrong_signature_is_a_400_and_nothing_is_stored(client, signature):
    body = json.dumps(cards.event("payment_intent.succeeded", {"id": "pi_1"}, event_id="evt_1")).encode()

    response = _post(client, body, signature)

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_signature_made_with_another_secret_is_refused(client):
    body, signature = cards.signed_event(
        cards.event("payment_intent.succeeded", {"id": "pi_1"}, event_id="evt_1"), secret="whsec_other"
    )

    assert _post(client, body, signature).status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_signature_older_or_newer_than_the_tolerance_is_refused(client, settings):
    settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
    event = cards.event("payment_intent.succeeded", {"id": "pi_1"}, event_id="evt_1")
    for timestamp in (int(time.time()) - 900, int(time.time()) + 900):
        body, signature = cards.signed_event(event, timestamp=timestamp)
        assert _post(client, body, signature).status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_signed_body_that_was_altered_is_refused(client):
    body, signature = cards.signed_event(cards.event("charge.refunded", {"id": "ch_1"}, event_id="evt_1"))

    response = _post(client, body.replace(b"ch_1", b"ch_2"), signature)

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_only_post_and_no_csrf_token_needed():
    client = Client(enforce_csrf_checks=True)
    body, signature = cards.signed_event(cards.event("customer.created", {"id": "cus_1"}, event_id="evt_c"))

    assert client.get(URL).status_code == 405
    assert _post(client, body, signature).status_code == 200


def test_the_same_event_twice_is_stored_once_and_acknowledged_both_times(
    client, django_capture_on_commit_callbacks
):
    order, payment = _paid()
    event = cards.event(
        "payment_intent.succeeded",
        cards.intent(payment.reference),
        event_id="evt_dup",
        created=int(time.time()),
    )

    first = _send(client, event, django_capture_on_commit_callbacks)
    second = _send(client, event, django_capture_on_commit_callbacks)

    assert (first.status_code, first.json()) == (200, {"received": True, "duplicate": False})
    assert (second.status_code, second.json()) == (200, {"received": True, "duplicate": True})
    stored = WebhookEvent.objects.get()
    assert (stored.event_id, stored.status, stored.attempts) == ("evt_dup", WebhookEvent.Status.PROCESSED, 1)
    assert JournalEntry.objects.filter(payment=payment, kind=JournalEntry.Kind.CAPTURE).count() == 1
    assert OrderEvent.objects.filter(order=order, seller_order=None, to_status=OrderStatus.PAID).count() == 1


def test_an_older_failure_event_arriving_after_the_success_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    order, payment = _paid()
    intent = cards.intent(payment.reference)
    failed = {
        **intent,
        "status": "requires_payment_method",
        "last_payment_error": {"code": "card_declined", "message": "Your card was declined."},
    }
    _send(
        client,
        cards.event("payment_intent.succeeded", intent, event_id="evt_ok", created=int(time.time())),
        django_capture_on_commit_callbacks,
    )

    response = _send(
        client,
        cards.event(
            "payment_intent.payment_failed", failed, event_id="evt_old", created=int(time.time()) - 60
        ),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert WebhookEvent.objects.get(event_id="evt_old").status == WebhookEvent.Status.PROCESSED
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.failure_message, payment.captured_amount) == (Status.CAPTURED, "", 3000)
    assert order.status == OrderStatus.PAID


def test_an_event_for_a_payment_intent_that_is_not_ours_is_ignored(
    client, django_capture_on_commit_callbacks
):
    intent = {"id": "pi_elsewhere", "object": "payment_intent", "status": "succeeded", "metadata": {}}

    _send(
        client,
        cards.event("payment_intent.succeeded", intent, event_id="evt_x"),
        django_capture_on_commit_callbacks,
    )

    assert WebhookEvent.objects.get().status == WebhookEvent.Status.IGNORED


def test_unknown_event_types_are_stored_and_ignored(client, django_capture_on_commit_callbacks):
    _send(
        client,
        cards.event("invoice.paid", {"id": "in_1"}, event_id="evt_inv"),
        django_capture_on_commit_callbacks,
    )

    event = WebhookEvent.objects.get()
    assert (event.type, event.status) == ("invoice.paid", WebhookEvent.Status.IGNORED)
    assert event.processed_at is not None


def test_an_event_that_cannot_be_processed_is_recorded_as_failed_and_retried_from_the_admin(
    client, admin_client, django_capture_on_commit_callbacks
):
    _order, payment = _paid()
    intent = {**cards.intent(payment.reference), "currency": "eur"}
    # The provider's answer is in another currency than the order: refused, and visible to operators.
    Payment.objects.filter(pk=payment.pk).update(currency="EUR")

    _send(
        client,
        cards.event("payment_intent.succeeded", intent, event_id="evt_bad"),
        django_capture_on_commit_callbacks,
    )

    event = WebhookEvent.objects.get()
    assert (event.status, event.attempts) == (WebhookEvent.Status.FAILED, 1)
    assert "currency" in event.last_error
    changelist = admin_client.get(reverse("admin:payments_webhookevent_changelist") + "?status=failed")
    assert b"evt_bad" in changelist.content

    Payment.objects.filter(pk=payment.pk).update(currency="USD")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:payments_webhookevent_changelist"),
            {"action": "retry", "_selected_action": [event.pk]},
        )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == (WebhookEvent.Status.PROCESSED, 2, "")


def test_the_endpoint_is_rate_limited_per_client_address(client, settings):
    settings.STRIPE_WEBHOOK_RATE_LIMIT = 3
    body, signature = cards.signed_event(cards.event("customer.created", {"id": "cus_1"}, event_id="evt_r"))

    codes = [_post(client, body, signature).status_code for _ in range(5)]
    other = _post(client, body, signature, REMOTE_ADDR="10.0.0.9").status_code

    assert codes == [200, 200, 200, 429, 429]
    assert other == 200


def test_a_body_over_the_cap_is_refused_unread(client, settings):
    settings.STRIPE_WEBHOOK_MAX_BYTES = 1000
    event = cards.event("customer.created", {"id": "cus_1", "description": "x" * 2000}, event_id="evt_big")
    body, signature = cards.signed_event(event)

    assert _post(client, body, signature).status_code == 413
    assert WebhookEvent.objects.count() == 0


def test_a_refund_made_in_the_stripe_dashboard_is_recorded_once_and_ours_are_not_counted_twice(
    client, django_capture_on_commit_callbacks
):
    order, payment = _paid(price=1000, quantity=4)
    part = order.seller_orders.get()
    line = part.lines.get()
    ours = refund_create(
        payment_id=payment.pk,
        idempotency_key="test:ours",
        reason=Refund.Reason.RETURN,
        seller_order_id=part.pk,
        lines=[(line.pk, 1)],
    )
    assert (ours.status, ours.amount) == (Refund.Status.SUCCEEDED, 1000)
    dashboard = cards.refund_in_dashboard(payment.reference, 700)
    charge = cards.intent(payment.reference)["latest_charge"]
    event = cards.event("charge.refunded", charge, event_id="evt_refunded")

    _send(client, event, django_capture_on_commit_callbacks)
    _send(client, {**event, "id": "evt_refunded_again"}, django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Status.PARTIALLY_REFUNDED, 1700)
    recorded = Refund.objects.get(reference=dashboard["id"])
    assert (recorded.amount, recorded.status, recorded.seller_order_id, recorded.reason) == (
        700,
        Refund.Status.SUCCEEDED,
        None,
        Refund.Reason.OTHER,
    )
    assert Refund.objects.filter(payment=payment).count() == 2
    assert JournalEntry.objects.filter(payment=payment, kind=JournalEntry.Kind.REFUND).count() == 2
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEvent.Status.PROCESSED}


def test_a_dispute_posts_a_chargeback_once_and_notes_it_on_the_order(
    client, django_capture_on_commit_callbacks
):
    order, payment = _paid(price=4200)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 4200,
        "currency": "usd",
        "charge": payment.charge_reference,
        "payment_intent": payment.reference,
        "reason": "fraudulent",
        "status": "needs_response",
    }

    _send(
        client,
        cards.event("charge.dispute.created", dispute, event_id="evt_dp"),
        django_capture_on_commit_callbacks,
    )
    _send(
        client,
        cards.event("charge.dispute.created", dispute, event_id="evt_dp2"),
        django_capture_on_commit_callbacks,
    )

    entry = JournalEntry.objects.get(kind=JournalEntry.Kind.CHARGEBACK)
    assert entry.key == "chargeback:dp_1"
    assert {(line.account.kind, line.amount) for line in entry.lines.select_related("account")} == {
        ("chargebacks", 4200),
        ("provider_cash", -4200),
    }
    note = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE)
    assert note.data == {"dispute": "dp_1", "amount": 4200, "payment_id": payment.pk}


def test_a_signed_event_for_an_intent_the_provider_does_not_know_pays_nothing(
    client, django_capture_on_commit_callbacks, caplog
):
    # A forged or replayed body, correctly signed, naming a real unpaid order in its metadata: only what
    # Stripe itself returns may change a payment, and Stripe answers 404 for this intent.
    order = order_place(lines=[(purchasable_variant(price=2500), 1)])
    payment = payment_start(order_id=order.pk)
    intent = {
        "id": "pi_forged_000000000000",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": order.total_amount,
        "amount_received": order.total_amount,
        "currency": order.currency.lower(),
        "metadata": {"payment_id": str(payment.pk), "order_number": order.number},
    }

    response = _send(
        client,
        cards.event("payment_intent.succeeded", intent, event_id="evt_forged"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200  # stored for the record, and failed
    event = WebhookEvent.objects.get(event_id="evt_forged")
    assert event.status == WebhookEvent.Status.FAILED
    assert "does not know" in event.last_error
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.captured_amount) != (Status.CAPTURED, order.total_amount)
    assert payment.captured_amount == 0
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert not JournalEntry.objects.filter(payment=payment).exists()
    assert "does not know" in caplog.text

"""Provider webhook events: stored once by their id on arrival, processed later by a worker.

The request path (``payments.views.StripeWebhookView``) only verifies the signature, inserts the event and
enqueues it after commit: a redelivered event hits the unique constraint and is acknowledged without
anything else happening. Processing (``webhook_event_process``) is idempotent and order-independent: it
re-reads the PaymentIntent from the provider — the current truth, whatever order the events came in — and
applies it through ``payments.services.payment_facts_apply``. Only what the provider returns may change a
payment: an intent it does not know fails the event and changes nothing (the body alone is never
trusted). Failures are
recorded on the event (status, attempts, last error) for operators, who can retry from the admin.

Handled: ``payment_intent.*``, ``charge.refunded`` / refund updates (refunds made in the Stripe dashboard
are reconciled by their id; localstripe sends none, the tests sign their own), ``charge.dispute.created``.
Anything else is marked ignored.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from common.exceptions import ApplicationError
from payments.models import Payment, WebhookEvent
from payments.providers import (
    ProviderRefused,
    ProviderUnavailable,
    event_time,
    payment_provider_get,
)
from payments.services import payment_dispute_record, payment_facts_apply

logger = logging.getLogger(__name__)

Status = WebhookEvent.Status

# How long an event whose payment the provider cannot be asked about stays pending (Stripe itself
# retries a webhook for three days; after this an operator decides).
PROVIDER_OUTAGE_WINDOW = timedelta(hours=6)

REFUND_EVENTS = {
    "charge.refunded",
    "charge.refund.updated",
    "refund.created",
    "refund.updated",
    "refund.failed",
}
DISPUTE_EVENTS = {"charge.dispute.created", "charge.dispute.funds_withdrawn"}


class WebhookEventInvalid(Exception):
    pass


def webhook_event_store(*, provider: str, event: dict) -> tuple[int | None, bool]:
    """Insert a verified event once; ``(pk, created)``. A redelivery returns ``(None, False)``. The
    processing task is enqueued once the insert is committed.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` statement in autocommit: the request path's
    only database round trip, and the unique constraint decides between two deliveries racing."""
    event_id = event.get("id")
    event_type = event.get("type")
    if not isinstance(event_id, str) or not event_id or len(event_id) > 100:
        raise WebhookEventInvalid("event without an id")
    if not isinstance(event_type, str) or not event_type or len(event_type) > 100:
        raise WebhookEventInvalid("event without a type")
    try:
        created_at = event_time(event)
    except (ValueError, OverflowError, OSError):
        raise WebhookEventInvalid("event time out of range") from None
    values = {
        "provider": provider,
        "event_id": event_id,
        "type": event_type,
        "provider_created_at": created_at,
        "payload": event,
        "status": Status.PENDING,
        "attempts": 0,
        "last_error": "",
        "received_at": timezone.now(),
    }
    connection = connections[WebhookEvent.objects.db]
    fields = [WebhookEvent._meta.get_field(name) for name in values]
    quote = connection.ops.quote_name
    table = quote(WebhookEvent._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    conflict = f"ON CONFLICT ({quote('provider')}, {quote('event_id')}) DO NOTHING RETURNING {quote('id')}"
    # Only quoted identifiers from the model's metadata are formatted in; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {conflict}"  # noqa: S608
    params = [f.get_db_prep_save(values[f.name], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, False
    pk = row[0]
    transaction.on_commit(lambda: _enqueue(pk))
    return pk, True


def _enqueue(event_pk: int) -> None:
    from payments.tasks import webhook_event_process_enqueue

    webhook_event_process_enqueue(event_pk=event_pk)


def webhook_event_process(*, event_pk: int, final_attempt: bool = True) -> str:
    """Apply one stored event; returns its status afterwards. Raises ``ProviderUnavailable`` (and database
    errors) for the task to retry, unless this is the task's ``final_attempt``: then the event stays
    pending for the sweeper (``payments.webhook_events_resume``, every minute) while it is younger than
    ``PROVIDER_OUTAGE_WINDOW``, and is marked failed (for an operator to retry) once it is older."""
    event = WebhookEvent.objects.get(pk=event_pk)
    if event.status in (Status.PROCESSED, Status.IGNORED):
        return event.status
    WebhookEvent.objects.filter(pk=event_pk).update(attempts=F("attempts") + 1)
    try:
        outcome = _dispatch(event)
    except ProviderUnavailable as exc:
        give_up = final_attempt and event.received_at < timezone.now() - PROVIDER_OUTAGE_WINDOW
        _record(event_pk, Status.FAILED if give_up else Status.PENDING, f"provider unavailable: {exc}")
        if final_attempt:
            return Status.FAILED if give_up else Status.PENDING
        raise
    except ApplicationError as exc:
        _record(event_pk, Status.FAILED, f"{exc.message} {exc.extra or ''}".strip())
        return Status.FAILED
    except Exception as exc:
        logger.exception("webhook event %s (%s) failed", event.event_id, event.type)
        _record(event_pk, Status.FAILED, f"{type(exc).__name__}: {exc}")
        return Status.FAILED
    _record(event_pk, outcome, "")
    return outcome


def _record(event_pk: int, status: str, error: str) -> None:
    WebhookEvent.objects.filter(pk=event_pk).update(
        status=status,
        last_error=error[:2000],
        processed_at=timezone.now() if status in (Status.PROCESSED, Status.IGNORED) else None,
    )


@transaction.atomic
def webhook_event_retry(*, event_pk: int) -> None:
    """An operator asks for a failed event to be processed again."""
    updated = WebhookEvent.objects.filter(pk=event_pk, status=Status.FAILED).update(
        status=Status.PENDING, last_error=""
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(event_pk))


# --- dispatch -------------------------------------------------------------------------------------


def _dispatch(event: WebhookEvent) -> str:
    obj = ((event.payload or {}).get("data") or {}).get("object") or {}
    if not isinstance(obj, dict):
        return Status.IGNORED
    if event.type.startswith("payment_intent."):
        return _intent_event(obj, event.provider_created_at)
    if event.type in REFUND_EVENTS:
        return _refund_event(obj, event.provider_created_at)
    if event.type in DISPUTE_EVENTS:
        return _dispute_event(obj)
    return Status.IGNORED


def _payment_for(intent_id: str, metadata: dict | None = None) -> Payment | None:
    """Our payment for a PaymentIntent: by its id, or — when our confirmation never learned the id (the
    answer was lost, or a decline carried no intent) — by the payment id and order number we put in its
    metadata. An intent that is not ours (another environment on the same account) matches nothing."""
    if not intent_id:
        return None
    payment = Payment.objects.filter(provider="stripe", reference=intent_id).first()
    if payment is not None or not metadata:
        return payment
    payment_id = str(metadata.get("payment_id") or "")
    if not payment_id.isdigit():
        return None
    return (
        Payment.objects.filter(
            provider="stripe", pk=int(payment_id), reference="", order__number=metadata.get("order_number")
        )
        .select_related("order")
        .first()
    )


def _intent_facts(payment: Payment, intent_id: str):
    """What the provider itself says about the intent. Only that may change a payment: the event's body
    is just a hint of what to re-read, so an intent the provider does not know (a forged or replayed
    body, another account) fails the event, changes nothing and is logged for operators."""
    try:
        return payment_provider_get(payment.provider).retrieve(reference=intent_id)
    except ProviderRefused as exc:
        if exc.not_found:
            logger.error(
                "webhook names payment intent %s of payment %s, which the provider does not know",
                intent_id,
                payment.pk,
            )
            raise ApplicationError(
                f"the provider does not know payment intent {intent_id}; nothing was changed"
            ) from None
        raise ApplicationError(exc.message) from None


def _intent_event(intent: dict, occurred_at: datetime) -> str:
    payment = _payment_for(str(intent.get("id") or ""), intent.get("metadata"))
    if payment is None:
        return Status.IGNORED
    facts = _intent_facts(payment, intent["id"])
    payment_facts_apply(payment_id=payment.pk, facts=facts)
    return Status.PROCESSED


def _refund_event(obj: dict, occurred_at: datetime) -> str:
    """A charge (``charge.refunded``) or a refund (``refund.*``): re-read the intent and its refunds."""
    intent_id = obj.get("payment_intent")
    if isinstance(intent_id, dict):
        intent_id = intent_id.get("id")
    payment = _payment_for(str(intent_id or ""))
    if payment is None:
        return Status.IGNORED
    provider = payment_provider_get(payment.provider)
    facts = _intent_facts(payment, payment.reference)
    try:
        refunds = provider.refunds(reference=payment.reference)
    except ProviderRefused as exc:
        raise ApplicationError(exc.message) from None
    payment_facts_apply(payment_id=payment.pk, facts=_with_refunds(facts, refunds))
    return Status.PROCESSED


def _with_refunds(facts, refunds):
    from dataclasses import replace

    return replace(facts, refunds=tuple(refunds))


def _dispute_event(dispute: dict) -> str:
    intent_id = dispute.get("payment_intent")
    payment = _payment_for(str(intent_id or ""))
    if payment is None and dispute.get("charge"):
        payment = Payment.objects.filter(provider="stripe", charge_reference=str(dispute["charge"])).first()
    if payment is None:
        return Status.IGNORED
    reference = str(dispute.get("id") or "")
    if not reference:
        raise ApplicationError("dispute without an id")
    payment_dispute_record(
        payment_id=payment.pk,
        dispute_reference=reference,
        amount=int(dispute.get("amount") or 0),
        currency=str(dispute.get("currency") or ""),
    )
    return Status.PROCESSED

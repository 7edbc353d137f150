"""Payment work done by Celery workers (or in-process when there is no broker): webhook events, manual
captures, refunds after cancellations and late payments, and the sweepers that resume work whose enqueue
was lost. Tasks are thin: ids in, one service call, idempotent; only "provider unreachable" (and database
hiccups) are retried, with exponential backoff capped at 30 s (common.taskpolicy: a message waiting for
its retry must not outlive the broker's visibility timeout). Webhook events and refunds retry briefly and
then stay pending for the sweepers (every minute), which is how a long provider outage is ridden out;
captures and cancellation refunds have no sweeper of their own and retry for half an hour.

The ``*_enqueue`` helpers are what services call after commit: an enqueue that fails (broker down) is
logged and left to the sweepers, never turned into an error for the request that caused it.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError
from django.utils import timezone

from common.taskpolicy import ITEM_SOFT_TIME_LIMIT, ITEM_TIME_LIMIT, retries_for, retry_countdown
from payments.providers import ProviderUnavailable

logger = logging.getLogger(__name__)

# Work a sweeper resumes: a few quick retries, then the next sweep.
SWEPT_RETRIES = 3
# Work nothing else resumes: keep trying for about half an hour.
MAX_RETRIES = retries_for(30 * 60)
TRANSIENT = (ProviderUnavailable, OperationalError)
# A row the task names that does not exist (any more): nothing to do, and retrying cannot help.
GONE = ObjectDoesNotExist


def _run(task, service, **kwargs):
    """Call the task's one service: a row that is gone ends the task, a transient failure retries it."""
    try:
        return service(**kwargs)
    except GONE:
        logger.warning("%s: %s is gone", task.name, kwargs)
        return None
    except TRANSIENT as exc:
        raise task.retry(exc=exc, countdown=retry_countdown(task.request.retries)) from None


def _enqueue(task, **kwargs) -> None:
    countdown = kwargs.pop("countdown", None)
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown)
    except Exception:
        # Broker down — or, with no broker, the task ran here and failed (it has recorded what it could).
        logger.exception("%s %s did not run; the sweeper will resume it", task.name, kwargs)


# --- webhook events -------------------------------------------------------------------------------


@shared_task(
    name="payments.webhook_event_process",
    bind=True,
    acks_late=True,
    max_retries=SWEPT_RETRIES,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
    # The outcome is recorded on the event row; nobody waits for a result (and not asking for one keeps
    # the webhook request from subscribing to the result backend).
    ignore_result=True,
)
def webhook_event_process_task(self, event_pk: int) -> str | None:
    from payments.webhooks import webhook_event_process

    final = self.request.retries >= self.max_retries
    return _run(self, webhook_event_process, event_pk=event_pk, final_attempt=final)


def webhook_event_process_enqueue(*, event_pk: int) -> None:
    _enqueue(webhook_event_process_task, event_pk=event_pk)


@shared_task(
    name="payments.webhook_events_resume",
    acks_late=False,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def webhook_events_resume_task() -> int:
    """Events still pending a while after they arrived (their enqueue was lost, their worker died, or
    the provider has been unreachable) go to the workers again (beat: every minute)."""
    from payments.selectors import webhook_event_ids_stale

    event_pks = webhook_event_ids_stale(now=timezone.now())
    for event_pk in event_pks:
        webhook_event_process_enqueue(event_pk=event_pk)
    return len(event_pks)


# --- captures and refunds -------------------------------------------------------------------------


@shared_task(
    name="payments.payment_capture",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def payment_capture_task(self, payment_id: int) -> str | None:
    """Capture an authorised payment (manual capture) — where a risk hold will go."""
    from payments.services import payment_capture

    payment = _run(self, payment_capture, payment_id=payment_id)
    return payment.status if payment else None


def payment_capture_enqueue(*, payment_id: int) -> None:
    _enqueue(payment_capture_task, payment_id=payment_id)


@shared_task(
    name="payments.payment_late_refund",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def payment_late_refund_task(self, payment_id: int) -> int | None:
    """Refund a payment that arrived for an order cancelled, expired or paid meanwhile."""
    from payments.services import payment_late_refund

    refund = _run(self, payment_late_refund, payment_id=payment_id)
    return refund.pk if refund else None


def payment_late_refund_enqueue(*, payment_id: int) -> None:
    _enqueue(payment_late_refund_task, payment_id=payment_id)


@shared_task(
    name="payments.seller_order_cancel_refund",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def seller_order_cancel_refund_task(self, seller_order_id: int) -> int | None:
    """Refund a paid seller order that was cancelled (by the shopper, the seller or an operator)."""
    from payments.services import seller_order_cancel_refund

    refund = _run(self, seller_order_cancel_refund, seller_order_id=seller_order_id)
    return refund.pk if refund else None


def seller_order_cancel_refund_enqueue(*, seller_order_id: int) -> None:
    _enqueue(seller_order_cancel_refund_task, seller_order_id=seller_order_id)


@shared_task(
    name="payments.refund_submit",
    bind=True,
    acks_late=True,
    max_retries=SWEPT_RETRIES,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def refund_submit_task(self, refund_id: int) -> str | None:
    """Ask the provider again for a refund it could not be reached for (same idempotency key)."""
    from payments.services import refund_submit

    refund = _run(self, refund_submit, refund_id=refund_id)
    return refund.status if refund else None


def refund_submit_enqueue(*, refund_id: int, countdown: int | None = None) -> None:
    _enqueue(refund_submit_task, refund_id=refund_id, countdown=countdown)


@shared_task(
    name="payments.refunds_resume",
    acks_late=False,
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def refunds_resume_task() -> int:
    """Refunds still pending after a couple of minutes, and paid seller orders cancelled in the last
    week that have no cancellation refund yet, go to the workers again (beat: every minute)."""
    from payments.selectors import refund_ids_stale, seller_order_ids_cancelled_unrefunded

    now = timezone.now()
    refund_ids = refund_ids_stale(now=now)
    for refund_id in refund_ids:
        refund_submit_enqueue(refund_id=refund_id)
    part_ids = seller_order_ids_cancelled_unrefunded(now=now)
    for part_id in part_ids:
        seller_order_cancel_refund_enqueue(seller_order_id=part_id)
    return len(refund_ids) + len(part_ids)

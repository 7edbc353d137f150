"""The one e-mail task, ``common.email_send``, and the helper that schedules it.

Domain code (``orders.lifecycle.notifications``, catalog's listing review, accounts' seller review) decides who is
told what, after its change has committed, and calls ``email_send_enqueue`` with JSON values: recipient,
language, template and a small context of strings and numbers (never model instances). A worker renders
the message in that language and sends it. What a mail server can fix by waiting (unreachable, hung up,
timed out, a 4xx answer) is retried with exponential backoff, ``MAX_RETRIES`` times; a permanent answer
fails the task at once. Delivery is at least once: a worker lost between the send and the ack sends it
again (``acks_late``), which beats losing the mail.

Without a broker (the embedded mode) the task runs in the calling process, so the demo's console mails
and the tests' ``mail.outbox`` behave as before; there, a failed send is tried once (Celery raises the
``Retry`` instead of waiting in the request) and logged.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from common.mail import email_send, smtp_error_is_transient
from common.taskpolicy import ITEM_SOFT_TIME_LIMIT, ITEM_TIME_LIMIT, retries_for, retry_countdown

logger = logging.getLogger(__name__)

# Half an hour of a mail server that is down, in retries no more than 30 s apart (common.taskpolicy).
MAX_RETRIES = retries_for(30 * 60)


def email_retry_countdown(retries: int) -> int:
    """Seconds before the next attempt: 5, 10, 20, then every 30 s."""
    return retry_countdown(retries)


@shared_task(  # type: ignore[untyped-decorator]  # celery has no type information
    name="common.email_send",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    # EMAIL_TIMEOUT bounds each socket operation; these bound the whole conversation with the server.
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
    time_limit=ITEM_TIME_LIMIT,
    # Nobody waits for a mail's result.
    ignore_result=True,
)
def email_send_task(self: Any, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    try:
        email_send(to=to, language=language, template=template, context=context)
    except Exception as exc:
        if not (isinstance(exc, SoftTimeLimitExceeded) or smtp_error_is_transient(exc)):
            raise
        retries = self.request.retries
        logger.warning("e-mail %s to %s failed (attempt %s): %r", template, to, retries + 1, exc)
        raise self.retry(exc=exc, countdown=email_retry_countdown(retries)) from None


def email_send_enqueue(*, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Schedule one message; call it only once the change the mail is about has committed. A broker that
    is down — or, without one, a send that failed in this process — is logged: a mail never fails the
    request or task that caused it."""
    try:
        email_send_task.apply_async(
            kwargs={"to": to, "language": language, "template": template, "context": context}
        )
    except Exception:
        logger.exception("e-mail %s to %s was not sent", template, to)

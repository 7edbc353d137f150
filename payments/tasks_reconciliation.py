"""The reconciliation task (beat: ``payments-reconciliation-daily``, for yesterday UTC, hourly until done)."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from payments.reconciliation import reconciliation_done, reconciliation_run

logger = logging.getLogger(__name__)


@shared_task(name="payments.reconciliation_run", acks_late=False, time_limit=600, soft_time_limit=540)
def reconciliation_run_task(day: str | None = None, provider: str = "stripe") -> str:
    """Reconcile one UTC day (ISO date) with the provider and return the report's status; running a day
    again replaces its report. Without a day (beat, hourly from 02:30 UTC) it reconciles yesterday unless
    yesterday already has a report that is not an error: so a provider that could not be read, or a run
    lost with its worker, is tried again the next hour (common.taskpolicy: no long countdowns)."""
    if provider == "stripe" and not settings.STRIPE_SECRET_KEY:
        logger.info("reconciliation skipped: Stripe is not configured (STRIPE_SECRET_KEY)")
        return "skipped"
    if day is None:
        the_day = (timezone.now() - timedelta(days=1)).date()
        if reconciliation_done(provider=provider, day=the_day):
            return "done"
    else:
        the_day = date.fromisoformat(day)
    return reconciliation_run(provider=provider, day=the_day).status

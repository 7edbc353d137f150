"""The daily reconciliation task (beat: ``payments-reconciliation-daily``, for yesterday UTC)."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from payments.models import ReconciliationReport
from payments.reconciliation import reconciliation_run

logger = logging.getLogger(__name__)

RETRIES = 3
RETRY_BASE_SECONDS = 15 * 60


@shared_task(
    bind=True,
    name="payments.reconciliation_run",
    acks_late=True,
    max_retries=RETRIES,
    time_limit=600,
    soft_time_limit=540,
)
def reconciliation_run_task(self, day: str | None = None, provider: str = "stripe") -> str:
    """Reconcile one UTC day (ISO date; default yesterday) with the provider and return the report's
    status. Running a day again replaces its report. A provider that could not be read is tried again
    later (15, 30, 60 minutes); the report says "error" meanwhile."""
    if provider == "stripe" and not settings.STRIPE_SECRET_KEY:
        logger.info("reconciliation skipped: Stripe is not configured (STRIPE_SECRET_KEY)")
        return "skipped"
    the_day = date.fromisoformat(day) if day else (timezone.now() - timedelta(days=1)).date()
    report = reconciliation_run(provider=provider, day=the_day)
    if report.status == ReconciliationReport.Status.ERROR and self.request.retries < RETRIES:
        raise self.retry(
            kwargs={"day": the_day.isoformat(), "provider": provider},
            countdown=RETRY_BASE_SECONDS * 2**self.request.retries,
        )
    return report.status

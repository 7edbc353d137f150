"""Celery tasks of seller funds and payouts (thin: re-read, call one service). Beat runs the release hourly
and the payout run daily, repeated hourly in case a run was lost (``CELERY_BEAT_SCHEDULE``); ``payout_submit`` is queued after a run commits."""

from celery import shared_task
from django.utils import timezone

from common.taskpolicy import ITEM_SOFT_TIME_LIMIT, ITEM_TIME_LIMIT, RETRY_COUNTDOWN_MAX, retries_for
from payments.payouts import PayoutProviderUnavailable
from payments.services_payouts import payout_submit, payouts_run, seller_funds_release


@shared_task(name="payments.seller_funds_release", acks_late=False, time_limit=600, soft_time_limit=540)
def seller_funds_release_task() -> int:
    """Make available the money of seller orders completed more than SELLER_FUNDS_HOLD_DAYS ago."""
    return seller_funds_release(now=timezone.now())


@shared_task(name="payments.payouts_run", acks_late=False, time_limit=1800, soft_time_limit=1740)
def payouts_run_task() -> list[int]:
    """The daily payout run; its key is the UTC date, so a repeated or retried run pays nobody twice."""
    result = payouts_run(run_key=f"daily:{timezone.now():%Y-%m-%d}")
    return result.created


@shared_task(
    name="payments.payout_submit",
    acks_late=True,
    autoretry_for=(PayoutProviderUnavailable,),
    retry_backoff=5,
    retry_backoff_max=RETRY_COUNTDOWN_MAX,
    max_retries=retries_for(30 * 60),
    time_limit=ITEM_TIME_LIMIT,
    soft_time_limit=ITEM_SOFT_TIME_LIMIT,
)
def payout_submit_task(payout_id: int) -> str:
    """Give one payout to its automatic provider (Stripe Connect); a no-op once it was answered."""
    return payout_submit(payout_id=payout_id).status

"""Thin Celery tasks: each calls one service. The rollup jobs are beat sweeps (``common.taskpolicy``):
``acks_late=False``, so one lost with its worker simply runs again at beat's next tick, which is safe
because a day is always rebuilt whole (idempotent)."""

from celery import shared_task

from analytics.rollups.services import rollup_nightly, rollup_recent
from analytics.services import events_flush


@shared_task(name="analytics.events_flush", acks_late=False, time_limit=120, soft_time_limit=100)
def events_flush_task() -> int:
    """Drain the event buffer into the database (scheduled by beat every few seconds)."""
    return events_flush()


@shared_task(name="analytics.rollup_recent", acks_late=False, time_limit=300, soft_time_limit=240)
def rollup_recent_task() -> list[str]:
    """Today's facts and hours, then the dirty days (beat, every ten minutes: done well within that)."""
    return [day.isoformat() for day in rollup_recent()]


@shared_task(name="analytics.rollup_nightly", acks_late=False, time_limit=1800, soft_time_limit=1740)
def rollup_nightly_task() -> None:
    """Close yesterday, snapshot stock, prune old hours and events (beat, hourly; works once a day)."""
    rollup_nightly()

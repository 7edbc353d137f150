"""Thin Celery tasks: each calls one service. The rollup jobs are idempotent (a day is rebuilt whole), so
a run redelivered after a lost worker only does the work again; their time limits stay inside the
broker's visibility timeout (120 s)."""

from celery import shared_task

from analytics.rollups.services import rollup_nightly, rollup_recent
from analytics.services import events_flush


@shared_task(name="analytics.events_flush", acks_late=True, time_limit=120, soft_time_limit=100)
def events_flush_task() -> int:
    """Drain the event buffer into the database (scheduled by beat every few seconds)."""
    return events_flush()


@shared_task(name="analytics.rollup_recent", acks_late=True, time_limit=110, soft_time_limit=100)
def rollup_recent_task() -> list[str]:
    """Today's facts and hours, then the dirty days (beat, every ten minutes)."""
    return [day.isoformat() for day in rollup_recent()]


@shared_task(name="analytics.rollup_nightly", acks_late=True, time_limit=110, soft_time_limit=100)
def rollup_nightly_task() -> None:
    """Close yesterday, snapshot stock, prune old hours and events (beat, hourly; works once a day)."""
    rollup_nightly()

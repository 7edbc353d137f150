from celery import shared_task

from analytics.services import events_flush


@shared_task(name="analytics.events_flush", acks_late=False, time_limit=120, soft_time_limit=100)
def events_flush_task() -> int:
    """Drain the event buffer into the database (scheduled by beat every few seconds)."""
    return events_flush()

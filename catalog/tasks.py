from celery import shared_task
from django.utils import timezone

from catalog.services import products_schedule_run


@shared_task(name="catalog.products_schedule_run", acks_late=False, time_limit=300, soft_time_limit=240)
def products_schedule_run_task() -> dict[str, int]:
    """Publish and delist listings whose scheduled time has come (beat runs it every minute)."""
    return products_schedule_run(now=timezone.now())

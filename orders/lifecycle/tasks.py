from celery import shared_task
from django.utils import timezone

from orders.lifecycle.services import orders_expire_unpaid, seller_orders_autocomplete


@shared_task(name="orders.orders_expire_unpaid", acks_late=False, time_limit=300, soft_time_limit=240)
def orders_expire_unpaid_task() -> int:
    """Cancel unpaid orders past their payment window and give their stock back (beat: every minute)."""
    return orders_expire_unpaid(now=timezone.now())


@shared_task(name="orders.seller_orders_autocomplete", acks_late=False, time_limit=600, soft_time_limit=540)
def seller_orders_autocomplete_task() -> int:
    """Complete seller orders delivered more than ORDER_AUTOCOMPLETE_DAYS ago (beat: hourly)."""
    return seller_orders_autocomplete(now=timezone.now())

"""Reads for the payments sweepers: work whose enqueue was lost (``payments.tasks`` re-enqueues it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from orders.models import OrderEvent, OrderStatus, SellerOrder
from payments.models import Refund, WebhookEvent

# Work younger than this may still be on its way to a worker, or in its task's first quick retries; older
# work was lost with a worker or outlasted those retries (common.taskpolicy).
GRACE = timedelta(minutes=2)


def webhook_event_ids_stale(*, now: datetime, limit: int = 500) -> list[int]:
    """Events still pending a while after they arrived."""
    stale = WebhookEvent.objects.filter(status=WebhookEvent.Status.PENDING, received_at__lt=now - GRACE)
    return list(stale.order_by("pk").values_list("pk", flat=True)[:limit])


def refund_ids_stale(*, now: datetime, limit: int = 200) -> list[int]:
    """Refunds still pending a while after they were created (the provider was not reached)."""
    pending = Refund.objects.filter(status=Refund.Status.PENDING, created_at__lt=now - GRACE)
    return list(pending.order_by("pk").values_list("pk", flat=True)[:limit])


def seller_order_ids_cancelled_unrefunded(*, now: datetime, limit: int = 200) -> list[int]:
    """Paid seller orders cancelled in the last week that have no cancellation refund yet."""
    paid_then_cancelled = (
        OrderEvent.objects.filter(
            kind=OrderEvent.Kind.STATUS,
            to_status=OrderStatus.CANCELLED,
            seller_order__isnull=False,
            created_at__gte=now - timedelta(days=7),
            created_at__lt=now - GRACE,
        )
        .exclude(from_status=OrderStatus.PENDING_PAYMENT)
        .values_list("seller_order_id", flat=True)
    )
    refunded = Refund.objects.filter(idempotency_key__startswith="cancel:").values_list(
        "seller_order_id", flat=True
    )
    return list(
        SellerOrder.objects.filter(pk__in=paid_then_cancelled, order__payments__captured_amount__gt=0)
        .exclude(pk__in=refunded)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )

"""What the payments app does when orders' domain events happen (subscribed in ``PaymentsConfig.ready``)."""

from __future__ import annotations

from common.domain_events import subscribe
from orders.domain_events import SellerOrderCancelled
from payments import tasks


def seller_order_cancelled(event: SellerOrderCancelled) -> None:
    # A part cancelled after payment is refunded in full, by a worker (the provider call is slow); a lost
    # enqueue is picked up by ``payments.refunds_resume``.
    if event.was_paid:
        tasks.seller_order_cancel_refund_enqueue(seller_order_id=event.seller_order_id)


def register() -> None:
    subscribe(SellerOrderCancelled, seller_order_cancelled)

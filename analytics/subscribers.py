"""What analytics does when other apps' domain events happen (subscribed in ``AnalyticsConfig.ready``):
mark the platform days whose facts the change touches for a rebuild by the ten-minute job — the day the
order was placed (its orders, GMV, late shipments) and today, when the payment, refund, cancellation or
commission posting books (``analytics.rollups``). A mark is one upsert; the rebuild runs in the job."""

from __future__ import annotations

from datetime import date

from analytics.rollups.calendar import local_day, today
from analytics.rollups.services import rollup_days_dirty_mark
from common.domain_events import subscribe
from orders.domain_events import OrderCancelled, OrderPaid, SellerOrderStatusChanged
from orders.models import Order
from payments.domain_events import PaymentCaptured, RefundSettled


def _order_days_mark(order_id: int) -> None:
    marked: set[date] = {today()}
    placed_at = Order.objects.filter(pk=order_id).values_list("placed_at", flat=True).first()
    if placed_at is not None:
        marked.add(local_day(placed_at))
    rollup_days_dirty_mark(days=marked)


def order_paid(event: OrderPaid) -> None:
    _order_days_mark(event.order_id)


def order_cancelled(event: OrderCancelled) -> None:
    _order_days_mark(event.order_id)


def seller_order_status_changed(event: SellerOrderStatusChanged) -> None:
    _order_days_mark(event.order_id)


def payment_captured(event: PaymentCaptured) -> None:
    _order_days_mark(event.order_id)


def refund_settled(event: RefundSettled) -> None:
    if event.succeeded:
        _order_days_mark(event.order_id)


def register() -> None:
    subscribe(OrderPaid, order_paid)
    subscribe(OrderCancelled, order_cancelled)
    subscribe(SellerOrderStatusChanged, seller_order_status_changed)
    subscribe(PaymentCaptured, payment_captured)
    subscribe(RefundSettled, refund_settled)

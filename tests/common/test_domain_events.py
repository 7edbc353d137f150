"""The event seam: handlers run after the publisher's transaction commits (never for a rollback), each on
its own; and the orders lifecycle publishes what higher apps subscribe to."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from common.domain_events import DomainEvent, publish, subscribe, subscribers, unsubscribe
from orders.domain_events import OrderCancelled, OrderPaid, OrderPlaced, SellerOrderCancelled
from orders.lifecycle.services import order_cancel_by_shopper, order_payment_confirmed
from orders.models import OrderStatus
from tests.orders.factories import order_place

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Happened(DomainEvent):
    n: int


@pytest.fixture
def received():
    seen: list[DomainEvent] = []
    types = (Happened, OrderPlaced, OrderPaid, OrderCancelled, SellerOrderCancelled)
    for event_type in types:
        subscribe(event_type, seen.append)
    yield seen
    for event_type in types:
        unsubscribe(event_type, seen.append)


def test_a_handler_runs_only_after_the_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(Happened(n=1))
        assert received == []

    assert received == [Happened(n=1)]


def test_a_rolled_back_change_is_never_announced(received, django_capture_on_commit_callbacks):
    def change_that_fails() -> None:
        with transaction.atomic():
            publish(Happened(n=2))
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()

    assert received == []


def test_a_failing_handler_is_logged_and_the_others_still_run_outside_strict_mode(
    received, settings, django_capture_on_commit_callbacks, caplog
):
    settings.DOMAIN_EVENTS_STRICT = False

    def broken(event: DomainEvent) -> None:
        raise ValueError("subscriber bug")

    subscribe(Happened, broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publish(Happened(n=3))
    finally:
        unsubscribe(Happened, broken)

    assert received == [Happened(n=3)]
    assert "subscriber bug" in caplog.text


def test_subscribing_twice_is_one_subscription():
    def handler(event: DomainEvent) -> None: ...

    subscribe(Happened, handler)
    subscribe(Happened, handler)
    try:
        assert subscribers(Happened).count(handler) == 1
    finally:
        unsubscribe(Happened, handler)


def test_the_order_lifecycle_publishes_placed_paid_and_cancelled(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place()
    with django_capture_on_commit_callbacks(execute=True):
        order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    part = order.seller_orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert OrderPlaced(order_id=order.pk) in received
    assert OrderPaid(order_id=order.pk) in received
    assert OrderCancelled(order_id=order.pk, was_paid=True) in received
    assert (
        SellerOrderCancelled(seller_order_id=part.pk, order_id=order.pk, was_paid=True, actor_kind="shopper")
        in received
    )


def test_payments_subscribes_to_a_paid_part_being_cancelled():
    from payments.subscribers import seller_order_cancelled

    assert seller_order_cancelled in subscribers(SellerOrderCancelled)

"""A seller order refunded in full before it was shipped leaves the shipping flow: it is cancelled by the
system with the refund as its reason (the seller is not asked to ship, the shopper cannot cancel), its
units go back once; a partial refund or a shipped part stays where it is."""

import pytest

from catalog.models import ProductVariant
from orders.lifecycle.reasons import ReasonCode
from orders.lifecycle.selectors import order_detail_parts
from orders.lifecycle.transitions import order_cancellable_by_shopper, seller_order_transition
from orders.models import OrderEvent, OrderStatus
from payments.models import Refund
from payments.services import order_refund_all, refund_create
from tests.factories import SellerProfileFactory
from tests.orders.factories import purchasable_variant
from tests.payments.test_refunds import _paid_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_refunding_everything_from_the_admin_service_cancels_the_unshipped_part(
    django_capture_on_commit_callbacks,
):
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1500, stock=10)
    order, payment = _paid_order(lines=[(variant, 2)], shipping={seller: 500})
    part = order.seller_orders.get()
    assert ProductVariant.objects.get(pk=variant.pk).stock == 8

    with django_capture_on_commit_callbacks(execute=True):
        order_refund_all(payment_id=payment.pk, requested_by_id=None, reason=Refund.Reason.OTHER)

    part.refresh_from_db()
    order.refresh_from_db()
    assert (part.status, part.cancelled_by) == (OrderStatus.CANCELLED, OrderEvent.Actor.SYSTEM)
    assert order.status == OrderStatus.CANCELLED
    event = OrderEvent.objects.get(seller_order=part, to_status=OrderStatus.CANCELLED)
    assert event.reason_code == ReasonCode.REFUNDED_IN_FULL
    assert not order_cancellable_by_shopper([p.status for p in order_detail_parts(order_id=order.pk)])
    assert ProductVariant.objects.get(pk=variant.pk).stock == 10  # back once
    # The cancellation's own refund finds nothing left: exactly one refund, of everything.
    assert list(Refund.objects.values_list("amount", "status")) == [(3500, Refund.Status.SUCCEEDED)]


def test_a_partial_refund_leaves_the_part_to_ship(django_capture_on_commit_callbacks):
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1500, stock=10)
    order, payment = _paid_order(lines=[(variant, 2)])
    part = order.seller_orders.get()

    with django_capture_on_commit_callbacks(execute=True):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="partial",
            reason=Refund.Reason.RETURN,
            seller_order_id=part.pk,
            lines=[(part.lines.get().pk, 1)],
        )

    part.refresh_from_db()
    assert part.status == OrderStatus.PAID


def test_a_restocking_full_refund_does_not_put_the_units_back_twice(django_capture_on_commit_callbacks):
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1500, stock=10)
    order, payment = _paid_order(lines=[(variant, 2)])
    part = order.seller_orders.get()

    with django_capture_on_commit_callbacks(execute=True):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="all-restocked",
            reason=Refund.Reason.RETURN,
            seller_order_id=part.pk,
            whole=True,
            restock=True,
        )

    part.refresh_from_db()
    assert part.status == OrderStatus.CANCELLED
    assert ProductVariant.objects.get(pk=variant.pk).stock == 10


def test_a_shipped_part_refunded_in_full_stays_shipped(django_capture_on_commit_callbacks):
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1500, stock=10)
    order, payment = _paid_order(lines=[(variant, 1)])
    part = order.seller_orders.get()
    seller_order_transition(seller_order_id=part.pk, to_status=OrderStatus.SHIPPED, actor_kind="system")

    with django_capture_on_commit_callbacks(execute=True):
        order_refund_all(payment_id=payment.pk, requested_by_id=None, reason=Refund.Reason.OTHER)

    part.refresh_from_db()
    assert part.status == OrderStatus.SHIPPED

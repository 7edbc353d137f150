"""Stock an order holds: reserved at placement, committed on payment, given back exactly once when the
order is cancelled (by the shopper, a seller or the payment window running out)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from catalog.models import ProductVariant, StockMovement
from orders.lifecycle.services import order_cancel_by_shopper, order_payment_confirmed, orders_expire_unpaid
from orders.lifecycle.transitions import IllegalTransition, seller_order_transition
from orders.models import Coupon, CouponRedemption, OrderEvent, OrderLine, OrderStatus
from orders.services_stock import StockState
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import order_place, purchasable_variant
from tests.orders.factories_promotions import CouponFactory

pytestmark = pytest.mark.django_db

Actor = OrderEvent.Actor


def _stock(variant) -> int:
    return ProductVariant.objects.values_list("stock", flat=True).get(pk=variant.pk)


def _line_states(order) -> set[str]:
    return set(OrderLine.objects.filter(seller_order__order=order).values_list("stock_state", flat=True))


def _movements(variant) -> list[tuple[str, int, str]]:
    return list(
        StockMovement.objects.filter(variant=variant)
        .order_by("pk")
        .values_list("reason", "delta", "reference")
    )


def _pay(order) -> bool:
    return order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)


def test_placing_an_order_reserves_its_units():
    variant = purchasable_variant(stock=10)

    order = order_place(lines=[(variant, 3)])

    assert _stock(variant) == 7
    assert _movements(variant) == [(StockMovement.Reason.RESERVATION, -3, order.number)]
    assert _line_states(order) == {StockState.RESERVED}


def test_payment_commits_the_reservation_without_moving_stock():
    variant = purchasable_variant(stock=10)
    order = order_place(lines=[(variant, 3)])

    assert _pay(order) is True

    assert _stock(variant) == 7
    assert _line_states(order) == {StockState.COMMITTED}
    assert len(_movements(variant)) == 1


def test_an_unpaid_order_expires_after_the_payment_window_and_gives_its_stock_back_once():
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=2000, stock=10)
    CouponFactory(seller=seller, code="SAVE10")
    placed_at = timezone.now()
    order = order_place(lines=[(variant, 4)], coupon_code="SAVE10", now=placed_at)
    window = timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES)

    assert orders_expire_unpaid(now=placed_at + window - timedelta(seconds=1)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

    assert orders_expire_unpaid(now=placed_at + window + timedelta(seconds=1)) == 1
    assert orders_expire_unpaid(now=placed_at + window + timedelta(minutes=5)) == 0

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.seller_orders.get().cancelled_by == "system"
    assert _stock(variant) == 10
    assert _movements(variant) == [
        (StockMovement.Reason.RESERVATION, -4, order.number),
        (StockMovement.Reason.RELEASE, 4, order.number),
    ]
    assert _line_states(order) == {StockState.RELEASED}
    assert Coupon.objects.get(code="SAVE10").times_used == 0
    assert CouponRedemption.objects.count() == 0
    event = OrderEvent.objects.get(seller_order__order=order, to_status=OrderStatus.CANCELLED)
    assert (event.actor_kind, event.data) == (Actor.SYSTEM, {})


def test_expiry_leaves_paid_orders_alone():
    variant = purchasable_variant(stock=10)
    placed_at = timezone.now()
    order = order_place(lines=[(variant, 2)], now=placed_at)
    _pay(order)

    assert orders_expire_unpaid(now=placed_at + timedelta(days=1)) == 0

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert _stock(variant) == 8


def test_the_shopper_cancelling_a_paid_order_returns_the_stock_and_marks_a_refund_due():
    shopper = UserFactory()
    variant = purchasable_variant(stock=10)
    order = order_place(user=shopper, lines=[(variant, 2)])
    _pay(order)

    order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk, reason="Found it cheaper")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "Found it cheaper"
    assert _stock(variant) == 10
    assert _line_states(order) == {StockState.RELEASED}
    event = OrderEvent.objects.get(seller_order__order=order, to_status=OrderStatus.CANCELLED)
    assert (event.actor_kind, event.actor_id, event.data) == (Actor.SHOPPER, shopper.pk, {"refund_due": True})


def test_the_shopper_cancelling_an_unpaid_order_returns_stock_and_coupon():
    shopper = UserFactory()
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=2000, stock=10)
    CouponFactory(seller=seller, code="SAVE10")
    order = order_place(user=shopper, lines=[(variant, 1)], coupon_code="SAVE10")

    order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk)

    assert _stock(variant) == 10
    assert Coupon.objects.get(code="SAVE10").times_used == 0
    # The order expiring later changes nothing more.
    assert orders_expire_unpaid(now=timezone.now() + timedelta(days=1)) == 0
    assert _stock(variant) == 10


def test_a_seller_cancelling_their_part_returns_only_their_stock():
    shopper = UserFactory()
    mine = purchasable_variant(stock=5)
    theirs = purchasable_variant(stock=5)
    order = order_place(user=shopper, lines=[(mine, 2), (theirs, 3)])
    _pay(order)
    part = order.seller_orders.get(seller=mine.product.seller)

    seller_order_transition(
        seller_order_id=part.pk, to_status=OrderStatus.CANCELLED, actor_kind=Actor.SELLER, reason="Broken"
    )
    # A second cancellation is refused and gives nothing back twice.
    with pytest.raises(IllegalTransition):
        seller_order_transition(
            seller_order_id=part.pk, to_status=OrderStatus.CANCELLED, actor_kind=Actor.SELLER, reason="Again"
        )

    assert (_stock(mine), _stock(theirs)) == (5, 2)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

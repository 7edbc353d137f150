"""One cart is consumed exactly once, whatever arrives at the same time (PostgreSQL, real parallel
connections): 20 checkouts of one cart with 20 different idempotency keys place one order and reserve one
unit; 5 simultaneous posts of the same form (one key) all answer with that same order."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from catalog.models import ProductVariant, StockMovement
from orders.cart.services import CheckoutError, checkout_place
from orders.models import Order
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, purchasable_variant

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _checkouts_at_once(*, cart, user, keys: list[str]) -> list[object]:
    start = threading.Barrier(len(keys))

    def place(key: str) -> object:
        try:
            start.wait(timeout=10)
            order, _created = checkout_place(
                cart_id=cart.pk,
                buyer_id=user.pk,
                email=user.email,
                shipping_address=ADDRESS,
                shipping_choice={},
                coupon_code="",
                expected_total=None,
                idempotency_key=key,
                owner=f"user:{user.pk}",
            )
            return order.pk
        except CheckoutError as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        return list(pool.map(place, keys))


def test_twenty_checkouts_of_one_cart_with_different_keys_place_one_order_and_reserve_one_unit():
    user = UserFactory()
    variant = purchasable_variant(seller=SellerProfileFactory(), stock=5)
    cart = cart_with_lines(lines=[(variant, 1)], user=user)

    outcomes = _checkouts_at_once(cart=cart, user=user, keys=[uuid.uuid4().hex for _ in range(20)])

    placed = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, CheckoutError)]
    assert len(placed) == 1, outcomes
    assert len(refused) == 19
    assert Order.objects.filter(buyer=user).count() == 1
    assert ProductVariant.objects.get(pk=variant.pk).stock == 4
    assert StockMovement.objects.filter(variant=variant, reason=StockMovement.Reason.RESERVATION).count() == 1


def test_five_simultaneous_posts_of_one_form_all_answer_with_the_same_order():
    user = UserFactory()
    variant = purchasable_variant(seller=SellerProfileFactory(), stock=5)
    cart = cart_with_lines(lines=[(variant, 2)], user=user)

    outcomes = _checkouts_at_once(cart=cart, user=user, keys=["same-form-key"] * 5)

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert Order.objects.filter(buyer=user).count() == 1
    assert ProductVariant.objects.get(pk=variant.pk).stock == 3

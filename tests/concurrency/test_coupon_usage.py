"""Real parallel connections on PostgreSQL: coupon limits and flash-sale caps hold under concurrent checkouts."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from orders.models import Coupon, CouponRedemption, FlashSaleItem
from orders.promotions.services import CouponUnavailable, FlashSaleSoldOut, coupon_redeem, flash_sale_claim
from tests.factories import UserFactory
from tests.orders.factories_promotions import CouponFactory, FlashSaleItemFactory, OrderFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _redeem_all(coupon, orders, *, user_id=None, emails=None):
    now = timezone.now()

    def redeem(index):
        try:
            coupon_redeem(
                coupon_id=coupon.pk,
                order_id=orders[index].pk,
                user_id=user_id,
                email=emails[index] if emails else orders[index].email,
                discount_amount=100,
                now=now,
            )
            return "ok"
        except CouponUnavailable:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(redeem, range(len(orders))))


def test_thirty_concurrent_orders_use_a_five_use_coupon_exactly_five_times():
    coupon = CouponFactory(usage_limit_total=5, usage_limit_per_user=None)
    orders = [OrderFactory() for _ in range(30)]

    results = _redeem_all(coupon, orders)

    coupon.refresh_from_db()
    assert results.count("ok") == 5
    assert results.count("refused") == 25
    assert coupon.times_used == 5
    assert CouponRedemption.objects.filter(coupon=coupon).count() == 5


def test_one_shopper_racing_twenty_orders_uses_a_once_per_shopper_coupon_once():
    coupon = CouponFactory(usage_limit_total=None, usage_limit_per_user=1)
    user = UserFactory()
    orders = [OrderFactory(buyer=user, email=user.email) for _ in range(20)]

    results = _redeem_all(coupon, orders, user_id=user.pk)

    coupon.refresh_from_db()
    assert results.count("ok") == 1
    assert coupon.times_used == 1
    assert CouponRedemption.objects.filter(coupon=coupon, user=user).count() == 1


def test_a_guest_racing_with_one_email_in_different_cases_uses_the_coupon_once():
    coupon = CouponFactory(usage_limit_total=None, usage_limit_per_user=1)
    orders = [OrderFactory() for _ in range(20)]
    emails = ["guest@example.com" if i % 2 else "GUEST@example.com" for i in range(20)]

    results = _redeem_all(coupon, orders, emails=emails)

    assert results.count("ok") == 1
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1


def test_forty_concurrent_single_unit_claims_of_a_ten_unit_flash_cap_sell_exactly_ten():
    item = FlashSaleItemFactory(stock_cap=10)

    def claim(_):
        try:
            flash_sale_claim(flash_item_id=item.pk, quantity=1)
            return "ok"
        except FlashSaleSoldOut:
            return "sold out"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(claim, range(40)))

    assert results.count("ok") == 10
    assert results.count("sold out") == 30
    assert FlashSaleItem.objects.get(pk=item.pk).sold_count == 10
